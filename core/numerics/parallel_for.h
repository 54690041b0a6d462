// The core's own threads for its heavy products (docs/speed.md; docs/decisions.md "Threads").
//
// Work is cut into chunks whose results do not depend on which thread runs them or how many threads there are
// (each chunk writes its own part of the output, in an order fixed by the chunk), so every number is bit for bit
// the same with 1 or N threads: the thread count can follow the free cores of a busy machine without changing a
// log. Idle threads sleep on a condition variable (nothing spins), and the caller is one of the threads.
#pragma once
#include <functional>

namespace uhop {
// Runs body(i) for every i in [0, chunks), on up to compute_threads() threads. A nested call (from inside a body)
// or a call while another thread's loop runs is done serially by its caller. The first exception a body throws
// is rethrown here after every started chunk has finished.
void parallel_for(long chunks, const std::function<void(long chunk)>& body);

// Threads a parallel_for may use right now: min(max_compute_threads(), the budget source's answer), at least 1.
int compute_threads();
// The hardware threads by default; tests set 1 and 2 to show the results do not depend on it. n <= 0: default.
void set_max_compute_threads(int n);
int max_compute_threads();
// A source of how many threads the machine can spare (e.g. the cores other processes leave free), installed by a
// front end (numerics does not read the system). Asked at most every 50 ms; empty = no limit.
void set_thread_budget(std::function<int()> source);
}  // namespace uhop
