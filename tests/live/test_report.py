"""Issue 16: investigation views of a capture. A recorded podman scenario, a parent shell whose
children trigger two different rules, shows each alert under the process that raised it in
`replay --tree`; `vigil report` writes one HTML file that headless Chromium loads with no console
error and no request but the file itself, whose DOM holds the container, each alert and the
process chain, and where a string from the container cannot become markup; the container's summary
holds its hardening advice, the findings `vigil profile --format advice` gives for it."""
import base64
import json
import os
import re
import shutil
import subprocess
import time

from vigiltest import WORK, VIGIL, Vigil, alerts, check, run_container, sh

# the child that writes /etc, and a file name built to break out of HTML if it were not escaped
INJECT = '/etc/"><script>window.pwned=1</script><img src=x onerror=window.pwned=2>'
SCENARIO = ("sh -c 'echo a > /etc/x'; chown 1000 /etc/x; touch '%s'; sleep 0.1; true" % INJECT)

_recorded = {}


def recorded():
    """One recording shared by the tests of this module: (capture, container id, live alerts)."""
    if not _recorded:
        path = os.path.join(WORK, "report.vcap")
        v = Vigil("--record", path)
        cid = run_container("vt-report", command=SCENARIO)
        objs = v.stop()
        _recorded.update(path=path, cid=cid, objs=objs)
    return _recorded["path"], _recorded["cid"], _recorded["objs"]


def tree_blocks(text):
    """pid -> the rules of the ALERT lines printed under that process's line."""
    out, current = {}, None
    for line in text.splitlines():
        m = re.match(r"^[ |`-]*(\d+)\[(\d+)\] ", line)
        if m and re.match(r"^[ |]*[|`]- ", line):
            current = int(m.group(1))
            out.setdefault(current, [])
            continue
        m = re.search(r"ALERT \w+ (\w+) ", line)
        if m and current is not None:
            out[current].append(m.group(1))
    return out


def test_tree_shows_each_alert_under_its_process():
    path, cid, objs = recorded()
    write = alerts(objs, "container_rootfs_write", cid)
    chown = alerts(objs, "container_capability_use", cid)
    check(write and chown, "the live run raised both rules", *alerts(objs)[:4])
    writer = [a for a in write if a["event"]["file"]["path"] == "/etc/x"]
    check(writer, "the /etc/x write alerted", *write)
    writer_pid, chown_pid = writer[0]["process"]["pid"], chown[0]["process"]["pid"]
    check(writer_pid != chown_pid, "two children", writer[0], chown[0])
    r = sh(VIGIL, "replay", path, "--tree")
    with open(os.path.join(WORK, "report-tree.txt"), "w") as f:
        f.write(r.stdout)
    check(all(len(l) <= 80 for l in r.stdout.splitlines()), "80 columns", r.stdout)
    check("\033[" not in r.stdout, "no colour into a pipe", r.stdout)
    blocks = tree_blocks(r.stdout)
    check("container_rootfs_write" in blocks.get(writer_pid, []),
          "the write alert under the child that wrote (pid %d)" % writer_pid, r.stdout)
    check("container_capability_use" in blocks.get(chown_pid, []),
          "the capability alert under chown (pid %d)" % chown_pid, r.stdout)
    # --pid: the process, its ancestors, its descendants; not its sibling
    parent = chown[0]["process"]["ppid"]
    r = sh(VIGIL, "replay", path, "--tree", "--pid", str(chown_pid))
    pids = [int(m.group(1)) for m in re.finditer(r"^[ |`-]*?(\d+)\[\d+\] ", r.stdout, re.M)]
    check(chown_pid in pids and parent in pids and writer_pid not in pids,
          "--pid %d keeps its parent %d and drops its sibling %d" % (chown_pid, parent,
                                                                     writer_pid), r.stdout)
    r = sh(VIGIL, "replay", path, "--tree", "--pid", "x", check_rc=False)
    check(r.returncode == 2 and r.stderr.count("\n") == 1, "a bad --pid: exit 2", r.stderr)


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4)."""

    def __init__(self):
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        check(exe, "chromium is installed (tools/install-deps test)")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        profile = os.path.join(WORK, "chromium-profile")

        def fds():
            # through free numbers first: either end may already be 3 or 4
            os.dup2(to_chrome_r, 100)
            os.dup2(from_chrome_w, 101)
            os.dup2(100, 3)
            os.dup2(101, 4)
        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--user-data-dir=" + profile, "--no-first-run", "--disable-extensions",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--window-size=1280,1600"],
            # kept open past the preexec (subprocess closes the others after it)
            pass_fds=(3, 4), preexec_fn=fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf, self.next_id, self.events = b"", 0, []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        return self.wait(lambda m: m.get("id") == self.next_id)

    def wait(self, cond, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            while b"\0" in self.buf:
                raw, self.buf = self.buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "method" in msg:
                    self.events.append(msg)
                if cond(msg):
                    check("error" not in msg, "DevTools: %s" % msg.get("error"))
                    return msg
            chunk = os.read(self.from_chrome, 1 << 20)
            check(chunk, "chromium closed its pipe")
            self.buf += chunk
        raise AssertionError("DevTools: no answer in %d s" % timeout)

    def close(self):
        try:
            os.write(self.to_chrome, json.dumps({"id": 0, "method": "Browser.close"}).encode()
                     + b"\0")
            self.proc.wait(timeout=20)
        except Exception:
            self.proc.kill()
            self.proc.wait()


FILTER_BY_RULE = """(function () {
  var r = document.getElementById('f-r');
  r.value = 'container_capability_use';
  r.dispatchEvent(new Event('change'));
  var shown = [].filter.call(document.querySelectorAll('details.al'), function (a) {
    return a.offsetParent !== null; });
  return JSON.stringify(shown.map(function (a) { return a.dataset.rule; }));
})()"""


def load(html_path, screenshot):
    """Loads the file; returns (DOM html, requested URLs, console errors, window.pwned, its URL,
    the rules of the alerts left visible by the rule filter)."""
    c = Chromium()
    try:
        target = c.send("Target.createTarget", {"url": "about:blank"})["result"]["targetId"]
        s = c.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        s = s["result"]["sessionId"]
        for domain in ("Network", "Runtime", "Log", "Page"):
            c.send(domain + ".enable", session=s)
        url = "file://" + html_path
        c.send("Page.navigate", {"url": url}, session=s)
        c.wait(lambda m: m.get("method") == "Page.loadEventFired")
        # the page's script runs at load: ask it something after, so its errors are in
        dom = c.send("Runtime.evaluate", {"expression": "document.documentElement.outerHTML",
                                          "returnByValue": True}, session=s)
        pwned = c.send("Runtime.evaluate", {"expression": "String(window.pwned)",
                                            "returnByValue": True}, session=s)
        shot = c.send("Page.captureScreenshot", {"format": "png"}, session=s)
        with open(screenshot, "wb") as f:
            f.write(base64.b64decode(shot["result"]["data"]))
        # the rule filter: only that rule's alerts stay visible, with their processes
        filtered = c.send("Runtime.evaluate", {"expression": FILTER_BY_RULE,
                                               "returnByValue": True}, session=s)
        requests = [e["params"]["request"]["url"] for e in c.events
                    if e["method"] == "Network.requestWillBeSent"]
        errors = [e["params"] for e in c.events
                  if e["method"] == "Runtime.exceptionThrown" or
                  (e["method"] == "Runtime.consoleAPICalled" and
                   e["params"]["type"] in ("error", "warning", "assert")) or
                  (e["method"] == "Log.entryAdded" and
                   e["params"]["entry"]["level"] in ("error", "warning"))]
        return (dom["result"]["result"]["value"], requests, errors,
                pwned["result"]["result"]["value"], url,
                json.loads(filtered["result"]["result"]["value"]))
    finally:
        c.close()


def test_report_loads_alone_and_holds_the_investigation():
    path, cid, objs = recorded()
    out = os.path.join(WORK, "report.html")
    r = sh(VIGIL, "report", path, "-o", out)
    check(r.returncode == 0 and not r.stdout, "report exit 0, nothing on stdout", r.stderr)
    size = os.path.getsize(out)
    check(0 < size < 5 << 20, "a report under 5 MB (%d bytes)" % size)
    screenshot = os.path.join(WORK, "report.png")
    dom, requests, errors, pwned, url, filtered = load(out, screenshot)
    check(requests == [url], "no request but the file itself", *requests)
    check(not errors, "no console error or warning", *errors)
    check(pwned == "undefined", "a file name from the container ran no script: %s" % pwned)
    check(dom.count("<script") == 1, "one script element, the report's own", dom[:3000])
    check("&lt;script&gt;window.pwned=1&lt;/script&gt;" in dom, "the name shown, escaped",
          dom[:3000])
    check('data-c="%s"' % cid in dom and "vt-report" in dom, "the container's section", dom[:2000])
    for a in alerts(objs, None, cid):
        # the message up to its first character that markup escapes
        plain = re.split(r"[<>&\"']", a["message"])[0]
        check('data-rule="%s"' % a["rule"] in dom and plain in dom,
              "alert %s listed with its message" % a["rule"], a)
    # other containers on this shared host may be in the capture: this one's section only
    start = dom.index('<section class="ct" data-c="%s"' % cid)
    section = dom[start:dom.index("</section>", start)]
    chown = alerts(objs, "container_capability_use", cid)[0]
    parent = chown["process"]["ppid"]
    chain = re.search(r'<ol class="chain">(.*?)</ol>',
                      section[section.index('data-rule="container_capability_use"'):], re.S)
    check(chain and ("<li>%d[" % parent) in chain.group(1) and
          ("<li>%d[" % chown["process"]["pid"]) in chain.group(1),
          "the capability alert's evidence holds the chain parent %d -> chown" % parent,
          chain.group(1) if chain else dom[:3000])
    check(filtered and set(filtered) == {"container_capability_use"},
          "the rule filter leaves that rule's alerts only", filtered)
    check(os.path.getsize(screenshot) > 10000, "a screenshot kept: " + screenshot)
    # the same report from replay --format html; a bad capture: one line, exit 2
    r = sh(VIGIL, "replay", path, "--format", "html", "--output", out + ".2")
    with open(out + ".2") as f:
        check('data-c="%s"' % cid in f.read(), "replay --format html is the report")
    bad = os.path.join(WORK, "report-bad.vcap")
    with open(bad, "wb") as f:
        f.write(b"not a capture")
    r = sh(VIGIL, "report", bad, "--output", out + ".3", check_rc=False)
    check(r.returncode == 2 and r.stderr.count("\n") == 1 and bad in r.stderr,
          "a bad capture: one line naming it, exit 2", r.stderr)


# podman's defaults for the scenario (root, its default capabilities, no limits, no
# no-new-privileges): it used CAP_CHOWN only, gained no privilege, and wrote /etc/x, which a tmpfs
# cannot take (so a read-only root is not advised, as in test_profile_loop's workloads)
ADVICE_FINDINGS = {"capabilities", "no_new_privileges", "memory_limit", "cpu_limit"}


def test_report_summary_holds_the_containers_advice():
    """The container's summary (its section up to the process tree) lists each advice finding
    as a row with its check, level and change: exactly the findings `vigil profile --format
    advice` gives for that container from the same capture, the capability one with the flags
    `--cap-drop ALL --cap-add CHOWN`."""
    path, cid, objs = recorded()
    out = os.path.join(WORK, "report-advice.html")
    sh(VIGIL, "report", path, "-o", out)
    with open(out) as f:
        html = f.read()
    start = html.index('<section class="ct" data-c="%s">' % cid)
    summary = html[start:html.index("<h3>processes</h3>", start)]
    m = re.search(r'<div class="adv"><h3>hardening advice</h3><p>(\d+) findings? (.*?)</div>',
                  summary, re.S)
    check(m, "the summary holds the advice", summary)
    rows = dict(re.findall(r'<tr class="finding" data-check="(\w+)">(.*?)</tr>', m.group(2)))
    r = sh(VIGIL, "profile", path, "--container", cid, "--format", "advice")
    doc = json.loads(r.stdout)  # not a terminal: JSON
    check(len(doc) == 1, "one advice for the container", r.stdout)
    expected = {row["check"] for row in doc[0]["rows"] if row["status"] == "finding"}
    check(set(rows) == expected == ADVICE_FINDINGS and int(m.group(1)) == len(expected),
          "the report's findings are the advice's: %s" % sorted(expected), summary, doc)
    for check_name, row in rows.items():
        check('<td class="lv">finding</td>' in row, "%s: its level" % check_name, row)
    check("used CHOWN" in rows["capabilities"] and
          "<code>--cap-drop ALL --cap-add CHOWN</code>" in rows["capabilities"],
          "the capability finding with its flags", rows["capabilities"])
