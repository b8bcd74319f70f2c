"""The processes a benchmark starts and watches: commands run, monitors started until ready
and stopped, their CPU time, memory and BPF programs read from /proc; perf profiles read back;
the floor's hooks compared with vigil's. Shared by tools/bench/run's phases."""
import json
import os
import re
import signal
import subprocess
import sys
import time

from benchreport import read

TOTALS_RE = re.compile(r"vigil: stopped: (\d+) events, (\d+) alerts \((\d+) repeats\), (\d+) lost")


class BenchError(Exception):
    pass


def log(*args):
    print("bench:", *args, file=sys.stderr, flush=True)


def sh(*args, check=True, **kw):
    r = subprocess.run(list(args), capture_output=True, text=True, **kw)
    if check and r.returncode != 0:
        raise BenchError("command failed (%d): %s\n%s%s" % (r.returncode, " ".join(args),
                                                             r.stdout, r.stderr))
    return r


# ---- processes: CPU time, memory, BPF programs ----

def proc_cpu_ns(pids):
    """CPU time of every thread of pids, from schedstat (ns; utime+stime at tick resolution
    where schedstat is missing)."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            tids = os.listdir("/proc/%d/task" % pid)
        except OSError:
            continue
        for tid in tids:
            s = read("/proc/%d/task/%s/schedstat" % (pid, tid))
            if s:
                total += int(s.split()[0])
                continue
            st = read("/proc/%d/task/%s/stat" % (pid, tid))
            if st:
                f = st[st.rindex(")") + 2:].split()
                total += (int(f[11]) + int(f[12])) * 1000000000 // tick
    return total


def proc_status_kib(pid, field):
    for line in read("/proc/%d/status" % pid).splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def bpf_prog_fds(pid):
    """prog_id -> (run_time_ns, run_cnt) for the BPF programs pid holds open."""
    out = {}
    try:
        fds = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return out
    for fd in fds:
        try:
            if os.readlink("/proc/%d/fd/%s" % (pid, fd)) != "anon_inode:bpf-prog":
                continue
        except OSError:
            continue
        info = {}
        for line in read("/proc/%d/fdinfo/%s" % (pid, fd)).splitlines():
            k, _, v = line.partition(":")
            info[k.strip()] = v.strip()
        if "prog_id" in info:
            out[int(info["prog_id"])] = (int(info.get("run_time_ns", 0)),
                                         int(info.get("run_cnt", 0)))
    return out


def bpf_prog_names():
    r = sh("bpftool", "-j", "prog", "show", check=False)
    try:
        return {p["id"]: p.get("name", "?") for p in json.loads(r.stdout or "[]")}
    except ValueError:
        return {}


def foreign_monitors():
    """Processes other than ours holding BPF programs: they slow every condition alike."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        n = len(bpf_prog_fds(int(d)))
        if n:
            cmd = read("/proc/%s/cmdline" % d).replace("\0", " ").strip()
            found.append({"pid": int(d), "programs": n, "cmdline": cmd[:200]})
    return found


EPOLL_WAIT_NRS = {"232", "281", "441"} if os.uname().machine == "x86_64" else {"22", "441"}


class Monitor:
    """One condition's monitoring processes: started, ready, measured, stopped."""

    work_dir = "/tmp"  # where their stderr goes: the run sets its own

    def __init__(self, name, argvs, ready_text=None):
        self.name = name
        self.argvs = argvs
        self.ready_text = ready_text
        self.procs = []
        self.err_paths = []

    @property
    def pids(self):
        return [p.pid for p in self.procs]

    def stderr(self):
        return "".join(read(p) for p in self.err_paths)

    def start(self, timeout=90):
        for i, argv in enumerate(self.argvs):
            path = os.path.join(Monitor.work_dir, "%s-%d-%d.err" % (self.name, i, time.monotonic_ns()))
            self.err_paths.append(path)
            with open(path, "w") as err:
                self.procs.append(subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err,
                                                   stdin=subprocess.DEVNULL))
        deadline = time.monotonic() + timeout
        pending = list(range(len(self.procs)))
        streak = {}
        while pending:
            if time.monotonic() > deadline:
                self.stop()
                raise BenchError("%s not ready after %d s:\n%s" % (self.name, timeout,
                                                                     self.stderr()[-2000:]))
            for i in list(pending):
                p = self.procs[i]
                if p.poll() is not None:
                    err = self.stderr()
                    self.stop()
                    raise BenchError("%s exited %d before it was ready:\n%s" %
                                     (self.name, p.returncode, err[-2000:]))
                if self.ready_text:
                    ok = self.ready_text in read(self.err_paths[i])
                else:
                    # attached and waiting for events: the main thread sleeps in epoll
                    # (wchan can read "0" for a sleeping task; the system call it is
                    # blocked in says it too: epoll_wait, epoll_pwait, epoll_pwait2)
                    ok = ("epoll" in read("/proc/%d/wchan" % p.pid) or
                          read("/proc/%d/syscall" % p.pid).split(" ")[0] in EPOLL_WAIT_NRS)
                    streak[i] = streak.get(i, 0) + 1 if ok else 0
                    ok = streak[i] >= 3
                if ok:
                    pending.remove(i)
            time.sleep(0.05)

    def cpu_ns(self):
        return proc_cpu_ns(self.pids)

    def hwm_kib(self):
        return sum(proc_status_kib(pid, "VmHWM") or 0 for pid in self.pids)

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p in self.procs:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        return self.stderr()


def vigil_totals(stderr):
    m = None
    for m in TOTALS_RE.finditer(stderr):
        pass
    if not m:
        return None
    return {"events": int(m.group(1)), "alerts": int(m.group(2)), "repeats": int(m.group(3)),
            "lost": int(m.group(4))}


# ---- perf profiles ----

PERF_LINE = re.compile(r"^\s+([\d.]+)%\s+(?:(\S+)\s+)?\[(.)\]\s+(.+?)\s*$")


def perf_top(data, n=12, comm=None, dso=False):
    """[(percent, symbol)] from a perf.data file: the n hottest symbols."""
    args = ["perf", "report", "-i", data, "--stdio", "--no-children", "-g", "none",
            "--percentage", "relative", "--sort", "dso,sym" if dso else "sym"]
    if comm:
        args += ["--comm", comm]
    out = []
    for line in sh(*args, check=False).stdout.splitlines():
        m = PERF_LINE.match(line)
        if m:
            sym = m.group(4)
            if m.group(2):
                sym = "%s %s" % (m.group(2), sym)
            out.append([float(m.group(1)), sym])
        if len(out) >= n:
            break
    return out


# ---- floor drift: the floor's hooks against vigil's ----

def program_sections(obj):
    r = sh("readelf", "-SW", obj, check=False)
    secs = set()
    for m in re.finditer(r"\]\s+(\S+)\s+PROGBITS", r.stdout):
        s = m.group(1)
        if s.startswith(("tp/", "tracepoint/", "tp_btf/", "raw_tp/", "raw_tracepoint/")):
            secs.add(s.replace("tracepoint/", "tp/").replace("raw_tracepoint/", "raw_tp/"))
    return secs


HOOK_RENAMES = [("tp_btf/io_uring_submit_sqe", "tp_btf/io_uring_submit_req")]  # 6.3


def vig_alt(vig):
    """The other names of vigil's renamed hooks it carries."""
    return {b for a, b in HOOK_RENAMES if a in vig} | {a for a, b in HOOK_RENAMES if b in vig}


def floor_drift(vigil_obj, floor_obj):
    """The hooks vigil's object has and the floor's lacks, and the other way round."""
    vig = program_sections(vigil_obj)
    flo = program_sections(floor_obj)
    # the generic system-call hooks are --syscalls only, not vigil's default
    optional = {s for s in vig if s.split("/")[-1] in ("sys_enter", "sys_exit")}
    # one hook under two names (src/hooks.c, hook_other_name): vigil attaches the one the
    # kernel has, so a floor with either one matches
    for old, new in HOOK_RENAMES:
        for a, b in ((old, new), (new, old)):
            if a in vig and b in flo:
                optional.add(a)
    return {"vigil_only": sorted(vig - flo - optional), "floor_only": sorted(flo - vig - vig_alt(vig)),
            "optional_in_vigil": sorted(optional)}
