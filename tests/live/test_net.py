"""Issue 14: sockets judged by identity, egress by the packet's real destination.

The host's real Docker socket reached from a container under any name (another mount path, a
symlink, a mounted parent directory; as root and non-root) raises container_sensitive_socket,
judged by the socket file the kernel connected to; an ordinary unix socket raises nothing.
UDP datagrams sent with sendto, sendmsg, sendmmsg and over a connected UDP socket, and a TCP
connect made by io_uring alone, raise container_unexpected_egress with their protocol and
way; an allowed destination stays silent. A raw socket writing its own IP header alerts
whatever address it names. Repeated datagrams are counted exactly, judged by the
socket the kernel holds, and judged anew after a policy reload. Only loopback addresses are
used."""
import json
import os
import socket

from vigiltest import (VIGIL, WORK, Vigil, across_a_reload, alerts, check, docker_run,
                       ensure_docker, events, loopback_listener, run_container, sh,
                       unix_listener)


def connect_alerts(objs, cid):
    """The sensitive-socket alerts raised by a connect (not by the container's mounts)."""
    return [a for a in alerts(objs, "container_sensitive_socket", cid) if a.get("event")]


def test_docker_socket_reached_under_any_name():
    ensure_docker()
    docker_gid = sh("getent", "group", "docker", check_rc=False).stdout.split(":")
    groups = ["--group-add", docker_gid[2]] if len(docker_gid) > 2 else []
    server, plain = unix_listener("app.sock")
    try:
        v = Vigil()
        other_path = docker_run("vt-net-other", "-v", "/var/run/docker.sock:/tmp/app.sock",
                                command="probe connect-unix /tmp/app.sock")
        symlink = docker_run("vt-net-link", "-v", "/var/run/docker.sock:/tmp/app.sock",
                             command="ln -s /tmp/app.sock /tmp/link && "
                             "probe connect-unix /tmp/link")
        parent = docker_run("vt-net-parent", "-v", "/var/run:/hostrun",
                            command="probe connect-unix /hostrun/docker.sock")
        nonroot = docker_run("vt-net-user", "--user", "1000:1000", *groups,
                             "-v", "/var/run/docker.sock:/tmp/app.sock",
                             command="probe connect-unix /tmp/app.sock")
        ordinary = docker_run("vt-net-plain", "--user", "1000:1000", "-v",
                              "%s:/tmp/app.sock" % plain,
                              command="probe connect-unix /tmp/app.sock")
        objs = v.stop()
    finally:
        server.close()
    for cid, name, path in ((other_path, "another path", "/tmp/app.sock"),
                            (symlink, "a symlink", "/tmp/link"),
                            (parent, "a mounted parent directory", "/hostrun/docker.sock"),
                            (nonroot, "a non-root user", "/tmp/app.sock")):
        found = connect_alerts(objs, cid)
        check(found, "no container_sensitive_socket for the docker socket under " + name,
              *alerts(objs))
        a = found[0]
        conn = a["event"]["connect"]
        check(a["severity"] == "critical" and conn["path"] == path and
              conn["runtime_socket"] is True and conn["protocol"] == "unix" and
              "docker.sock" in a["message"] and "docker.sock" in a["key"],
              "the alert names the socket reached (%s)" % name, a)
        # the container merely having it mounted is a finding of its own
        start = [a for a in alerts(objs, "container_sensitive_socket", cid)
                 if not a.get("event")]
        check(start and start[0]["container"]["id"] == cid, "mount finding for " + name,
              *alerts(objs, None, cid))
    check(not alerts(objs, "container_sensitive_socket", ordinary),
          "an ordinary unix socket is not sensitive", *alerts(objs, None, ordinary))
    check(not alerts(objs, "container_sensitive_socket", parent) or
          all("/hostrun" in a["message"] for a in alerts(objs, "container_sensitive_socket",
                                                                 parent)),
          "the parent-directory finding names the path inside", *alerts(objs, None, parent))


# The connect and send hooks read the socket through bpf_rdonly_cast where the kernel allows it
# (this one), else with probe reads: what depends on the socket is proven both ways.
PROBE_READS = {"VIGIL_SOCKET_CAST": "0"}


def test_sockets_read_through_bpf_rdonly_cast_here():
    """This kernel (6.2+) lets the connect and send hooks read sockets through
    bpf_rdonly_cast, and `vigil version` says so; VIGIL_SOCKET_CAST=0 keeps the probe reads."""
    ver = sh(VIGIL, "version").stdout
    check("socket reads (connect, send): through bpf_rdonly_cast" in ver, "cast chosen here",
          ver)
    ver = sh(VIGIL, "version", env=dict(os.environ, **PROBE_READS)).stdout
    check("socket reads (connect, send): with probe reads" in ver, "probe reads when asked",
          ver)


def test_udp_sends_are_egress():
    udp_sends_are_egress(None)


def test_udp_sends_are_egress_with_probe_reads():
    udp_sends_are_egress(PROBE_READS)


def udp_sends_are_egress(env):
    bound = [loopback_listener(socket.SOCK_DGRAM) for _ in range(5)]
    socks = [s for s, _ in bound]
    ports = [p for _, p in bound]
    allowed = ports[4]
    policy = os.path.join(WORK, "net-policy.json")
    with open(policy, "w") as f:
        json.dump({"version": 1,
                   "default": {"allowed_egress": ["127.0.0.1/32:%d" % allowed]}}, f)
    try:
        v = Vigil("--events", "--policy", policy, env=env)
        cids = {}
        for how, port in (("sendto", ports[0]), ("sendmsg", ports[1]), ("sendmmsg", ports[2]),
                          ("connect", ports[3])):
            cids[how] = run_container("vt-net-udp-" + how, "--user", "1000", "--network",
                                      "host", command="probe udp %s 127.0.0.1 %d" % (how, port))
        quiet = run_container("vt-net-udp-ok", "--user", "1000", "--network", "host",
                              command="probe udp sendto 127.0.0.1 %d && "
                              "probe udp sendto ::ffff:127.0.0.1 %d" % (allowed, allowed))
        objs = v.stop()
    finally:
        for s in socks:
            s.close()
    for (how, port), via in zip((("sendto", ports[0]), ("sendmsg", ports[1]),
                                 ("sendmmsg", ports[2]), ("connect", ports[3])),
                                ("sendto", "sendmsg", "sendmmsg", "connect")):
        found = alerts(objs, "container_unexpected_egress", cids[how])
        mine = [a for a in found if a["event"]["connect"].get("port") == port]
        check(mine, "no egress alert for UDP %s to port %d" % (how, port), *found)
        conn = mine[0]["event"]["connect"]
        check(conn["protocol"] == "udp" and conn["via"] == via and
              conn["address"] == "127.0.0.1" and mine[0]["key"].endswith("/udp"),
              "UDP %s reported as such" % how, mine[0])
    # sendmmsg: each message's destination, the second one too
    check(any(a["event"]["connect"].get("port") == ports[2] + 1
              for a in alerts(objs, "container_unexpected_egress", cids["sendmmsg"])),
          "sendmmsg's second destination", *alerts(objs, None, cids["sendmmsg"]))
    seen = [e["connect"] for e in events(objs, "connect", quiet)
            if e["connect"].get("port") == allowed]
    check({c["address"] for c in seen} >= {"127.0.0.1", "::ffff:127.0.0.1"} and
          all(c["protocol"] == "udp" for c in seen),
          "the allowed sends were seen (IPv4 and IPv4-mapped)", *events(objs, "connect", quiet))
    check(not alerts(objs, "container_unexpected_egress", quiet),
          "an allowed destination stays silent", *alerts(objs, None, quiet))


def test_sendmmsg_new_destination_after_many_known_ones():
    """sendmmsg with twelve messages, eleven to an allowed port and the last to another:
    the last one's destination raises container_unexpected_egress."""
    bound = [loopback_listener(socket.SOCK_DGRAM)]
    allowed = bound[0][1]
    policy = os.path.join(WORK, "net-mmsg-policy.json")
    with open(policy, "w") as f:
        json.dump({"version": 1,
                   "default": {"allowed_egress": ["127.0.0.1/32:%d" % allowed]}}, f)
    try:
        v = Vigil("--policy", policy)
        cid = run_container("vt-net-mmsg", "--user", "1000", "--network", "host",
                            command="probe udp sendmmsg12 127.0.0.1 %d" % allowed)
        objs = v.stop()
    finally:
        for s, _ in bound:
            s.close()
    found = alerts(objs, "container_unexpected_egress", cid)
    check([a["event"]["connect"]["port"] for a in found] == [allowed + 1],
          "only the twelfth message's destination alerts", *found)
    check(found[0]["event"]["connect"]["via"] == "sendmmsg", "via sendmmsg", found[0])


def test_io_uring_connect_is_egress():
    server, port = loopback_listener()
    try:
        v = Vigil()
        cid = run_container("vt-net-uring", "--user", "1000", "--network", "host",
                            "--security-opt", "seccomp=unconfined",
                            command="probe uring connect 127.0.0.1 %d" % port)
        objs = v.stop()
    finally:
        server.close()
    found = [a for a in alerts(objs, "container_unexpected_egress", cid)
             if a["event"]["connect"].get("port") == port]
    check(found, "no egress alert for an io_uring connect", *alerts(objs))
    conn = found[0]["event"]["connect"]
    check(conn["via"] == "io_uring" and conn["protocol"] == "tcp" and
          conn["address"] == "127.0.0.1", "io_uring connect reported as such", found[0])


def test_raw_and_packet_sockets_are_reported_as_such():
    """Inside the container's own network namespace (--network none: its loopback only)."""
    v = Vigil()
    cid = run_container("vt-net-raw", "--network", "none", "--cap-add", "NET_RAW",
                        command="probe raw 127.0.0.1 && probe packet 1")
    objs = v.stop()
    found = alerts(objs, "container_unexpected_egress", cid)
    raw = [a for a in found if a["event"]["connect"].get("protocol") == "raw"]
    check(raw and raw[0]["event"]["connect"]["address"] == "127.0.0.1" and
          raw[0]["key"].endswith("/raw") and raw[0]["event"]["connect"]["via"] == "sendto",
          "a raw-socket datagram is egress, reported as raw", *found)
    packet = [a for a in found if a["event"]["connect"].get("family") == "packet"]
    check(packet and packet[0]["severity"] == "high" and
          packet[0]["event"]["connect"]["protocol"] == "packet" and
          packet[0]["event"]["connect"]["ifindex"] == 1 and
          packet[0]["event"]["connect"]["ethertype"] == 0x0800,
          "a packet-socket frame is reported with its interface", *found)


def test_raw_packets_with_their_own_header_alert_even_to_an_allowed_address():
    """A raw socket's packets go where the IP header it writes says (IP_HDRINCL, or
    IPPROTO_RAW, which implies it), whatever address the call names. With every loopback
    address allowed, a raw send without IP_HDRINCL raises nothing; the same socket after
    setsockopt(IP_HDRINCL) to the same address, and an IPPROTO_RAW socket, each raise
    container_unexpected_egress (high, keyed "ADDR/raw-header", the event marked hdrincl).
    Alerts only: the kernel keeps a socket that turns the header on apart from its earlier
    sends to the same place (inside the container's own network namespace)."""
    policy = os.path.join(WORK, "net-raw-header.json")
    with open(policy, "w") as f:
        json.dump({"version": 1, "default": {"allow_root": True,
                                             "allowed_egress": ["127.0.0.0/8:0"]}}, f)
    v = Vigil("--policy", policy)
    cid = run_container("vt-net-rawhdr", "--network", "none", "--cap-add", "NET_RAW",
                        command="probe raw-header 127.0.0.1 127.0.0.2")
    objs = v.stop()
    found = alerts(objs, "container_unexpected_egress", cid)
    check(sorted(a["key"] for a in found) == ["127.0.0.1/raw-header", "127.0.0.2/raw-header"],
          "one alert per header-writing send, none for the plain raw send", *found)
    for a in found:
        conn = a["event"]["connect"]
        check(a["severity"] == "high" and conn["hdrincl"] is True and
              conn["protocol"] == "raw" and "IP_HDRINCL" in a["message"],
              "reported as a raw send with its own header", a)


def test_datagram_repeats_counted_exactly_and_judged_by_the_socket():
    datagram_repeats_counted_exactly(None)


def test_datagram_repeats_counted_exactly_with_probe_reads():
    datagram_repeats_counted_exactly(PROBE_READS)


def datagram_repeats_counted_exactly(env):
    """Alerts only: 1000 datagrams to one place from one UDP socket alert once and are counted
    as 999 repeats, exactly (the per-CPU send slot's counts reach the agent). A raw socket that
    takes the UDP socket's place, on the same fd number (closed and reopened, where the kernel
    may reuse the very objects, or put there by dup2), sending to the same address, is
    reported as raw: a repeat is judged by the socket the kernel holds, not by the fd."""
    n = 1000
    v = Vigil(env=env)
    cid = run_container("vt-net-repeat", "--network", "none", "--cap-add", "NET_RAW",
                        command="probe udp-repeat 127.0.0.1 4000 %d" % n)
    objs = v.stop()
    found = alerts(objs, "container_unexpected_egress", cid)
    keys = sorted(a["key"] for a in found)
    check(keys == ["127.0.0.1:4000/raw", "127.0.0.1:4000/udp", "127.0.0.1:4001/raw",
                   "127.0.0.1:4001/udp"],
          "one alert per destination and socket kind, the raw ones included", *found)
    reps = [o for o in objs if o.get("kind") == "repeat" and o["container_id"] == cid and
            o["rule"] == "container_unexpected_egress"]
    check(sum(r["count"] for r in reps) == 2 * (n - 1),
          "every repeated datagram counted (%d)" % sum(r["count"] for r in reps), *reps)


def test_datagrams_judged_anew_after_a_policy_reload():
    """Alerts only: datagrams to a place the policy allows raise nothing; after a reload that
    no longer allows it, the next ones alert, though the kernel had been counting them as
    repeats of an allowed destination."""
    objs, cid = across_a_reload(
        "vt-net-reload", "--network", "none", command="probe udp-loop 127.0.0.1 4100 3000 5",
        policy=os.path.join(WORK, "net-reload.json"),
        first={"version": 1, "default": {"allow_root": True,
                                         "allowed_egress": ["127.0.0.1/32:4100"]}},
        second={"version": 1, "default": {"allow_root": True,
                                          "allowed_egress": ["127.0.0.1/32:53"]}})
    found = alerts(objs, "container_unexpected_egress", cid)
    check([a["key"] for a in found] == ["127.0.0.1:4100/udp"],
          "the destination no longer allowed alerts after the reload", *found)
