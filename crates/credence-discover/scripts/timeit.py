#!/usr/bin/env python3
"""Times a command: median and minimum wall and CPU (user + system) time over N runs.

usage: timeit.py N COMMAND [ARGS...]

CPU time is that of the child processes (getrusage), so it counts only the command, not this script.
"""
import resource
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n, cmd = int(sys.argv[1]), sys.argv[2:]
    wall, cpu = [], []
    for _ in range(n):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    print(
        f"wall median {statistics.median(wall):.4f} min {min(wall):.4f} | "
        f"cpu median {statistics.median(cpu):.4f} min {min(cpu):.4f} (n={n})"
    )


if __name__ == "__main__":
    main()
