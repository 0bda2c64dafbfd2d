#!/usr/bin/python3
"""rss.py MAX_KB TIMEOUT_S CMD...: runs CMD (stdin/stdout passed through),
fails when it is killed by a signal, takes longer than TIMEOUT_S, or peaks
above MAX_KB of resident memory.  Prints the figures; exits with CMD's
status, or 125 for a violated bound."""
import resource
import subprocess
import sys
import time

max_kb, timeout = int(sys.argv[1]), float(sys.argv[2])
t0 = time.monotonic()
try:
    rc = subprocess.call(sys.argv[3:], timeout=timeout)
except subprocess.TimeoutExpired:
    print(f"rss.py: timed out after {timeout}s", file=sys.stderr)
    sys.exit(125)
dt = time.monotonic() - t0
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"rss.py: exit {rc}, {dt:.2f}s, peak RSS {kb} KB", file=sys.stderr)
if rc < 0:
    print(f"rss.py: killed by signal {-rc}", file=sys.stderr)
    sys.exit(125)
if kb > max_kb:
    print(f"rss.py: peak RSS {kb} KB over {max_kb} KB", file=sys.stderr)
    sys.exit(125)
sys.exit(rc)
