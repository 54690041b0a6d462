#include "sweep_presets.h"

#include "numerics/input_error.h"

namespace uhop {
namespace {
// What every preset shares: the memories, the four Hopfield methods of the authors' MHN/UMHN x softmax/sparsemax
// grid, ten seeds numbered like their scripts' (1..10; our seeds pick memories and noise, they do not reproduce
// torch's streams), beta 1, one retrieval step, 100 Stage I steps, t = 2, D = d, plain SGD, no row normalization.
SweepSettings common_frame(const std::string& name) {
  SweepSettings s;
  s.preset = name;
  s.memories = "builtin:fashion-mnist";
  s.methods = {"mhm", "uhop", "sparse", "sparse-uhop"};
  s.seeds = 10;
  s.first_seed = 1;
  s.beta = 1;
  s.retrieval_steps = 1;
  s.stage1_steps = 100;
  s.stage1.t = 2;
  s.stage1.dim = 0;
  s.stage1.optimizer = Optimizer::sgd;
  s.stage1.normalize_rows = false;
  return s;
}

// The authors' train_kernel: W ~ N(0,1) (d x d), SGD lr 1, the average separation loss, lr divided by sqrt(i+1)
// after step i (our `reference` schedule), and their update rule x+ = beta Xi^T Sep(s).
void authors_stage1(SweepSettings& s) {
  s.stage1.init = FeatureInit::gaussian;
  s.stage1.lr = 1;
  s.stage1.schedule = Schedule::reference;
  s.stage1.loss = LossKind::avg;
  s.beta_after_sep = true;
}
}  // namespace

const std::vector<std::string>& sweep_preset_names() {
  static const std::vector<std::string> names = {"authors-noise", "authors-capacity", "authors-max-loss", "studio"};
  return names;
}

SweepSettings sweep_preset(const std::string& name) {
  SweepSettings s = common_frame(name);
  if (name == "authors-noise") {
    // memory_retrieval_noise.py: M = 100, query clip(|xi + sigma n|, 0, 1), W trained on all M memories.
    authors_stage1(s);
    s.vary = SweepAxis::sigma;
    s.count = 100;
    s.noise = "gaussian";
  } else if (name == "authors-capacity") {
    // memory_retrieval.py: query = dropout 0.5 (zeroed pixels, the rest x2), W trained on the first floor(M/2).
    authors_stage1(s);
    s.vary = SweepAxis::count;
    s.noise = "dropout";
    s.sigma = 0.5;
    s.train_half = true;
  } else if (name == "authors-max-loss") {
    // memory_retrieval_max_loss.py: as capacity, but train_kernel_max: the max loss with a constant lr 10.
    authors_stage1(s);
    s.stage1.lr = 10;
    s.stage1.schedule = Schedule::constant;
    s.stage1.loss = LossKind::max;
    s.vary = SweepAxis::count;
    s.noise = "dropout";
    s.sigma = 0.5;
    s.train_half = true;
  } else if (name == "studio") {
    // This project's Stage I (default_sweep_settings: W_0 = I, lr 0.1 constant, avg loss) in authors-noise's frame.
    const SweepSettings d = default_sweep_settings();
    s.stage1.init = d.stage1.init;
    s.stage1.lr = d.stage1.lr;
    s.stage1.schedule = d.stage1.schedule;
    s.stage1.loss = d.stage1.loss;
    s.vary = SweepAxis::sigma;
    s.count = 100;
    s.noise = "gaussian";
  } else {
    std::string known;
    for (const auto& n : sweep_preset_names()) known += (known.empty() ? "" : ", ") + n;
    throw InputError("unknown sweep preset " + quoted_excerpt(name) + " (known: " + known + ")");
  }
  return s;
}

std::string sweep_preset_description(const std::string& name) {
  if (name == "authors-noise")
    return "The authors' memory_retrieval_noise.py: M = 100, sigma varies, Gaussian noise clip(|xi + sigma n|, 0, 1); "
           "W_0 ~ N(0,1), lr 1 with the reference schedule, avg loss, 100 steps on all M; beta 1 after Sep.";
  if (name == "authors-capacity")
    return "The authors' memory_retrieval.py: M varies, dropout 0.5 queries; W_0 ~ N(0,1), lr 1 with the reference "
           "schedule, avg loss, 100 steps on the first floor(M/2) memories; beta 1 after Sep.";
  if (name == "authors-max-loss")
    return "The authors' memory_retrieval_max_loss.py: M varies, dropout 0.5 queries; W_0 ~ N(0,1), max loss with "
           "a constant lr 10, 100 steps on the first floor(M/2) memories; beta 1 after Sep.";
  if (name == "studio")
    return "This project's Stage I: W_0 = I, lr 0.1 constant, avg loss, 100 steps on all M; beta 1 inside Sep; "
           "otherwise as authors-noise (M = 100, sigma varies, Gaussian noise).";
  sweep_preset(name);  // throws naming the known presets
  return "";
}
}  // namespace uhop
