"""Issue 2: the live pipeline. One of each behaviour inside a real container, asserted with
its fields; host activity absent without --host; errors that name their cause."""
import os
import socket
import subprocess
import tempfile

from vigiltest import (Failure, Vigil, VIGIL, WORK, alerts, args_of, check, events, exe_of,
                       run_container, sh)


def test_exec_of_entrypoint_is_seen_with_vpid_1_and_full_container():
    v = Vigil("--events")
    cid = run_container("vt-exec", command="exec /bin/cat /etc/hostname")
    objs = v.stop()
    execs = [e for e in events(objs, "exec", cid) if not e.get("runtime_setup")]
    check(execs, "no exec event for container %s" % cid, *objs[-20:])
    first = execs[0]
    check(first["process"]["vpid"] == 1, "the entrypoint must be vpid 1", first)
    check(args_of(first) == ["sh", "-c", "exec /bin/cat /etc/hostname"],
          "entrypoint argv as executed", first)
    check(first["container"]["runtime"] == "podman" and len(first["container"]["id"]) == 64,
          "container id and runtime", first)
    check(first["container"].get("name") == "vt-exec", "container name", first)
    # exe is the file the kernel ran (busybox); the path given to execve is kept beside it
    cat = [e for e in execs if e["exec"].get("execve_path") == "/bin/cat"]
    check(cat and cat[0]["process"]["vpid"] == 1, "exec replaces the entrypoint: cat is vpid 1",
          *execs)
    check(first["cgroup_id"] > 0 and first["process"]["uid"] == 0, "cgroup id and uid", first)


def test_setuid_family_reports_new_ids_and_result():
    v = Vigil("--events")
    cid = run_container("vt-setuid",
                        command="su app -c true")
    objs = v.stop()
    uids = [e for e in events(objs, "setuid", cid) if e["setuid"]["ret"] == 0]
    check(any(e["setuid"]["uid"] == 1000 and e["setuid"]["euid"] == 1000 for e in uids),
          "a successful setuid-family call to uid 1000", *events(objs, "setuid", cid))
    gids = [e for e in events(objs, "setgid", cid) if e["setgid"]["ret"] == 0]
    check(any(e["setgid"]["gid"] == 1000 for e in gids), "a setgid-family call to gid 1000",
          *events(objs, "setgid", cid))
    check(all(e["setuid"]["syscall"].startswith("set") for e in uids), "syscall named", *uids)


def test_failed_setid_shows_no_change():
    v = Vigil("--events")
    # root without CAP_SETUID: su's setuid to the app user is refused
    cid = run_container("vt-setuid-fail", "--cap-drop", "SETUID",
                        command="su app -c true; true")
    objs = v.stop()
    calls = events(objs, "setuid", cid) + events(objs, "setgid", cid)
    failed = [e for e in calls if e[e["type"]]["ret"] != 0]
    check(failed, "the refused call is reported with its error", *calls)
    for e in failed:
        ids = e[e["type"]]
        check(ids.get("uid", ids.get("gid")) == -1 and ids.get("euid", ids.get("egid")) == -1,
              "a failed call changes nothing (-1)", e)
        check(e["process"]["uid"] == 0, "still uid 0", e)


def test_capability_check_granted_and_audited():
    v = Vigil("--events")
    cid = run_container("vt-cap", command="touch /tmp/f && chown 1000 /tmp/f")
    objs = v.stop()
    caps = [e for e in events(objs, "capable", cid)
            if e["capability"]["name"] == "CAP_CHOWN" and not e.get("runtime_setup")]
    check(caps, "CAP_CHOWN check of chown", *events(objs, "capable", cid))
    check(caps[0]["capability"]["number"] == 0 and caps[0]["capability"]["granted"] and
          caps[0]["capability"]["audited"], "granted, audited, number 0", caps[0])


def test_memory_accounting_checks_are_not_capability_use():
    # Every mmap/brk/exec of a container holding CAP_SYS_ADMIN passes a granted CAP_SYS_ADMIN
    # check (security_vm_enough_memory): noise, never an event; the mount it does is a use.
    v = Vigil("--events")
    cid = run_container("vt-cap-mem", "--cap-add", "SYS_ADMIN",
                        command="i=0; while [ $i -lt 20 ]; do /bin/true; i=$((i+1)); done; "
                                "mount -t tmpfs none /mnt")
    objs = v.stop()
    admin = [e for e in events(objs, "capable", cid)
             if e["capability"]["name"] == "CAP_SYS_ADMIN" and not e.get("runtime_setup")]
    check(len(admin) == 1 and admin[0]["process"]["args"][0] == "mount" and
          admin[0]["capability"]["audited"], "one CAP_SYS_ADMIN event, the mount's", *admin)


def test_mount_inside_container():
    v = Vigil("--events")
    cid = run_container("vt-mount", "--cap-add", "SYS_ADMIN",
                        command="mount -t tmpfs vigil-src /mnt && umount /mnt")
    objs = v.stop()
    mounts = [e for e in events(objs, "mount", cid) if not e.get("runtime_setup")]
    check(any(m["mount"]["target"] == "/mnt" and m["mount"]["fstype"] == "tmpfs" and
              m["mount"]["source"] == "vigil-src" and m["mount"]["ret"] == 0 for m in mounts),
          "mount of tmpfs on /mnt", *events(objs, "mount", cid))


def test_connect_inet_and_unix():
    sockdir = tempfile.mkdtemp(dir=WORK)
    path = os.path.join(sockdir, "s.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(8)
    try:
        v = Vigil("--events")
        cid = run_container("vt-connect", "--network", "host", "-v", "%s:/sock" % sockdir,
                            command="nc -w 1 127.0.0.1 9 </dev/null; "
                                    "nc -w 1 ::1 9 </dev/null; "
                                    "logger -s -t vigil hello 2>/dev/null; "
                                    "probe connect-unix /sock/s.sock; "
                                    "probe connect-unix @vigil-abstract-test; true")
        objs = v.stop()
    finally:
        server.close()
    conns = events(objs, "connect", cid)
    check(any(c["connect"]["family"] == "inet" and c["connect"]["address"] == "127.0.0.1" and
              c["connect"]["port"] == 9 for c in conns), "IPv4 connect to 127.0.0.1:9", *conns)
    check(any(c["connect"]["family"] == "inet6" and c["connect"]["address"] == "::1" and
              c["connect"]["port"] == 9 for c in conns), "IPv6 connect to [::1]:9", *conns)
    check(any(c["connect"]["family"] == "unix" and c["connect"]["path"] == "/dev/log"
              for c in conns), "unix connect to /dev/log (logger)", *conns)
    check(any(c["connect"]["family"] == "unix" and c["connect"]["path"] == "/sock/s.sock" and
              c["connect"]["ret"] == 0 for c in conns), "unix connect to a bound socket", *conns)
    check(any(c["connect"].get("path") == "@vigil-abstract-test" and c["connect"].get("abstract")
              for c in conns), "abstract unix name", *conns)


def test_writes_tell_rootfs_from_tmpfs_and_volume():
    vol = tempfile.mkdtemp(dir=WORK)
    v = Vigil("--events")
    cid = run_container("vt-write", "--tmpfs", "/scratch", "-v", "%s:/data" % vol,
                        command="echo x > /etc/vigil-w && echo y > /scratch/f && "
                                "echo z > /data/f && mv /etc/vigil-w /etc/vigil-w2 && "
                                "rm /etc/vigil-w2 && mkdir /var/cache/d")
    objs = v.stop()
    writes = [e for e in events(objs, "write", cid) if not e.get("runtime_setup")]

    def find(path, op):
        return [w for w in writes if w["file"]["path"] == path and w["file"]["op"] == op]

    etc = find("/etc/vigil-w", "open")
    check(etc and etc[0]["file"]["rootfs"] is True, "/etc write is on the root fs", *writes)
    check("O_WRONLY" in etc[0]["file"]["flags"] and "O_CREAT" in etc[0]["file"]["flags"],
          "open flags rendered", etc[0])
    scratch = find("/scratch/f", "open")
    check(scratch and scratch[0]["file"]["rootfs"] is False, "tmpfs write is not rootfs", *writes)
    data = find("/data/f", "open")
    check(data and data[0]["file"]["rootfs"] is False, "volume write is not rootfs", *writes)
    ren = find("/etc/vigil-w", "rename")
    check(ren and ren[0]["file"]["new_path"] == "/etc/vigil-w2", "rename with new path", *writes)
    rm = find("/etc/vigil-w2", "unlink")
    check(rm and rm[0]["file"]["rootfs"] is True, "unlink on the root fs", *writes)
    check(find("/var/cache/d", "mkdir"), "mkdir reported", *writes)


def test_host_activity_absent_without_host_flag():
    marker = os.path.join(WORK, "host-marker")
    v = Vigil("--events")
    subprocess.run(["/bin/sh", "-c", "echo hi > %s; /bin/true" % marker], check=True)
    cid = run_container("vt-host", command="true")
    objs = v.stop()
    host = [o for o in objs if o.get("kind") == "event" and o.get("container") is None]
    check(not host, "no host events without --host", *host[:5])
    check(events(objs, "exec", cid), "container events still seen")


def test_host_flag_reports_host_processes():
    marker = os.path.join(WORK, "host-marker2")
    v = Vigil("--events", "--host")
    subprocess.run(["/bin/sh", "-c", "echo hi > %s" % marker], check=True)
    objs = v.stop()
    writes = [o for o in events(objs, "write") if o["file"]["path"] == marker]
    check(writes and writes[0]["container"] is None, "host write seen with --host", *writes)


def test_bad_usage_exits_2_with_one_line():
    for args in (["--bogus"], ["--duration", "soon"], ["--format", "xml"], ["extra"]):
        r = sh(VIGIL, "run", *args, check_rc=False)
        check(r.returncode == 2, "vigil run %s must exit 2" % args, r.stderr)
        check(r.stderr.startswith("vigil: ") or "unrecognized" in r.stderr,
              "one clear line", r.stderr)


def test_not_root_exits_1_naming_the_fix():
    r = sh("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", VIGIL, "run",
           check_rc=False)
    check(r.returncode == 1, "non-root vigil run exits 1", r.stderr)
    check("root" in r.stderr and "sudo" in r.stderr and r.stderr.count("\n") == 1,
          "one line naming root and the fix", r.stderr)


def test_duration_stops_by_itself_and_flushes():
    r = sh(VIGIL, "run", "--duration", "1", "--format", "json", check_rc=False, timeout=60)
    check(r.returncode == 0, "exit 0 after --duration", r.stderr)
    check("vigil: ready" in r.stderr and "vigil: stopped" in r.stderr, "ready and totals",
          r.stderr)


def test_no_btf_exits_1_naming_the_fix():
    env = dict(os.environ, VIGIL_BTF_PATH="/nonexistent/vmlinux")
    r = subprocess.run([VIGIL, "run"], capture_output=True, text=True, env=env)
    check(r.returncode == 1, "exit 1 without BTF", r.stderr)
    check("BTF" in r.stderr and "CONFIG_DEBUG_INFO_BTF" in r.stderr and
          r.stderr.count("\n") == 1, "one line naming BTF and the kernel option", r.stderr)


def test_first_exec_of_every_new_container_is_seen():
    v = Vigil("--events")
    ids = [run_container("vt-first-%d" % i, command="exec /bin/true") for i in range(5)]
    objs = v.stop()
    for cid in ids:
        first = [e for e in events(objs, "exec", cid) if not e.get("runtime_setup")]
        check(first and first[0]["process"]["vpid"] == 1 and exe_of(first[0]) == "/bin/busybox",
              "entrypoint exec of %s" % cid[:12], *events(objs, None, cid)[:3])


def test_ring_buffer_loss_is_counted_and_reported():
    # first come, first served: the ring-full path itself (flood headroom would shed instead)
    v = Vigil("--events", "--ringbuf-size", "4096", "--no-flood-headroom")
    cid = run_container("vt-loss", command="i=0; while [ $i -lt 3000 ]; do echo $i > /tmp/l; "
                                           "i=$((i+1)); done")
    v.stop()
    err = v.stderr()
    check("ring buffer full: lost" in err and "--ringbuf-size" in err,
          "a stderr line when events are lost", err)
    totals = [l for l in err.splitlines() if l.startswith("vigil: stopped:")]
    check(totals and " 0 lost" not in totals[0] and "write=" in totals[0],
          "loss totals per class at exit", err)


def test_recording_disk_full_keeps_monitoring():
    small = os.path.join(WORK, "small")
    os.makedirs(small, exist_ok=True)
    sh("mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", small)
    try:
        v = Vigil("--events", "--record", os.path.join(small, "c.vcap"))
        cid = run_container("vt-enospc", command="i=0; while [ $i -lt 4000 ]; do "
                                                 "echo $i > /tmp/f$i; i=$((i+1)); done")
        objs = v.stop()
    finally:
        sh("umount", small, check_rc=False)
    check("capture write failed" in v.stderr() and "monitoring goes on" in v.stderr(),
          "disk full is reported", v.stderr())
    writes = [w for w in events(objs, "write", cid) if w["file"]["path"] == "/tmp/f3999"]
    check(writes, "events after the disk filled are still reported")


def test_container_flag_keeps_only_that_container():
    v = Vigil("--events", "--container", "vt-only-a")
    a = run_container("vt-only-a", command="echo a > /tmp/a")
    b = run_container("vt-only-b", command="echo b > /tmp/b")
    objs = v.stop()
    check(events(objs, "write", a), "the named container's events are kept")
    others = [o for o in objs if o.get("kind") in ("event", "alert") and
              (o.get("container") or {}).get("id") != a]
    check(not others and not events(objs, None, b), "nothing of any other container",
          *others[:3])


def test_every_write_call_is_read_at_exit_with_its_arguments():
    # the arguments of each hooked call are read at exit from the saved registers: each call's
    # own argument positions, absolute and directory-relative paths, reads and failures left out
    v = Vigil("--events")
    cid = run_container("vt-write-calls", command="mkdir /w && probe write-calls /w")
    objs = v.stop()
    writes = [e["file"] for e in events(objs, "write", cid) if not e.get("runtime_setup")]
    got = [(w["op"], w["path"], w.get("new_path"), w.get("flags"), w["rootfs"]) for w in writes
           if w["path"] != "/w"]
    want = [("open", "/w/open", None, "O_WRONLY|O_CREAT", True),
            ("open", "/w/openat", None, "O_RDWR|O_CREAT|O_TRUNC", True),
            ("open", "/w/creat", None, "O_WRONLY|O_CREAT|O_TRUNC", True),
            # opened files are named from the kernel's objects: the dirfd-relative one too
            ("open", "/w/openat2", None, "O_WRONLY|O_CREAT", True),
            # names given relative to a dirfd are joined to its path (kernel objects)
            ("mkdir", "/w/mkdir", None, None, True),
            ("mkdir", "/w/mkdirat", None, None, True),
            ("rename", "/w/open", "/w/rename", None, True),
            ("rename", "/w/openat", "/w/renameat", None, True),
            ("rename", "/w/creat", "/w/renameat2", None, True),
            ("unlink", "/w/rename", None, None, True),
            ("unlink", "/w/renameat", None, None, True),
            ("unlink", "/w/mkdirat", None, None, True)]
    check(got == want, "each write call once, in order, with its own arguments "
          "(no read-only open, no failed open)", *got)


def test_every_setid_variant_reports_its_new_ids():
    v = Vigil("--events")
    cid = run_container("vt-setid-calls", command="probe setid-calls")
    objs = v.stop()
    calls = [e for e in objs if e.get("kind") == "event" and e.get("type") in ("setuid", "setgid")
             and (e.get("container") or {}).get("id") == cid and not e.get("runtime_setup")]
    got = []
    for e in calls:
        ids = e[e["type"]]
        g = "g" if e["type"] == "setgid" else "u"
        got.append((ids["syscall"], ids[g + "id"], ids["e" + g + "id"], ids["s" + g + "id"],
                    ids["fs" + g + "id"], ids["ret"]))
    want = [("setfsgid", -1, -1, -1, 1001, 0),  # setfsgid returns the old fsgid, 0
            ("setresgid", 1002, 1002, 1002, 1002, 0),
            ("setregid", -1, 1003, 1003, 1003, 0),
            ("setgid", 1004, 1004, 1004, 1004, 0),
            ("setfsuid", -1, -1, -1, 1001, 0),
            ("setresuid", -1, 1002, -1, 1002, 0),
            ("setreuid", -1, 0, -1, 0, 0),
            ("setuid", 1003, 1003, 1003, 1003, 0),
            ("setuid", -1, -1, -1, -1, -1)]
    check(got == want, "every variant, with the ids it changed (-1: unchanged) and its result",
          *got)
    # euid 1002 back to 0 while the real uid stayed 0: it had root all along, no escalation
    esc = alerts(objs, "container_privilege_escalation", cid)
    check(not esc, "taking back a parked uid 0 is not privilege escalation", *esc)


def test_new_mount_api_calls_are_mounts():
    v = Vigil("--events")
    cid = run_container("vt-new-mount", "--cap-add", "SYS_ADMIN", "--security-opt",
                        "seccomp=unconfined", command="mkdir /m && probe new-mount /m")
    objs = v.stop()
    mounts = [e["mount"] for e in events(objs, "mount", cid) if not e.get("runtime_setup")]
    got = [m["syscall"] for m in mounts]
    check(got == ["fsconfig", "fsconfig", "fsmount", "move_mount", "open_tree"],
          "each new-API call reported", *mounts)
    check(all(m["ret"] >= 0 for m in mounts), "all succeeded", *mounts)
    move = [m for m in mounts if m["syscall"] == "move_mount"][0]
    check(move["target"] == "/m", "move_mount names its target", move)
    check(alerts(objs, "container_mount", cid), "the new API raises container_mount", *mounts)
