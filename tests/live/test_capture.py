"""Issue 5: record and replay. A capture of a live podman scenario replays to the same alerts,
byte for byte; under another policy it says what that policy would have; damage is survived."""
import json
import os

from vigiltest import WORK, VIGIL, Vigil, alerts, check, run_container, sh


def record(name):
    path = os.path.join(WORK, name + ".vcap")
    v = Vigil("--record", path)
    cid = run_container(name, command="echo a > /etc/x; chown 1000 /etc/x; "
                                      "i=0; while [ $i -lt 50 ]; do echo $i > /etc/y; "
                                      "i=$((i+1)); done")
    objs = v.stop()
    return path, cid, objs, v.out_path


def alert_lines(path):
    with open(path) as f:
        return [l for l in f if json.loads(l).get("kind") == "alert"]


def test_replay_prints_the_same_alerts_as_the_live_run():
    path, cid, objs, live_out = record("vt-cap-same")
    check(alerts(objs, None, cid), "the live run alerted", *objs[-5:])
    out = os.path.join(WORK, "replay-same.json")
    r = sh(VIGIL, "replay", path, "--format", "json", "--output", out)
    check(r.returncode == 0, "replay exit 0", r.stderr)
    live, replayed = alert_lines(live_out), alert_lines(out)
    check(live == replayed, "same alerts, byte for byte (%d live, %d replayed)" %
          (len(live), len(replayed)), *(live[:2] + replayed[:2]))


def test_replay_under_a_policy_written_later():
    path, cid, objs, _ = record("vt-cap-policy")
    policy = os.path.join(WORK, "later.json")
    with open(policy, "w") as f:
        json.dump({"version": 1, "default": {"allow_root": True, "writable_paths": ["/etc"],
                                             "allowed_capabilities": ["CAP_CHOWN"]}}, f)
    r = sh(VIGIL, "replay", path, "--policy", policy, "--format", "json")
    got = [json.loads(l) for l in r.stdout.splitlines()]
    check(not alerts(got, None, cid), "the later policy allows all of it", *alerts(got)[:3])
    r = sh(VIGIL, "replay", path, "--format", "json", "--events", "--container", cid[:12])
    got = [json.loads(l) for l in r.stdout.splitlines()]
    check(got and all((o.get("container") or {}).get("id") == cid for o in got
                      if o["kind"] in ("event", "alert")),
          "--events and --container by id prefix", *got[:3])
    with open(policy, "w") as f:
        f.write('{"version": 1,\n "default": {"allow_rot": true}}\n')
    r = sh(VIGIL, "replay", path, "--policy", policy, check_rc=False)
    check(r.returncode == 2 and r.stderr.startswith(policy + ":2:14: ") and
          r.stderr.count("\n") == 1 and not r.stdout,
          "a bad policy: one FILE:LINE:COL line, exit 2, nothing replayed", r.stderr)


def test_stats_and_damage():
    path, cid, objs, _ = record("vt-cap-stats")
    r = sh(VIGIL, "replay", "--stats", path)
    check("vt-cap-stats" in r.stdout and "lost: none" in r.stdout, "stats per container",
          r.stdout)
    with open(path, "rb") as f:
        data = f.read()
    cut = os.path.join(WORK, "cut.vcap")
    with open(cut, "wb") as f:
        f.write(data[:len(data) - 7])
    r = sh(VIGIL, "replay", cut, "--format", "json", check_rc=False)
    check(r.returncode == 0 and "warning" in r.stderr, "a cut capture replays and warns",
          r.stderr)
    bad = os.path.join(WORK, "bad.vcap")
    with open(bad, "wb") as f:
        f.write(b"not a capture at all")
    r = sh(VIGIL, "replay", bad, check_rc=False)
    check(r.returncode == 2 and r.stderr.count("\n") == 1 and bad in r.stderr,
          "a non-capture is refused in one line naming the file", r.stderr)
