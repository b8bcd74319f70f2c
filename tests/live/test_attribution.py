"""Issue 3: every event names its container and its process; runc's set-up is not the
container's behaviour; processes that predate vigil are known."""
import time

from vigiltest import (IMAGE, Vigil, alerts, args_of, check, events, exe_of, remove_container,
                       run_container, start_container)


def test_two_containers_at_once_are_told_apart():
    v = Vigil("--events")
    a = start_container("vt-attr-a", command="sleep 1; echo a > /tmp/a; sleep 1")
    b = start_container("vt-attr-b", "--user", "1000",
                        command="sleep 1; echo b > /tmp/b; sleep 1")
    time.sleep(3.5)
    objs = v.stop()
    remove_container("vt-attr-a")
    remove_container("vt-attr-b")
    for cid, name, path in ((a, "vt-attr-a", "/tmp/a"), (b, "vt-attr-b", "/tmp/b")):
        writes = [w for w in events(objs, "write", cid) if w["file"]["path"] == path]
        check(writes, "write of %s attributed to %s" % (path, name),
              *events(objs, "write")[-10:])
        c = writes[0]["container"]
        check(c["id"] == cid and c["name"] == name and c["image"] == IMAGE
              and c["runtime"] == "podman", "full id, name, image, runtime", c)
        other = "/tmp/b" if path == "/tmp/a" else "/tmp/a"
        check(not [w for w in events(objs, "write", cid) if w["file"]["path"] == other],
              "no event of the other container blamed on %s" % name)
    b_exec = [e for e in events(objs, "exec", b) if not e.get("runtime_setup")]
    check(b_exec and all(e["process"]["uid"] == 1000 for e in b_exec), "uid of container b",
          *b_exec)


def test_process_started_before_vigil_is_attributed():
    cid = start_container("vt-attr-early", command="sleep 5; echo late > /tmp/late; sleep 1")
    time.sleep(1)
    v = Vigil("--events")
    time.sleep(5)
    objs = v.stop()
    remove_container("vt-attr-early")
    snap = [e for e in events(objs, "exec", cid) if e["exec"].get("snapshot")]
    check(snap, "the running entrypoint is reported from the start-up walk", *objs[:10])
    check(snap[0]["process"]["vpid"] == 1 and args_of(snap[0])[:2] == ["sh", "-c"],
          "its vpid and argv from /proc", snap[0])
    late = [w for w in events(objs, "write", cid) if w["file"]["path"] == "/tmp/late"]
    check(late, "a write by a child of the early process", *events(objs, None, cid)[-10:])
    check(late[0]["process"]["ppid"] == snap[0]["process"]["pid"] or
          late[0]["process"]["pid"] == snap[0]["process"]["pid"],
          "its parent is the early process", late[0], snap[0])
    check(late[0]["container"]["name"] == "vt-attr-early", "attributed", late[0])


def test_runc_setup_is_marked_and_raises_nothing():
    v = Vigil("--events")
    cid = run_container("vt-attr-setup", "--user", "1000", command="true")
    objs = v.stop()
    mine = events(objs, None, cid)
    real = [e for e in events(objs, "exec", cid) if not e.get("runtime_setup")]
    check(real and exe_of(real[0]) == "/bin/sh" and real[0]["process"]["vpid"] == 1,
          "the entrypoint's exec is the container's own", *mine[:3])
    before = [e for e in mine if e["time"] < real[0]["time"]]
    check(before, "runc's set-up work is seen", *mine[:3])
    check(all(e.get("runtime_setup") for e in before),
          "everything before the entrypoint's exec is set-up",
          *[e for e in before if not e.get("runtime_setup")][:3])
    check(not alerts(objs, None, cid), "a benign non-root container raises nothing",
          *alerts(objs, None, cid))


def test_alert_carries_process_ancestry():
    v = Vigil()
    cid = run_container("vt-attr-tree", command="sh -c 'echo x > /etc/tree'; true")
    objs = v.stop()
    writes = alerts(objs, "container_rootfs_write", cid)
    check(writes, "rootfs write alert", *alerts(objs))
    anc = writes[0]["process"]["ancestry"]
    check(anc and anc[-1]["vpid"] == 1, "ancestry up to the container's init", writes[0])
