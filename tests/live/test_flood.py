"""Issue 17 (floods): one container flooding the monitor cannot blind it to another's
critical events, and what the kernel sheds to keep that headroom is counted and alerted with
the container that flooded."""
import os
import socket
import subprocess
import time

from vigiltest import (IMAGE, WORK, Vigil, alerts, check, remove_container, run_container, sh,
                       start_container)


def metric(text, name, labels=""):
    for line in text.splitlines():
        if line.startswith(name + labels + " "):
            return float(line.split()[-1])
    return None


def test_flood_from_one_container_does_not_hide_another_s_exec_mount_connect():
    """A container floods (execs and writes as fast as it can, every event wanted, a small
    ring buffer so that it is full most of the time); meanwhile another runs a root exec, a
    mount and a connect: all three alerts are raised, and the flooding container is named by a
    vigil_event_loss alert for the exec events the kernel shed beyond its share."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    port = server.getsockname()[1]
    prom = os.path.join(WORK, "flood.prom")
    v = Vigil("--events", "--ringbuf-size", "65536", "--metrics-file", prom)
    try:
        # writes by shell builtins (no fork: the fastest a shell floods) in six loops, and
        # execs; every one an event with --events
        flood = start_container(
            "vt-flood-src", command="(while :; do /bin/true; done) & "
                                    "for j in 1 2 3 4 5 6; do "
                                    "(while :; do echo > /tmp/f$j; done) & done; "
                                    "sleep 6; kill $(jobs -p)")
        time.sleep(2)  # the ring is full by now
        victim = run_container("vt-flood-victim", "--cap-add", "SYS_ADMIN", "--network", "host",
                               command="mount -t tmpfs none /mnt; "
                                       "probe connect-tcp 127.0.0.1 %d" % port)
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
    check(shed, "a loss alert naming the flooding container", *alerts(objs, "vigil_event_loss"))
    check("shed:exec" in shed[0]["key"] and shed[0]["lost"].get("exec", 0) > 0 and
          "flooded the monitor" in shed[0]["message"], "its shed exec events, counted", shed[0])
    check(not [a for a in alerts(objs, "vigil_event_loss")
               if (a.get("container") or {}).get("id") == victim],
          "nothing of the victim was shed")
    with open(prom) as f:
        text = f.read()
    check(metric(text, "vigil_events_shed_total", '{type="exec"}') > 0, "shed counted", text)
