#!/usr/bin/env python3
"""Waits for measure.sh's workers to finish UNITS units, without touching the database, and records where each
worker's CPU time went.

    watch.py UNITS OUT.json PID:LOG [PID:LOG ...]

Each worker (`lstmlab worker`) writes one line per finished unit to its own log ("... : RMSE ..., ... s" or
"... : failed: ..."); this script counts those lines, four times a second (reading only what was appended), and
each time a worker's count grows it reads that worker's thread times from /proc/PID/task/*/stat: Hangfire's
unit threads ("Worker #N") and the runtime's tiered-compilation thread (".NET Tiered Com"), which ends after
the process's first minute or so, so its last reading is kept (it is read at every poll while it runs). When the counts add up to UNITS it writes, per
worker, the timeline [units done, unit-thread ticks, JIT-thread ticks] at each change and the final
[unit, JIT, rest] ticks (rest = the process total from /proc/PID/stat, which includes ended threads, less the
other two) to OUT.json. It exits with 1 if a worker process ends before then.
"""
import json
import os
import re
import sys
import time

DONE = re.compile(rb": RMSE |: failed: ")


def ticks(stat_text):
    fields = stat_text[stat_text.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15 of stat)


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


class Worker:
    def __init__(self, pid, log):
        self.pid, self.log = pid, log
        self.offset, self.partial, self.done = 0, b"", 0
        self.unit_tids, self.jit_tids = set(), set()
        self.last = {}  # tid -> last ticks read (a thread that has ended keeps its last reading)
        self.timeline = [[0, 0, 0]]

    def poll(self):
        try:
            with open(self.log, "rb") as f:
                f.seek(self.offset)
                chunk = f.read()
        except FileNotFoundError:
            return False
        if not chunk:
            return False
        self.offset += len(chunk)
        lines = (self.partial + chunk).split(b"\n")
        self.partial = lines.pop()
        before = self.done
        self.done += sum(1 for line in lines if DONE.search(line))
        return self.done > before

    def sample(self):
        for tid in os.listdir(f"/proc/{self.pid}/task"):
            comm = read(f"/proc/{self.pid}/task/{tid}/comm")
            if comm is None:
                continue
            if comm.startswith("Worker #"):
                self.unit_tids.add(tid)
            elif comm.startswith(".NET Tiered Com"):
                self.jit_tids.add(tid)
        for tid in self.unit_tids | self.jit_tids:
            stat = read(f"/proc/{self.pid}/task/{tid}/stat")
            if stat is not None:
                self.last[tid] = ticks(stat)
        unit = sum(self.last.get(t, 0) for t in self.unit_tids)
        jit = sum(self.last.get(t, 0) for t in self.jit_tids)
        return unit, jit

    def sample_jit(self):
        for tid in self.jit_tids:
            stat = read(f"/proc/{self.pid}/task/{tid}/stat")
            if stat is not None:
                self.last[tid] = ticks(stat)

    def alive(self):
        return os.path.exists(f"/proc/{self.pid}/stat")


def main():
    units, out = int(sys.argv[1]), sys.argv[2]
    workers = [Worker(*arg.split(":", 1)) for arg in sys.argv[3:]]
    while True:
        for w in workers:
            if w.poll():
                unit, jit = w.sample()
                w.timeline.append([w.done, unit, jit])
            else:
                w.sample_jit()
        if sum(w.done for w in workers) >= units:
            break
        if not all(w.alive() for w in workers):
            sys.exit(f"watch.py: a worker process ended before {units} units were done (see its log)")
        time.sleep(0.25)
    result = []
    for w in workers:
        unit, jit = w.sample()
        total = ticks(read(f"/proc/{w.pid}/stat"))
        result.append({"pid": w.pid, "done": w.done, "timeline": w.timeline, "final": [unit, jit, total - unit - jit]})
    with open(out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
