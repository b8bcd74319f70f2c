// SPDX-License-Identifier: GPL-2.0
/*
 * Reading and writing policy files (src/policy_load.c, src/policy_json.c, src/policy_print.c):
 * every load error at its exact position with a message that names the fix, bounded nesting,
 * and policies written back that read back the same.
 */
#include "policy_fixtures.h"

/* ---- load errors: exact position, a message that names the fix ---- */

START_TEST(error_unknown_key_with_suggestion)
{
	/* Proves a misspelt key is refused at its own line and column, with the likely key. */
	load_fails("{\n"
		   "  \"version\": 1,\n"
		   "  \"default\": {\n"
		   "    \"allowd_root\": true\n"
		   "  }\n"
		   "}\n",
		   "p.json:4:5: unknown key \"allowd_root\" in \"default\" (did you mean "
		   "\"allow_root\"?)");
	load_fails("{\"containers\": [{\"match\": {}, \"egress\": []}]}",
		   "p.json:1:31: unknown key \"egress\" in \"containers[0]\" (did you mean "
		   "\"allowed_egress\"?)");
	load_fails("{\"default\": {\"frobnicate\": 1}}",
		   "p.json:1:14: unknown key \"frobnicate\" in \"default\"");
	load_fails("{\"contianers\": []}",
		   "p.json:1:2: unknown key \"contianers\" in \"the top level\" (did you mean "
		   "\"containers\"?)");
	load_fails("{\"version\": 1,\n \"allow_root\": true}",
		   "p.json:2:2: \"allow_root\" belongs inside \"default\" (or a \"containers\" "
		   "entry), not at the top level");
	load_fails("{\"containers\": [{\"match\": {\"imgae\": \"x\"}}]}",
		   "p.json:1:28: unknown key \"imgae\" in \"containers[0].match\" (did you mean "
		   "\"image\"?)");
}
END_TEST

START_TEST(error_bad_egress_at_its_element)
{
	/* Proves an egress entry is refused at its own position with the reason and the fix. */
	load_fails("{\n"
		   "  \"version\": 1,\n"
		   "  \"default\": {},\n"
		   "  \"containers\": [\n"
		   "    {\n"
		   "      \"match\": {\"name\": \"db\"},\n"
		   "      \"allowed_egress\": [\"10.0.0.0/8:5432\", \"10.0.0.0/33:80\"]\n"
		   "    }\n"
		   "  ]\n"
		   "}\n",
		   "p.json:7:45: allowed_egress[1] \"10.0.0.0/33:80\": prefix length must be 0-32 "
		   "for IPv4");
	load_fails("{\"default\": {\"allowed_egress\": [\"::/129:443\"]}}",
		   "p.json:1:33: allowed_egress[0] \"::/129:443\": prefix length must be 0-128 "
		   "for IPv6");
	load_fails("{\"default\": {\"allowed_egress\": [\"10.0.0.0/8\"]}}",
		   "p.json:1:33: allowed_egress[0] \"10.0.0.0/8\": missing port; write CIDR:PORT, "
		   "CIDR:* or CIDR:LOW-HIGH (10.0.0.0/8:443)");
	load_fails("{\"default\": {\"allowed_egress\": [\"10.0.0.0/8:70000\"]}}",
		   "p.json:1:33: allowed_egress[0] \"10.0.0.0/8:70000\": port \"70000\" must be a "
		   "number 0-65535, a range LOW-HIGH, or * for any port");
	load_fails("{\"default\": {\"allowed_egress\": [\"10.0.0.0/8:2000-1000\"]}}",
		   "p.json:1:33: allowed_egress[0] \"10.0.0.0/8:2000-1000\": port range 2000-1000 "
		   "is reversed; write 1000-2000");
	load_fails("{\"default\": {\"allowed_egress\": [\"10.0.0.256:80\"]}}",
		   "p.json:1:33: allowed_egress[0] \"10.0.0.256:80\": \"10.0.0.256\" is not an "
		   "IPv4 address");
	load_fails("{\"default\": {\"allowed_egress\": [\"2001:db8::1\"]}}",
		   "p.json:1:33: allowed_egress[0] \"2001:db8::1\": missing port; write "
		   "2001:db8::1:PORT, 2001:db8::1:* or 2001:db8::1:LOW-HIGH");
	load_fails("{\"default\": {\"allowed_egress\": [443]}}",
		   "p.json:1:33: allowed_egress[0] must be a string (found a number)");
}
END_TEST

START_TEST(allow_io_uring_default_entry_and_round_trip)
{
	/* Proves allow_io_uring is false by default, is inherited from the default block,
	 * overridden per container, type checked, and survives writing the policy back. */
	struct vg_policy *p =
		load_ok("{\"default\": {\"allow_io_uring\": true},"
			" \"containers\": [{\"match\": {\"name\": \"db\"}},"
			" {\"match\": {\"name\": \"web\"}, \"allow_io_uring\": false}]}");
	struct vg_policy *builtin = vg_policy_builtin(), *again;
	char *text, err[256];

	ck_assert(!builtin->def.allow_io_uring);
	ck_assert(p->def.allow_io_uring);
	ck_assert(p->containers[0].allow_io_uring);
	ck_assert(!p->containers[1].allow_io_uring);
	text = vg_policy_to_json_string(p);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(vg_policy_load_buffer("again.json", text, strlen(text), &again, err,
					       sizeof(err)), 0);
	ck_assert(again->def.allow_io_uring && again->containers[0].allow_io_uring &&
		  !again->containers[1].allow_io_uring);
	load_fails("{\"default\": {\"allow_io_uring\": \"yes\"}}",
		   "p.json:1:32: \"allow_io_uring\" in \"default\" must be true or false (found a "
		   "string)");
	free(text);
	vg_policy_free(again);
	vg_policy_free(builtin);
	vg_policy_free(p);
}
END_TEST

START_TEST(error_wrong_types)
{
	/* Proves each key's type is checked at the value's position, saying what was expected. */
	load_fails("{\"default\": {\"allow_root\": \"yes\"}}",
		   "p.json:1:28: \"allow_root\" in \"default\" must be true or false (found a "
		   "string)");
	load_fails("{\"default\": {\"allow_mount\": 1}}",
		   "p.json:1:29: \"allow_mount\" in \"default\" must be true or false (found a "
		   "number)");
	load_fails(
		"{\"containers\": [{\"match\": {}, \"allow_privilege_escalation\": null}]}",
		"p.json:1:61: \"allow_privilege_escalation\" in \"containers[0]\" must be true or "
		"false (found null)");
	load_fails(
		"{\"default\": {\"writable_paths\": \"/tmp\"}}",
		"p.json:1:32: \"writable_paths\" in \"default\" must be an array of strings, like "
		"[\"/tmp\", \"/var/cache/app\"] (found a string)");
	load_fails("{\"default\": {\"allowed_capabilities\": [\"CAP_NET_RAW\", true]}}",
		   "p.json:1:54: allowed_capabilities[1] must be a string (found a boolean)");
	load_fails("{\"default\": []}",
		   "p.json:1:13: \"default\" must be an object of policy keys, like "
		   "{\"allow_root\": false} (found an array)");
	load_fails("{\"containers\": {}}",
		   "p.json:1:16: \"containers\" must be an array of entries, like [{\"match\": "
		   "{\"name\": \"web-*\"}, \"allow_root\": true}] (found an object)");
	load_fails("{\"containers\": [\"web\"]}",
		   "p.json:1:17: \"containers[0]\" must be an object of policy keys, like "
		   "{\"allow_root\": false} (found a string)");
	load_fails("[1, 2]", "p.json:1:1: a policy is a JSON object: {\"version\": 1, \"default\": "
			     "{...}, \"containers\": [...]} (found an array)");
	load_fails("{\"containers\": [{\"match\": \"web\"}]}",
		   "p.json:1:27: \"match\" in \"containers[0]\" must be an object of globs, like "
		   "{\"image\": \"nginx:*\"} (found a string)");
	load_fails("{\"containers\": [{\"match\": {\"name\": 7}}]}",
		   "p.json:1:36: containers[0].match.name must be a string glob, like \"web-*\" "
		   "(found a number)");
}
END_TEST

START_TEST(error_version)
{
	/* Proves a newer version is refused with the upgrade hint; anything but 1 is refused. */
	load_fails("{\n  \"version\": 2\n}",
		   "p.json:2:14: policy version 2 is newer than this vigil understands (it reads "
		   "version 1); upgrade vigil");
	load_fails("{\"version\": \"1\"}",
		   "p.json:1:13: \"version\" must be the number 1 (found a string)");
	load_fails("{\"version\": 0}", "p.json:1:13: \"version\" must be 1");
	load_fails("{\"version\": 1.5}", "p.json:1:13: \"version\" must be 1");
}
END_TEST

START_TEST(error_bad_capability)
{
	/* Proves an unknown capability is refused at its element, with the closest real one. */
	load_fails("{\"default\": {\n\t\"allowed_capabilities\": [\"CAP_NET_RAWW\"]}}",
		   "p.json:2:27: allowed_capabilities[0] \"CAP_NET_RAWW\": unknown capability (did "
		   "you mean \"CAP_NET_RAW\"?)");
	load_fails("{\"default\": {\"allowed_capabilities\": [\"sys_admn\"]}}",
		   "p.json:1:39: allowed_capabilities[0] \"sys_admn\": unknown capability (did "
		   "you mean \"CAP_SYS_ADMIN\"?)");
	load_fails("{\"default\": {\"allowed_capabilities\": [\"ALL\"]}}",
		   "p.json:1:39: allowed_capabilities[0] \"ALL\": not a capability; list the "
		   "capabilities the container needs one by one");
	load_fails("{\"default\": {\"allowed_capabilities\": [\"CAP_FOO\"]}}",
		   "p.json:1:39: allowed_capabilities[0] \"CAP_FOO\": unknown capability");
}
END_TEST

START_TEST(error_match_and_globs)
{
	/* Proves match is refused in the default block, required in container entries, and that
	 * broken globs and runtime globs that fit no runtime are refused where they are. */
	load_fails("{\"default\": {\"match\": {}}}",
		   "p.json:1:14: \"match\" is not allowed in \"default\", which applies to every "
		   "container; put it in an entry of \"containers\"");
	load_fails(
		"{\"containers\": [\n  {\"allow_root\": true}]}",
		"p.json:2:3: \"containers[0]\" has no \"match\"; say which containers it is for, "
		"like \"match\": {\"name\": \"web-*\"} (\"match\": {} for all)");
	load_fails(
		"{\"containers\": [{\"match\": {\"image\": \"nginx:[12\"}}]}",
		"p.json:1:37: containers[0].match.image \"nginx:[12\": unterminated '[' in glob; "
		"write \\[ for a literal bracket");
	load_fails("{\"containers\": [{\"match\": {\"name\": \"\"}}]}",
		   "p.json:1:36: containers[0].match.name \"\": an empty glob matches nothing; use "
		   "\"*\" to match anything");
	load_fails(
		"{\"containers\": [{\"match\": {\"name\": \"web\\\\\"}}]}",
		"p.json:1:36: containers[0].match.name \"web\\\\\": a glob cannot end with a lone "
		"backslash");
	load_fails(
		"{\"containers\": [{\"match\": {\"runtime\": \"dockr\"}}]}",
		"p.json:1:39: containers[0].match.runtime \"dockr\" matches no runtime; runtimes "
		"are docker, containerd, crio, podman, lxc, nspawn, unknown (did you mean "
		"\"docker\"?)");
	load_fails(
		"{\"containers\": [{\"match\": {}},\n{\"match\": {\"name\": \"a\", \"name\": "
		"\"b\"}}]}",
		"p.json:2:25: duplicate key \"name\" in \"containers[1].match\" (first at line 2, "
		"column 12)");
}
END_TEST

START_TEST(error_paths_and_sockets)
{
	/* Proves writable paths must be absolute, and sensitive sockets absolute or abstract. */
	load_fails("{\"default\": {\"writable_paths\": [\"/tmp\", \"var/cache\"]}}",
		   "p.json:1:41: writable_paths[1] \"var/cache\": must be an absolute path "
		   "(starting with \"/\")");
	load_fails("{\"default\": {\"sensitive_sockets\": [\"docker.sock\"]}}",
		   "p.json:1:36: sensitive_sockets[0] \"docker.sock\": must be an absolute path "
		   "(globs allowed) or an abstract socket name starting with \"@\"");
	load_fails("{\"default\": {\"sensitive_sockets\": [\"/run/[abc\"]}}",
		   "p.json:1:36: sensitive_sockets[0] \"/run/[abc\": unterminated '[' in glob; "
		   "write \\[ for a literal bracket");
}
END_TEST

START_TEST(error_duplicate_keys)
{
	/* Proves a key given twice is refused at the second, pointing at the first. */
	load_fails("{\"default\": {\"allow_root\": true,\n  \"allow_root\": false}}",
		   "p.json:2:3: duplicate key \"allow_root\" in \"default\" (first at line 1, "
		   "column 14)");
	load_fails("{\"version\": 1, \"version\": 1}",
		   "p.json:1:16: duplicate key \"version\" in \"the top level\" (first at line 1, "
		   "column 2)");
}
END_TEST

START_TEST(error_json_syntax)
{
	/* Proves syntax errors are reported where parsing stopped, saying what JSON expects. */
	load_fails("", "p.json:1:1: empty file: expected a JSON object");
	load_fails("  \n  ", "p.json:2:3: empty file: expected a JSON object");
	load_fails("{\"default\": {\"allow_root\": true,}}",
		   "p.json:1:33: expected a key before '}' (JSON allows no trailing comma)");
	load_fails("{\"default\": {\"writable_paths\": [\"/tmp\",]}}",
		   "p.json:1:40: expected a value before ']' (JSON allows no trailing comma)");
	load_fails("{\"default\": {\"allow_root\": true\n  \"allow_mount\": true}}",
		   "p.json:2:3: expected ',' or '}' after an object member");
	load_fails("{\"default\": {\"writable_paths\": [\"/tmp\" \"/run\"]}}",
		   "p.json:1:40: expected ',' or ']' after an array element");
	load_fails("{\"default\": {\"allow_root\" true}}", "p.json:1:27: expected ':' after a key");
	load_fails("{\"default\": {\"allow_root\": tru}}",
		   "p.json:1:28: unquoted word: strings must be in double quotes; the only bare "
		   "words are true, false and null");
	load_fails("{\n  // the default\n  \"default\": {}}",
		   "p.json:2:3: expected a key: object keys are strings in double quotes");
	load_fails("{\"default\": // x\n {}}", "p.json:1:13: comments are not allowed in JSON");
	load_fails("{'default': {}}",
		   "p.json:1:2: expected a key: object keys are strings in double quotes");
	load_fails("{\"default\": {\"writable_paths\": ['/tmp']}}",
		   "p.json:1:33: single quotes are not JSON: use double quotes");
	load_fails("{\"default\": {\"writable_paths\": [\"/tmp]}}",
		   "p.json:1:33: unterminated string (missing closing '\"')");
	load_fails("{\"default\": {\"writable_paths\": [\"/tmp\n\"]}}",
		   "p.json:1:33: unterminated string (missing closing '\"')");
	load_fails("{\"a\\qb\": 1}",
		   "p.json:1:4: invalid escape in string (a literal backslash is written \\\\)");
	load_fails("{\"a\tb\": 1}",
		   "p.json:1:4: control character in string; escape it (\\t, \\n, \\u00XX)");
	load_fails("{\"a\\u00\": 1}", "p.json:1:8: \\u must be followed by 4 hexadecimal digits");
	load_fails("{\"a\\u0000\": 1}",
		   "p.json:1:4: \\u0000 (a NUL character) is not allowed in strings");
	load_fails("{\"a\\ud800x\": 1}", "p.json:1:4: invalid \\u escape: unpaired high surrogate");
	load_fails("{\"version\": 01}",
		   "p.json:1:14: invalid number: leading zeros are not allowed");
	load_fails("{\"version\": 1.}", "p.json:1:15: invalid number: expected a digit after '.'");
	load_fails("{\"version\": -}", "p.json:1:14: invalid number: expected a digit");
	load_fails("{\"default\": {}",
		   "p.json:1:1: unexpected end of file: this '{' is never closed");
	load_fails("{\"default\": {\"writable_paths\": [\"/tmp\"",
		   "p.json:1:32: unexpected end of file: this '[' is never closed");
	load_fails("{\"default\":", "p.json:1:12: unexpected end of file: expected a value");
	load_fails("{} {}", "p.json:1:4: unexpected content after the end of the top-level value");
	load_fails("{\"default\": {\"allow_root\": ,}}",
		   "p.json:1:28: expected a value before ','");
	load_fails("{\"a\": \"\xc3\x28\"}", "p.json:1:8: invalid UTF-8 in string");
	load_fails("{\"a\": 1, \x01}",
		   "p.json:1:10: expected a key: object keys are strings in double quotes");
}
END_TEST

START_TEST(columns_count_characters_not_bytes)
{
	/* Proves a column after multi-byte UTF-8 text is the character column an editor shows,
	 * and that escapes and a byte order mark are handled. */
	load_fails("{\"containers\": [{\"match\": {\"name\": \"caf\xc3\xa9-\xe2\x82\xac\"}, "
		   "\"allow_rot\": true}]}",
		   "p.json:1:47: unknown key \"allow_rot\" in \"containers[0]\" (did you mean "
		   "\"allow_root\"?)");
	load_fails("\xef\xbb\xbf{\"x\": 1}", "p.json:1:2: unknown key \"x\" in \"the top level\"");
	load_fails("{\"\\u00e9\\ud83d\\ude00\": 1}",
		   "p.json:1:2: unknown key \"\xc3\xa9\xf0\x9f\x98\x80\" in \"the top level\"");
	/* a control character in a key is shown escaped, so the message stays on one line */
	load_fails("{\"a\\nb\": 1}", "p.json:1:2: unknown key \"a\\x0ab\" in \"the top level\"");
}
END_TEST

START_TEST(nesting_is_bounded)
{
	/* Proves deep nesting stops with an error at the level that is too deep, not a crash. */
	char text[256];
	size_t i;

	for (i = 0; i < 100; i++)
		text[i] = '[';
	text[i] = '\0';
	load_fails(text, "p.json:1:33: nesting deeper than 32 levels");
}
END_TEST

START_TEST(load_file_fixtures)
{
	/* Proves files load by name, errors name the file, and a missing file is an I/O error. */
	struct vg_policy *p = NULL;
	const char *good = FIXTURES "/policy/full.json";
	const char *bad = FIXTURES "/policy/typo.json";
	char expected[1200];

	ck_assert_int_eq(vg_policy_load_file(good, &p, err, sizeof(err)), 0);
	ck_assert_str_eq(p->source, good);
	ck_assert_uint_eq(p->n_containers, 2);
	ck_assert_str_eq(p->containers[0].match.image, "nginx:*");
	ck_assert_uint_eq(p->containers[0].n_allowed_egress, 3);
	vg_policy_free(p);

	ck_assert_int_eq(vg_policy_load_file(bad, &p, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_null(p);
	snprintf(expected, sizeof(expected),
		 "%s:9:7: unknown key \"writeable_paths\" in \"containers[0]\" (did you mean "
		 "\"writable_paths\"?)",
		 bad);
	ck_assert_str_eq(err, expected);

	ck_assert_int_eq(vg_policy_load_file(FIXTURES "/policy/absent.json", &p, err, sizeof(err)),
			 -ENOENT);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(err, FIXTURES "/policy/absent.json: cannot open the policy file: No such "
				       "file or directory");
}
END_TEST

/* ---- writing policies back ---- */

START_TEST(to_json_round_trips)
{
	/* Proves the JSON written for a policy loads back to the same policy, spelling every key
	 * of every entry, so profiles can emit policy files. */
	struct vg_policy *p = NULL, *again;
	char *text, *text2;
	struct json_object *obj;

	ck_assert_int_eq(vg_policy_load_file(FIXTURES "/policy/full.json", &p, err, sizeof(err)),
			 0);
	text = vg_policy_to_json_string(p);
	ck_assert_ptr_nonnull(text);
	again = load_ok(text);
	text2 = vg_policy_to_json_string(again);
	ck_assert_str_eq(text, text2);
	ck_assert_uint_eq(again->n_containers, 2);
	ck_assert(again->containers[1].allow_io_uring && !again->containers[0].allow_io_uring);
	ck_assert_uint_eq(again->containers[0].allowed_capabilities,
			  p->containers[0].allowed_capabilities);
	ck_assert_int_eq(memcmp(again->containers[0].allowed_egress,
				p->containers[0].allowed_egress, 3 * sizeof(struct vg_egress)),
			 0);
	ck_assert(strstr(text, "\"allowed_egress\": [\"10.0.0.0/8:5432\", \"0.0.0.0/0:443\", "
			       "\"::/0:443\"]"));

	obj = vg_policy_entry_to_json(&p->containers[0]);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
				 json_object_object_get(obj, "match"), "image")),
			 "nginx:*");
	ck_assert(!json_object_get_boolean(json_object_object_get(obj, "allow_root")));
	ck_assert_int_eq(json_object_array_length(json_object_object_get(obj, "writable_paths")),
			 2);
	json_object_put(obj);
	obj = vg_policy_entry_to_json(&p->def);
	ck_assert_ptr_null(json_object_object_get(obj, "match"));
	json_object_put(obj);

	free(text);
	free(text2);
	vg_policy_free(p);
	vg_policy_free(again);
}
END_TEST

START_TEST(to_json_round_trips_an_empty_match)
{
	/* Proves an entry for every container ("match": {}) is written with its empty match, so the
	 * file reads back (found by fuzz_policy: the match was left out, and the reader refuses
	 * an entry without one). */
	struct vg_policy *p = load_ok("{\"containers\": [{\"match\": {}, \"allow_mount\": true}]}");
	struct vg_policy *again;
	char *text = vg_policy_to_json_string(p), *text2;

	ck_assert_ptr_nonnull(strstr(text, "\"match\": {}"));
	again = load_ok(text);
	ck_assert_uint_eq(again->n_containers, 1);
	ck_assert(again->containers[0].allow_mount);
	text2 = vg_policy_to_json_string(again);
	ck_assert_str_eq(text, text2);
	free(text);
	free(text2);
	vg_policy_free(p);
	vg_policy_free(again);
}
END_TEST

START_TEST(egress_error_quotes_no_control_characters)
{
	/* Proves an allowed_egress entry holding control characters (DEL raw, others escaped in
	 * the JSON) gets a one-line error without them: the reason used to quote the port as it
	 * was (found by fuzz_policy). */
	static const char *const texts[] = {
		"{\"default\": {\"allowed_egress\": [\"10.0.0.53:53\x7f\x7f\"]}}",
		"{\"default\": {\"allowed_egress\": [\"10.0.0.53:5\\u001b[2J\"]}}",
		"{\"default\": {\"allowed_egress\": [\"10.0.\\n0.1:53\"]}}",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct vg_policy *p = NULL;
		char err[512];

		ck_assert_int_eq(vg_policy_load_buffer("p.json", texts[i], strlen(texts[i]), &p, err,
						       sizeof(err)),
				 -EINVAL);
		for (const char *c = err; *c; c++)
			ck_assert_msg((unsigned char)*c >= 0x20 && *c != 0x7f,
				      "control character in: %s", err);
		ck_assert_ptr_nonnull(strstr(err, "printable ASCII"));
	}
}
END_TEST

START_TEST(to_json_is_readable)
{
	/* Proves the exact text written: two-space indents, every key in SPEC order, short lists
	 * on one line, canonical capability names and egress spellings, "match" first. */
	struct vg_policy *p = load_ok(
		"{\"default\": {\"sensitive_sockets\": [\"/var/run/docker.sock\", \"@x\"]},"
		" \"containers\": [{\"match\": {\"name\": \"web-*\", \"image\": \"nginx:*\"},"
		" \"allowed_capabilities\": [\"net_raw\", \"chown\"], \"allow_mount\": true,"
		" \"allowed_egress\": [\"10.1.2.3/8:*\", \"[2001:db8::]:80-90\"],"
		" \"writable_paths\": [\"/var/cache/nginx/\"]}]}");
	char *text = vg_policy_to_json_string(p);

	ck_assert_str_eq(text,
			 "{\n"
			 "  \"version\": 1,\n"
			 "  \"default\": {\n"
			 "    \"allow_root\": false,\n"
			 "    \"allowed_capabilities\": [],\n"
			 "    \"writable_paths\": [\"/tmp\", \"/run\"],\n"
			 "    \"allowed_egress\": [],\n"
			 "    \"sensitive_sockets\": [\"/var/run/docker.sock\", \"@x\"],\n"
			 "    \"allow_mount\": false,\n"
			 "    \"allow_privilege_escalation\": false,\n"
			 "    \"allow_drift\": false,\n"
			 "    \"drift_allowed_paths\": [],\n"
			 "    \"allow_io_uring\": false\n"
			 "  },\n"
			 "  \"containers\": [\n"
			 "    {\n"
			 "      \"match\": {\n"
			 "        \"name\": \"web-*\",\n"
			 "        \"image\": \"nginx:*\"\n"
			 "      },\n"
			 "      \"allow_root\": false,\n"
			 "      \"allowed_capabilities\": [\"CAP_CHOWN\", \"CAP_NET_RAW\"],\n"
			 "      \"writable_paths\": [\"/var/cache/nginx\"],\n"
			 "      \"allowed_egress\": [\"10.0.0.0/8:*\", \"2001:db8::/128:80-90\"],\n"
			 "      \"sensitive_sockets\": [\"/var/run/docker.sock\", \"@x\"],\n"
			 "      \"allow_mount\": true,\n"
			 "      \"allow_privilege_escalation\": false,\n"
			 "      \"allow_drift\": false,\n"
			 "      \"drift_allowed_paths\": [],\n"
			 "      \"allow_io_uring\": false\n"
			 "    }\n"
			 "  ]\n"
			 "}\n");
	free(text);
	vg_policy_free(p);
}
END_TEST

static Suite *policy_load_suite(void)
{
	Suite *s = suite_create("policy_load");
	TCase *tc = tcase_create("load");

	tcase_add_test(tc, allow_io_uring_default_entry_and_round_trip);
	tcase_add_test(tc, load_file_fixtures);
	tcase_add_test(tc, to_json_round_trips);
	tcase_add_test(tc, to_json_round_trips_an_empty_match);
	tcase_add_test(tc, egress_error_quotes_no_control_characters);
	tcase_add_test(tc, to_json_is_readable);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, error_unknown_key_with_suggestion);
	tcase_add_test(tc, error_bad_egress_at_its_element);
	tcase_add_test(tc, error_wrong_types);
	tcase_add_test(tc, error_version);
	tcase_add_test(tc, error_bad_capability);
	tcase_add_test(tc, error_match_and_globs);
	tcase_add_test(tc, error_paths_and_sockets);
	tcase_add_test(tc, error_duplicate_keys);
	tcase_add_test(tc, error_json_syntax);
	tcase_add_test(tc, columns_count_characters_not_bytes);
	tcase_add_test(tc, nesting_is_bounded);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(policy_load_suite)
