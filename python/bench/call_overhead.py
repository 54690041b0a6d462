"""What a Python call adds to a Stage I step at M = 100 (issue 23: under 5 %).

The call's own cost is what `step(0)` takes: the same path as `step(1)` (argument conversion, the progress object,
the GIL released and taken back) without the numerics. The step is the per-step time of `step(n)` (one call, n steps
in C++). Both are the best of several rounds (the machine's other load only ever adds time); the overhead is reported
as a ratio to the step, from one run, for both precisions.

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


def call_cost(session, calls=2000):
    start = time.perf_counter()
    for _ in range(calls):
        session.step(0)
    return (time.perf_counter() - start) / calls


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
        batched = min(per_step(session, args.steps, True) for _ in range(args.rounds))
        overhead = min(call_cost(session) for _ in range(args.rounds))
        print(f"{precision:6}: step {batched * 1e3:.3f} ms (M = {x.shape[0]}), a call's own cost {overhead * 1e6:.2f} us"
              f" = {100 * overhead / batched:.3f} % of the step")


if __name__ == "__main__":
    main()
