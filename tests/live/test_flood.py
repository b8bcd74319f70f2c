"""Issue 17 (floods): one container flooding the monitor cannot blind it to another's
critical events, and what the kernel sheds to keep that headroom is counted and alerted with
the container that flooded."""
import os
import shutil
import socket
import time

from vigiltest import (WORK, Vigil, alerts, check, remove_container, run_container, sh,
                       start_container)


def metric(text, name, labels=""):
    for line in text.splitlines():
        if line.startswith(name + labels + " "):
            return float(line.split()[-1])
    return None


def test_flood_from_one_container_does_not_hide_another_s_exec_mount_connect():
    """A container floods (files created as fast as the kernel makes them, every one an event
    with --events, and execs) into a small ring buffer, so that it outruns the agent whatever
    the host's load; meanwhile another runs a root exec, a mount and a connect: all three
    alerts are raised, nothing of it is shed, and the flooding container is named by a
    vigil_event_loss alert for the exec events the kernel shed beyond its share."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    port = server.getsockname()[1]
    gate = os.path.join(WORK, "flood-gate")
    shutil.rmtree(gate, ignore_errors=True)
    os.makedirs(gate)
    prom = os.path.join(WORK, "flood.prom")
    v = Vigil("--events", "--ringbuf-size", "65536", "--metrics-file", prom)
    try:
        # touch with thousands of names per exec: an open per file, no fork; until told to stop
        flood = start_container(
            "vt-flood-src", "-v", gate + ":/gate", "--tmpfs", "/t",
            command="cd /t; (while :; do /bin/true; done) & E=$!; "
                    "(while :; do busybox seq 1 20000 | busybox xargs busybox touch; "
                    "busybox rm -f /t/*; done) & W=$!; "
                    "while [ ! -e /gate/stop ]; do sleep 0.1; done; kill $E $W")
        time.sleep(2)
        victim = run_container("vt-flood-victim", "--cap-add", "SYS_ADMIN", "--network", "host",
                               command="mount -t tmpfs none /mnt; "
                                       "probe connect-tcp 127.0.0.1 %d" % port)
        time.sleep(1)
        open(os.path.join(gate, "stop"), "w").close()
        sh("podman", "wait", "vt-flood-src", check_rc=False)
        objs = v.stop()
    finally:
        server.close()
        remove_container("vt-flood-src")
    for rule in ["container_root_exec", "container_mount", "container_unexpected_egress"]:
        check(alerts(objs, rule, victim), "the victim's %s alert, despite the flood" % rule,
              *[a for a in alerts(objs) if a["container"] and
                a["container"]["id"] == victim][:5])
    shed = [a for a in alerts(objs, "vigil_event_loss")
            if (a.get("container") or {}).get("id") == flood]
    check(shed, "a loss alert naming the flooding container", v.stderr()[-2000:],
          *alerts(objs, "vigil_event_loss"))
    check("shed:exec" in shed[0]["key"] and shed[0]["lost"].get("exec", 0) > 0 and
          "flooded the monitor" in shed[0]["message"], "its shed exec events, counted", shed[0])
    check(not [a for a in alerts(objs, "vigil_event_loss")
               if (a.get("container") or {}).get("id") == victim],
          "nothing of the victim was shed")
    with open(prom) as f:
        text = f.read()
    check(metric(text, "vigil_events_shed_total", '{type="exec"}') > 0, "shed counted", text)
