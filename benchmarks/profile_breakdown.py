#!/usr/bin/env python3
"""Where a workload's training step spends its CPU time, from `perf script` output of `benchmarks/profile.sh`.

Usage: perf script -i perf.data | python3 benchmarks/profile_breakdown.py ROOT_FRAME

Counts the on-CPU samples whose stack holds ROOT_FRAME (the workload's method, e.g. RunBatched or
RunEchoLagContext) and, with --threads, the engine's helper threads. Each sample goes to the innermost
frame that names a part of the step (a matrix product, the LSTM gate kernels, the optimizer, the data
generation, the loss); a split pass counts as split work, a sample in WorkerTeam with no kernel frame
inside it as waiting. Prints percentages of the samples and the largest leaf functions of each part.
"""
import collections
import re
import sys

PARTS = [
    ("data generation", r"EchoExperiment::Frame|EchoExperiment::NewSequence|EpochData|SlidingWindows|OneHot"),
    ("optimizer (Adam)", r"Optimizer::Apply|Adam::|Adam\+"),
    ("bias-gradient row sums", r"RowSums|Gemm::AddRows|AddRowsOperator"),
    ("loss and metrics", r"Loss\+|Loss::|Metric"),
    ("matrix products", r"Gemm::|Gemm\+|PreparedMatrix"),
    ("LSTM gate kernels", r"LstmKernels|LstmCell::Step|VectorMath|Activations"),
    ("initialisation (untimed)", r"Initializers::"),
]
KERNEL = r"Gemm::|Gemm\+|LstmKernels|VectorMath|Elementwise|Activations|Job|RowSums|Adam\+"


def clean(frame):
    s = re.sub(r"^[0-9a-f]+ ", "", frame)
    s = re.sub(r"\((valuetype|class|native|float|int|!!|bool).*", "", s)
    s = re.sub(r"^(instance )?\S+ \[[^\]]+\] ", "", s)
    return s[:100]


def part_of(frames):
    for f in frames:
        for name, pattern in PARTS:
            if re.search(pattern, f):
                return name
    return "other (layers' copies, clearing, runtime)"


def main():
    root = sys.argv[1]
    threads = "--threads" in sys.argv
    totals = collections.Counter()
    parts = collections.Counter()
    leaves = collections.Counter()
    frames, comm = [], ""

    def flush():
        if not frames:
            return
        stack = "\n".join(frames)
        is_main = root in stack
        is_helper = threads and "Helper::Loop" in stack
        if not (is_main or is_helper):
            return
        who = "main" if is_main else "helper"
        totals[who] += 1
        team = [i for i, f in enumerate(frames) if "WorkerTeam+Team::Run" in f or "Helper::Loop" in f]
        if team and not any(re.search(KERNEL, f) for f in frames[: team[0]]):
            name = "waiting for the other thread" if who == "main" else "idle, waiting for work"
        else:
            name = part_of(frames)
            if threads:
                name = ("split: " if team else "serial: ") + name
        parts[(who, name)] += 1
        leaves[(who, name, clean(frames[0]))] += 1

    for line in sys.stdin:
        if not line.strip():
            flush()
            frames = []
        elif not line.startswith((" ", "\t")):
            comm, frames = line.split("  ")[0].strip(), []
        else:
            frames.append(line.strip())
    flush()
    for who in sorted(totals):
        n = totals[who]
        print(f"{who} thread: {n} samples")
        for (w, name), v in sorted(parts.items(), key=lambda kv: -kv[1]):
            if w != who:
                continue
            print(f"  {100 * v / n:5.1f}%  {name}")
            for (w2, name2, leaf), c in leaves.most_common():
                if w2 == who and name2 == name and c / n >= 0.01:
                    print(f"            {100 * c / n:5.1f}%  {leaf}")


if __name__ == "__main__":
    main()
