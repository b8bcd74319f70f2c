"""Issues 13 and 14: io_uring, a way around system-call hooks. Requests reach files and
sockets with no openat, rename, connect or sendto system call (allowed wherever the runtime's
seccomp profile is off, the Kubernetes default): each is judged by the same rules as the
system call, from the kernel's own copies of its arguments, and io_uring in a container is
reported in itself. Only loopback addresses are used."""
import json
import os
import socket

from vigiltest import (WORK, Vigil, alerts, check, docker_run, ensure_docker, events,
                       loopback_listener, run_container)

UNCONFINED = ("--security-opt", "seccomp=unconfined")


def write_alerts(objs, cid):
    return {a["event"]["file"]["path"]: a for a in alerts(objs, "container_rootfs_write", cid)}


def test_io_uring_use_is_reported():
    """A container that makes an io_uring instance raises container_io_uring once; one that
    does not, nothing; allow_io_uring silences it."""
    policy = os.path.join(WORK, "uring-allow.json")
    with open(policy, "w") as f:
        json.dump({"version": 1, "default": {}, "containers": [
            {"match": {"name": "vt-uring-allowed"}, "allow_io_uring": True}]}, f)
    v = Vigil("--policy", policy)
    user = run_container("vt-uring-user", *UNCONFINED,
                         command="probe uring open /tmp/a; probe uring mkdir /tmp/d")
    plain = run_container("vt-uring-plain", *UNCONFINED, command="echo x > /tmp/a")
    allowed = run_container("vt-uring-allowed", *UNCONFINED, command="probe uring open /tmp/a")
    objs = v.stop()
    found = alerts(objs, "container_io_uring", user)
    check(len(found) == 1, "one container_io_uring for two rings", *alerts(objs, None, user))
    check(found[0]["event"]["io_uring"]["op"] == "create" and
          found[0]["severity"] == "medium", "the alert says what was made", found[0])
    check(not alerts(objs, "container_io_uring", plain), "no io_uring, no alert",
          *alerts(objs, None, plain))
    check(not alerts(objs, "container_io_uring", allowed), "allow_io_uring silences it",
          *alerts(objs, None, allowed))


def test_io_uring_file_requests_alert_on_their_real_paths():
    """IORING_OP_OPENAT (also through a symlink, and with IOSQE_CQE_SKIP_SUCCESS, which posts
    no completion), MKDIRAT, RENAMEAT into /etc, LINKAT of /etc/passwd, SYMLINKAT in /etc and
    UNLINKAT in /etc each raise container_rootfs_write on the path the kernel acted on, marked
    as io_uring's; the same requests in /tmp raise nothing."""
    v = Vigil()
    cid = run_container(
        "vt-uring-files", *UNCONFINED,
        command="ln -s /etc /tmp/e; probe uring open /tmp/e/u-open; "
                "probe uring open-skip /etc/u-skip; probe uring mkdir /etc/u-dir; "
                "echo x > /tmp/f; probe uring rename /tmp/f /etc/u-ren; "
                "probe uring link /etc/passwd /tmp/u-link; probe uring symlink x /etc/u-sym; "
                "probe uring unlink /etc/group")
    quiet = run_container(
        "vt-uring-quiet", *UNCONFINED,
        command="probe uring open /tmp/a && probe uring mkdir /tmp/d && "
                "probe uring rename /tmp/a /tmp/d/b && probe uring link /tmp/d/b /tmp/c && "
                "probe uring symlink /etc/passwd /tmp/s && probe uring unlink /tmp/c")
    objs = v.stop()
    found = write_alerts(objs, cid)
    # the link's new name is in /tmp: the alert is on the file it names, /etc/passwd
    for path, op in (("/etc/u-open", "open"), ("/etc/u-skip", "open"), ("/etc/u-dir", "mkdir"),
                     ("/tmp/f", "rename"), ("/etc/passwd", "link"), ("/etc/u-sym", "symlink"),
                     ("/etc/group", "unlink")):
        a = found.get(path) or next((x for x in found.values()
                                     if x["event"]["file"].get("op") == op), None)
        check(a is not None, "no alert for io_uring %s (%s)" % (op, path), *found.values())
        f = a["event"]["file"]
        check(f["op"] == op and f.get("via") == "io_uring",
              "io_uring %s reported as io_uring's" % op, a)
    check(found["/etc/u-open"]["event"]["file"]["path_passed"] == "/tmp/e/u-open",
          "the symlinked open resolved from the opened file", found["/etc/u-open"])
    ren = [a for a in found.values() if a["event"]["file"]["op"] == "rename"][0]
    check(ren["event"]["file"]["new_path"] == "/etc/u-ren", "rename's new name", ren)
    check(not alerts(objs, "container_rootfs_write", quiet), "io_uring in /tmp raises nothing",
          *alerts(objs, "container_rootfs_write", quiet))


def test_io_uring_sends_and_unix_connects():
    """UDP datagrams sent by IORING_OP_SEND (with an address) and IORING_OP_SENDMSG raise
    container_unexpected_egress with protocol udp, via io_uring; an IORING_OP_CONNECT to the
    real Docker socket mounted under another name raises container_sensitive_socket, judged
    by the socket reached."""
    ensure_docker()
    bound = [loopback_listener(socket.SOCK_DGRAM) for _ in range(2)]
    try:
        v = Vigil()
        sends = run_container("vt-uring-udp", "--user", "1000", "--network", "host",
                              *UNCONFINED,
                              command="probe uring sendto 127.0.0.1 %d && "
                              "probe uring sendmsg 127.0.0.1 %d" % (bound[0][1], bound[1][1]))
        sock = docker_run("vt-uring-sock", *UNCONFINED, "-v",
                          "/var/run/docker.sock:/tmp/app.sock",
                          command="probe uring connect-unix /tmp/app.sock")
        objs = v.stop()
    finally:
        for s, _ in bound:
            s.close()
    for _, port in bound:
        mine = [a for a in alerts(objs, "container_unexpected_egress", sends)
                if a["event"]["connect"].get("port") == port]
        check(mine, "no egress alert for an io_uring UDP send to %d" % port,
              *alerts(objs, None, sends))
        conn = mine[0]["event"]["connect"]
        check(conn["protocol"] == "udp" and conn["via"] == "io_uring" and
              conn["address"] == "127.0.0.1", "io_uring UDP send reported as such", mine[0])
    found = [a for a in alerts(objs, "container_sensitive_socket", sock) if a.get("event")]
    check(found, "no sensitive-socket alert for an io_uring connect to the docker socket",
          *alerts(objs, None, sock))
    conn = found[0]["event"]["connect"]
    check(conn["via"] == "io_uring" and conn["runtime_socket"] is True and
          conn["path"] == "/tmp/app.sock", "judged by the socket reached", found[0])


def test_io_uring_sends_on_a_registered_file_are_egress():
    """A UDP socket registered with the ring (IORING_REGISTER_FILES) is named in the request by
    its slot, not by an fd: datagrams sent through it with IORING_OP_SEND and IORING_OP_SENDMSG
    still raise container_unexpected_egress (via io_uring, to the kernel's copy of the address),
    with no protocol, since no fd names the socket's kind."""
    bound = [loopback_listener(socket.SOCK_DGRAM) for _ in range(2)]
    try:
        v = Vigil()
        cid = run_container("vt-uring-fixed", "--user", "1000", "--network", "host",
                            *UNCONFINED,
                            command="probe uring sendto-fixed 127.0.0.1 %d && "
                            "probe uring sendmsg-fixed 127.0.0.1 %d" % (bound[0][1], bound[1][1]))
        objs = v.stop()
    finally:
        for s, _ in bound:
            s.close()
    for _, port in bound:
        mine = [a for a in alerts(objs, "container_unexpected_egress", cid)
                if a["event"]["connect"].get("port") == port]
        check(mine, "no egress alert for an io_uring send on a registered file to %d" % port,
              *alerts(objs, None, cid))
        conn = mine[0]["event"]["connect"]
        check(conn["via"] == "io_uring" and conn["address"] == "127.0.0.1" and
              "protocol" not in conn and mine[0]["key"] == "127.0.0.1:%d" % port,
              "reported via io_uring, its kind unknown", mine[0])
