// uhop capacity end to end: the CSV's promised columns, same seed => identical CSV, the cluster fan-out (--list-cells,
// --cell, --merge) giving the direct run's bytes, and one-line refusals.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "cli_runner.h"

namespace {
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}
}  // namespace

TEST_CASE("uhop capacity: columns, rows per (beta, alpha), same seed same bytes", "[cli][capacity]") {
  cli::TempDir dir;
  const std::string args =
      "capacity --model exponential --patterns gaussian --dim 10 --alphas 0.2,0.5 --beta 0.5,2 --trials 20 --seed 4";
  const cli::Result r = cli::run(dir, args + " --out a.csv");
  REQUIRE(r.code == 0);
  const std::vector<std::string> a = lines_of(cli::slurp(dir / "a.csv"));
  REQUIRE(a.size() == 5);
  CHECK(a[0] ==
        "model,patterns,dim,degree,beta,alpha,count,trials,start_overlap,steps,retrieved,retrieved_lo,retrieved_hi,"
        "mean_target_weight,mean_target_weight_se,mean_final_overlap,theory");
  CHECK(a[1].rfind("exponential,gaussian,10,,0.5,0.2,7,20,1,1,", 0) == 0);  // P = round(e^2) = 7
  CHECK(a[4].rfind("exponential,gaussian,10,,2,0.5,148,20,1,1,", 0) == 0);
  CHECK(a[4].substr(a[4].rfind(',') + 1) == "0.5");  // alpha_1 = 1/2 for gaussian patterns at beta >= 1
  REQUIRE(cli::run(dir, args + " --out b.csv").code == 0);
  CHECK(cli::slurp(dir / "b.csv") == cli::slurp(dir / "a.csv"));
  REQUIRE(cli::run(dir,
                   "capacity --model exponential --patterns gaussian --dim 10 --alphas 0.2,0.5 --beta 0.5,2 "
                   "--trials 20 --seed 5 --out c.csv")
              .code == 0);
  CHECK(cli::slurp(dir / "c.csv") != cli::slurp(dir / "a.csv"));

  // Hebbian: degree 2, beta and the weight columns empty, theory 0.138.
  REQUIRE(cli::run(dir, "capacity --model hebbian --dim 50 --alphas 0.1 --trials 3 --out h.csv").code == 0);
  const std::vector<std::string> h = lines_of(cli::slurp(dir / "h.csv"));
  REQUIRE(h.size() == 2);
  CHECK(h[1].rfind("hebbian,binary,50,2,,0.1,5,3,1,100,", 0) == 0);
  CHECK(h[1].substr(h[1].rfind(',') + 1) == "0.138");
}

TEST_CASE("uhop capacity: --list-cells, --cell K and --merge DIR rebuild the direct run's CSV", "[cli][capacity]") {
  cli::TempDir dir;
  const std::string args =
      "capacity --model exponential --dim 8 --alphas 0.3,0.6,0.9 --beta 1,3 --trials 5 --start-overlap 0.8 --steps 2";
  REQUIRE(cli::run(dir, args + " --out direct.csv").code == 0);
  const cli::Result list = cli::run(dir, args + " --list-cells");
  REQUIRE(list.code == 0);
  const std::vector<std::string> cells = lines_of(list.out);
  REQUIRE(cells.size() == 6);
  CHECK(cells[0] == "0 cell0_beta1_alpha0.3.csv");
  CHECK(cells[5] == "5 cell5_beta3_alpha0.9.csv");
  // Cells out of order, as a job array would finish them; merging before the last one is there is refused.
  for (int k : {5, 0, 3, 1, 2})
    REQUIRE(cli::run(dir, args + " --cell " + std::to_string(k) + " --out cells").code == 0);
  const cli::Result early = cli::run(dir, args + " --merge cells --out merged.csv");
  CHECK(early.code == 2);
  CHECK(early.err.find("1 of 6 cells are missing") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "merged.csv"));
  REQUIRE(cli::run(dir, args + " --cell 4 --out cells").code == 0);
  REQUIRE(cli::run(dir, args + " --merge cells --out merged.csv").code == 0);
  CHECK(cli::slurp(dir / "merged.csv") == cli::slurp(dir / "direct.csv"));
  // A cell file from other settings is refused.
  REQUIRE(cli::run(dir, "capacity --model exponential --dim 9 --alphas 0.3 --beta 1 --trials 5 --cell 0 --out other")
              .code == 0);
  std::filesystem::copy_file(dir / "other/cell0_beta1_alpha0.3.csv", dir / "cells/cell0_beta1_alpha0.3.csv",
                             std::filesystem::copy_options::overwrite_existing);
  const cli::Result wrong = cli::run(dir, args + " --merge cells --out merged2.csv");
  CHECK(wrong.code == 2);
  CHECK(wrong.err.find("not cell 0") != std::string::npos);
}

TEST_CASE("uhop capacity: bad input gets one line and exit 2", "[cli][capacity]") {
  cli::TempDir dir;
  const std::string base = "capacity --dim 20 --trials 2 --out x.csv ";
  const std::pair<std::string, std::string> cases[] = {
      {"--model exponential --alphas 3", "2^62"},
      {"--model exponential --dim 5000 --alphas 0.1", "--dim"},
      {"--model hebbian --alphas 0.1 --beta 2", "--beta"},
      {"--model hebbian --patterns gaussian --alphas 0.1", "binary"},
      {"--model polynomial --degree 9 --alphas 0.1", "--degree"},
      {"--model exponential --alphas 0.1,,0.2", "empty entry"},
      {"--model exponential --alphas 0.1 --beta 1e999", "--beta"},
      {"--model exponential --alphas 0.1 --start-overlap 1.5", "--start-overlap"},
      {"--model gardner --alphas 0.1", "unknown model"},
      {"--model exponential --alphas 0.1 --cell 7", "--cell 7"},
      {"--model exponential --alphas 0.1 --memories builtin:digits", "generates its own patterns"},
      {"--model exponential --alphas 0.1 --merge nowhere", "cells are missing"},
  };
  for (const auto& c : cases) {
    INFO(c.first);
    const std::string args =
        c.first.find("--dim") != std::string::npos ? "capacity --trials 2 --out x.csv " + c.first : base + c.first;
    const cli::Result r = cli::run(dir, args);
    CHECK(r.code == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(c.second) != std::string::npos);
    CHECK(!std::filesystem::exists(dir / "x.csv"));
  }
}
