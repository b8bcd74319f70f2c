"""Issue 13: files and programs judged by what the kernel did, not by the strings a process
passed. Each test runs a real container and asserts the alert (or its absence) and the path
resolved from kernel objects."""
import json
import os
import tempfile

from vigiltest import (VIGIL, WORK, Vigil, across_a_reload, alerts, check, events,
                       run_container, sh)


def write_alert_paths(objs, cid):
    return sorted(a["event"]["file"]["path"] for a in alerts(objs, "container_rootfs_write", cid))


def test_write_tricks_resolve_to_the_file_written():
    """A symlink into /etc, a relative '..', a padded path, /proc/self/root and a dirfd-relative
    open each alert with the canonical path of the file the kernel opened; the passed string
    stays beside it."""
    pad = "/tmp" + "/." * 200 + "/../etc/padded"
    v = Vigil()
    cid = run_container(
        "vt-paths-tricks",
        command="ln -s /etc /tmp/e; echo x > /tmp/e/sym; cd /tmp; echo y > ../etc/rel; "
                "echo z > %s; echo w > /proc/self/root/etc/procroot; "
                "probe dirfd-write /etc dirfd" % pad)
    objs = v.stop()
    paths = write_alert_paths(objs, cid)
    check(paths == ["/etc/dirfd", "/etc/padded", "/etc/procroot", "/etc/rel", "/etc/sym"],
          "every trick alerts on its real path", paths)
    sym = [a for a in alerts(objs, "container_rootfs_write", cid)
           if a["event"]["file"]["path"] == "/etc/sym"][0]
    check(sym["event"]["file"]["path_passed"] == "/tmp/e/sym", "the passed string kept", sym)


def test_writes_really_ending_in_tmp_tmpfs_or_volume_raise_nothing():
    """A symlink that really leads into /tmp, a '..' that comes back to /tmp, a tmpfs and a
    volume: no write alert."""
    vol = tempfile.mkdtemp(dir=WORK)
    v = Vigil()
    cid = run_container(
        "vt-paths-benign", "--tmpfs", "/mnt", "-v", "%s:/data" % vol,
        command="mkdir /tmp/d; ln -s /tmp/d /tmp/l; echo a > /tmp/l/f; "
                "echo b > /tmp/./d/../d/g; ln -s /mnt /tmp/m; echo c > /tmp/m/h; "
                "echo d > /data/i")
    objs = v.stop()
    check(not alerts(objs, "container_rootfs_write", cid), "nothing alerts",
          *alerts(objs, "container_rootfs_write", cid))


def test_hard_link_to_etc_is_judged_by_the_file():
    """`ln /etc/passwd /tmp/pw; echo >> /tmp/pw`: the file has another name on the root
    filesystem, so the write through /tmp/pw alerts (multilink)."""
    v = Vigil()
    cid = run_container("vt-paths-hardlink", command="ln /etc/passwd /tmp/pw; echo >> /tmp/pw")
    objs = v.stop()
    a = [a for a in alerts(objs, "container_rootfs_write", cid)
         if a["event"]["file"]["path"] == "/tmp/pw" and a["event"]["file"]["op"] == "open"]
    check(a and a[0]["event"]["file"].get("multilink"), "write through a hard link alerts",
          *alerts(objs, None, cid))
    link = [a for a in alerts(objs, "container_rootfs_write", cid)
            if a["event"]["file"]["op"] == "link"]
    check(link and link[0]["key"] == "/etc/passwd", "making the link is a write to its target",
          *alerts(objs, None, cid))


def test_name_changes_resolve_their_directory():
    """mkdir, rename, unlink, link and symlink relative to a working directory in /etc (also
    one reached through /proc/self/root) alert on the absolute path, the directory resolved
    from kernel objects; a hard link to /etc/passwd made in /tmp is a write to /etc/passwd;
    an O_TMPFILE file linked into /etc is a write there; a rename into a directory symlink the
    container made (/tmp/e -> /etc) is a rename into /etc."""
    v = Vigil()
    cid = run_container(
        "vt-paths-names",
        command="echo x > /tmp/f; echo y > /tmp/g; cd /etc; mkdir reldir; mv /tmp/f moved; "
                "rm group; ln /tmp/g hard; ln -s /tmp/x soft; "
                "cd /proc/self/root/etc && mkdir viaproc; cd /tmp; ln /etc/passwd /tmp/pw; "
                "probe tmpfile-link /tmp /etc/tmpf; ln -s /etc /tmp/e; echo z > /tmp/z; "
                "mv /tmp/z /tmp/e/viasym")
    objs = v.stop()
    found = {}
    for a in alerts(objs, "container_rootfs_write", cid):
        f = a["event"]["file"]
        found.setdefault(f["op"], []).append(a)
    paths = {a["event"]["file"]["path"] for x in found.values() for a in x}
    for path in ("/etc/reldir", "/etc/group", "/etc/hard", "/etc/soft", "/etc/viaproc",
                 "/etc/tmpf"):
        check(path in paths, "no alert on " + path, *alerts(objs, None, cid))
    ren = {a["event"]["file"]["new_path"]: a for a in found.get("rename", [])}
    check("/etc/moved" in ren and ren["/etc/moved"]["event"]["file"]["new_path_passed"] ==
          "moved", "rename into /etc", *ren.values())
    check("/etc/viasym" in ren and ren["/etc/viasym"]["event"]["file"].get("symlinks_followed"),
          "rename through the container's own symlink into /etc", *found.get("rename", []))
    links = [a for a in found.get("link", []) if a["event"]["file"]["path"] == "/tmp/pw"]
    check(links and links[0]["event"]["file"]["target"] == "/etc/passwd" and
          "/etc/passwd" in links[0]["message"], "a link to /etc/passwd is a write to it",
          *found.get("link", []))
    mk = [a for a in found.get("mkdir", []) if a["event"]["file"]["path"] == "/etc/reldir"]
    check(mk and mk[0]["event"]["file"]["path_passed"] == "reldir" and
          mk[0]["event"]["file"].get("path_joined") is True, "relative name joined", *mk)


def test_name_changes_in_tmp_raise_nothing():
    """The same calls in /tmp, relative and absolute, and a symlink in /tmp whose text names
    /etc: nothing alerts."""
    v = Vigil()
    cid = run_container(
        "vt-paths-names-ok",
        command="cd /tmp; echo x > f; mkdir d; mv f d/f2; ln d/f2 h; ln -s /etc/passwd s; "
                "rm h; mv d /tmp/e; probe tmpfile-link /tmp /tmp/t")
    objs = v.stop()
    check(not alerts(objs, "container_rootfs_write", cid), "nothing alerts",
          *alerts(objs, "container_rootfs_write", cid))


def test_exe_is_the_file_executed():
    """process.exe is the file the kernel ran: /bin/busybox for sh and applets, and for
    /proc/self/exe; the execve path stays beside it; the image's programs are 'image'."""
    v = Vigil("--events")
    cid = run_container("vt-paths-exe", command="id >/dev/null; /proc/self/exe true; true")  # busybox: no applet "exe"
    objs = v.stop()
    execs = [e for e in events(objs, "exec", cid) if not e["process"].get("runtime_setup")]
    check(execs and all(e["process"]["exe"] == "/bin/busybox" for e in execs),
          "every exec is /bin/busybox", *execs)
    check(any(e["exec"]["execve_path"] == "/proc/self/exe" for e in execs),
          "/proc/self/exe kept as the execve path", *execs)
    check(all(e["exec"]["origin"] == "image" for e in execs), "image origin", *execs)
    setup = [e for e in events(objs, "exec", cid) if e["process"].get("runtime_setup")]
    check(setup and setup[0]["exec"]["origin"] == "memory", "runc init runs from a copy", *setup)
    check(not alerts(objs, "container_drift_exec", cid), "runc's set-up is not drift",
          *alerts(objs, "container_drift_exec", cid))


def test_drift_from_rootfs_tmpfs_and_memfd():
    """A copied binary run from the root filesystem (upper layer), from an exec tmpfs and from
    a memfd each raise container_drift_exec with its origin."""
    v = Vigil()
    cid = run_container(
        "vt-paths-drift", "--tmpfs", "/mnt:exec",
        command="cp /bin/busybox /bin/copy; /bin/copy true; cp /bin/busybox /mnt/copy; "
                "/mnt/copy true; probe memfd-exec /bin/busybox true")
    objs = v.stop()
    drift = alerts(objs, "container_drift_exec", cid)
    got = sorted((a["process"]["exe"].split(" ")[0], a["event"]["exec"]["origin"]) for a in drift)
    check(got == [("/bin/copy", "upper"), ("/mnt/copy", "mount"), ("memfd:drift", "memory")],
          "three drifts", got, *drift)
    check(all(a["severity"] == "high" for a in drift), "high", *drift)


def test_image_programs_and_scripts_are_not_drift():
    """The image's programs, a script written into the container and run by the image's shell
    (`sh script` and `./script` with a #! line: the kernel runs /bin/sh) and runc's set-up
    (its memfd self-exec) raise no drift."""
    v = Vigil()
    cid = run_container(
        "vt-paths-nodrift",
        command="printf '#!/bin/sh\\ntrue\\n' > /tmp/s.sh; chmod +x /tmp/s.sh; sh /tmp/s.sh; "
                "/tmp/s.sh; ls / >/dev/null")
    objs = v.stop()
    check(not alerts(objs, "container_drift_exec", cid), "no drift",
          *alerts(objs, "container_drift_exec", cid))


def test_allow_drift_and_drift_allowed_paths():
    """drift_allowed_paths allows a path and below; allow_drift allows everything."""
    pol = tempfile.NamedTemporaryFile("w", suffix=".json", dir=WORK, delete=False)
    pol.write('{"default": {"drift_allowed_paths": ["/opt"]}}')
    pol.close()
    v = Vigil("--policy", pol.name)
    cid = run_container(
        "vt-paths-driftok",
        command="mkdir -p /opt; cp /bin/busybox /opt/ok; /opt/ok true; "
                "cp /bin/busybox /bin/bad; /bin/bad true; true")  # no applets "ok", "bad"
    objs = v.stop()
    got = [a["process"]["exe"] for a in alerts(objs, "container_drift_exec", cid)]
    check(got == ["/bin/bad"], "only /bin/bad", got)


def test_profile_learns_drift_and_its_policy_allows_it():
    """A recorded container that ran a copied binary and a memfd program: the profile's policy
    allows that drift (the path in drift_allowed_paths, memory by allow_drift), and replaying
    the capture with that policy raises no drift."""
    path = os.path.join(WORK, "paths-drift.vcap")
    v = Vigil("--record", path)
    run_container("vt-paths-prof",
                  command="cp /bin/busybox /bin/copy; /bin/copy true; "
                          "probe memfd-exec /bin/busybox true; true")
    v.stop()
    pol = sh(VIGIL, "profile", path, "--container", "vt-paths-prof", "--format", "policy").stdout
    entry = json.loads(pol)["containers"][0]
    check(entry["drift_allowed_paths"] == ["/bin/copy"] and entry["allow_drift"],
          "drift learnt", entry)
    pol_file = os.path.join(WORK, "paths-drift-policy.json")
    with open(pol_file, "w") as f:
        f.write(pol)
    out = sh(VIGIL, "replay", path, "--policy", pol_file, "--format", "json").stdout
    replayed = [json.loads(l) for l in out.splitlines() if l.strip()]
    check(not alerts(replayed, "container_drift_exec"), "no drift with the learnt policy",
          *alerts(replayed, "container_drift_exec"))
    out = sh(VIGIL, "replay", path, "--format", "json").stdout
    replayed = [json.loads(l) for l in out.splitlines() if l.strip()]
    check(len(alerts(replayed, "container_drift_exec")) == 2, "two drifts by default",
          *alerts(replayed, "container_drift_exec"))


def test_same_relative_name_in_another_directory_is_not_a_repeat():
    """Alerts only, the kernel counts repeats of a write instead of sending them: keyed by the
    resolved path, `x` written (and alerted) in /var first and then in /etc alerts on /etc/x
    too (keyed by the string, the second would be counted as a repeat of the first)."""
    v = Vigil()
    cid = run_container("vt-paths-relrepeat",
                        command="cd /var; echo a > x; echo a > x; cd /etc; echo b > x")
    objs = v.stop()
    check(write_alert_paths(objs, cid) == ["/etc/x", "/var/x"], "/etc/x alerts too",
          *alerts(objs, None, cid))


def test_allowed_directory_moved_or_renamed_is_walked_again():
    """Alerts only. Files written many times in an allowed directory are judged from a cache
    of that directory (no path walk); once the directory is moved into /etc, the file itself
    is moved there, or a parent directory is renamed, the next write alerts on its new path."""
    policy = os.path.join(WORK, "paths-cache.json")
    with open(policy, "w") as f:
        json.dump({"version": 1, "default": {"allow_root": True,
                                             "writable_paths": ["/tmp", "/srv"]}}, f)
    loop = "i=0; while [ $i -lt 300 ]; do echo $i > %s; i=$((i+1)); done"
    v = Vigil("--policy", policy)
    cid = run_container(
        "vt-paths-cache",
        command="; ".join([
            "mkdir -p /tmp/d /srv/a", loop % "/tmp/d/f", loop % "/tmp/g", loop % "/srv/a/f",
            "mv /tmp/d /etc/d", "mv /tmp/g /etc/g", "mv /srv /srv2",
            loop % "/etc/d/f", loop % "/etc/g", loop % "/srv2/a/f"]))
    objs = v.stop()
    found = alerts(objs, "container_rootfs_write", cid)
    reps = [o for o in objs if o.get("kind") == "repeat" and o["container_id"] == cid]
    for key in ("/etc/d/f", "/etc/g", "/srv2/a/f"):
        # the move's own alert is keyed by where it leads: the writes may be its repeats
        opens = [a for a in found if a["key"] == key and a["event"]["file"]["op"] == "open"]
        seen = len(opens) + sum(r["count"] for r in reps if r["key"] == key)
        check(seen == 300, "all 300 writes to %s after the move alert (%d)" % (key, seen),
              *found)
    check(not [a for a in found if a["event"]["file"]["op"] == "open" and
               a["key"].startswith(("/tmp/", "/srv/"))], "the writes before stay silent", *found)


def test_allowed_directory_judged_anew_after_a_policy_reload():
    """Alerts only: writes to /tmp/w that the policy allows raise nothing (the kernel judges
    them from its cache of /tmp); after a reload that no longer allows /tmp, the next ones
    alert."""
    objs, cid = across_a_reload(
        "vt-paths-reload", command="i=1; while [ $i -le 3000 ]; do echo $i > /tmp/w; "
                                   "echo sent $i; i=$((i+1)); sleep 0.005; done",
        policy=os.path.join(WORK, "paths-reload.json"),
        first={"version": 1, "default": {"allow_root": True, "writable_paths": ["/tmp"]}},
        second={"version": 1, "default": {"allow_root": True, "writable_paths": ["/run"]}})
    found = alerts(objs, "container_rootfs_write", cid)
    check([a["key"] for a in found] == ["/tmp/w"], "the writes no longer allowed alert", *found)
