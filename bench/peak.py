"""Run a command; write its peak resident memory (KiB) and its wall time (s) to a file.

    python -S bench/peak.py OUT CMD [ARGS...]

The kernel's ru_maxrss of a child also counts the resident pages of the process it was forked from
(they are its own until it execs): a command started by bench/scale.py after its reads of a large
registry showed the bench's size (363 MiB at 100,000 partnerships for a `pantau users list`).
Forked from this small process, the figure is the command's own. Its exit status is the command's.
"""

import os
import sys
import time

out, argv = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
with open(out, "w") as sink:
    sink.write(f"{usage.ru_maxrss} {seconds}\n")
sys.exit(os.waitstatus_to_exitcode(status))
