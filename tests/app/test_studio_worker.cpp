// The worker thread: a script's commands change the snapshot exactly as a Session driven directly would; cancel
// stops long work; bad input becomes a message and the worker carries on.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "numerics/corruption.h"
#include "data/memory_sources.h"
#include "session/session.h"
#include "studio_commands.h"
#include "numerics/rng.h"
#include "studio_test_script.h"
#include "studio_worker.h"

using namespace studio;

TEST_CASE("the snapshot after a script equals a Session driven directly", "[studio][worker]") {
  StudioWorker w;
  run_script(w,
             "load builtin:glyphs count=12\n"
             "target 3\n"
             "corrupt gaussian:0.2 seed=7\n"
             "set lr=0.5 beta=3\n"
             "stage1 steps=5\n"
             "stage2 steps=2\n");
  auto snap = w.snapshot();
  REQUIRE(snap->has_session);
  REQUIRE(snap->error.empty());
  REQUIRE(snap->stage1_log.size() == 6);
  REQUIRE(snap->memories);
  CHECK(snap->memories->set.count() == 12);
  CHECK(snap->state.target == 3);

  uhop::LoadOptions o;
  o.count = 12;
  uhop::MemorySet set = uhop::load_memories("builtin:glyphs", o);
  StudioState st;
  st.stage1.lr = 0.5;
  st.stage2.beta = 3;
  uhop::Session s(set, st.stage1, st.stage2);
  uhop::Vector xi = set.patterns.row(3).transpose();
  s.set_query(uhop::corrupt(xi, set.shape, uhop::parse_corruption("gaussian:0.2"), 7), 3);
  for (int i = 0; i < 5; ++i) s.stage1_step();
  s.stage2_step();
  s.stage2_step();
  for (size_t i = 0; i < 6; ++i) {
    CHECK(snap->stage1_log[i].loss == s.stage1_log()[i].loss);
    CHECK(snap->stage1_log[i].r_phi == s.stage1_log()[i].r_phi);
  }
  CHECK((snap->query - s.query()).norm() == 0);
  REQUIRE(snap->retrieval_log.size() == 3);
  REQUIRE(snap->trajectory.size() == 3);
  CHECK((snap->trajectory.back() - s.retrieval().trajectory.back()).norm() == 0);
  CHECK(snap->retrieval_log.back().error == s.retrieval().log.back().error);
  CHECK(snap->baseline_log.size() == 3);
  CHECK(snap->heat_now.n == 12);
  CHECK(snap->heat_initial.n == 12);
}

TEST_CASE("changing a Stage II setting keeps the trained W", "[studio][worker]") {
  StudioWorker w;
  run_script(w, "load builtin:glyphs count=8\nstage1 steps=4\nset beta=10 alpha=2\n");
  auto snap = w.snapshot();
  CHECK(snap->stage1_log.size() == 5);
  CHECK(snap->state.stage2.beta == 10);
  CHECK(snap->state.stage2.sep.alpha == 2);
}

TEST_CASE("errors become a message and the worker keeps its previous state", "[studio][worker]") {
  StudioWorker w;
  run_script(w, "load builtin:glyphs count=6\nstage1 steps=2\n");
  auto before = w.snapshot();
  REQUIRE(before->error.empty());
  run_script(w, "load /nonexistent/memories.csv\n");
  auto after = w.snapshot();
  CHECK(after->error.find("/nonexistent/memories.csv") != std::string::npos);
  CHECK(after->error_id == before->error_id + 1);
  CHECK(after->memories->version == before->memories->version);
  CHECK(after->stage1_log.size() == 3);
  run_script(w, "target 99\n");  // outside 0..5
  CHECK(w.snapshot()->error.find("99") != std::string::npos);
  CHECK(w.snapshot()->state.target == 0);
  run_script(w, "stage1 steps=1\n");  // still alive
  CHECK(w.snapshot()->stage1_log.size() == 4);
}

TEST_CASE("commands before any load report an error instead of crashing", "[studio][worker]") {
  StudioWorker w;
  run_script(w, "stage1 steps=3\nbrush 1,1\n");
  auto snap = w.snapshot();
  CHECK_FALSE(snap->has_session);
  CHECK(snap->error.find("no memories") != std::string::npos);
}

TEST_CASE("cancel stops a long Stage I run and play", "[studio][worker]") {
  StudioWorker w;
  run_script(w, "load builtin:glyphs count=30\n");
  Command c = make_command(CommandKind::stage1_steps, 1000000);
  w.push(c);
  // Wait on state (a few steps published), not on a fixed sleep: a loaded machine may take long for the first step.
  for (int i = 0; i < 2000 && w.snapshot()->stage1_log.size() < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK_FALSE(w.idle());
  w.cancel();
  REQUIRE(w.wait_idle(20));
  auto snap = w.snapshot();
  CHECK(snap->stage1_log.size() > 1);
  CHECK(snap->stage1_log.size() < 1000001);
  // Play with no stop: only cancel ends it; the worker then accepts work again.
  run_script(w, "set stop_after=0\n");
  w.push(make_command(CommandKind::stage1_play));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(w.snapshot()->stage1_playing);
  w.cancel();
  REQUIRE(w.wait_idle(20));
  CHECK_FALSE(w.snapshot()->stage1_playing);
  const size_t rows = w.snapshot()->stage1_log.size();
  run_script(w, "stage1 steps=2\n");
  CHECK(w.snapshot()->stage1_log.size() == rows + 2);
}

TEST_CASE("play stops after N steps; Stage II play runs to T", "[studio][worker]") {
  StudioWorker w;
  run_script(w, "load builtin:glyphs count=6\nset stop_after=7 speed1=0 T=4 speed2=0\nstage1 play\nwait\n");
  CHECK(w.snapshot()->stage1_log.size() == 8);
  run_script(w, "stage2 play\n");
  CHECK(w.snapshot()->retrieval_log.size() == 5);
  CHECK(w.snapshot()->energy_monotone);
}

TEST_CASE("brush strokes and clear change the query", "[studio][worker]") {
  StudioWorker w;
  run_script(w, "load builtin:glyphs count=4\nclear\n");
  CHECK(w.snapshot()->query.sum() == 0);
  run_script(w, "brush 2,2 10,2 radius=1.5\n");
  const double painted = w.snapshot()->query.sum();
  CHECK(painted > 5);
  run_script(w, "erase 2,2 10,2 radius=3\n");
  CHECK(w.snapshot()->query.sum() < painted);
}

TEST_CASE("the heatmap holds exact feature cosines of at most 256 evenly spaced memories", "[studio][worker]") {
  uhop::Rng rng(3);
  uhop::Matrix xi(600, 4), w(5, 4);
  for (int i = 0; i < xi.size(); ++i) xi.data()[i] = rng.normal();
  for (int i = 0; i < w.size(); ++i) w.data()[i] = rng.normal();
  Heatmap h = feature_cosine_heatmap(xi, w);
  CHECK(h.n == 256);
  CHECK(h.values.size() == 256u * 256u);
  // Cell (a, b) is the cosine of memories floor(a 600/256) and floor(b 600/256) under W.
  for (int a : {0, 17, 255})
    for (int b : {0, 100, 255}) {
      const uhop::Vector fa = w * xi.row(a * 600 / 256).transpose(), fb = w * xi.row(b * 600 / 256).transpose();
      CHECK(h.values[static_cast<size_t>(a) * 256 + b] == Approx(fa.dot(fb) / (fa.norm() * fb.norm())).margin(1e-6));
    }
  Heatmap small = feature_cosine_heatmap(uhop::Matrix::Identity(5, 5), uhop::Matrix());
  CHECK(small.n == 5);
  CHECK(small.values[0] == 1.0f);
  CHECK(small.values[1] == 0.0f);
}

// The browser build's worker (no thread, pumped between frames) computes exactly what the desktop's thread does, and
// a command of N steps takes one step per turn: the frame loop gets control back between steps.
TEST_CASE("a pumped worker gives the threaded worker's numbers one step per turn", "[studio][worker]") {
  const std::string script =
      "load builtin:glyphs count=12\n"
      "target 3\n"
      "corrupt gaussian:0.2 seed=7\n"
      "set lr=0.5 beta=3\n"
      "stage1 steps=5\n"
      "stage2 steps=3\n";
  StudioWorker threaded;
  run_script(threaded, script);
  StudioWorker pumped({}, WorkerThreading::pump);
  pumped.set_max_publish_rate(0);  // every step published, so the test sees each
  ParsedScript p = parse_script(script);
  REQUIRE(p.errors.empty());
  for (auto& c : p.commands) pumped.push(c);
  // Turns of a tiny budget: one unit of work each. Stage I's five steps take five turns and publish the log as it
  // grows; the command counts as done only after the last of them.
  std::vector<size_t> log_sizes;
  int turns = 0;
  while (!pumped.idle() && turns < 1000) {
    pumped.pump(0);
    ++turns;
    auto s = pumped.snapshot();
    if (s->has_session && (log_sizes.empty() || log_sizes.back() != s->stage1_log.size()))
      log_sizes.push_back(s->stage1_log.size());
  }
  REQUIRE(pumped.idle());
  CHECK(log_sizes == std::vector<size_t>{1, 2, 3, 4, 5, 6});
  CHECK(turns >= 4 + 5 + 3);  // load, target, corrupt, set, then 5 + 3 steps one per turn
  auto a = threaded.snapshot(), b = pumped.snapshot();
  CHECK(b->commands_done == a->commands_done);
  CHECK(b->error.empty());
  REQUIRE(b->stage1_log.size() == a->stage1_log.size());
  for (size_t i = 0; i < a->stage1_log.size(); ++i) CHECK(b->stage1_log[i].loss == a->stage1_log[i].loss);
  REQUIRE(b->retrieval_log.size() == 4);
  CHECK((b->trajectory.back() - a->trajectory.back()).norm() == 0);
  CHECK(b->nearest == a->nearest);
}

TEST_CASE("cancel between a pumped command's steps drops the rest", "[studio][worker]") {
  StudioWorker w({}, WorkerThreading::pump);
  ParsedScript p = parse_script("load builtin:glyphs count=8\nstage1 steps=1000\n");
  REQUIRE(p.errors.empty());
  for (auto& c : p.commands) w.push(c);
  for (int i = 0; i < 4; ++i) w.pump(0);  // the load, then three steps
  CHECK_FALSE(w.idle());  // the rest of the steps still queued (the snapshot may not say so yet: publishes are paced)
  w.cancel();
  for (int i = 0; i < 20 && !w.idle(); ++i) w.pump(0);
  REQUIRE(w.idle());
  const auto s = w.snapshot();
  CHECK(s->stage1_log.size() < 10);
  CHECK_FALSE(s->busy);
}
