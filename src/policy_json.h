/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON reader private to the policy loader. json-c does not tell where a value sits in
 * the text, and policy errors must name FILE:LINE:COL, so this builds a tree in which every
 * value and every object key carries its 1-based line and column (columns count characters,
 * not bytes). Strict RFC 8259, nesting bounded, duplicate keys refused.
 */
#ifndef VIGIL_POLICY_JSON_H
#define VIGIL_POLICY_JSON_H

#include <stdbool.h>
#include <stddef.h>

#define PJ_MAX_DEPTH 32

enum pj_type { PJ_NULL, PJ_BOOL, PJ_NUMBER, PJ_STRING, PJ_ARRAY, PJ_OBJECT };

struct pj_member;

struct pj_node {
	enum pj_type type;
	unsigned int line, col;
	bool boolean;
	bool is_integer; /* a number written without fraction or exponent that fits a long long */
	long long integer;
	double number;
	char *string; /* PJ_STRING: UTF-8, no NUL inside */
	size_t n;     /* PJ_ARRAY: items; PJ_OBJECT: members */
	struct pj_node *items;
	struct pj_member *members;
};

struct pj_member {
	char *key;
	unsigned int line, col; /* of the key's opening quote */
	struct pj_node value;
};

struct pj_error {
	unsigned int line, col;
	char message[200];
};

/* Parses one JSON value filling the whole text; 0, -EINVAL (err filled) or -ENOMEM. */
int pj_parse(const char *text, size_t len, struct pj_node *root, struct pj_error *err);
void pj_free(struct pj_node *node);

/* "a string", "an array", "null" ...: for "found ..." in messages. */
const char *pj_type_desc(enum pj_type type);

#endif
