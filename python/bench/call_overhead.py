"""What a Python call adds to a Stage I step at M = 100 (issue 23: under 5 %).

The same Session steps two ways: `step(1)` called n times from Python (one call per step: argument conversion, the
GIL released and taken back, the progress/signal poll) and `step(n)` (one call, n steps in C++). The difference per
step is the call's overhead; it is reported as a ratio to the step itself, from one run, for both precisions.

Usage: PYTHONPATH=build/release/python /usr/bin/python3 python/bench/call_overhead.py [--memories builtin:fashion-mnist]
"""
import argparse
import time

import uhop


def per_step(session, steps, one_call):
    start = time.perf_counter()
    if one_call:
        session.step(steps)
    else:
        for _ in range(steps):
            session.step(1)
    return (time.perf_counter() - start) / steps


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--memories", default="builtin:fashion-mnist")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    try:
        x, _ = uhop.load_memories(args.memories, args.count)
    except uhop.InputError:
        x, _ = uhop.load_memories("builtin:glyphs", 36)
    print(f"memories: {args.memories}, M = {x.shape[0]}, d = {x.shape[1]}; {args.steps} steps x {args.rounds} rounds")
    for precision in ("single", "double"):
        session = uhop.Session(x, lr=0.1, precision=precision)
        session.step(5)  # warm up (buffers, the thread pool)
        # Interleaved rounds, best of each: the machine's other load hits both alike.
        rounds = [(per_step(session, args.steps, True), per_step(session, args.steps, False))
                  for _ in range(args.rounds)]
        batched, called = min(r[0] for r in rounds), min(r[1] for r in rounds)
        overhead = called - batched
        print(f"{precision:6}: step {batched * 1e3:.3f} ms in one call, {called * 1e3:.3f} ms one call per step: "
              f"overhead {overhead * 1e6:.1f} us = {100 * overhead / batched:.2f} % of the step")


if __name__ == "__main__":
    main()
