// SPDX-License-Identifier: GPL-2.0
/*
 * Each profile format against its schema (src/profile_docker.c, profile_k8s.c,
 * profile_seccomp.c, profile_json.c): YAML parsed by PyYAML, k8s kinds and fields, seccomp
 * keys, docker run flags, every value with its evidence, hostile strings quoted.
 */
#include "profile_fixtures.h"

/* ---- formats ---- */

START_TEST(compose_is_a_service_fragment)
{
	struct vg_profile_set *s;
	struct json_object *docs, *svc;
	char *text;

	begin(cap_path);
	web_scenario();
	db_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	text = render(s, VG_PROFILE_COMPOSE);
	docs = yaml_documents(text);
	ck_assert_uint_eq(json_object_array_length(docs), 1);
	svc = AT(docs, "#0", "services", "web");
	ck_assert_str_eq(STR(svc, "image"), "localhost/app:1");
	ck_assert_str_eq(STR(svc, "user"), "1000:1000");
	ck_assert(json_object_get_boolean(AT(svc, "read_only")));
	/* the directory of /var/cache/app/x; /srv/www of the unlink */
	ck_assert_str_eq(json_object_to_json_string(AT(svc, "tmpfs")),
			 "[ \"\\/srv\\/www\", \"\\/var\\/cache\\/app\" ]");
	ck_assert_str_eq(STR(svc, "cap_drop", "#0"), "ALL");
	ck_assert_uint_eq(json_object_array_length(AT(svc, "cap_add")), 1);
	ck_assert_str_eq(STR(svc, "cap_add", "#0"), "CHOWN");
	ck_assert_str_eq(STR(svc, "security_opt", "#0"), "no-new-privileges:true");
	ck_assert_msg(strstr(text, "#   10.0.0.5:5432 by /bin/sh"), "egress as comments:\n%s",
		      text);
	/* db: root, a privilege change, /etc written and a relative write */
	svc = AT(docs, "#0", "services", "db");
	ck_assert(!json_object_object_get_ex(svc, "user", NULL));
	ck_assert(!json_object_object_get_ex(svc, "security_opt", NULL));
	ck_assert(!json_object_object_get_ex(svc, "tmpfs", NULL));
	ck_assert(!json_object_get_boolean(AT(svc, "read_only")));
	ck_assert_str_eq(STR(svc, "cap_add", "#0"), "SYS_ADMIN");
	json_object_put(docs);
	free(text);
	vg_profile_set_free(s);
}
END_TEST

START_TEST(k8s_objects_have_their_kinds_and_fields)
{
	struct vg_profile_set *s;
	struct json_object *docs, *pod, *sc, *np, *egress;
	char *text;

	begin(cap_path);
	web_scenario();
	db_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	text = render(s, VG_PROFILE_K8S);
	docs = yaml_documents(text);
	ck_assert_uint_eq(json_object_array_length(docs), 4);
	pod = AT(docs, "#0");
	ck_assert_str_eq(STR(pod, "apiVersion"), "v1");
	ck_assert_str_eq(STR(pod, "kind"), "Pod");
	ck_assert_str_eq(STR(pod, "metadata", "name"), "web");
	ck_assert_str_eq(STR(pod, "spec", "containers", "#0", "image"), "localhost/app:1");
	sc = AT(pod, "spec", "containers", "#0", "securityContext");
	ck_assert(json_object_get_boolean(AT(sc, "runAsNonRoot")));
	ck_assert_int_eq(json_object_get_int(AT(sc, "runAsUser")), 1000);
	ck_assert_int_eq(json_object_get_int(AT(sc, "runAsGroup")), 1000);
	ck_assert(json_object_get_boolean(AT(sc, "readOnlyRootFilesystem")));
	ck_assert(!json_object_get_boolean(AT(sc, "allowPrivilegeEscalation")));
	ck_assert_str_eq(STR(sc, "capabilities", "drop", "#0"), "ALL");
	ck_assert_str_eq(STR(sc, "capabilities", "add", "#0"), "CHOWN");
	/* the tmpfs directories as memory-backed emptyDir volumes */
	ck_assert_str_eq(STR(pod, "spec", "containers", "#0", "volumeMounts", "#1", "mountPath"),
			 "/var/cache/app");
	ck_assert_str_eq(STR(pod, "spec", "volumes", "#1", "emptyDir", "medium"), "Memory");
	np = AT(docs, "#1");
	ck_assert_str_eq(STR(np, "apiVersion"), "networking.k8s.io/v1");
	ck_assert_str_eq(STR(np, "kind"), "NetworkPolicy");
	ck_assert_str_eq(STR(np, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name"),
			 "web");
	ck_assert_str_eq(STR(pod, "metadata", "labels", "app.kubernetes.io/name"), "web");
	ck_assert_str_eq(STR(np, "spec", "policyTypes", "#0"), "Egress");
	egress = AT(np, "spec", "egress");
	ck_assert_uint_eq(json_object_array_length(egress), 3);
	ck_assert_str_eq(STR(egress, "#0", "to", "#0", "ipBlock", "cidr"), "10.0.0.5/32");
	ck_assert_int_eq(json_object_get_int(AT(egress, "#0", "ports", "#0", "port")), 5432);
	ck_assert_str_eq(STR(egress, "#0", "ports", "#0", "protocol"), "TCP");
	ck_assert_str_eq(STR(egress, "#2", "to", "#0", "ipBlock", "cidr"), "2001:db8::1/128");
	/* a destination reached over UDP only is allowed over UDP only */
	ck_assert_uint_eq(json_object_array_length(AT(egress, "#2", "ports")), 1);
	ck_assert_str_eq(STR(egress, "#2", "ports", "#0", "protocol"), "UDP");
	/* db: root, escalation; no egress at all is an empty egress list (deny) */
	sc = AT(docs, "#2", "spec", "containers", "#0", "securityContext");
	ck_assert(!json_object_get_boolean(AT(sc, "runAsNonRoot")));
	ck_assert(json_object_get_boolean(AT(sc, "allowPrivilegeEscalation")));
	ck_assert(!json_object_get_boolean(AT(sc, "readOnlyRootFilesystem")));
	ck_assert_uint_eq(json_object_array_length(AT(docs, "#3", "spec", "egress")), 0);
	json_object_put(docs);
	free(text);
	vg_profile_set_free(s);
}
END_TEST

START_TEST(seccomp_allows_exactly_the_calls_seen)
{
	struct vg_profile_set *s;
	struct json_object *root, *names;
	char *text;

	begin(cap_path);
	web_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	text = render(s, VG_PROFILE_SECCOMP);
	root = json_tokener_parse(text);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(STR(root, "defaultAction"), "SCMP_ACT_ERRNO");
	ck_assert_str_eq(STR(root, "architectures", "#0"), "SCMP_ARCH_X86_64");
	ck_assert_uint_eq(json_object_array_length(AT(root, "syscalls")), 1);
	ck_assert_str_eq(STR(root, "syscalls", "#0", "action"), "SCMP_ACT_ALLOW");
	names = AT(root, "syscalls", "#0", "names");
	ck_assert_str_eq(json_object_to_json_string_ext(names, JSON_C_TO_STRING_PLAIN),
			 "[\"execve\",\"openat\",\"read\",\"write\"]");
	json_object_put(root);
	free(text);
	vg_profile_set_free(s);

	/* without system call sets there is no seccomp profile to write */
	begin(cap_path);
	db_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	ck_assert_int_eq(vg_profile_write(stdout, s, VG_PROFILE_SECCOMP), -ENODATA);
	vg_profile_set_free(s);
}
END_TEST

START_TEST(docker_run_flags)
{
	struct vg_profile_set *s;
	char *text;

	begin(cap_path);
	web_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	text = render(s, VG_PROFILE_DOCKER_RUN);
	ck_assert_msg(strstr(text, "docker run --name web \\\n  --user 1000:1000 \\\n"
				   "  --read-only --tmpfs /srv/www --tmpfs /var/cache/app \\\n"
				   "  --cap-drop ALL --cap-add CHOWN \\\n"
				   "  --security-opt no-new-privileges:true \\\n"
				   "  --security-opt seccomp=web.json \\\n  localhost/app:1\n"),
		      "%s", text);
	free(text);
	vg_profile_set_free(s);
}
END_TEST

START_TEST(json_lists_every_value_with_evidence)
{
	struct vg_profile_set *s;
	struct json_object *root, *p, *cap;
	char *text;

	begin(cap_path);
	web_scenario();
	db_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	text = render(s, VG_PROFILE_JSON);
	root = json_tokener_parse(text);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(STR(root, "capture", "host"), "testhost");
	ck_assert_str_eq(STR(root, "by"), "container");
	p = AT(root, "profiles", "#0");
	ck_assert_str_eq(STR(p, "name"), "web");
	ck_assert_str_eq(STR(p, "containers", "#0", "id"), WEB_ID);
	ck_assert(!json_object_get_boolean(AT(p, "user", "run_as_root")));
	cap = AT(p, "capabilities", "#0");
	ck_assert_str_eq(STR(cap, "name"), "CAP_CHOWN");
	ck_assert_int_eq(json_object_get_int(AT(cap, "evidence", "count")), 2);
	ck_assert_str_eq(STR(cap, "evidence", "programs", "#1"), "/usr/bin/worker");
	/* the sixth event of the scenario: boot + 5.000000123 s + 6 us */
	ck_assert_str_eq(STR(cap, "evidence", "first"), "2023-11-14T22:13:25.000006123Z");
	ck_assert_str_eq(STR(cap, "evidence", "first_event", "command"), "prog arg");
	ck_assert_str_eq(STR(p, "rootfs_writes", "#1", "path"), "/var/cache/app/x");
	ck_assert_str_eq(STR(p, "rootfs_writes", "#0", "ops", "#0"), "unlink");
	ck_assert_str_eq(STR(p, "egress", "#0", "address"), "10.0.0.5");
	ck_assert_int_eq(json_object_get_int(AT(p, "egress", "#0", "port")), 5432);
	ck_assert_str_eq(STR(p, "unix_sockets", "#0", "path"), "/var/run/docker.sock");
	ck_assert(json_object_get_boolean(AT(p, "no_new_privileges")));
	ck_assert_str_eq(STR(p, "syscalls", "arch"), "x86_64");
	ck_assert_str_eq(STR(p, "syscalls", "calls", "#2", "name"), "execve");
	p = AT(root, "profiles", "#1");
	ck_assert_str_eq(STR(p, "privilege_changes", "#0", "kind"), "secure_exec");
	ck_assert_str_eq(STR(p, "mounts", "#0", "target"), "/mnt");
	ck_assert_str_eq(STR(p, "relative_writes", "#0", "path"), "pg.pid");
	ck_assert_str_eq(STR(p, "rootfs", "blocked_by", "#0"), "pg.pid");
	/* recorded without --syscalls: present, and null */
	ck_assert(json_object_object_get_ex(p, "syscalls", &cap) && !cap);
	json_object_put(root);
	free(text);
	vg_profile_set_free(s);
}
END_TEST

/* Names and paths a program chose: YAML stays YAML, names stay names. */
START_TEST(hostile_strings_are_quoted)
{
	struct vg_profile_set *s;
	struct json_object *docs, *svc;
	char *text;

	begin(cap_path);
	put_container(WEB_ID, "we\"b: x\n- y", "img:1\"\n#", WEB_CG, NULL);
	put(exec_as(10, "/bin/sh", 1000, 1000, 1, 0), WEB_CG, 0);
	put(write_ret(10, VIGIL_WRITE_MKDIR, "/var/cache/d\"ir\n: \xc3\xa9\xff", NULL,
		      VIGIL_ROOTFS_YES, 0),
	    WEB_CG, 0);
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	text = render(s, VG_PROFILE_COMPOSE);
	docs = yaml_documents(text);
	svc = AT(docs, "#0", "services", "we-b-x-y");
	ck_assert_str_eq(STR(svc, "image"), "img:1\"\n#");
	/* a created directory is its own tmpfs; invalid UTF-8 shows as U+FFFD */
	ck_assert_str_eq(STR(svc, "tmpfs", "#0"), "/var/cache/d\"ir\n: \xc3\xa9\xef\xbf\xbd");
	json_object_put(docs);
	free(text);
	text = render(s, VG_PROFILE_K8S);
	docs = yaml_documents(text);
	ck_assert_str_eq(STR(docs, "#0", "metadata", "name"), "we-b-x-y");
	json_object_put(docs);
	free(text);
	text = render(s, VG_PROFILE_DOCKER_RUN);
	ck_assert_msg(strstr(text, "--tmpfs '/var/cache/d\"ir\n: \xc3\xa9\xff'"), "%s", text);
	ck_assert_msg(strstr(text, "  'img:1\"\n#'\n"), "%s", text);
	free(text);
	vg_profile_set_free(s);
}
END_TEST

/* Processes that all predate the capture: no exec, so no user to set, and none guessed. */
START_TEST(unknown_user_is_not_guessed)
{
	struct vg_profile_set *s;
	struct json_object *docs, *sc;
	char *text;

	begin(cap_path);
	put_container(WEB_ID, "web", "localhost/app:1", WEB_CG, NULL);
	put(capable(10, NR_CAP_CHOWN, 0, VIGIL_CAP_AUDITED), WEB_CG, 0);
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	ck_assert(!s->v[0].entry_known);
	text = render(s, VG_PROFILE_K8S);
	docs = yaml_documents(text);
	sc = AT(docs, "#0", "spec", "containers", "#0", "securityContext");
	ck_assert(!json_object_object_get_ex(sc, "runAsNonRoot", NULL));
	ck_assert(!json_object_object_get_ex(sc, "runAsUser", NULL));
	ck_assert_msg(strstr(text, "the user it runs as is unknown"), "%s", text);
	json_object_put(docs);
	free(text);
	text = render(s, VG_PROFILE_COMPOSE);
	docs = yaml_documents(text);
	ck_assert(!json_object_object_get_ex(AT(docs, "#0", "services", "web"), "user", NULL));
	json_object_put(docs);
	free(text);
	vg_profile_set_free(s);
}
END_TEST

START_TEST(format_names)
{
	ck_assert_int_eq(vg_profile_format_parse("compose"), VG_PROFILE_COMPOSE);
	ck_assert_int_eq(vg_profile_format_parse("docker-run"), VG_PROFILE_DOCKER_RUN);
	ck_assert_int_eq(vg_profile_format_parse("k8s"), VG_PROFILE_K8S);
	ck_assert_int_eq(vg_profile_format_parse("seccomp"), VG_PROFILE_SECCOMP);
	ck_assert_int_eq(vg_profile_format_parse("policy"), VG_PROFILE_POLICY);
	ck_assert_int_eq(vg_profile_format_parse("json"), VG_PROFILE_JSON);
	ck_assert_int_eq(vg_profile_format_parse("yaml"), -1);
	ck_assert_int_eq(vg_profile_format_parse(""), -1);
}
END_TEST

static Suite *profile_formats_suite(void)
{
	Suite *s = suite_create("profile_formats");
	TCase *formats = tcase_create("formats");

	tcase_add_checked_fixture(formats, setup, teardown);
	tcase_set_timeout(formats, 30); /* PyYAML starts in a second or so */
	tcase_add_test(formats, compose_is_a_service_fragment);
	tcase_add_test(formats, k8s_objects_have_their_kinds_and_fields);
	tcase_add_test(formats, seccomp_allows_exactly_the_calls_seen);
	tcase_add_test(formats, docker_run_flags);
	tcase_add_test(formats, json_lists_every_value_with_evidence);
	tcase_add_test(formats, hostile_strings_are_quoted);
	tcase_add_test(formats, unknown_user_is_not_guessed);
	tcase_add_test(formats, format_names);
	suite_add_tcase(s, formats);
	return s;
}

VIGIL_TEST_MAIN(profile_formats_suite)
