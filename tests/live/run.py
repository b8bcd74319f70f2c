#!/usr/bin/env python3
"""Runs every live test (tests/live/test_*.py, functions test_*), or those named on the
command line (module or module::function). Prints one line per test and a total line."""
import importlib
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vigiltest  # noqa: E402


def main():
    if os.geteuid() != 0:
        print("live tests need root (BPF, podman): run as root", file=sys.stderr)
        return 1
    if not os.access(vigiltest.VIGIL, os.X_OK):
        print("build/vigil is missing: run make first", file=sys.stderr)
        return 1
    vigiltest.build_image()
    wanted = sys.argv[1:]
    here = os.path.dirname(os.path.abspath(__file__))
    modules = sorted(f[:-3] for f in os.listdir(here) if f.startswith("test_") and f.endswith(".py"))
    passed = failed = 0
    for m in modules:
        mod = importlib.import_module(m)
        for name in sorted(n for n in dir(mod) if n.startswith("test_")):
            full = "%s::%s" % (m, name)
            if wanted and m not in wanted and full not in wanted:
                continue
            start = time.monotonic()
            try:
                getattr(mod, name)()
                passed += 1
                print("PASS %s (%.1fs)" % (full, time.monotonic() - start), flush=True)
            except Exception as e:  # a failed assertion or an unexpected error alike
                failed += 1
                print("FAIL %s (%.1fs)\n%s" % (full, time.monotonic() - start,
                      e if isinstance(e, vigiltest.Failure) else traceback.format_exc()),
                      flush=True)
            finally:
                vigiltest.stop_all()
    vigiltest.stop_docker()
    print("live: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
