"""Issue 17 (hostile input): a container built to choke the agent (2 MiB of labels and a quarter
MiB of environment in its runtime state, control characters and invalid UTF-8 in its arguments
and annotations, a 100,000-argument exec, a 4,000-byte path) does not stop it: vigil keeps running,
every line it writes is valid UTF-8 JSON, its memory stays bounded, and the container's alerts
are still raised."""
import json
import os

from vigiltest import WORK, Vigil, check, remove_container, sh, start_container

def status_kib(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def test_hostile_container_does_not_blind_or_break_the_agent():
    labels = os.path.join(WORK, "hostile.labels")
    with open(labels, "w") as f:
        for i in range(20000):  # ~2 MiB of labels
            f.write("hostile.label.%d=%s\n" % (i, "L" * 90))
    envs = os.path.join(WORK, "hostile.env")
    with open(envs, "w") as f:
        # ~256 KiB of environment, in the OCI config the agent reads (more, and with the
        # 100,000 arguments the exec would pass the kernel's 2 MiB limit: E2BIG)
        for i in range(2500):
            f.write("HOSTILE_%d=%s\n" % (i, "E" * 90))
    deep = "/etc/" + "/".join(["d" * 60] * 65)  # a path of ~4,000 bytes on the root fs
    command = (
        # a 100,000-argument exec, argv with control characters and invalid UTF-8
        "set -- $(busybox seq 1 100000); /bin/true \"$@\"; "
        "/bin/true \"$(printf 'ctl\\001\\033[31m\\x7f')\" \"$(printf 'bad\\377\\376utf8')\"; "
        "mkdir -p %s && echo x > %s/f; echo y > /etc/hostile; sleep 1" % (deep, deep))
    v = Vigil("--events")
    before = status_kib(v.proc.pid, "VmHWM")
    cid = start_container("vt-hostile", "--label-file", labels, "--env-file", envs,
                          "--annotation", "hostile=\x01\x1b[2J[[[[[[[[[[]]]]]]]]]]\udcff\udcfe",
                          command=command)
    sh("podman", "wait", "vt-hostile")
    check(v.proc.poll() is None, "vigil still running after the hostile container", v.stderr())
    peak = status_kib(v.proc.pid, "VmHWM")
    # stop() parses every line as JSON; read the raw bytes first to check UTF-8 too
    objs = v.stop()
    remove_container("vt-hostile")
    with open(v.out_path, "rb") as f:
        raw = f.read()
    try:
        for line in raw.decode("utf-8").splitlines():
            json.loads(line)
    except (UnicodeDecodeError, ValueError) as e:
        check(False, "every line valid UTF-8 JSON: %s" % e)
    mine = [o for o in objs if (o.get("container") or {}).get("id") == cid]
    rules = {o["rule"] for o in mine if o["kind"] == "alert"}
    check({"container_root_exec", "container_rootfs_write"} <= rules,
          "the hostile container's alerts are raised", sorted(rules))
    writes = [o for o in mine if o["kind"] == "event" and o["type"] == "write"
              and o["file"]["path"].startswith("/etc/ddd")]
    check(writes, "the write at the end of the 4,000-byte path is reported")
    big = [o for o in mine if o["kind"] == "event" and o["type"] == "exec"
           and o["process"]["args"][:2] == ["/bin/true", "1"]]
    check(big and big[0]["process"].get("args_truncated"),
          "the 100,000-argument exec is reported, its argv cut and said so",
          *[o for o in mine if o.get("type") == "exec"][:3])
    check(peak - before < 64 * 1024, "memory bounded: VmHWM grew %d KiB" % (peak - before))
