#include "studio_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "studio_state.h"

namespace studio {
StatusText status_text(const std::string& ui_text, bool ui_error, uint64_t ui_set_at, const StudioSnapshot& s) {
  if (!ui_text.empty() && s.commands_done <= ui_set_at) return {ui_text, ui_error ? TextKind::bad : TextKind::good};
  if (!s.error.empty()) return {s.error, TextKind::bad};
  if (!s.message.empty()) return {s.message, TextKind::warning};
  return {};
}

std::string memory_name(const uhop::MemorySet& set, int index) {
  std::string label = "#" + std::to_string(index);
  if (index < 0 || index >= set.count()) return label;
  const int l = index < static_cast<int>(set.labels.size()) ? set.labels[index] : -1;
  if (l >= 0 && l < static_cast<int>(set.class_names.size())) return label + " " + set.class_names[l];
  // No class: the file's name where it has one (folders, single files), not the generated "source#index".
  if (index < static_cast<int>(set.names.size())) {
    const std::string& name = set.names[index];
    if (!name.empty() && name.find('#') == std::string::npos) {
      const size_t slash = name.find_last_of('/');
      return label + " " + (slash == std::string::npos ? name : name.substr(slash + 1));
    }
  }
  return label;
}

StatusText retrieval_verdict(const StudioSnapshot& s, bool baseline) {
  const auto& log = baseline ? s.baseline_log : s.retrieval_log;
  if (log.empty()) return {"no run yet", TextKind::neutral};
  const auto& last = log.back();
  const std::string label =
      s.memories ? memory_name(s.memories->set, last.nearest) : "#" + std::to_string(last.nearest);
  if (last.step == 0) return {"t = 0: not retrieved yet (x_0 is nearest to " + label + ")", TextKind::neutral};
  if (last.nearest == s.state.target) return {"retrieved " + label, TextKind::good};
  return {"wrong memory: " + label, TextKind::bad};
}

std::string size_within_cap(int width, int height, int channels, int max_dim) {
  const double per_pixel = std::max(channels, 1);
  const double scale = std::sqrt(max_dim / (per_pixel * std::max(1, width) * std::max(1, height)));
  int w = std::max(1, static_cast<int>(std::floor(width * scale)));
  int h = std::max(1, static_cast<int>(std::floor(height * scale)));
  while (static_cast<double>(w) * h * per_pixel > max_dim && (w > 1 || h > 1)) {
    if (w >= h)
      --w;
    else
      --h;
  }
  return std::to_string(w) + "x" + std::to_string(h);
}

DownscaleHint downscale_hint(const uhop::MemorySet& set) {
  const uhop::ImageShape& shape = set.shape;
  // Only images (CSV rows and embeddings have height 1: there is no picture to shrink).
  if (set.dim() <= kQuickStudioDim || shape.height <= 1 || shape.width <= 1 || shape.size() != set.dim()) return {};
  const std::string size = size_within_cap(shape.width, shape.height, shape.channels, kQuickStudioDim);
  DownscaleHint hint;
  if (std::sscanf(size.c_str(), "%dx%d", &hint.width, &hint.height) != 2) return {};
  hint.dim = static_cast<long long>(hint.width) * hint.height * std::max(1, shape.channels);
  return hint;
}

long long studio_session_bytes(long long m, long long d, long long big_d) {
  return 8 * (6 * big_d * d + 4 * d * d + 8 * m * std::max(d, big_d));
}

int studio_dim_within(long long m, uint64_t available) {
  // 8 (10 d^2 + 8 m d) <= available: the positive root of 80 d^2 + 64 m d - available.
  const double a = 80, b = 64.0 * static_cast<double>(m), c = -static_cast<double>(available);
  return std::max(1, static_cast<int>(std::floor((-b + std::sqrt(b * b - 4 * a * c)) / (2 * a))));
}

std::string gib_text(long long bytes) {
  char text[32];
  if (bytes >= (1LL << 30))
    std::snprintf(text, sizeof text, "%.1f GB", static_cast<double>(bytes) / (1LL << 30));
  else
    std::snprintf(text, sizeof text, "%.0f MB", static_cast<double>(bytes) / (1LL << 20));
  return text;
}

std::string loss_jump_warning(const std::vector<uhop::Stage1Record>& log, uhop::Optimizer optimizer) {
  if (log.size() < 2) return "";
  const auto& a = log[log.size() - 2];
  const auto& b = log.back();
  if (!(b.loss > a.loss + 0.1 * std::abs(a.loss) + 1e-12)) return "";
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "Stage I: the loss jumped from %.4g to %.4g at step %d: the learning rate %.3g is likely too large "
                "for %s (its default is %.3g)",
                a.loss, b.loss, b.step, a.lr, uhop::to_string(optimizer), default_lr(optimizer));
  return buf;
}

std::string method_label(uhop::Similarity similarity) {
  switch (similarity) {
    case uhop::Similarity::kernel:
      return "U-Hop (kernel)";
    case uhop::Similarity::dot:
      return "MHM (dot)";
    case uhop::Similarity::euclidean:
      return "Euclidean";
    case uhop::Similarity::manhattan:
      return "Manhattan";
  }
  return "?";
}

std::string retrieval_space(uhop::Similarity similarity) {
  return similarity == uhop::Similarity::kernel ? "kernel space" : "pixel space";
}
std::pair<double, double> lr_slider_range(uhop::Optimizer optimizer, uhop::Schedule schedule, double current) {
  std::pair<double, double> r = optimizer == uhop::Optimizer::adam      ? std::make_pair(1e-5, 1.0)
                                : schedule == uhop::Schedule::reference ? std::make_pair(1e-2, 100.0)
                                                                        : std::make_pair(1e-3, 10.0);
  if (current > 0 && std::isfinite(current))
    r.first = std::min(r.first, current), r.second = std::max(r.second, current);
  return r;
}
}  // namespace studio
