/* SPDX-License-Identifier: GPL-2.0 */
/* Shared scaffolding for the Check unit tests: one binary per module under test. */
#ifndef VIGIL_TEST_UNIT_H
#define VIGIL_TEST_UNIT_H

#include <check.h>
#include <stdlib.h>

/* Each test file defines its suite and ends with VIGIL_TEST_MAIN(suite_fn). */
#define VIGIL_TEST_MAIN(suite_fn)                                                                  \
	int main(void)                                                                             \
	{                                                                                          \
		SRunner *runner = srunner_create(suite_fn());                                     \
		srunner_run_all(runner, CK_NORMAL);                                                \
		int failed = srunner_ntests_failed(runner);                                        \
		srunner_free(runner);                                                              \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;                                       \
	}

#endif
