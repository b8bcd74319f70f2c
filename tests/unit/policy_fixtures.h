/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the policy tests share: loading a policy text that must load, or must fail with exactly
 * a given message, and the containers and lists the matching is asked about.
 */
#ifndef VIGIL_TEST_POLICY_FIXTURES_H
#define VIGIL_TEST_POLICY_FIXTURES_H

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <json-c/json.h>

#include "unit.h"
#include "container.h"
#include "policy.h"

#define CAP_BIT(n)		(1ull << (n))
#define CAP_NET_BIND_SERVICE_NR 10
#define CAP_NET_RAW_NR		13
#define CAP_SYS_ADMIN_NR	21
#define VIGIL_TEST_PREFIXES	16

static __attribute__((unused)) char err[1024];

static inline struct vg_policy *load_ok(const char *text)
{
	struct vg_policy *p = NULL;
	int ret = vg_policy_load_buffer("p.json", text, strlen(text), &p, err, sizeof(err));

	ck_assert_msg(ret == 0, "load failed (%d): %s", ret, err);
	ck_assert_ptr_nonnull(p);
	return p;
}

/* The load fails with exactly this message (FILE:LINE:COL: text). */
static inline void load_fails(const char *text, const char *expected)
{
	struct vg_policy *p = (struct vg_policy *)&p;
	int ret = vg_policy_load_buffer("p.json", text, strlen(text), &p, err, sizeof(err));

	ck_assert_int_eq(ret, -EINVAL);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(err, expected);
}

static inline bool has_string(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(v[i], s))
			return true;
	}
	return false;
}

static inline struct vg_container container(const char *name, const char *image, enum vg_runtime rt)
{
	struct vg_container c = {.runtime = rt, .name = (char *)name, .image = (char *)image};

	snprintf(c.id, sizeof(c.id), "%s",
		 "4f1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708");
	return c;
}

#endif
