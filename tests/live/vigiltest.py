"""Shared scaffolding for vigil's live tests: real kernel, real podman + runc containers.

Each test module defines functions named test_*; run.py runs them all. A test starts
`vigil run` (wait for "vigil: ready"), drives a container, stops vigil with SIGINT and
asserts on the JSON lines it printed.
"""
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tarfile
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VIGIL = os.path.join(ROOT, "build", "vigil")
APPLETS = ["sh", "id", "sleep", "ls", "cat", "chown", "mount", "touch", "nc", "true",
           "echo", "setpriv", "start-stop-daemon", "logger", "mkdir", "rm", "mv", "su", "umount",
           "unshare", "ln", "dd"]
PROBE_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "probe", "probe.c")


def _image_tag():
    """The image's tag names what is in it: a changed probe or applet list makes a new
    image (podman's store is shared by every run on the machine, CI's clean clones too)."""
    h = hashlib.sha256()
    with open(PROBE_SRC, "rb") as f:
        h.update(f.read())
    h.update(" ".join(APPLETS).encode())
    return h.hexdigest()[:12]


IMAGE = "localhost/vigil-live:" + _image_tag()
WORK = tempfile.mkdtemp(prefix="vigil-live-")

# podman on this kind of host: runc (crun refuses hybrid cgroups), cgroupfs, no rlimits
CONF = os.path.join(WORK, "containers.conf")
with open(CONF, "w") as f:
    f.write('[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\n'
            'runtime = "runc"\n')
os.environ["CONTAINERS_CONF"] = CONF



class Failure(AssertionError):
    pass


def check(cond, message, *context):
    if not cond:
        detail = "\n".join(json.dumps(c)[:2000] if not isinstance(c, str) else c[:4000]
                           for c in context)
        raise Failure(message + ("\n" + detail if detail else ""))


def sh(*args, check_rc=True, **kw):
    r = subprocess.run(list(args), capture_output=True, text=True, **kw)
    if check_rc and r.returncode != 0:
        raise Failure("command failed (%d): %s\n%s%s" % (r.returncode, " ".join(args),
                                                         r.stdout, r.stderr))
    return r


def build_image():
    """A busybox image with a non-root user and a set-uid root copy of busybox."""
    if sh("podman", "image", "exists", IMAGE, check_rc=False).returncode == 0:
        return
    busybox = shutil.which("busybox") or "/bin/busybox"
    rootfs = os.path.join(WORK, "rootfs")
    for d in ["bin", "etc", "tmp", "var/cache", "mnt", "data", "run", "suid"]:
        os.makedirs(os.path.join(rootfs, d), exist_ok=True)
    os.chmod(os.path.join(rootfs, "tmp"), 0o1777)
    shutil.copy(busybox, os.path.join(rootfs, "bin", "busybox"))
    # the system calls busybox can't make (a unix-socket connect ...)
    sh("gcc", "-static", "-O2", "-o", os.path.join(rootfs, "bin", "probe"), PROBE_SRC)
    shutil.copy(busybox, os.path.join(rootfs, "bin", "suid-busybox"))
    os.chmod(os.path.join(rootfs, "bin", "suid-busybox"), 0o4755)
    # busybox picks the applet by name: /suid/true is `true` run set-uid root
    os.symlink("../bin/suid-busybox", os.path.join(rootfs, "suid", "true"))
    for a in APPLETS:
        os.symlink("busybox", os.path.join(rootfs, "bin", a))
    with open(os.path.join(rootfs, "etc", "passwd"), "w") as f:
        f.write("root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/tmp:/bin/sh\n")
    with open(os.path.join(rootfs, "etc", "group"), "w") as f:
        f.write("root:x:0:\napp:x:1000:\n")
    tar = os.path.join(WORK, "rootfs.tar")
    with tarfile.open(tar, "w") as t:
        t.add(rootfs, arcname=".")
    sh("podman", "import", tar, IMAGE)


DOCKER = "/usr/bin/docker"  # Debian's client: another docker may come first on PATH
DOCKERD_LOG = os.path.join(WORK, "dockerd.log")
_dockerd = None  # the engine this run started, stopped by stop_docker()


def docker_up():
    return subprocess.run([DOCKER, "info"], capture_output=True).returncode == 0


def ensure_docker():
    """A real Docker engine (Debian's docker.io: dockerd + containerd + runc) with the test
    image loaded. The cgroups here are hybrid: dockerd needs the cgroupfs driver. One engine
    for the whole machine: a lock keeps two test runs from starting two."""
    global _dockerd
    check(os.access(DOCKER, os.X_OK), "Debian's docker.io is missing: tools/install-deps test")
    with open("/run/vigil-live-dockerd.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not docker_up():
            log = open(DOCKERD_LOG, "a")
            _dockerd = subprocess.Popen(["dockerd", "--exec-opt", "native.cgroupdriver=cgroupfs"],
                                        stdout=log, stderr=log, start_new_session=True)
            deadline = time.monotonic() + 60
            while not docker_up():
                if _dockerd.poll() is not None or time.monotonic() > deadline:
                    with open(DOCKERD_LOG) as f:
                        raise Failure("dockerd did not start:\n" + f.read()[-3000:])
                time.sleep(0.2)
        if sh(DOCKER, "image", "inspect", IMAGE, check_rc=False).returncode != 0:
            save = subprocess.Popen(["podman", "save", IMAGE], stdout=subprocess.PIPE)
            load = subprocess.run([DOCKER, "load"], stdin=save.stdout, capture_output=True,
                                  text=True)
            save.stdout.close()
            check(save.wait() == 0 and load.returncode == 0, "podman save | docker load",
                  load.stdout + load.stderr)


def stop_docker():
    """Stops the engine this run started (one already running is left alone)."""
    global _dockerd
    if _dockerd and _dockerd.poll() is None:
        _dockerd.terminate()
        try:
            _dockerd.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _dockerd.kill()
            _dockerd.wait()
    _dockerd = None


def docker_run(name, *docker_args, command, may_fail=False):
    """Runs a Docker container to completion (kept until removed); returns its full id."""
    sh(DOCKER, "rm", "-f", name, check_rc=False)
    sh(DOCKER, "run", "--name", name, *docker_args, IMAGE, "sh", "-c", command,
       check_rc=not may_fail)
    cid = sh(DOCKER, "inspect", "--format", "{{.Id}}", name).stdout.strip()
    sh(DOCKER, "rm", "-f", name, check_rc=False)
    return cid


RUNNING = []  # every Vigil started, so that a failing test can't leave one attached


def stop_all():
    """Kills what a test left running (it failed before stop())."""
    while RUNNING:
        v = RUNNING.pop()
        if v.proc.poll() is None:
            v.proc.kill()
            v.proc.wait()


def wait_for(what, cond, timeout=30, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(interval)
    raise Failure("timed out waiting for " + what)


class Vigil:
    """A running `vigil run`, stopped by stop() which returns the parsed JSON objects."""

    def __init__(self, *args, env=None):
        """env: variables added to the environment vigil runs in."""
        self.out_path = os.path.join(WORK, "vigil-%d.json" % time.monotonic_ns())
        self.err_path = self.out_path + ".err"
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen([VIGIL, "run", "--format", "json", "--output",
                                      self.out_path] + list(args),
                                     stdout=subprocess.DEVNULL, stderr=self.err,
                                     env=dict(os.environ, **(env or {})))
        RUNNING.append(self)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Failure("vigil run exited %d before ready:\n%s" %
                              (self.proc.returncode, self.stderr()))
            if "vigil: ready" in self.stderr():
                return
            time.sleep(0.05)
        self.proc.kill()
        raise Failure("vigil run not ready after 60 s:\n" + self.stderr())

    def stderr(self):
        with open(self.err_path) as f:
            return f.read()

    def stop(self):
        # past the agent's poll interval, so that records written without wake-up are in
        time.sleep(0.3)
        self.proc.send_signal(signal.SIGINT)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise Failure("vigil run did not stop on SIGINT within 30 s")
        self.err.close()
        check(rc == 0, "vigil run exited %d on SIGINT" % rc, self.stderr())
        objs = []
        with open(self.out_path) as f:
            for line in f:
                objs.append(json.loads(line))
        return objs


def unix_listener(name):
    """A listening unix stream socket, open to every user, in a fresh directory under WORK;
    returns (socket, path)."""
    path = os.path.join(tempfile.mkdtemp(dir=WORK), name)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(8)
    os.chmod(path, 0o777)
    return server, path


def loopback_listener(kind=socket.SOCK_STREAM):
    """A TCP listener (or a bound UDP socket) on a free loopback port; returns (socket, port)."""
    server = socket.socket(socket.AF_INET, kind)
    server.bind(("127.0.0.1", 0))
    if kind == socket.SOCK_STREAM:
        server.listen(8)
    return server, server.getsockname()[1]


def run_container(name, *podman_args, command, may_fail=False):
    """Runs a container to completion; returns its full id."""
    sh("podman", "rm", "-f", name, check_rc=False)
    sh("podman", "run", "--name", name, *podman_args, IMAGE, "sh", "-c", command,
       check_rc=not may_fail)
    cid = sh("podman", "inspect", "--format", "{{.Id}}", name).stdout.strip()
    sh("podman", "rm", "-f", name, check_rc=False)
    return cid


def start_container(name, *podman_args, command):
    """Starts a container in the background; returns its full id."""
    sh("podman", "rm", "-f", name, check_rc=False)
    return sh("podman", "run", "-d", "--name", name, *podman_args, IMAGE, "sh", "-c",
              command).stdout.strip()


def remove_container(name):
    sh("podman", "rm", "-f", "-t", "0", name, check_rc=False)


def across_a_reload(name, *podman_args, command, policy, first, second):
    """Alerts only: vigil with the policy `first` (a dict, written to the path `policy`) and a
    container running `command`, which prints "sent N" as it goes. After 100, `second` is put
    in force by SIGHUP; after 100 more, vigil stops. Returns (objects, container id)."""
    def put(p):
        with open(policy, "w") as f:
            json.dump(p, f)

    def sent():
        out = sh("podman", "logs", name, check_rc=False).stdout
        return max([int(l.split()[1]) for l in out.splitlines() if l.startswith("sent ")] or [0])

    put(first)
    v = Vigil("--policy", policy)
    cid = start_container(name, *podman_args, command=command)
    try:
        wait_for("100 sent", lambda: sent() >= 100)
        put(second)
        v.proc.send_signal(signal.SIGHUP)
        wait_for("the reload", lambda: "policy reloaded from " + policy in v.stderr())
        at_reload = sent()
        wait_for("100 more sent", lambda: sent() >= at_reload + 100, timeout=60)
        return v.stop(), cid
    finally:
        remove_container(name)


def events(objs, type_=None, cid=None):
    return [o for o in objs if o.get("kind") == "event" and (type_ is None or o["type"] == type_)
            and (cid is None or (o.get("container") or {}).get("id") == cid)]


def alerts(objs, rule=None, cid=None):
    return [o for o in objs if o.get("kind") == "alert" and (rule is None or o["rule"] == rule)
            and (cid is None or (o.get("container") or {}).get("id") == cid)]


def exe_of(o):
    return o["process"].get("exe", "")


def args_of(o):
    return o["process"].get("args", [])
