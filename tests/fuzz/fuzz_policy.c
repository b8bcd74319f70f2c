// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the policy reader (policy_json.c's parser and policy.c's checks): any
 * bytes give either a policy or one error line "fuzz.json:LINE:COL: message" with no control
 * character in it (what `vigil policy check` prints); a policy accepted is written out and read
 * back to the same text (vg_policy_to_json_string's promise).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

static void check_error(const char *err, size_t size)
{
	size_t len = strnlen(err, size);

	if (len == size || strncmp(err, "fuzz.json:", 10))
		__builtin_trap();
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)err[i] < 0x20 || err[i] == 0x7f)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_policy *p = NULL, *again = NULL;
	char err[512], *text, *text2;

	if (vg_policy_load_buffer("fuzz.json", (const char *)data, size, &p, err, sizeof(err))) {
		if (p)
			__builtin_trap();
		check_error(err, sizeof(err));
		return 0;
	}
	text = vg_policy_to_json_string(p);
	if (!text)
		__builtin_trap();
	if (vg_policy_load_buffer("fuzz.json", text, strlen(text), &again, err, sizeof(err)))
		__builtin_trap();
	text2 = vg_policy_to_json_string(again);
	if (!text2 || strcmp(text, text2))
		__builtin_trap();
	free(text);
	free(text2);
	vg_policy_free(p);
	vg_policy_free(again);
	return 0;
}
