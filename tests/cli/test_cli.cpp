#include <catch2/catch.hpp>

#include <filesystem>

#include "cli_runner.h"
#include "csv_table.h"
#include "data/csv_matrix.h"
#include "naive_formulas.h"

using namespace uhop;

namespace {
std::vector<std::vector<std::string>> read_log(const std::string& path) {
  return csv_table::read(path);
}
int column(const std::vector<std::string>& header, const std::string& name) {
  return csv_table::column(header, name);
}
void write_memories(const cli::TempDir& dir, const Matrix& xi) {
  write_csv_matrix(dir / "mem.csv", xi);
}
}  // namespace

TEST_CASE("uhop stage1 end to end: log rows 0..N match the naive loss of each W", "[cli]") {
  cli::TempDir dir;
  Rng rng(1);
  const Matrix xi = naive::random_matrix(rng, 5, 3);
  write_memories(dir, xi);
  const auto r = cli::run(dir,
                          "stage1 --memories mem.csv --init gaussian --dim 4 --seed 3 --steps 4 --lr 0.1 "
                          "--schedule inv-sqrt --t 2 --loss avg --out-w w.csv --log log.csv");
  REQUIRE(r.code == 0);
  const auto log = read_log(dir / "log.csv");
  REQUIRE(log.size() == 6);  // header + W_0..W_4
  for (const char* c : {"step", "loss", "delta_phi_min", "delta_phi_mean", "r_phi"}) column(log[0], c);
  const Matrix w = read_csv_matrix(dir / "w.csv", 1 << 20);
  REQUIRE(w.rows() == 4);
  REQUIRE(w.cols() == 3);
  CHECK(std::stod(log[5][column(log[0], "loss")]) == Approx(naive::separation_loss(w, xi, 2.0, false)));
  CHECK(std::stod(log[5][column(log[0], "r_phi")]) == Approx(naive::r_phi(w, xi)));
  CHECK(log[0][0] == "step");
  CHECK(log[1][0] == "0");
  CHECK(log[5][0] == "4");
  // Starting from the file W gives step 0 = that W.
  const auto r2 = cli::run(dir, "stage1 --memories mem.csv --w0 w.csv --steps 0 --lr 0.1 --out-w w2.csv --log l2.csv");
  REQUIRE(r2.code == 0);
  CHECK(read_log(dir / "l2.csv")[1][1] == log[5][1]);
}

TEST_CASE("uhop stage1 --batch --stats-every --precision: stats on rows 0, K, 2K and the last", "[cli][batch]") {
  cli::TempDir dir;
  Rng rng(2);
  const Matrix xi = naive::random_matrix(rng, 12, 3);
  write_memories(dir, xi);
  for (const char* precision : {"single", "double"}) {
    const auto r = cli::run(dir, std::string("stage1 --memories mem.csv --init gaussian --dim 4 --seed 3 --steps 5 "
                                             "--lr 0.1 --batch 4 --stats-every 2 --out-w w.csv --log log.csv "
                                             "--precision ") +
                                     precision);
    REQUIRE(r.code == 0);
    const auto log = read_log(dir / "log.csv");
    REQUIRE(log.size() == 7);
    CHECK(log[0].back() == "batch_loss");
    const int loss = column(log[0], "loss"), dmin = column(log[0], "delta_phi_min"), bl = column(log[0], "batch_loss");
    for (int row = 0; row <= 5; ++row) {
      INFO(precision << " row " << row);
      const bool stats_row = row % 2 == 0 || row == 5;
      CHECK(log[row + 1][dmin].empty() != stats_row);
      CHECK(log[row + 1][loss].empty() != stats_row);
      CHECK(log[row + 1][bl].empty() == (row == 5));
    }
    const Matrix w = read_csv_matrix(dir / "w.csv", 1 << 20);
    CHECK(std::stod(log[6][loss]) == Approx(naive::separation_loss(w, xi, 2.0, false)).epsilon(1e-5));
    CHECK(std::stod(log[6][column(log[0], "r_phi")]) == Approx(naive::r_phi(w, xi)).epsilon(1e-5));
  }
}

TEST_CASE("uhop retrieve end to end: energy, error and paper error against the naive formulas", "[cli]") {
  cli::TempDir dir;
  Rng rng(2);
  const Matrix xi = naive::random_matrix(rng, 6, 4);
  write_memories(dir, xi);
  const Matrix w = naive::random_gaussian(rng, 5, 4);
  write_csv_matrix(dir / "w.csv", w);
  const Vector q = naive::random_vector(rng, 4, 0, 1);
  write_csv_matrix(dir / "q.csv", Matrix(q.transpose()));
  const auto r = cli::run(dir,
                          "retrieve --memories mem.csv --w w.csv --query q.csv --target 2 --beta 0.7 "
                          "--steps 2 --out x.csv --log log.csv");
  REQUIRE(r.code == 0);
  const auto log = read_log(dir / "log.csv");
  REQUIRE(log.size() == 4);
  const auto& h = log[0];
  for (const char* c : {"step", "energy", "error", "bound", "in_sphere", "paper_error"}) column(h, c);
  const Vector x1 = naive::softmax_step(w, xi, q, 0.7), x2 = naive::softmax_step(w, xi, x1, 0.7);
  const Vector target = xi.row(2).transpose();
  CHECK(std::stod(log[1][column(h, "energy")]) == Approx(naive::softmax_energy(w, xi, q, 0.7)));
  CHECK(std::stod(log[2][column(h, "error")]) == Approx((x1 - target).norm()));
  CHECK(std::stod(log[3][column(h, "energy")]) == Approx(naive::softmax_energy(w, xi, x2, 0.7)));
  const Vector clipped = x2.cwiseMax(0.0).cwiseMin(1.0) - target.cwiseMax(0.0).cwiseMin(1.0);
  CHECK(std::stod(log[3][column(h, "paper_error")]) == Approx(clipped.squaredNorm()));
  const Matrix out = read_csv_matrix(dir / "x.csv", 1 << 20);
  REQUIRE(out.rows() == 1);
  CHECK((out.row(0).transpose() - x2).norm() < 1e-12);
}

TEST_CASE("uhop retrieve with a corruption is seeded, and distance similarities leave energy empty", "[cli]") {
  cli::TempDir dir;
  Rng rng(3);
  write_memories(dir, naive::random_matrix(rng, 6, 4));
  const std::string args =
      "retrieve --memories mem.csv --target 1 --corrupt gaussian:0.2 --seed 4 "
      "--similarity euclidean --out x.csv --log ";
  REQUIRE(cli::run(dir, args + "a.csv").code == 0);
  REQUIRE(cli::run(dir, args + "b.csv").code == 0);
  CHECK(cli::slurp(dir / "a.csv") == cli::slurp(dir / "b.csv"));
  const auto log = read_log(dir / "a.csv");
  CHECK(log[1][column(log[0], "energy")].empty());
  CHECK(log[1][column(log[0], "bound")].empty());
  CHECK(log[1][column(log[0], "in_sphere")].empty());
}

TEST_CASE("bad CLI input: one line naming the problem, exit 2, no output file", "[cli][bad-input]") {
  cli::TempDir dir;
  dir.write("ragged.csv", "1,2,3\n4,5\n");
  dir.write("text.csv", "1,2\nhello,3\n");
  dir.write("nan.csv", "1,2\nnan,3\n");
  dir.write("empty.csv", "");
  dir.write("one.csv", "1,2,3\n");
  dir.write("good.csv", "1,0,0\n0,1,0\n0,0,1\n");
  dir.write("w_small.csv", "1,0,0\n0,1,0\n");
  struct Case {
    std::string args, message;
  };
  const std::string s1 = "stage1 --init identity --steps 1 --lr 0.1 --out-w w.csv --log log.csv --memories ";
  const std::string rt = "retrieve --target 0 --corrupt gaussian:0.1 --out x.csv --log log.csv --memories ";
  const Case cases[] = {
      {s1 + "ragged.csv", "ragged.csv:2"},
      {s1 + "text.csv", "text.csv:2"},
      {s1 + "nan.csv", "not finite"},
      {s1 + "empty.csv", "empty"},
      {s1 + "missing.csv", "missing.csv"},
      {s1 + "one.csv", "at least 2 memories"},
      {"stage1 --init gaussian --dim 2 --steps 1 --lr 0.1 --out-w w.csv --log log.csv --memories good.csv", "D"},
      {"stage1 --w0 w_small.csv --steps 1 --lr 0.1 --out-w w.csv --log log.csv --memories good.csv", "D = 2"},
      {s1 + "good.csv --batch 1", "--batch"},
      {s1 + "good.csv --batch -3", "--batch"},
      {s1 + "good.csv --stats-every 0", "--stats-every"},
      {s1 + "good.csv --precision half", "precision"},
      {rt + "good.csv --precision quad", "precision"},
      {rt + "good.csv --beta 0", "beta"},
      {rt + "good.csv --beta -1", "beta"},
      {rt + "good.csv --beta inf", "beta"},
      {rt + "good.csv --alpha 0.5", "alpha"},
      {rt + "good.csv --bogus 1", "unknown flag --bogus"},
      {rt + "good.csv --target 7", "target"},
      {"retrieve --memories good.csv --target 0 --out x.csv --log log.csv", "--query"},
      {"frobnicate", "unknown command"},
  };
  for (const auto& c : cases) {
    INFO(c.args);
    const auto r = cli::run(dir, c.args);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains(c.message));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') <= 2);
    CHECK_FALSE(std::filesystem::exists(dir / "w.csv"));
    CHECK_FALSE(std::filesystem::exists(dir / "x.csv"));
    CHECK_FALSE(std::filesystem::exists(dir / "log.csv"));
  }
  // No temp files are left behind either.
  for (const auto& e : std::filesystem::directory_iterator(dir.path))
    CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("an output that cannot be written fails cleanly and leaves the old file", "[cli][bad-input]") {
  cli::TempDir dir;
  dir.write("good.csv", "1,0,0\n0,1,0\n0,0,1\n");
  dir.write("log.csv", "old\n");
  const auto r = cli::run(dir,
                          "stage1 --memories good.csv --init identity --steps 1 --lr 0.1 "
                          "--out-w no/such/dir/w.csv --log log.csv");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("no/such/dir/w.csv"));
  CHECK(cli::slurp(dir / "log.csv") == "old\n");  // the log is not replaced when its W cannot be written
}
