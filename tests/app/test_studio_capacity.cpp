// The Studio's capacity lab (app/capacity_lab.h): the `capacity` options, the preset, refusals before anything runs,
// and a request computed on the lab's thread giving the very rows core's run_capacity gives, live and cancellable.
#include <catch2/catch.hpp>

#include "capacity_lab.h"
#include "numerics/input_error.h"
#include "studio_commands.h"

using namespace studio;

TEST_CASE("capacity options: views' defaults, lists, the preset and refusals", "[studio][capacity]") {
  const CapacityRequest curves = capacity_request({});
  CHECK(curves.view == CapacityView::curves);
  CHECK(curves.settings.dim == 16);
  CHECK(curves.settings.alphas.size() == 12);  // the default curve: 12 loads x 200 trials, beta 1
  CHECK(curves.settings.trials == 200);
  const CapacityRequest p = capacity_request({{"preset", "capacity-exponential-threshold"}, {"trials", "7"}});
  CHECK(p.settings.betas == std::vector<double>{1, 2});
  CHECK(p.settings.trials == 7);
  CHECK(p.settings.alphas.front() == 0.1);
  CHECK(p.settings.alphas.back() == Approx(0.9));
  const CapacityRequest h = capacity_request({{"model", "hebbian"}, {"dim", "100"}, {"alphas", "0.05,0.1"}});
  CHECK(h.settings.patterns == uhop::PatternEnsemble::binary);
  CHECK(h.settings.alphas == std::vector<double>{0.05, 0.1});
  CHECK_THROWS_WITH(capacity_request({{"view", "phase"}, {"model", "hebbian"}}), Catch::Contains("exponential"));
  CHECK_THROWS_WITH(capacity_request({{"alphas", "1:2:0"}}), Catch::Contains("alphas"));
  CHECK_THROWS_WITH(capacity_request({{"alphas", "5"}, {"dim", "20"}}), Catch::Contains("2^62"));
  CHECK_THROWS_WITH(capacity_request({{"colour", "red"}}), Catch::Contains("unknown option"));
  CHECK_THROWS_WITH(capacity_request({{"preset", "nope"}}), Catch::Contains("unknown preset"));
  // The script command is checked when the script is parsed.
  Command c;
  CHECK(parse_command_line("capacity view=basin dim=12 rhos=0.5,1", 1, c));
  CHECK(c.id == "capacity");
  CHECK_THROWS_AS(parse_command_line("capacity view=basin betas=1,2", 1, c), uhop::InputError);
}

TEST_CASE("capacity lab: rows computed off the caller's thread equal run_capacity's; cancel stops it",
          "[studio][capacity]") {
  CapacityLab lab;
  const CapacityOptions options = {{"dim", "10"}, {"alphas", "0.2:0.8:4"}, {"betas", "1,3"}, {"trials", "20"}};
  lab.start(options);
  REQUIRE(lab.wait_idle(120));
  const auto o = lab.latest();
  REQUIRE(o);
  CHECK_FALSE(o->running);
  CHECK(o->error.empty());
  REQUIRE(o->rows.size() == 8);
  const auto direct = uhop::run_capacity(capacity_request(options).settings);
  for (size_t i = 0; i < direct.size(); ++i) CHECK(o->rows[i].mean_target_weight == direct[i].mean_target_weight);
  CHECK(o->figure.series.size() == 4);  // retrieved and the theory line per beta

  lab.start({{"view", "phase"}, {"dim", "12"}, {"trials", "200"}, {"alphas", "0.5:1.5:6"}, {"betas", "1:3:6"}});
  lab.cancel();
  REQUIRE(lab.wait_idle(120));
  CHECK(lab.latest()->cancelled);
  CHECK(lab.latest()->rows.size() < 36);
}

// The browser's lab (no threads): the same rows, one part per pump turn, and Cancel between parts.
TEST_CASE("capacity lab, pumped: the threaded lab's rows one cell per turn; cancel between cells",
          "[studio][capacity]") {
  CapacityLab lab(WorkerThreading::pump);
  const CapacityOptions options = {{"dim", "10"}, {"alphas", "0.2:0.8:4"}, {"betas", "1,3"}, {"trials", "20"}};
  lab.start(options);
  CHECK(lab.running());
  lab.pump(0);  // one cell
  REQUIRE(lab.latest()->rows.size() == 1);
  CHECK(lab.running());
  REQUIRE(lab.wait_idle(120));
  const auto o = lab.latest();
  CHECK(o->error.empty());
  REQUIRE(o->rows.size() == 8);
  const auto direct = uhop::run_capacity(capacity_request(options).settings);
  for (size_t i = 0; i < direct.size(); ++i) {
    CHECK(o->rows[i].mean_target_weight == direct[i].mean_target_weight);
    CHECK(o->rows[i].retrieved == direct[i].retrieved);
  }
  for (const char* view : {"basin", "laws"}) {
    CapacityOptions v = {{"view", view}, {"trials", "4"}};
    if (std::string(view) == "basin") v.insert(v.end(), {{"dim", "8"}, {"alphas", "0.3"}, {"rhos", "0.5:1:3"}});
    lab.start(v);
    lab.pump(0);
    CHECK(lab.running());
    lab.cancel();
    lab.pump(0);
    CHECK_FALSE(lab.running());
    CHECK(lab.latest()->cancelled);
  }
}
