// SPDX-License-Identifier: GPL-2.0
/*
 * Policies (src/policy.c): the built-in hardened default, inheritance from the default block
 * and precedence of container entries, egress forms and matching (IPv4-mapped IPv6 included),
 * writable paths by component and sensitive sockets. Load errors and writing back:
 * test_policy_load.c.
 */
#include "policy_fixtures.h"

/* ---- built-in ---- */

START_TEST(builtin_is_the_hardened_default)
{
	/* Proves the built-in policy is what SPEC and hardening practice say: nothing allowed
	 * but writes to /tmp and /run, and every runtime socket sensitive in both spellings. */
	struct vg_policy *p = vg_policy_builtin();
	const struct vg_policy_entry *e = &p->def;

	ck_assert_str_eq(p->source, "built-in");
	ck_assert_uint_eq(p->n_containers, 0);
	ck_assert(!e->allow_root && !e->allow_mount && !e->allow_privilege_escalation);
	ck_assert_uint_eq(e->allowed_capabilities, 0);
	ck_assert_uint_eq(e->n_allowed_egress, 0);
	ck_assert_uint_eq(e->n_writable_paths, 2);
	ck_assert_str_eq(e->writable_paths[0], "/tmp");
	ck_assert_str_eq(e->writable_paths[1], "/run");
	const char *sockets[] = {
		"/var/run/docker.sock",
		"/run/docker.sock",
		"/run/containerd/containerd.sock",
		"/var/run/containerd/containerd.sock",
		"/run/containerd/containerd.sock.ttrpc",
		"/run/crio/crio.sock",
		"/var/run/crio/crio.sock",
		"/run/podman/podman.sock",
		"/var/run/podman/podman.sock",
		"/run/user/*/podman/podman.sock",
	};
	for (size_t i = 0; i < sizeof(sockets) / sizeof(sockets[0]); i++)
		ck_assert_msg(has_string(e->sensitive_sockets, e->n_sensitive_sockets, sockets[i]),
			      "%s missing", sockets[i]);
	ck_assert_ptr_eq(vg_policy_select(p, NULL), &p->def);
	vg_policy_free(p);
}
END_TEST

START_TEST(empty_object_is_the_builtin_policy)
{
	/* Proves every key left out comes from the built-in policy, and "version" is optional. */
	struct vg_policy *p = load_ok("{}");
	struct vg_policy *b = vg_policy_builtin();
	char *a = vg_policy_to_json_string(p), *bt = vg_policy_to_json_string(b);

	ck_assert_str_eq(p->source, "p.json");
	ck_assert_str_eq(a, bt);
	free(a);
	free(bt);
	vg_policy_free(p);
	vg_policy_free(b);
}
END_TEST

/* ---- inheritance and precedence ---- */

static const char *layered =
	"{\n"
	"  \"version\": 1,\n"
	"  \"default\": {\"allow_root\": true, \"writable_paths\": [\"/var/cache\"],\n"
	"              \"allowed_capabilities\": [\"CAP_NET_RAW\"]},\n"
	"  \"containers\": [\n"
	"    {\"match\": {\"name\": \"web-*\", \"image\": \"nginx:*\"},\n"
	"     \"allowed_capabilities\": [\"CAP_NET_BIND_SERVICE\"], \"writable_paths\": "
	"[\"/data\"]},\n"
	"    {\"match\": {\"name\": \"web-*\"}, \"allow_root\": false},\n"
	"    {\"match\": {\"runtime\": \"docker\"}, \"allow_mount\": true}\n"
	"  ]\n"
	"}\n";

START_TEST(default_block_overrides_builtin_per_key)
{
	/* Proves the default block replaces only the keys it names; the rest stay built-in. */
	struct vg_policy *p = load_ok(layered);

	ck_assert(p->def.allow_root);
	ck_assert_uint_eq(p->def.allowed_capabilities, CAP_BIT(CAP_NET_RAW_NR));
	ck_assert_uint_eq(p->def.n_writable_paths, 1);
	ck_assert_str_eq(p->def.writable_paths[0], "/var/cache");
	ck_assert(!p->def.allow_mount);
	ck_assert(has_string(p->def.sensitive_sockets, p->def.n_sensitive_sockets,
			     "/var/run/docker.sock"));
	vg_policy_free(p);
}
END_TEST

START_TEST(container_entry_inherits_default_and_lists_replace)
{
	/* Proves a container entry takes absent keys from the default block, and that a list it
	 * gives replaces the default's list rather than adding to it. */
	struct vg_policy *p = load_ok(layered);
	const struct vg_policy_entry *e = &p->containers[0];

	ck_assert_uint_eq(p->n_containers, 3);
	ck_assert(e->allow_root); /* from the default block */
	ck_assert_uint_eq(e->allowed_capabilities, CAP_BIT(CAP_NET_BIND_SERVICE_NR));
	ck_assert_uint_eq(e->n_writable_paths, 1);
	ck_assert_str_eq(e->writable_paths[0], "/data");
	ck_assert(!vg_policy_path_writable(e, "/var/cache/x"));
	ck_assert_uint_eq(p->containers[1].allowed_capabilities, CAP_BIT(CAP_NET_RAW_NR));
	ck_assert(!p->containers[1].allow_root);
	ck_assert_str_eq(p->containers[1].writable_paths[0], "/var/cache");
	vg_policy_free(p);
}
END_TEST

START_TEST(first_matching_entry_wins)
{
	/* Proves the first entry whose match fits is selected even when later ones fit too, and
	 * that a container no entry fits (or a host process) gets the default. */
	struct vg_policy *p = load_ok(layered);
	struct vg_container nginx = container("web-1", "nginx:1.25", VG_RT_DOCKER);
	struct vg_container other_web = container("web-2", "alpine:3", VG_RT_DOCKER);
	struct vg_container db = container("db", "postgres:16", VG_RT_DOCKER);
	struct vg_container pod = container("db", "postgres:16", VG_RT_PODMAN);

	ck_assert_ptr_eq(vg_policy_select(p, &nginx), &p->containers[0]);
	ck_assert_ptr_eq(vg_policy_select(p, &other_web), &p->containers[1]);
	ck_assert_ptr_eq(vg_policy_select(p, &db), &p->containers[2]);
	ck_assert_ptr_eq(vg_policy_select(p, &pod), &p->def);
	ck_assert_ptr_eq(vg_policy_select(p, NULL), &p->def);
	vg_policy_free(p);
}
END_TEST

START_TEST(match_globs_on_every_field)
{
	/* Proves each match field globs its container field, all given globs must fit, an empty
	 * match fits everything, and a glob on a field the container lacks never fits. */
	struct vg_policy *p = load_ok(
		"{\"containers\": ["
		"{\"match\": {\"id\": \"4f1c2b3a*\", \"namespace\": \"prod\"}, \"allow_root\": "
		"true},"
		"{\"match\": {\"pod\": \"api-?\"}, \"allow_mount\": true},"
		"{\"match\": {\"runtime\": \"c[a-z]*\"}, \"allow_privilege_escalation\": true},"
		"{\"match\": {}, \"allowed_capabilities\": [\"SYS_ADMIN\"]}]}");
	struct vg_container c = container(NULL, NULL, VG_RT_PODMAN);

	ck_assert_ptr_eq(vg_policy_select(p, &c), &p->containers[3]); /* no ns, no pod */
	c.namespace = "prod";
	ck_assert_ptr_eq(vg_policy_select(p, &c), &p->containers[0]);
	c.id[0] = '5';
	ck_assert_ptr_eq(vg_policy_select(p, &c), &p->containers[3]);
	c.pod = "api-7";
	ck_assert_ptr_eq(vg_policy_select(p, &c), &p->containers[1]);
	c.pod = "api-77";
	ck_assert_ptr_eq(vg_policy_select(p, &c), &p->containers[3]);
	c.runtime = VG_RT_CRIO;
	ck_assert_ptr_eq(vg_policy_select(p, &c), &p->containers[2]);
	c.runtime = VG_RT_CONTAINERD;
	ck_assert_ptr_eq(vg_policy_select(p, &c), &p->containers[2]);
	ck_assert(vg_policy_match_fits(&p->containers[3].match, &c));
	ck_assert(!vg_policy_match_fits(&p->containers[3].match, NULL));
	vg_policy_free(p);
}
END_TEST

START_TEST(capability_spellings)
{
	/* Proves capabilities are accepted with or without CAP_, in any case. */
	struct vg_policy *p = load_ok("{\"default\": {\"allowed_capabilities\": "
				      "[\"CAP_NET_RAW\", \"net_bind_service\", \"Sys_Admin\", "
				      "\"cap_net_raw\"]}}");

	ck_assert_uint_eq(p->def.allowed_capabilities, CAP_BIT(CAP_NET_RAW_NR) |
							       CAP_BIT(CAP_NET_BIND_SERVICE_NR) |
							       CAP_BIT(CAP_SYS_ADMIN_NR));
	vg_policy_free(p);
}
END_TEST

START_TEST(version_one_accepted)
{
	/* Proves version 1 is read, with or without the key. */
	vg_policy_free(load_ok("{\"version\": 1}"));
	vg_policy_free(load_ok("{\"version\": 1, \"default\": {}, \"containers\": []}"));
}
END_TEST

/* ---- egress ---- */

static struct vg_egress egress(const char *text)
{
	struct vg_egress e;
	char why[200];

	ck_assert_msg(vg_egress_parse_explain(text, &e, why, sizeof(why)) == 0, "%s: %s", text,
		      why);
	return e;
}

START_TEST(egress_parse_forms)
{
	/* Proves the three port forms, IPv4 and IPv6, bare addresses as one host, the bracketed
	 * spelling, host bits masked, and the canonical spelling written back. */
	char buf[VG_EGRESS_STR_MAX];
	struct vg_egress e = egress("10.0.0.0/8:5432");

	ck_assert_int_eq(e.family, AF_INET);
	ck_assert_uint_eq(e.prefix, 8);
	ck_assert_uint_eq(e.port_lo, 5432);
	ck_assert_uint_eq(e.port_hi, 5432);
	ck_assert_str_eq(vg_egress_format(&e, buf, sizeof(buf)), "10.0.0.0/8:5432");

	e = egress("0.0.0.0/0:*");
	ck_assert_uint_eq(e.port_lo, 0);
	ck_assert_uint_eq(e.port_hi, 65535);
	ck_assert_str_eq(vg_egress_format(&e, buf, sizeof(buf)), "0.0.0.0/0:*");

	e = egress("192.0.2.7:8000-8080");
	ck_assert_uint_eq(e.prefix, 32);
	ck_assert_str_eq(vg_egress_format(&e, buf, sizeof(buf)), "192.0.2.7/32:8000-8080");

	e = egress("::/0:443");
	ck_assert_int_eq(e.family, AF_INET6);
	ck_assert_uint_eq(e.prefix, 0);
	ck_assert_str_eq(vg_egress_format(&e, buf, sizeof(buf)), "::/0:443");

	e = egress("2001:db8::1:53");
	ck_assert_uint_eq(e.prefix, 128);
	ck_assert_str_eq(vg_egress_format(&e, buf, sizeof(buf)), "2001:db8::1/128:53");

	e = egress("[2001:db8::/32]:*");
	ck_assert_str_eq(vg_egress_format(&e, buf, sizeof(buf)), "2001:db8::/32:*");

	e = egress("10.1.2.3/8:80"); /* host bits below the prefix are dropped */
	ck_assert_str_eq(vg_egress_format(&e, buf, sizeof(buf)), "10.0.0.0/8:80");
	e = egress("2001:db8:ffff::1/33:80");
	ck_assert_str_eq(vg_egress_format(&e, buf, sizeof(buf)), "2001:db8:8000::/33:80");

	ck_assert_int_eq(vg_egress_parse("10.0.0.0/8:", &e), -EINVAL);
	ck_assert_int_eq(vg_egress_parse(":80", &e), -EINVAL);
	ck_assert_int_eq(vg_egress_parse("10.0.0.0/-1:80", &e), -EINVAL);
	ck_assert_int_eq(vg_egress_parse("010.0.0.0/8:80", &e), -EINVAL);
	ck_assert_int_eq(vg_egress_parse("10.0.0.0/8:+80", &e), -EINVAL);
	ck_assert_int_eq(vg_egress_parse("10.0.0.0/8:80-", &e), -EINVAL);
	ck_assert_int_eq(vg_egress_parse("[::1]443", &e), -EINVAL);
	ck_assert_int_eq(vg_egress_parse("", &e), -EINVAL);
}
END_TEST

static bool allowed4(const struct vg_policy_entry *e, const char *addr, __u16 port)
{
	__u8 a[16] = {0};

	ck_assert_int_eq(inet_pton(AF_INET, addr, a), 1);
	return vg_policy_egress_allowed(e, AF_INET, a, port);
}

static bool allowed6(const struct vg_policy_entry *e, const char *addr, __u16 port)
{
	__u8 a[16];

	ck_assert_int_eq(inet_pton(AF_INET6, addr, a), 1);
	return vg_policy_egress_allowed(e, AF_INET6, a, port);
}

START_TEST(egress_matching)
{
	/* Proves CIDR and port-range matching at the edges, for IPv4 and IPv6, /0 /32 /128. */
	struct vg_policy *p = load_ok("{\"default\": {\"allowed_egress\": ["
				      "\"10.0.0.0/8:5432\", \"192.0.2.7:1000-2000\", "
				      "\"0.0.0.0/0:443\", \"2001:db8::/32:*\", \"::1:53\"]}}");
	const struct vg_policy_entry *e = &p->def;

	ck_assert(allowed4(e, "10.255.0.1", 5432));
	ck_assert(!allowed4(e, "10.255.0.1", 5433));
	ck_assert(!allowed4(e, "11.0.0.1", 5432));
	ck_assert(allowed4(e, "192.0.2.7", 1000));
	ck_assert(allowed4(e, "192.0.2.7", 2000));
	ck_assert(!allowed4(e, "192.0.2.7", 999));
	ck_assert(!allowed4(e, "192.0.2.7", 2001));
	ck_assert(!allowed4(e, "192.0.2.8", 1500));   /* /32 */
	ck_assert(allowed4(e, "93.184.216.34", 443)); /* /0 */
	ck_assert(!allowed4(e, "93.184.216.34", 80));
	ck_assert(allowed6(e, "2001:db8:1::5", 22));
	ck_assert(!allowed6(e, "2001:db9::5", 22));
	ck_assert(allowed6(e, "::1", 53)); /* /128 */
	ck_assert(!allowed6(e, "::2", 53));
	ck_assert(!allowed6(e, "2606:2800::1", 443)); /* 0.0.0.0/0 is not IPv6 */
	vg_policy_free(p);

	p = load_ok("{\"default\": {\"allowed_egress\": [\"::/0:443\"]}}");
	ck_assert(allowed6(&p->def, "2606:2800::1", 443));
	ck_assert(!allowed4(&p->def, "93.184.216.34", 443)); /* ::/0 is not IPv4 */
	ck_assert(!allowed4(&p->def, "93.184.216.34", 80));
	vg_policy_free(p);

	p = vg_policy_builtin();
	ck_assert(!allowed4(&p->def, "10.0.0.1", 53)); /* nothing allowed by default */
	ck_assert(!vg_policy_egress_allowed(&p->def, AF_UNIX, (const __u8 *)"xxxxxxxxxxxxxxxx", 1));
	vg_policy_free(p);
}
END_TEST

START_TEST(egress_ipv4_mapped)
{
	/* Proves ::ffff:a.b.c.d is matched as the IPv4 address it carries, and that IPv4 rules
	 * written in the mapped IPv6 range match plain IPv4 destinations too. */
	struct vg_policy *p = load_ok("{\"default\": {\"allowed_egress\": [\"10.0.0.0/8:5432\", "
				      "\"::ffff:192.0.2.0/120:80\"]}}");

	ck_assert(allowed6(&p->def, "::ffff:10.1.2.3", 5432));
	ck_assert(!allowed6(&p->def, "::ffff:11.1.2.3", 5432));
	ck_assert(!allowed6(&p->def, "::a01:203", 5432)); /* IPv4-compatible is not mapped */
	ck_assert(allowed6(&p->def, "::ffff:192.0.2.9", 80));
	ck_assert(allowed4(&p->def, "192.0.2.9", 80));
	ck_assert(!allowed4(&p->def, "192.0.3.9", 80));
	vg_policy_free(p);
}
END_TEST

/* ---- writable paths, sensitive sockets ---- */

/*
 * The kernel's write filter gets only paths that every entry allows, normalised and without
 * a trailing slash, so that no container's write it drops could have alerted.
 */
START_TEST(common_writable_paths_for_the_kernel_filter)
{
	char out[VIGIL_TEST_PREFIXES][VG_PREFIX_MAX];
	struct vg_policy *p;
	size_t n;

	p = vg_policy_builtin();
	n = vg_policy_common_writable(p, out, VIGIL_TEST_PREFIXES);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(out[0], "/tmp");
	ck_assert_str_eq(out[1], "/run");
	vg_policy_free(p);

	/* /tmp is not allowed for "db", /var/cache/app is under "db"'s /var/cache */
	p = load_ok("{\"version\": 1, \"default\": {\"writable_paths\": [\"/tmp/\", "
		    "\"/var//cache/./app\", \"/srv\"]}, \"containers\": [{\"match\": {\"name\": "
		    "\"db\"}, \"writable_paths\": [\"/var/cache\", \"/srv/x\"]}]}");
	n = vg_policy_common_writable(p, out, VIGIL_TEST_PREFIXES);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(out[0], "/var/cache/app");
	ck_assert_str_eq(out[1], "/srv/x"); /* the narrower of the two, from the entry */
	vg_policy_free(p);

	/* "/" everywhere: the empty prefix, and nothing under it repeated */
	p = load_ok("{\"version\": 1, \"default\": {\"writable_paths\": [\"/\", \"/tmp\"]}}");
	n = vg_policy_common_writable(p, out, VIGIL_TEST_PREFIXES);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(out[0], "");
	vg_policy_free(p);

	/* an entry allowing nothing: nothing may be dropped; a path too long is left out */
	p = load_ok("{\"version\": 1, \"default\": {\"writable_paths\": [\"/tmp\"]}, "
		    "\"containers\": [{\"match\": {\"name\": \"ro\"}, \"writable_paths\": []}]}");
	ck_assert_uint_eq(vg_policy_common_writable(p, out, VIGIL_TEST_PREFIXES), 0);
	vg_policy_free(p);
	p = load_ok("{\"version\": 1, \"default\": {\"writable_paths\": [\"/a/"
		    "0123456789012345678901234567890123456789012345678901234567890123\", \"/b\"]}}");
	n = vg_policy_common_writable(p, out, VIGIL_TEST_PREFIXES);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(out[0], "/b");
	/* at most max */
	ck_assert_uint_eq(vg_policy_common_writable(p, out, 0), 0);
	vg_policy_free(p);
}
END_TEST

START_TEST(writable_paths_are_prefixes_by_component)
{
	/* Proves a writable path allows itself and what is below, not siblings sharing a prefix,
	 * after lexical normalisation of "//", ".", ".." and trailing "/". */
	struct vg_policy *p = load_ok("{\"default\": {\"writable_paths\": [\"/tmp\", "
				      "\"/var/lib/app/\", \"//data//./x\"]}}");
	const struct vg_policy_entry *e = &p->def;

	ck_assert_str_eq(e->writable_paths[1], "/var/lib/app");
	ck_assert_str_eq(e->writable_paths[2], "/data/x");
	ck_assert(vg_policy_path_writable(e, "/tmp"));
	ck_assert(vg_policy_path_writable(e, "/tmp/"));
	ck_assert(vg_policy_path_writable(e, "/tmp/x/y"));
	ck_assert(vg_policy_path_writable(e, "//tmp//x"));
	ck_assert(vg_policy_path_writable(e, "/tmp/./x"));
	ck_assert(vg_policy_path_writable(e, "/etc/../tmp/x"));
	ck_assert(vg_policy_path_writable(e, "/var/lib/app/db"));
	ck_assert(vg_policy_path_writable(e, "/data/x/y"));
	ck_assert(!vg_policy_path_writable(e, "/tmpfoo"));
	ck_assert(!vg_policy_path_writable(e, "/tmp/../etc/passwd"));
	ck_assert(!vg_policy_path_writable(e, "/tmp/x/../../etc/passwd"));
	ck_assert(!vg_policy_path_writable(e, "/var/lib/application"));
	ck_assert(!vg_policy_path_writable(e, "/data"));
	ck_assert(!vg_policy_path_writable(e, "/"));
	ck_assert(!vg_policy_path_writable(e, "tmp/x")); /* relative: can't be proved */
	ck_assert(!vg_policy_path_writable(e, "./x"));
	ck_assert(!vg_policy_path_writable(e, ""));
	ck_assert(!vg_policy_path_writable(e, NULL));
	vg_policy_free(p);

	p = load_ok("{\"default\": {\"writable_paths\": [\"/\"]}}");
	ck_assert(vg_policy_path_writable(&p->def, "/etc/passwd"));
	ck_assert(vg_policy_path_writable(&p->def, "/../.."));
	vg_policy_free(p);

	p = load_ok("{\"default\": {\"writable_paths\": []}}");
	ck_assert(!vg_policy_path_writable(&p->def, "/tmp/x"));
	vg_policy_free(p);
}
END_TEST

START_TEST(sensitive_sockets_builtin)
{
	/* Proves the runtime sockets are sensitive in every spelling a container could use:
	 * both /run and /var/run, unnormalised paths, rootless globs, abstract shim sockets and
	 * relative paths naming a socket's tail; ordinary sockets are not. */
	struct vg_policy *p = vg_policy_builtin();
	const struct vg_policy_entry *e = &p->def;

	ck_assert(vg_policy_socket_sensitive(e, "/var/run/docker.sock"));
	ck_assert(vg_policy_socket_sensitive(e, "/run/docker.sock"));
	ck_assert(vg_policy_socket_sensitive(e, "//var/run//docker.sock"));
	ck_assert(vg_policy_socket_sensitive(e, "/tmp/../var/run/docker.sock"));
	ck_assert(vg_policy_socket_sensitive(e, "/run/containerd/containerd.sock"));
	ck_assert(vg_policy_socket_sensitive(e, "/run/containerd/containerd.sock.ttrpc"));
	ck_assert(vg_policy_socket_sensitive(e, "/var/run/crio/crio.sock"));
	ck_assert(vg_policy_socket_sensitive(e, "/run/podman/podman.sock"));
	ck_assert(vg_policy_socket_sensitive(e, "/run/user/1000/podman/podman.sock"));
	ck_assert(vg_policy_socket_sensitive(e, "@/containerd-shim/moby/abc/shim.sock"));
	ck_assert(vg_policy_socket_sensitive(e, "docker.sock"));
	ck_assert(vg_policy_socket_sensitive(e, "../run/docker.sock"));
	ck_assert(vg_policy_socket_sensitive(e, "containerd/containerd.sock"));
	ck_assert(!vg_policy_socket_sensitive(e, "/var/run/docker.sock.bak"));
	ck_assert(!vg_policy_socket_sensitive(e, "/home/docker.sock"));
	ck_assert(!vg_policy_socket_sensitive(e, "/run/dbus/system_bus_socket"));
	ck_assert(!vg_policy_socket_sensitive(e, "@/tmp/.X11-unix/X0"));
	ck_assert(!vg_policy_socket_sensitive(e, "app.sock"));
	ck_assert(!vg_policy_socket_sensitive(e, ".."));
	ck_assert(!vg_policy_socket_sensitive(e, ""));
	vg_policy_free(p);
}
END_TEST

START_TEST(sensitive_sockets_custom)
{
	/* Proves a policy's own list replaces the built-in one, globs apply, abstract names
	 * match only "@" patterns, and /var/run and /run stand for each other. */
	struct vg_policy *p =
		load_ok("{\"default\": {\"sensitive_sockets\": [\"/var/run/app.sock\", "
			"\"/srv/*/admin.sock\", \"@vault-*\"]}}");
	const struct vg_policy_entry *e = &p->def;

	ck_assert(vg_policy_socket_sensitive(e, "/var/run/app.sock"));
	ck_assert(vg_policy_socket_sensitive(e, "/run/app.sock"));
	ck_assert(vg_policy_socket_sensitive(e, "/srv/a/admin.sock"));
	ck_assert(vg_policy_socket_sensitive(e, "@vault-1"));
	ck_assert(!vg_policy_socket_sensitive(e, "vault-1"));
	ck_assert(!vg_policy_socket_sensitive(e, "/var/run/docker.sock"));
	vg_policy_free(p);
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("load");

	tcase_add_test(tc, builtin_is_the_hardened_default);
	tcase_add_test(tc, empty_object_is_the_builtin_policy);
	tcase_add_test(tc, default_block_overrides_builtin_per_key);
	tcase_add_test(tc, container_entry_inherits_default_and_lists_replace);
	tcase_add_test(tc, first_matching_entry_wins);
	tcase_add_test(tc, match_globs_on_every_field);
	tcase_add_test(tc, capability_spellings);
	tcase_add_test(tc, version_one_accepted);
	suite_add_tcase(s, tc);

	tc = tcase_create("matching");
	tcase_add_test(tc, egress_parse_forms);
	tcase_add_test(tc, egress_matching);
	tcase_add_test(tc, egress_ipv4_mapped);
	tcase_add_test(tc, writable_paths_are_prefixes_by_component);
	tcase_add_test(tc, common_writable_paths_for_the_kernel_filter);
	tcase_add_test(tc, sensitive_sockets_builtin);
	tcase_add_test(tc, sensitive_sockets_custom);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(policy_suite)
