"""Issue 3: every event names its container and its process; runc's set-up is not the
container's behaviour; processes that predate vigil are known."""
import json
import os
import shutil
import subprocess
import time

from vigiltest import (DOCKER, IMAGE, VIGIL, WORK, Vigil, alerts, args_of, check, ensure_docker,
                       events, exe_of, remove_container, run_container, sh, start_container)


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
    """A container running before vigil starts is known from the start-up walk (its entrypoint
    with vpid and argv), attributed from the kernel's record, and a later write of that early
    process is its. The container waits for a file the test makes once vigil is ready, not for
    a time: vigil may take seconds to load on a busy host."""
    gate = os.path.join(WORK, "early-gate")
    shutil.rmtree(gate, ignore_errors=True)
    os.makedirs(gate)
    cid = start_container("vt-attr-early", "-v", gate + ":/gate",
                          command="while [ ! -e /gate/go ]; do sleep 0.1; done; "
                                  "echo late > /tmp/late; sleep 1")
    time.sleep(1)
    prom = os.path.join(WORK, "early.prom")
    v = Vigil("--events", "--metrics-file", prom)
    open(os.path.join(gate, "go"), "w").close()
    sh("podman", "wait", "vt-attr-early", check_rc=False)
    objs = v.stop()
    remove_container("vt-attr-early")
    snap = [e for e in events(objs, "exec", cid)
            if e["exec"].get("snapshot") and e["process"]["vpid"] == 1]
    check(snap, "the running entrypoint (vpid 1) is reported from the start-up walk",
          *events(objs, "exec", cid)[:10])
    check(args_of(snap[0])[:2] == ["sh", "-c"], "its argv from /proc", snap[0])
    late = [w for w in events(objs, "write", cid) if w["file"]["path"] == "/tmp/late"]
    check(late, "a write by the early process", *events(objs, None, cid)[-10:])
    check(late[0]["process"]["pid"] == snap[0]["process"]["pid"],
          "the write is the early process's own", late[0], snap[0])
    check(late[0]["container"]["name"] == "vt-attr-early", "attributed", late[0])
    m = parse_prom(prom)
    check(m.get("vigil_cgroups_learned_total", 0) >= 1 and
          m.get("vigil_cgroups_resolved_total", -1) == 0,
          "the running container was learnt from the kernel's start-up walk, not looked up", m)


def test_runc_setup_is_marked_and_raises_nothing():
    v = Vigil("--events")
    cid = run_container("vt-attr-setup", "--user", "1000", command="true")
    objs = v.stop()
    mine = events(objs, None, cid)
    real = [e for e in events(objs, "exec", cid) if not e.get("runtime_setup")]
    check(real and exe_of(real[0]) == "/bin/busybox" and real[0]["process"]["vpid"] == 1,
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


def parse_prom(path):
    values = {}
    with open(path) as f:
        for line in f:
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                values[name] = float(value)
    return values


def one_shot(engine, name, command, cidfile):
    """A --rm container doing a few ms of work; its id is kept in cidfile (gone after)."""
    tool = DOCKER if engine == "docker" else "podman"
    return subprocess.Popen([tool, "run", "--rm", "--name", name, "--cidfile", cidfile, IMAGE,
                             "sh", "-c", command],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_churn_of_one_shot_containers_keeps_every_identity():
    """50 one-shot containers (podman and Docker, --rm, one write to /etc each, several at
    once): every event carries its container's full id, runtime, name and image, each raises
    its rootfs alert, none is left unattributed, attribution came from the kernel's records
    (no lookup after the fact), and a replay of the capture attributes exactly the same."""
    ensure_docker()
    capture = os.path.join(WORK, "churn.vcap")
    prom = os.path.join(WORK, "churn.prom")
    v = Vigil("--events", "--record", capture, "--metrics-file", prom)
    want = {}  # name -> (engine, cidfile)
    for batch in range(10):
        procs = []
        for i in range(5):
            n = batch * 5 + i
            engine = "docker" if n % 2 else "podman"
            name = "vt-churn-%d" % n
            cidfile = os.path.join(WORK, name + ".cid")
            if os.path.exists(cidfile):
                os.unlink(cidfile)
            want[name] = (engine, cidfile)
            procs.append((name, one_shot(engine, name, "echo %d > /etc/churn" % n, cidfile)))
        for name, p in procs:
            _, err = p.communicate(timeout=120)
            check(p.returncode == 0, "%s ran" % name, err.decode(errors="replace"))
    objs = v.stop()
    evs = events(objs)
    check(evs and all(e.get("container") for e in evs),
          "no event without its container (%d of %d)" %
          (len([e for e in evs if not e.get("container")]), len(evs)),
          *[e for e in evs if not e.get("container")][:3])
    live = {}
    for name, (engine, cidfile) in sorted(want.items()):
        with open(cidfile) as f:
            cid = f.read().strip()
        mine = events(objs, None, cid)
        check(mine, "events of %s (%s)" % (name, cid))
        for e in mine:
            c = e["container"]
            check(c["runtime"] == engine and c.get("name") == name and c.get("image") == IMAGE,
                  "%s: every event names runtime, name and image" % name, e)
        check(alerts(objs, "container_rootfs_write", cid),
              "%s raised its rootfs write alert" % name, *mine[-3:])
        for e in mine:
            live[(e["time"], e["type"], e["process"]["pid"])] = e["container"]
    m = parse_prom(prom)
    check(m.get("vigil_cgroups_learned_total", 0) >= len(want),
          "every container learnt from the kernel's record", m)
    check(m.get("vigil_cgroups_resolved_total", -1) == 0,
          "no container needed a lookup after the fact", m)
    out = os.path.join(WORK, "churn-replay.json")
    sh(VIGIL, "replay", capture, "--events", "--format", "json", "--output", out)
    with open(out) as f:
        replayed = [json.loads(l) for l in f]
    again = {(e["time"], e["type"], e["process"]["pid"]): e.get("container")
             for e in events(replayed)}
    check(all(again.get(k) == c for k, c in live.items()),
          "the replay attributes every event as the live run did",
          *[(k, c, again.get(k)) for k, c in live.items() if again.get(k) != c][:3])


def test_docker_compose_labels_travel_with_the_container():
    """A container started by docker-compose carries runtime docker, its name and image, and
    the compose project and service, on its events and alerts."""
    ensure_docker()
    d = os.path.join(WORK, "compose")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "docker-compose.yml"), "w") as f:
        f.write("version: '2.4'\nservices:\n  worker:\n    image: %s\n    network_mode: none\n"
                "    command: [\"sh\", \"-c\", \"echo x > /etc/compose-write\"]\n" % IMAGE)
    env = dict(os.environ, DOCKER_HOST="unix:///var/run/docker.sock")
    v = Vigil()
    r = subprocess.run(["docker-compose", "-p", "vtcompose", "up", "--no-color",
                        "--abort-on-container-exit"], cwd=d, env=env, capture_output=True,
                       text=True, timeout=180)
    objs = v.stop()
    subprocess.run(["docker-compose", "-p", "vtcompose", "down", "-t", "0"], cwd=d, env=env,
                   capture_output=True, timeout=120)
    check(r.returncode == 0, "docker-compose up ran", r.stdout + r.stderr)
    mine = [a for a in alerts(objs, "container_rootfs_write")
            if (a["container"].get("compose") or {}).get("project") == "vtcompose"]
    check(mine, "the compose service's write alert", *alerts(objs))
    c = mine[0]["container"]
    check(c["runtime"] == "docker" and c["compose"].get("service") == "worker" and
          c.get("image") == IMAGE and c.get("name", "").startswith("vtcompose"),
          "runtime, name, image, compose project and service", c)
