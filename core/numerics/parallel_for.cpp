#include "parallel_for.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace uhop {
namespace {
thread_local bool t_inside_loop = false;  // this thread is running chunks: nested loops run serially

// One loop at a time: the caller publishes it, wakes up to `helpers` sleeping workers and runs chunks itself;
// workers that wake after the chunks ran out do nothing. The caller waits until every joined worker is done.
class ThreadPool {
 public:
  void run(long chunks, const std::function<void(long)>& body, int threads) {
    std::unique_lock<std::mutex> use(use_mutex_, std::try_to_lock);
    if (!use.owns_lock()) return run_serially(chunks, body);  // another thread's loop holds the pool
    ensure_workers(threads - 1);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      body_ = &body;
      chunks_ = chunks;
      next_.store(0);
      error_ = nullptr;
      open_slots_ = std::min<long>(threads - 1, chunks - 1);
      ++generation_;
    }
    wake_.notify_all();
    run_chunks();
    std::unique_lock<std::mutex> lock(mutex_);
    open_slots_ = 0;  // the chunks are gone: late workers must not join
    done_.wait(lock, [&] { return joined_ == 0; });
    body_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

  static void run_serially(long chunks, const std::function<void(long)>& body) {
    const bool was_inside = t_inside_loop;
    t_inside_loop = true;
    try {
      for (long i = 0; i < chunks; ++i) body(i);
    } catch (...) {
      t_inside_loop = was_inside;
      throw;
    }
    t_inside_loop = was_inside;
  }

 private:
  void ensure_workers(int count) {
    std::lock_guard<std::mutex> lock(mutex_);
    while (static_cast<int>(workers_.size()) < count) workers_.emplace_back([this] { worker_loop(); });
  }

  void worker_loop() {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return generation_ != seen && open_slots_ > 0; });
      seen = generation_;
      --open_slots_;
      ++joined_;
      lock.unlock();
      run_chunks();
      lock.lock();
      if (--joined_ == 0) done_.notify_all();
    }
  }

  void run_chunks() {
    t_inside_loop = true;
    for (long i; (i = next_.fetch_add(1)) < chunks_;) {
      try {
        (*body_)(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex_);
        if (!error_) error_ = std::current_exception();
        next_.store(chunks_);  // stop handing out chunks
      }
    }
    t_inside_loop = false;
  }

  std::mutex use_mutex_;  // held by the caller of the running loop
  std::mutex mutex_, error_mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;  // never joined: the pool lives as long as the process
  const std::function<void(long)>* body_ = nullptr;
  long chunks_ = 0;
  std::atomic<long> next_{0};
  long open_slots_ = 0;  // workers that may still join the current loop
  int joined_ = 0;       // workers running chunks of the current loop
  uint64_t generation_ = 0;
  std::exception_ptr error_;
};

ThreadPool& pool() {
  static ThreadPool* p = new ThreadPool;  // never destroyed: no exit-time ordering with sleeping workers
  return *p;
}

struct Budget {
  std::mutex mutex;
  std::function<int()> source;
  int cached = 0;
  std::chrono::steady_clock::time_point asked{};
};
Budget& budget() {
  static Budget* b = new Budget;
  return *b;
}
std::atomic<int> g_max_threads{0};

int hardware_threads() {
  static const int n = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  return n;
}
}  // namespace

int max_compute_threads() {
  const int n = g_max_threads.load();
  return n > 0 ? n : hardware_threads();
}

void set_max_compute_threads(int n) {
  g_max_threads.store(std::max(0, std::min(n, 256)));
}

void set_thread_budget(std::function<int()> source) {
  Budget& b = budget();
  std::lock_guard<std::mutex> lock(b.mutex);
  b.source = std::move(source);
  b.cached = 0;
  b.asked = {};
}

int compute_threads() {
  int n = max_compute_threads();
  Budget& b = budget();
  std::lock_guard<std::mutex> lock(b.mutex);
  if (b.source) {
    const auto now = std::chrono::steady_clock::now();
    if (b.cached <= 0 || now - b.asked > std::chrono::milliseconds(50)) {
      b.cached = std::max(1, b.source());
      b.asked = now;
    }
    n = std::min(n, b.cached);
  }
  return std::max(1, n);
}

void parallel_for(long chunks, const std::function<void(long)>& body) {
  if (chunks <= 0) return;
  const int threads = chunks > 1 && !t_inside_loop ? compute_threads() : 1;
  if (threads <= 1) return ThreadPool::run_serially(chunks, body);
  pool().run(chunks, body, threads);
}
}  // namespace uhop
