"""Issue 15: every profile verified by applying it. For three workloads on podman and on Docker,
the capture's docker-run (and seccomp) output, applied to the same workload, gives the same exit
status and output; under the same flags an action outside the profile fails with the kernel's
error; --format advice lists exactly the findings the configuration and behaviour imply, and none
for the container started with the advised flags."""
import json
import os
import shlex

import yaml

from vigiltest import DOCKER, IMAGE, VIGIL, WORK, Vigil, check, ensure_docker, sh

BASE_FINDINGS = {"capabilities", "read_only_rootfs", "no_new_privileges", "memory_limit",
                 "cpu_limit"}
# name: (flags it is started with, command, findings its first run must have, by engine)
WORKLOADS = {
    # root, uses CAP_CHOWN, writes under /var/cache/app only
    "root": ([], "mkdir -p /var/cache/app && echo data > /var/cache/app/f && "
                 "chown 1000 /var/cache/app/f && cat /var/cache/app/f",
             {"podman": BASE_FINDINGS, "docker": BASE_FINDINGS}),
    # non-root, writes its tmpfs only, connects to a loopback port it serves
    "user": (["--user", "1000:1000", "--tmpfs", "/scratch"],
             "echo t > /scratch/t && httpd -p 127.0.0.1:8080 -h /scratch && "
             "probe connect-tcp 127.0.0.1 8080 && cat /scratch/t",
             {"podman": BASE_FINDINGS, "docker": BASE_FINDINGS}),
    # binds a port below 1024 (httpd returns once bound). podman uses CAP_NET_BIND_SERVICE for
    # it; Docker sets net.ipv4.ip_unprivileged_port_start=0 in the container, so root is not
    # needed there and the advice says to drop it
    "lowport": ([], "httpd -p 80 -h /tmp && echo bound",
                {"podman": BASE_FINDINGS, "docker": BASE_FINDINGS | {"user"}}),
}
LIMITS = ["--memory", "64m", "--cpus", "0.5"]


def tool(engine):
    return DOCKER if engine == "docker" else "podman"


def run(engine, name, flags, command):
    t = tool(engine)
    sh(t, "rm", "-f", name, check_rc=False)
    r = sh(t, "run", "--name", name, *flags, IMAGE, "sh", "-c", command, check_rc=False)
    sh(t, "rm", "-f", name, check_rc=False)
    return r


def record(engine, name, flags, command, path):
    v = Vigil("--record", path, "--syscalls")
    try:
        r = run(engine, name, flags, command)
    finally:
        v.stop()
    return r


def advised_flags(path, name):
    """The flags of the docker-run output (its --name and image left out), its seccomp file
    written beside the capture."""
    r = sh(VIGIL, "profile", path, "--container", name, "--format", "docker-run")
    text = "\n".join(l for l in r.stdout.splitlines() if not l.startswith("#"))
    words = shlex.split(text.replace("\\\n", " "))
    check(words[:2] == ["docker", "run"], "docker-run output is a docker run", r.stdout)
    words = words[2:-1]  # the image last
    seccomp = path + ".seccomp.json"
    sh(VIGIL, "profile", path, "--container", name, "--format", "seccomp", "--output", seccomp)
    flags = []
    i = 0
    while i < len(words):
        if words[i] == "--name":
            i += 2
            continue
        w = words[i]
        if w.startswith("seccomp="):
            w = "seccomp=" + seccomp
        flags.append(w)
        i += 1
    return flags


def compose_run(path, name, command):
    """The compose output (with the seccomp file and the workload's command added) applied
    with Debian's docker-compose under a project name of its own; its run's result."""
    doc = yaml.safe_load(sh(VIGIL, "profile", path, "--container", name, "--format",
                            "compose").stdout)
    service = doc["services"][name]
    service["command"] = ["sh", "-c", command]
    service.setdefault("security_opt", []).append("seccomp:" + path + ".seccomp.json")
    compose = path + ".compose.yml"
    with open(compose, "w") as f:
        yaml.safe_dump(doc, f)
    project = ["docker-compose", "-p", name.replace("-", ""), "-f", compose]
    try:
        return sh(*project, "run", "--rm", "-T", name, check_rc=False)
    finally:
        sh(*project, "down", "--remove-orphans", check_rc=False)


def findings(path, name):
    r = sh(VIGIL, "profile", path, "--container", name, "--format", "advice")
    doc = json.loads(r.stdout)  # not a terminal: JSON
    check(len(doc) == 1, "one advice for %s" % name, r.stdout)
    return {row["check"] for row in doc[0]["rows"] if row["status"] == "finding"}, doc[0]


def closed_loop(engine):
    for key, (flags, command, expected) in WORKLOADS.items():
        name = "vt-loop-%s-%s" % (engine, key)
        path = os.path.join(WORK, "%s.vcap" % name)
        first = record(engine, name, flags, command, path)
        got, doc = findings(path, name)
        check(got == expected[engine], "%s: advice findings" % name, got, doc)
        advised = advised_flags(path, name)
        again = run(engine, name, advised, command)
        check((again.returncode, again.stdout) == (first.returncode, first.stdout),
              "%s under %s: same exit and output" % (name, advised),
              (first.returncode, first.stdout, first.stderr),
              (again.returncode, again.stdout, again.stderr))
        if engine == "docker":
            composed = compose_run(path, name, command)
            check((composed.returncode, composed.stdout) == (first.returncode, first.stdout),
                  "%s under docker-compose: same exit and output" % name,
                  (composed.returncode, composed.stdout, composed.stderr))
        # outside the profile: the kernel refuses
        r = run(engine, name, advised, "echo x > /etc/vigil-loop")
        check(r.returncode != 0 and "Read-only file system" in r.stderr,
              "%s: write to /etc refused with EROFS" % name, r.returncode, r.stderr)
        r = run(engine, name, advised, "chown 1 /etc/passwd")
        check(r.returncode != 0 and ("Read-only file system" in r.stderr or
                                     "not permitted" in r.stderr),
              "%s: chown of /etc/passwd refused (EROFS/EPERM)" % name, r.returncode, r.stderr)
        r = run(engine, name, advised, "probe new-mount /mnt")
        check(r.returncode != 0 and "Operation not permitted" in r.stderr,
              "%s: a mount refused with EPERM" % name, r.returncode, r.stderr)
        # started with the advice (and limits): nothing left to change
        path2 = os.path.join(WORK, "%s-advised.vcap" % name)
        # (the user change is the advice's own: docker-run keeps the user the capture showed)
        user = ["--user", "1000:1000"] if "user" in got else []
        applied = record(engine, name, advised + LIMITS + user, command, path2)
        check((applied.returncode, applied.stdout) == (first.returncode, first.stdout),
              "%s with the advice applied: same exit and output" % name, applied.stderr)
        got2, doc = findings(path2, name)
        check(got2 == set(), "%s started with the advised flags: no finding" % name, doc)


def test_closed_loop_podman():
    """podman: record -> docker-run + seccomp -> same result; outside the profile refused;
    advice exact, and empty once applied."""
    closed_loop("podman")


def test_closed_loop_docker():
    """The same with Debian's Docker engine, and the compose output applied with
    docker-compose."""
    ensure_docker()
    closed_loop("docker")


def test_short_or_unfinished_observation_warns():
    """A container recorded for seconds, still running when the recording stopped: profile
    warns on stderr that it was observed under a minute and seen starting but not stopping;
    one that ran to its end within the same capture gets only the first warning."""
    path = os.path.join(WORK, "vt-loop-unfinished.vcap")
    name, finished = "vt-loop-unfinished", "vt-loop-finished"
    v = Vigil("--record", path)
    try:
        sh("podman", "rm", "-f", name, check_rc=False)
        sh("podman", "run", "-d", "--name", name, IMAGE, "sh", "-c",
           "echo started > /tmp/s; exec sleep 600")
        run("podman", finished, [], "echo done > /tmp/d")
        sh("podman", "exec", name, "cat", "/tmp/s")  # it has started and written
    finally:
        v.stop()
        sh("podman", "rm", "-f", "-t", "0", name, check_rc=False)
    r = sh(VIGIL, "profile", path, "--format", "json")
    lines = r.stderr.splitlines()
    for n in (name, finished):
        check(any(n + " was observed for" in l and "under a minute" in l for l in lines),
              "%s: short warning" % n, r.stderr)
    check(any(name + " was seen starting but not stopping" in l for l in lines),
          "unfinished warning", r.stderr)
    check(not any(finished + " was seen starting" in l for l in lines),
          "finished container: no unfinished warning", r.stderr)
    doc = json.loads(r.stdout)
    prof = [p for p in doc["profiles"] if p["name"] == name][0]
    check(prof["observed_seconds"] < 60 and prof["last_new"], "confidence fields", prof)
