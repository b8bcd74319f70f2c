"""Issue 8: running as a host agent. Policy reload on SIGHUP while a container keeps producing
events (no gap, the right policy before and after, a bad file refused); output rotation under a
storm and reopen on SIGUSR1; alerts and events to different sinks; syslog (RFC 5424) to a
socket of ours; metrics over loopback HTTP and in a file; forced ring buffer loss raising
vigil_event_loss; systemd's READY=1/STOPPING=1/WATCHDOG=1; capture rotation where each file
replays alone; make install into a DESTDIR; the shipped units and manifests linted."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

from vigiltest import (ROOT, VIGIL, WORK, Failure, Vigil, alerts, check, events, remove_container,
                       run_container, sh, start_container, wait_for)


def read_json_lines(path):
    objs = []
    if not os.path.exists(path):
        return objs
    with open(path) as f:
        for line in f:
            if line.endswith("\n"):
                objs.append(json.loads(line))
    return objs


class Agent:
    """`vigil run ARGS` with stderr in a file and, optionally, extra environment."""

    def __init__(self, *args, env=None):
        self.err_path = os.path.join(WORK, "agent-%d.err" % time.monotonic_ns())
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen([VIGIL, "run"] + list(args), stdout=subprocess.DEVNULL,
                                     stderr=self.err, env=dict(os.environ, **(env or {})))
        wait_for("vigil: ready", self.ready, timeout=60)

    def ready(self):
        if self.proc.poll() is not None:
            raise Failure("vigil run exited %d before ready:\n%s" %
                          (self.proc.returncode, self.stderr()))
        return "vigil: ready" in self.stderr()

    def stderr(self):
        with open(self.err_path) as f:
            return f.read()

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self):
        time.sleep(0.3)  # past the poll interval: records written without a wake-up are in
        self.proc.send_signal(signal.SIGINT)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise Failure("vigil run did not stop on SIGINT")
        self.err.close()
        check(rc == 0, "vigil run exited %d" % rc, self.stderr())


def write_policy(path, writable):
    with open(path, "w") as f:
        json.dump({"version": 1, "default": {"allow_root": True, "writable_paths": writable}}, f)


def counter_writes(objs, cid, prefix):
    """{n: event} for the writes of /tmp/<prefix><n> by the container."""
    found = {}
    for e in events(objs, "write", cid):
        path = e["file"]["path"]
        if path.startswith("/tmp/" + prefix) and e["file"]["op"] == "open":
            found[int(path[len("/tmp/" + prefix):])] = e
    return found


def test_sighup_reloads_a_good_policy_and_keeps_it_over_a_bad_one():
    policy = os.path.join(WORK, "reload.json")
    write_policy(policy, ["/tmp"])  # A: the counter's writes are allowed
    v = Vigil("--events", "--policy", policy)
    count = 500
    cid = start_container("vt-reload", command="i=0; while [ $i -lt %d ]; do echo $i > /tmp/c$i; "
                                               "i=$((i+1)); sleep 0.01; done" % count)
    try:
        def progress():
            return max(counter_writes(read_json_lines(v.out_path), cid, "c") or [-1])

        wait_for("the counter at 100", lambda: progress() >= 100)
        write_policy(policy, ["/run"])  # B: /tmp is on the root file system and not allowed
        v.proc.send_signal(signal.SIGHUP)
        wait_for("the reload", lambda: "policy reloaded from " + policy in v.stderr())
        at_good = progress()
        wait_for("the counter 100 further", lambda: progress() >= at_good + 100)
        with open(policy, "w") as f:
            f.write('{\n  "version": 1,\n  "default": {"allow_root": tru}\n}\n')
        v.proc.send_signal(signal.SIGHUP)
        wait_for("the refusal", lambda: "keeping the previous policy" in v.stderr())
        at_bad = progress()
        sh("podman", "wait", "vt-reload", timeout=120)
        objs = v.stop()
    finally:
        remove_container("vt-reload")
    writes = counter_writes(objs, cid, "c")
    missing = sorted(set(range(count)) - set(writes))
    check(not missing, "every write of the counter is seen across both reloads (missing %s)" %
          missing[:20])
    alerted = sorted(int(a["key"][len("/tmp/c"):]) for a in
                     alerts(objs, "container_rootfs_write", cid) if a["key"].startswith("/tmp/c"))
    check(alerted, "policy B raises rootfs writes", *alerts(objs)[:3])
    first = alerted[0]
    check(100 < first <= at_good + 1,
          "B in force from the reload on (first alert %d, reload seen at %d)" % (first, at_good))
    check(alerted == list(range(first, count)),
          "from the reload on, every write alerts: B stays in force after the bad file "
          "(bad reload near %d)" % at_bad, str(sorted(set(range(first, count)) - set(alerted))))
    bad = [l for l in v.stderr().splitlines() if "keeping the previous policy" in l]
    check(len(bad) == 1 and re.match(r"^%s:3:\d+: .+; keeping the previous policy$" %
                                     re.escape(policy), bad[0]),
          "one line FILE:LINE:COL: message", v.stderr())


def test_output_rotates_by_size_under_a_storm():
    out = os.path.join(WORK, "rotated.json")
    for f in [out] + ["%s.%d" % (out, i) for i in range(1, 6)]:
        if os.path.exists(f):
            os.unlink(f)
    # only this container: another one's storm would fill the kept files with its own events
    v = Agent("--events", "--format", "json", "--output", out, "--output-max-size", "64K",
              "--output-files", "3", "--metrics-file", out + ".prom", "--container", "vt-rotate")
    cid = run_container("vt-rotate", command="i=0; while [ $i -lt 3000 ]; do echo $i > /tmp/r$i; "
                                             "i=$((i+1)); done")
    v.stop()
    files = [out] + ["%s.%d" % (out, i) for i in (1, 2, 3)]
    for f in files:
        check(os.path.exists(f), "%s kept" % f, v.stderr())
        check(os.path.getsize(f) <= 65536, "%s within 64 KiB: %d" % (f, os.path.getsize(f)))
    check(not os.path.exists(out + ".4"), "no more than 3 rotated files")
    objs = []
    for f in reversed(files):  # oldest first
        with open(f) as fh:
            text = fh.read()
        check(text.endswith("\n"), "%s ends with a whole record" % f)
        objs += [json.loads(l) for l in text.splitlines()]  # every line a whole JSON object
    writes = counter_writes(objs, cid, "r")
    check(2999 in writes, "the newest file has the last write (newest seen: %s)" %
          max(writes or [None]), v.stderr())
    kept = sorted(writes)
    check(kept == list(range(kept[0], 3000)), "the kept files are contiguous, no record lost "
          "at a rotation (from %d)" % kept[0])
    with open(out + ".prom") as f:
        m = re.search(r'^vigil_output_rotations_total\{output="alerts"\} (\d+)$', f.read(), re.M)
    check(m and int(m.group(1)) >= 4, "rotations counted", m.group(0) if m else "")


def test_sigusr1_reopens_the_output_after_external_rotation():
    out = os.path.join(WORK, "reopen.json")
    moved = out + ".moved"
    for f in (out, moved):
        if os.path.exists(f):
            os.unlink(f)
    v = Agent("--events", "--format", "json", "--output", out)
    before = run_container("vt-reopen-a", command="echo a > /tmp/a")
    time.sleep(0.3)
    os.rename(out, moved)  # what logrotate does, without copytruncate
    v.signal(signal.SIGUSR1)
    wait_for("the reopen", lambda: "SIGUSR1: outputs reopened" in v.stderr())
    after = run_container("vt-reopen-b", command="echo b > /tmp/b")
    v.stop()
    old, new = read_json_lines(moved), read_json_lines(out)
    check(events(old, "exec", before) and not events(old, "exec", after),
          "the moved file has what came before")
    check(events(new, "exec", after) and not events(new, "exec", before),
          "the reopened file has what came after")


def test_alerts_and_events_go_to_different_files():
    out, evs = os.path.join(WORK, "split-alerts.json"), os.path.join(WORK, "split-events.json")
    v = Agent("--format", "json", "--output", out, "--events-output", evs)
    cid = run_container("vt-split", command="echo x > /etc/split")
    v.stop()
    a, e = read_json_lines(out), read_json_lines(evs)
    check(alerts(a, "container_rootfs_write", cid) and all(o["kind"] in ("alert", "repeat")
                                                           for o in a),
          "alerts, only alerts, in --output", *a[:3])
    check(events(e, "write", cid) and all(o["kind"] == "event" for o in e),
          "events, only events, in --events-output (it implies --events)", *e[:3])


def test_syslog_rfc5424_to_a_unix_socket():
    path = os.path.join(tempfile.mkdtemp(dir=WORK), "log.sock")
    rx = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    rx.bind(path)
    rx.settimeout(0.5)
    try:
        # this container's alerts only: another's could fill the datagram socket's buffer
        v = Agent("--syslog-address", "unix:" + path, "--syslog-facility", "local3",
                  "--container", "vt-syslog")
        cid = run_container("vt-syslog", command="echo x > /etc/syslogged")
        v.stop()
        messages = []
        while True:
            try:
                messages.append(rx.recv(65536).decode())
            except socket.timeout:
                break
    finally:
        rx.close()
    form = re.compile(r'^<(\d+)>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z) (\S+) vigil (\d+) '
                      r'(alert|repeat) \[origin software="vigil" swVersion="[^"]+"\]'
                      r'\[meta sequenceId="(\d+)"\] (\{.*\})$')
    parsed = [form.match(m) for m in messages]
    check(messages and all(parsed), "every message is RFC 5424 as vigil sends it", *messages[:3])
    check([int(m.group(6)) for m in parsed] == list(range(1, len(parsed) + 1)),
          "sequence ids count up from 1")
    check(all(int(m.group(4)) == v.proc.pid for m in parsed), "PROCID is vigil's pid")
    by_rule = {}
    for m in parsed:
        obj = json.loads(m.group(7))
        if obj["kind"] == "alert":
            by_rule.setdefault(obj["rule"], []).append((int(m.group(1)), obj))
    write = [(pri, o) for pri, o in by_rule.get("container_rootfs_write", [])
             if o["container"]["id"] == cid]
    check(write, "the rootfs write alert arrives by syslog", *messages[:3])
    # local3 (19) * 8 + warning (4): a medium alert
    check(write[0][0] == 19 * 8 + 4 and write[0][1]["severity"] == "medium",
          "PRI from facility and the alert's severity", write[0][1])


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status, r.headers.get("Content-Type"), r.read().decode()


def metric(text, name, labels=""):
    m = re.search(r"^%s%s (\S+)$" % (re.escape(name), re.escape(labels)), text, re.M)
    return float(m.group(1)) if m else None


def test_metrics_endpoint_and_stats_line():
    prom = os.path.join(WORK, "agent.prom")
    v = Agent("--metrics-address", "127.0.0.1:0", "--metrics-file", prom,
              "--stats-interval", "1")
    url = re.search(r"vigil: metrics at (http://127\.0\.0\.1:\d+/metrics)", v.stderr())
    check(url, "the listener's address on stderr", v.stderr())
    cid = start_container("vt-metrics", command="echo x > /etc/m; sleep 30")
    try:
        def scraped():
            status, ctype, body = fetch(url.group(1))
            return body if (metric(body, "vigil_containers_tracked") or 0) >= 1 and \
                (metric(body, "vigil_alerts_total", '{rule="container_rootfs_write"}') or 0) \
                >= 1 else None

        body = wait_for("the container in the metrics", scraped, timeout=20, interval=0.3)
        status, ctype, _ = fetch(url.group(1))
        health = fetch(url.group(1).replace("/metrics", "/healthz"))
    finally:
        remove_container("vt-metrics")
    wait_for("a stats line", lambda: "vigil: stats: " in v.stderr(), timeout=5)
    v.stop()
    check(status == 200 and ctype.startswith("text/plain; version=0.0.4"),
          "Prometheus text format 0.0.4", ctype)
    check(health[0] == 200 and health[2] == "ok\n", "/healthz answers", str(health))
    check((metric(body, "vigil_events_total", '{type="exec"}') or 0) >= 1, "events by type",
          body)
    check(metric(body, "vigil_events_lost_total", '{type="exec"}') is not None, "losses by type",
          body)
    check((metric(body, "vigil_processes_tracked") or 0) >= 1, "processes tracked", body)
    fill = metric(body, "vigil_ringbuf_fill_ratio")
    check(fill is not None and 0 <= fill <= 1, "ring buffer fill in [0, 1]", body)
    check(metric(body, "vigil_ringbuf_size_bytes") == 8 << 20, "ring buffer size", body)
    check(metric(body, "vigil_build_info", "") is None and
          re.search(r'^vigil_build_info\{version="[^"]+",libbpf="[^"]+"\} 1$', body, re.M),
          "build info", body)
    for family in ("vigil_events_total", "vigil_alerts_total", "vigil_containers_tracked",
                   "vigil_ringbuf_fill_ratio", "vigil_policy_reloads_total"):
        check("# HELP %s " % family in body and "# TYPE %s " % family in body,
              "HELP and TYPE of " + family)
    with open(prom) as f:
        text = f.read()
    check((metric(text, "vigil_alerts_total", '{rule="container_rootfs_write"}') or 0) >= 1,
          "the metrics file has the same", text)
    stats = [l for l in v.stderr().splitlines() if l.startswith("vigil: stats: ")]
    check(stats and re.match(r"vigil: stats: \d+ events \(\d+/s\), \d+ alerts, .* ring buffer "
                             r"[\d.]+% full", stats[-1]), "one stats line", *stats)


def test_forced_ring_buffer_loss_raises_the_loss_alert_and_counters():
    prom = os.path.join(WORK, "loss.prom")
    # first come, first served: the ring-full path itself (flood headroom would shed instead)
    v = Vigil("--events", "--ringbuf-size", "4096", "--no-flood-headroom", "--metrics-file", prom)
    run_container("vt-loss-alert", command="i=0; while [ $i -lt 1500 ]; do /bin/true; "
                                           "echo $i > /tmp/l; i=$((i+1)); done")
    objs = v.stop()
    loss = alerts(objs, "vigil_event_loss")
    check(loss, "a vigil_event_loss alert", v.stderr())
    a = loss[0]
    check(a["severity"] == "high" and a["container"] is None and a["process"] is None and
          a["mitre"] == ["T1562"], "high, about vigil itself", a)
    watched = {"exec", "setuid", "setgid", "mount"}
    check(set(a["lost"]) & watched and a["key"] and set(a["key"].split(",")) <= watched,
          "names the blinded classes", a)
    check("--ringbuf-size" in a["message"] and "4096" in a["message"] and
          all(("%d %s" % (n, t)) in a["message"] for t, n in a["lost"].items()),
          "the message names classes, counts and the fix", a)
    total = sum(x["lost"].get("exec", 0) for x in loss)
    with open(prom) as f:
        text = f.read()
    check(metric(text, "vigil_events_lost_total", '{type="exec"}') >= total > 0,
          "exec losses counted", text)
    check(metric(text, "vigil_alerts_total", '{rule="vigil_event_loss"}') == len(loss),
          "loss alerts counted by rule", text)


def test_systemd_notifications():
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    name = "vigil-live-notify-%d" % os.getpid()
    sock.bind("\0" + name)
    sock.settimeout(0.2)
    got = []

    def drain():
        while True:
            try:
                got.append(sock.recv(4096).decode())
            except socket.timeout:
                return

    try:
        v = Agent("--stats-interval", "1",
                  env={"NOTIFY_SOCKET": "@" + name, "WATCHDOG_USEC": "1000000"})
        drain()
        check("READY=1" in got, "READY=1 once ready", *got)
        v.signal(signal.SIGHUP)
        time.sleep(2)
        v.stop()
        drain()
    finally:
        sock.close()
    after_ready = got[got.index("READY=1") + 1:]
    check("RELOADING=1" in after_ready and
          "READY=1" in after_ready[after_ready.index("RELOADING=1"):],
          "SIGHUP: RELOADING=1 then READY=1", *got)
    check(got.count("WATCHDOG=1") >= 2, "WATCHDOG=1 at half of WATCHDOG_USEC", *got)
    check(any(m.startswith("STATUS=") and "events" in m for m in got), "STATUS= stats", *got)
    check(got[-1] == "STOPPING=1", "STOPPING=1 last", *got)


def replay(path, *args):
    r = sh(VIGIL, "replay", path, "--format", "json", *args, check_rc=False)
    check(r.returncode == 0 and "warning" not in r.stderr, "%s replays cleanly" % path,
          r.stderr)
    return [json.loads(l) for l in r.stdout.splitlines()]


def test_capture_rotation_each_file_replays_alone():
    base = os.path.join(tempfile.mkdtemp(dir=WORK), "rot.vcap")
    v = Vigil("--record", base, "--record-max-age", "1", "--record-files", "20")
    cid = run_container("vt-cap-rot", command="i=0; while [ $i -lt 40 ]; do echo $i > /etc/w$i; "
                                              "i=$((i+1)); sleep 0.1; done")
    v.stop()
    files = sorted((f for f in os.listdir(os.path.dirname(base))),
                   key=lambda f: -int(f.rsplit(".", 1)[1]) if f[-1].isdigit() else 0)
    check(len(files) >= 4, "a file a second over 4 s", *files)
    seen = set()
    for name in files:
        path = os.path.join(os.path.dirname(base), name)
        objs = replay(path, "--events")
        writes = [e for e in events(objs, "write", cid) if e["file"]["path"].startswith("/etc/w")]
        seen |= {int(e["file"]["path"][6:]) for e in writes}
        for a in alerts(objs, "container_rootfs_write", cid):
            # known in this file alone: the container's metadata and the writing process
            check(a["container"].get("name") == "vt-cap-rot", "%s: container metadata" % name,
                  a)
            check(a["process"].get("exe") == "/bin/busybox", "%s: the process's exe" % name, a)
        r = sh(VIGIL, "replay", "--stats", path)
        if writes:
            check("vt-cap-rot" in r.stdout, "%s: --stats names the container" % name, r.stdout)
    check(seen == set(range(40)), "every write is in one of the files (missing %s)" %
          sorted(set(range(40)) - seen))


def test_capture_rotation_by_size():
    base = os.path.join(tempfile.mkdtemp(dir=WORK), "size.vcap")
    v = Vigil("--record", base, "--record-max-size", "4K", "--record-files", "2")
    run_container("vt-cap-size", command="i=0; while [ $i -lt 3000 ]; do echo $i > /tmp/s$i; "
                                         "i=$((i+1)); done; sleep 1.5")
    v.stop()
    names = sorted(os.listdir(os.path.dirname(base)))
    check(names == ["size.vcap", "size.vcap.1", "size.vcap.2"], "FILE, FILE.1, FILE.2",
          *["%s %d" % (n, os.path.getsize(os.path.join(os.path.dirname(base), n))) for n in names])
    for n in names:
        replay(os.path.join(os.path.dirname(base), n))


def test_make_install_into_destdir():
    dest = tempfile.mkdtemp(dir=WORK)
    r = sh("make", "-C", ROOT, "-s", "install", "DESTDIR=" + dest, "PREFIX=/usr")
    sbin = os.path.join(dest, "usr/sbin/vigil")
    check(os.access(sbin, os.X_OK), "the program in PREFIX/sbin", r.stdout)
    with open(sbin, "rb") as a, open(VIGIL, "rb") as b:
        check(a.read() == b.read(), "the built program")
    check(os.path.exists(os.path.join(dest, "usr/share/man/man8/vigil.8")), "vigil(8)")
    with open(os.path.join(dest, "usr/lib/systemd/system/vigil.service")) as f:
        unit = f.read()
    check("ExecStart=/usr/sbin/vigil run " in unit and "/usr/local" not in unit,
          "the unit runs the installed program", unit)
    policy = os.path.join(dest, "etc/vigil/policy.json")
    with open(policy) as a, open(os.path.join(ROOT, "deploy/policy.json")) as b:
        check(a.read() == b.read(), "the default policy in /etc/vigil")
    with open(policy, "w") as f:
        f.write('{"version": 1}\n')
    r = sh("make", "-C", ROOT, "-s", "install", "DESTDIR=" + dest, "PREFIX=/usr")
    with open(policy) as f:
        check(f.read() == '{"version": 1}\n', "a local policy survives a reinstall")
    check(os.path.exists(policy + ".new") and "kept" in r.stdout,
          "the new default beside it", r.stdout)
    shutil.rmtree(dest)


def test_shipped_units_and_manifests_lint_clean():
    r = sh(os.path.join(ROOT, "tools", "lint-deploy"), check_rc=False)
    check(r.returncode == 0 and r.stdout.strip().endswith("lint-deploy: ok"),
          "tools/lint-deploy", r.stdout + r.stderr)


def test_bad_agent_options_exit_2_naming_the_fix():
    cases = [
        (["--output-max-size", "10", "--output", "/tmp/x"], "--output-max-size 10"),
        (["--output-max-size", "1M"], "--output FILE"),
        (["--output-files", "many"], "--output-files many"),
        (["--syslog", "--output", "/tmp/x"], "--events-output"),
        (["--syslog-address", "tcp:127.0.0.1:514"], "udp:HOST:PORT"),
        (["--syslog-facility", "nope"], "local0"),
        (["--metrics-address", "0.0.0.0:9101"], "--metrics-allow-remote"),
        (["--metrics-address", "127.0.0.1:99999"], "--metrics-address 127.0.0.1:99999"),
        (["--metrics-allow-remote"], "--metrics-address"),
        (["--stats-interval", "0"], "--stats-interval 0"),
        (["--record-max-age", "soon", "--record", "/tmp/x"], "--record-max-age soon"),
        (["--record-max-size", "1M"], "--record FILE"),
        (["--record-files", "-1", "--record", "/tmp/x"], "--record-files -1"),
    ]
    for args, needle in cases:
        r = sh(VIGIL, "run", *args, check_rc=False)
        check(r.returncode == 2 and r.stderr.count("\n") == 1 and needle in r.stderr and
              r.stderr.startswith("vigil: "), "vigil run %s: exit 2, one line" % " ".join(args),
              r.stderr)


def test_a_refused_capability_hook_is_said_at_start_and_in_version():
    """Capability checks come through the best hook the kernel allows, chosen at run time: here
    the cap_capable tracepoint (`vigil version` names it and reports nothing unmonitored). Where
    no hook works (VIGIL_CAP_HOOK=fexit: this kernel refuses tracing programs), capability use
    is not monitored and `vigil run` says so in one warning line at start, `vigil version` too,
    while everything else is still reported: the container's chown gives an exec and a write
    but no capability event."""
    ver = sh(VIGIL, "version").stdout
    check("capability checks: tp_btf/cap_capable" in ver and
          "not monitored on this kernel: nothing" in ver, "version names the tracepoint", ver)
    env = {"VIGIL_CAP_HOOK": "fexit"}
    ver = sh(VIGIL, "version", env=dict(os.environ, **env)).stdout
    check("capability checks: none" in ver and
          "not monitored on this kernel: capability use (cap_capable: VIGIL_CAP_HOOK=fexit"
          in ver, "version names the gap", ver)
    out = os.path.join(WORK, "cap-refused.json")
    v = Agent("--events", "--format", "json", "--output", out, env=env)
    cid = run_container("vt-caprefused", command="touch /tmp/c && chown 1000 /tmp/c")
    v.stop()
    err = v.stderr()
    warnings = [l for l in err.splitlines() if l.startswith("vigil: warning: not monitored")]
    check(len(warnings) == 1 and "capability use (cap_capable: VIGIL_CAP_HOOK=fexit" in warnings[0]
          and err.index(warnings[0]) < err.index("vigil: ready"),
          "one warning line before ready", err)
    objs = read_json_lines(out)
    check(events(objs, "exec", cid) and events(objs, "write", cid),
          "the rest is still reported", *objs[:5])
    check(not events(objs, "capable", cid), "no capability event without a hook",
          *events(objs, "capable", cid)[:3])
