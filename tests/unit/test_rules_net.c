// SPDX-License-Identifier: GPL-2.0
/*
 * container_sensitive_socket, container_unexpected_egress and container_mount: each fires on
 * what it guards, by the socket's identity and the destination's protocol and path, and stays
 * quiet on what the policy allows.
 */
#include "rules_fixtures.h"

/* ---- container_sensitive_socket ---- */

START_TEST(sensitive_socket_fires_on_any_attempt)
{
	/* Proves a connect to a runtime socket is critical whether or not it succeeded. */
	const struct vg_alert *a =
		one(eval(builtin, unix_event("/var/run/docker.sock", false, 0), &sh, &web),
		    "container_sensitive_socket", VG_SEV_CRITICAL, "/var/run/docker.sock");

	mitre_is(a, "T1611", "T1609", "T1552.007");
	says(a, "process /bin/sh (pid 4121) connected to the sensitive socket /var/run/docker.sock "
		"in container web (localhost/app:1)");
	a = one(eval(builtin, unix_event("/run/containerd/containerd.sock", false, -ECONNREFUSED),
		     &sh, &web),
		"container_sensitive_socket", VG_SEV_CRITICAL, "/run/containerd/containerd.sock");
	says(a, "tried to connect to the sensitive socket");
	one(eval(builtin, unix_event("/run/podman/podman.sock", false, -EACCES), &sh, &web),
	    "container_sensitive_socket", VG_SEV_CRITICAL, "/run/podman/podman.sock");
}
END_TEST

START_TEST(sensitive_socket_abstract)
{
	/* Proves abstract sockets match as "@name", whether the record carries the '@' or not. */
	one(eval(builtin, unix_event("/containerd-shim/moby/abc/shim.sock", true, 0), &sh, &web),
	    "container_sensitive_socket", VG_SEV_CRITICAL, "@/containerd-shim/moby/abc/shim.sock");
	one(eval(builtin, unix_event("@/containerd-shim/k8s.sock", true, 0), &sh, &web),
	    "container_sensitive_socket", VG_SEV_CRITICAL, "@/containerd-shim/k8s.sock");
	/* the same name as a filesystem path is something else */
	ck_assert_int_eq(eval(builtin, unix_event("/containerd-shim/moby/abc/shim.sock", false, 0),
			      &sh, &web),
			 0);
}
END_TEST

START_TEST(sensitive_socket_quiet_cases)
{
	/* Proves ordinary sockets raise nothing (unix connects never count as egress), and a
	 * policy's own list replaces the built-in one. */
	struct vg_policy *p =
		policy("{\"default\": {\"sensitive_sockets\": [\"/run/vault.sock\"]}}");

	ck_assert_int_eq(
		eval(builtin, unix_event("/run/dbus/system_bus_socket", false, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(builtin, unix_event("", false, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(p, unix_event("/var/run/docker.sock", false, 0), &sh, &web), 0);
	one(eval(p, unix_event("/run/vault.sock", false, 0), &sh, &web),
	    "container_sensitive_socket", VG_SEV_CRITICAL, "/run/vault.sock");
	vg_policy_free(p);
}
END_TEST

/* ---- container_unexpected_egress ---- */

START_TEST(sensitive_socket_by_identity)
{
	/* Proves a unix connect is judged by the socket file its peer is bound to: a harmless
	 * path that reached the host's docker socket (by inode and device) alerts critical,
	 * keyed and named by the socket reached; the kernel's flag alone (a capture read away
	 * from its host) alerts too; a peer that is no runtime socket stays quiet; an entry
	 * that lists no sensitive sockets keeps it quiet. */
	struct vg_sock_identity id = {.ino = 777, .dev = 254u << 20, .path = "/run/docker.sock",
				      .runtime = true};
	struct vigil_connect *c;
	struct vg_policy *none = policy("{\"default\": {\"sensitive_sockets\": []}}");
	const struct vg_alert *a;

	builtin->sockets.ids = &id;
	builtin->sockets.n = 1;
	unix_event("/tmp/app.sock", false, 0);
	c = (struct vigil_connect *)record;
	c->connect_flags |= VIGIL_CONNECT_PEER;
	c->peer.ino = 777;
	c->peer.dev = 254u << 20;
	a = one(eval(builtin, &ev, &sh, &web), "container_sensitive_socket", VG_SEV_CRITICAL,
		"/run/docker.sock");
	says(a, "connected to /tmp/app.sock, which is the runtime socket /run/docker.sock "
		"(inode 777)");
	none->sockets = builtin->sockets;
	ck_assert_int_eq(eval(none, &ev, &sh, &web), 0);
	none->sockets = (struct vg_sockids){};
	vg_policy_free(none);
	c->peer.ino = 778;
	ck_assert_int_eq(eval(builtin, &ev, &sh, &web), 0);
	builtin->sockets = (struct vg_sockids){};
	c->connect_flags |= VIGIL_CONNECT_RUNTIME_SOCKET;
	a = one(eval(builtin, &ev, &sh, &web), "container_sensitive_socket", VG_SEV_CRITICAL,
		"/tmp/app.sock");
	says(a, "which the kernel knew as a runtime socket (inode 778)");
}
END_TEST

START_TEST(packet_frames_alert_unless_raw_networking_allowed)
{
	/* Proves a frame sent on a packet socket alerts high, keyed by interface and ethertype,
	 * and stays quiet where the policy grants CAP_NET_RAW (raw networking allowed). */
	struct vg_policy *p = policy("{\"default\": {\"allowed_capabilities\": [\"CAP_NET_RAW\"]}}");
	struct vigil_connect *c = begin(VIGIL_EVENT_CONNECT, sizeof(*c));
	const struct vg_alert *a;
	__u32 ifindex = 2;

	c->family = VIGIL_AF_PACKET;
	c->port = 0x0800;
	c->protocol = VIGIL_PROTO_PACKET;
	c->via = VIGIL_VIA_SENDTO;
	memcpy(c->addr, &ifindex, sizeof(ifindex));
	a = one(eval(builtin, &ev, &sh, &web), "container_unexpected_egress", VG_SEV_HIGH,
		"packet if2/0x0800");
	says(a, "interface 2, ethertype 0x0800");
	ck_assert_int_eq(eval(p, &ev, &sh, &web), 0);
	vg_policy_free(p);
}
END_TEST

START_TEST(raw_header_alerts_unless_raw_networking_allowed)
{
	/* Proves a raw socket writing its own IP header alerts high even towards an address the
	 * policy allows (the header, not the address, says where the packet goes), keyed apart
	 * from the address's own egress, and stays quiet where the policy grants CAP_NET_RAW;
	 * the same raw send without the header flag is judged by allowed_egress. */
	struct vg_policy *allow = policy("{\"default\": {\"allowed_egress\": [\"10.0.0.53/32:0\"]}}");
	struct vg_policy *raw = policy("{\"default\": {\"allowed_egress\": [\"10.0.0.53/32:0\"], "
				       "\"allowed_capabilities\": [\"CAP_NET_RAW\"]}}");
	struct vigil_connect *c = begin(VIGIL_EVENT_CONNECT, sizeof(*c));
	const struct vg_alert *a;
	const __u8 dns[4] = {10, 0, 0, 53};

	c->family = VIGIL_AF_INET;
	c->port = 0;
	c->protocol = VIGIL_PROTO_RAW;
	c->via = VIGIL_VIA_SENDTO;
	c->connect_flags = VIGIL_CONNECT_BEFORE_CALL | VIGIL_CONNECT_HDRINCL;
	memcpy(c->addr, dns, sizeof(dns));
	a = one(eval(allow, &ev, &sh, &web), "container_unexpected_egress", VG_SEV_HIGH,
		"10.0.0.53/raw-header");
	says(a, "sent raw IP packets with a header of its own (IP_HDRINCL) by way of 10.0.0.53");
	ck_assert_int_eq(eval(raw, &ev, &sh, &web), 0);
	c->connect_flags = VIGIL_CONNECT_BEFORE_CALL;
	ck_assert_int_eq(eval(allow, &ev, &sh, &web), 0);
	vg_policy_free(allow);
	vg_policy_free(raw);
}
END_TEST

START_TEST(egress_udp_and_via)
{
	/* Proves a datagram sent with an address is judged like a connect: alerts with a key
	 * of "addr:port/udp" and the way it was sent, the IPv4-mapped form of an allowed IPv4
	 * destination stays silent over UDP too, and tcp keeps the plain key. */
	struct vg_policy *p = policy("{\"default\": {\"allowed_egress\": [\"127.0.0.1/32:53\"]}}");
	struct vigil_connect *c;
	const struct vg_alert *a;

	inet_event(AF_INET, "127.0.0.1", 5353, 0);
	c = (struct vigil_connect *)record;
	c->protocol = VIGIL_PROTO_UDP;
	c->via = VIGIL_VIA_SENDMMSG;
	c->connect_flags = VIGIL_CONNECT_BEFORE_CALL;
	a = one(eval(p, &ev, &sh, &web), "container_unexpected_egress", VG_SEV_MEDIUM,
		"127.0.0.1:5353/udp");
	says(a, "sent to 127.0.0.1:5353/udp (via sendmmsg)");
	inet_event(AF_INET6, "::ffff:127.0.0.1", 53, 0);
	c->protocol = VIGIL_PROTO_UDP;
	c->via = VIGIL_VIA_SENDTO;
	ck_assert_int_eq(eval(p, &ev, &sh, &web), 0);
	inet_event(AF_INET, "127.0.0.1", 8080, -EINPROGRESS);
	c->protocol = VIGIL_PROTO_TCP;
	c->via = VIGIL_VIA_IO_URING;
	a = one(eval(p, &ev, &sh, &web), "container_unexpected_egress", VG_SEV_MEDIUM,
		"127.0.0.1:8080");
	says(a, "connected to 127.0.0.1:8080 (via io_uring)");
	vg_policy_free(p);
}
END_TEST

START_TEST(egress_fires)
{
	/* Proves a connect outside allowed_egress alerts medium, IPv4 and IPv6, attempts too,
	 * with a key of "addr:port" ("[addr]:port" for IPv6) and the entry that would allow it. */
	const struct vg_alert *a =
		one(eval(builtin, inet_event(AF_INET, "93.184.216.34", 443, 0), &sh, &web),
		    "container_unexpected_egress", VG_SEV_MEDIUM, "93.184.216.34:443");

	mitre_is(a, "T1041", "T1071", NULL);
	says(a, "process /bin/sh (pid 4121) connected to 93.184.216.34:443 from container web "
		"(localhost/app:1)");
	says(a, "add \"93.184.216.34/32:443\" to allowed_egress");
	a = one(eval(builtin, inet_event(AF_INET6, "2001:db8::1", 8443, -EINPROGRESS), &sh, &web),
		"container_unexpected_egress", VG_SEV_MEDIUM, "[2001:db8::1]:8443");
	says(a, "connected to [2001:db8::1]:8443");
	says(a, "\"2001:db8::1/128:8443\"");
	a = one(eval(builtin, inet_event(AF_INET, "10.0.0.9", 5432, -ECONNREFUSED), &sh, &web),
		"container_unexpected_egress", VG_SEV_MEDIUM, "10.0.0.9:5432");
	says(a, "tried to connect to 10.0.0.9:5432");
}
END_TEST

START_TEST(egress_allowed_by_policy)
{
	/* Proves destinations the entry allows raise nothing, IPv4-mapped ones included, while
	 * the wrong port or network still alerts. */
	struct vg_policy *p = policy("{\"default\": {\"allowed_egress\": [\"10.0.0.0/8:5432\", "
				     "\"::/0:443\", \"0.0.0.0/0:443\"]}}");

	ck_assert_int_eq(eval(p, inet_event(AF_INET, "10.3.2.1", 5432, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(p, inet_event(AF_INET, "93.184.216.34", 443, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(p, inet_event(AF_INET6, "2606:2800::1", 443, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(p, inet_event(AF_INET6, "::ffff:10.3.2.1", 5432, 0), &sh, &web), 0);
	one(eval(p, inet_event(AF_INET, "10.3.2.1", 5433, 0), &sh, &web),
	    "container_unexpected_egress", VG_SEV_MEDIUM, "10.3.2.1:5433");
	one(eval(p, inet_event(AF_INET6, "::ffff:11.3.2.1", 5432, 0), &sh, &web),
	    "container_unexpected_egress", VG_SEV_MEDIUM, "[::ffff:11.3.2.1]:5432");
	vg_policy_free(p);
}
END_TEST

/* ---- container_mount ---- */

START_TEST(mount_fires_on_any_attempt)
{
	/* Proves every mount-family call alerts high, failed ones too, keyed by target, else
	 * source, else the call's name. */
	const struct vg_alert *a =
		one(eval(builtin, mount_event(VIGIL_SYS_MOUNT, 0, "/dev/sda1", "/mnt", "ext4"), &sh,
			 &web),
		    "container_mount", VG_SEV_HIGH, "/mnt");

	mitre_is(a, "T1611", NULL, NULL);
	says(a, "process /bin/sh (pid 4121) called mount (source /dev/sda1, target /mnt, fstype "
		"ext4) in container web (localhost/app:1); policy forbids mounts (allow_mount "
		"false)");
	a = one(eval(builtin, mount_event(VIGIL_SYS_MOUNT, -EPERM, "proc", "/proc2", "proc"), &sh,
		     &web),
		"container_mount", VG_SEV_HIGH, "/proc2");
	says(a, "which failed");
	one(eval(builtin, mount_event(VIGIL_SYS_OPEN_TREE, 3, "/", "", ""), &sh, &web),
	    "container_mount", VG_SEV_HIGH, "/");
	one(eval(builtin, mount_event(VIGIL_SYS_FSMOUNT, 3, "", "", ""), &sh, &web),
	    "container_mount", VG_SEV_HIGH, "fsmount");
}
END_TEST

START_TEST(mount_allowed_by_policy)
{
	/* Proves allow_mount true silences the rule. */
	struct vg_policy *p = policy("{\"default\": {\"allow_mount\": true}}");

	ck_assert_int_eq(
		eval(p, mount_event(VIGIL_SYS_MOUNT, 0, "tmpfs", "/mnt", "tmpfs"), &sh, &web), 0);
	vg_policy_free(p);
}
END_TEST

START_TEST(quiet_event_types)
{
	/* Proves fork and exit events raise nothing whatever the policy. */
	struct vigil_fork *f = begin(VIGIL_EVENT_FORK, sizeof(*f));

	f->child_pid = 5000;
	ck_assert_int_eq(eval(builtin, &ev, &sh, &web), 0);
	begin(VIGIL_EVENT_EXIT, sizeof(struct vigil_exit));
	ck_assert_int_eq(eval(builtin, &ev, &sh, &web), 0);
}
END_TEST

static Suite *rules_net_suite(void)
{
	Suite *s = suite_create("rules_net");
	TCase *tc = tcase_create("rules");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, sensitive_socket_fires_on_any_attempt);
	tcase_add_test(tc, sensitive_socket_abstract);
	tcase_add_test(tc, sensitive_socket_quiet_cases);
	tcase_add_test(tc, egress_fires);
	tcase_add_test(tc, egress_udp_and_via);
	tcase_add_test(tc, packet_frames_alert_unless_raw_networking_allowed);
	tcase_add_test(tc, raw_header_alerts_unless_raw_networking_allowed);
	tcase_add_test(tc, sensitive_socket_by_identity);
	tcase_add_test(tc, egress_allowed_by_policy);
	tcase_add_test(tc, mount_fires_on_any_attempt);
	tcase_add_test(tc, mount_allowed_by_policy);
	tcase_add_test(tc, quiet_event_types);
	suite_add_tcase(s, tc);

	tc = tcase_create("dedup");
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(rules_net_suite)
