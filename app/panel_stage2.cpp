// Stage II: retrieval x_{t+1} = T(x_t) = Xi^T Sep_alpha(beta s(x_t)) with the current W. Similarity, alpha presets,
// beta, T; energy and error-vs-bound plots; the trajectory strip; the Sep weights as bars with thumbnails; badges.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "studio_figures.h"
#include "studio_ui.h"

namespace studio {
namespace {
void weights_chart(UiContext& ui, const StudioSnapshot& s, float height) {
  const int m = static_cast<int>(s.weights.size());
  if (m == 0) return;
  // Index order for small M; the largest 96 weights (sorted) otherwise.
  std::vector<int> order(m);
  std::iota(order.begin(), order.end(), 0);
  const bool sorted = m > 96;
  if (sorted) {
    std::partial_sort(order.begin(), order.begin() + 96, order.end(),
                      [&](int a, int b) { return s.weights[a] > s.weights[b]; });
    order.resize(96);
  }
  const int n = static_cast<int>(order.size());
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  const float thumb = std::min(height * 0.38f, std::max(16.0f, w / 8));
  ImGui::InvisibleButton("##weights", ImVec2(w, height));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float base = p.y + height - 2, top = p.y + thumb + 4;
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + height), rgb(0x1e1e24));
  dl->AddLine(ImVec2(p.x, base), ImVec2(p.x + w, base), rgb(0x888888));
  const float bw = w / n;
  int top3[3] = {-1, -1, -1};
  for (int k = 0; k < n; ++k) {
    const int i = order[k];
    for (int j = 0; j < 3; ++j) {
      if (top3[j] < 0 || s.weights[i] > s.weights[order[top3[j]]]) {
        for (int q = 2; q > j; --q) top3[q] = top3[q - 1];
        top3[j] = k;
        break;
      }
    }
  }
  for (int k = 0; k < n; ++k) {
    const int i = order[k];
    const float h = static_cast<float>(std::clamp(s.weights[i], 0.0, 1.0)) * (base - top);
    const uint32_t col = i == s.state.target ? 0xff7f0e : 0x1f77b4;
    dl->AddRectFilled(ImVec2(p.x + k * bw + bw * 0.1f, base - h), ImVec2(p.x + (k + 1) * bw - bw * 0.1f, base),
                      rgb(col));
  }
  // Thumbnails of the three largest weights above their bars.
  for (int j = 0; j < 3; ++j) {
    if (top3[j] < 0 || s.weights[order[top3[j]]] <= 1e-4) continue;
    const float cx = std::clamp(p.x + (top3[j] + 0.5f) * bw, p.x + thumb / 2, p.x + w - thumb / 2);
    const ImVec2 a(cx - thumb / 2, p.y + 1);
    memory_thumbnail_at(ui, dl, order[top3[j]], a, ImVec2(a.x + thumb, a.y + thumb));
    dl->AddRect(a, ImVec2(a.x + thumb, a.y + thumb), rgb(order[top3[j]] == s.state.target ? 0xff7f0e : 0x1f77b4));
  }
  if (ImGui::IsItemHovered()) {
    const int k = std::clamp(static_cast<int>((ImGui::GetIO().MousePos.x - p.x) / bw), 0, n - 1);
    ImGui::SetTooltip("%s: p = %.4g\np = Sep_α(beta s(x_t)), the weights of x_{t+1} = Xi^T p%s",
                      memory_label(s, order[k]).c_str(), s.weights[order[k]],
                      sorted ? "\n(largest 96 weights, sorted)" : "");
  }
}
}  // namespace

void panel_stage2(UiContext& ui, const ImVec2& pos, const ImVec2& size) {
  set_initial_window(pos, size);
  if (!ImGui::Begin("Stage II: retrieve in kernel space")) {
    ImGui::End();
    return;
  }
  const StudioSnapshot& s = *ui.snap;
  auto& e = ui.edit;
  const float num_w = ImGui::GetFontSize() * 6;
  const char* sims[] = {"dot (MHM)", "kernel (U-Hop)", "euclidean", "manhattan"};
  const char* sim_keys[] = {"dot", "kernel", "euclidean", "manhattan"};
  int sim = static_cast<int>(e.stage2.similarity);
  ImGui::SetNextItemWidth(num_w * 1.8f);
  if (ImGui::Combo("similarity", &sim, sims, 4)) ui.push(make_set("similarity", sim_keys[sim]));
  formula_tip(
      "s_nu(x): dot <ξ_ν, x> (MHM); kernel K(ξ_ν, x) = <W ξ_ν, W x> (U-Hop); euclidean "
      "-‖ξ_ν - x‖; manhattan -‖ξ_ν - x‖_1.");
  ImGui::SameLine();
  int steps = e.stage2_steps;
  ImGui::SetNextItemWidth(num_w * 0.6f);
  if (ImGui::InputInt("T", &steps, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue)) {
    ui.push(make_set("T", std::to_string(std::clamp(steps, 0, 100000))));
  }
  formula_tip("Play runs the retrieval up to x_T. Enter applies.");
  ImGui::SameLine();
  const char* precisions[] = {"single", "double"};
  int precision = static_cast<int>(e.stage2.precision);
  ImGui::SetNextItemWidth(num_w);
  if (ImGui::Combo("precision##2", &precision, precisions, 2)) ui.push(make_set("precision2", precisions[precision]));
  formula_tip(
      "Scores A x and the weighted sum Xi^T p in float or double; Sep, energy and the bound in double. In "
      "single, 'energy never rose' allows 1e-5 |E| of rounding (README 'Decisions: precision').");

  struct Preset {
    const char* name;
    double alpha;
    const char* tip;
  };
  const Preset presets[] = {{"softmax", 1.0, "alpha = 1: p_i = exp(z_i) / sum_j exp(z_j)"},
                            {"entmax", 1.5, "alpha = 1.5: p_i = [z_i/2 - tau]_+^2 (sparse)"},
                            {"sparsemax", 2.0, "alpha = 2: Euclidean projection of z onto the simplex"}};
  for (const auto& pr : presets) {
    const bool on = std::abs(e.stage2.sep.alpha - pr.alpha) < 1e-9;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::Button(pr.name)) ui.push(make_set("alpha", pr.alpha));
    if (on) ImGui::PopStyleColor();
    formula_tip(pr.tip);
    ImGui::SameLine();
  }
  float alpha = static_cast<float>(e.stage2.sep.alpha);
  ImGui::SetNextItemWidth(num_w);
  if (ImGui::SliderFloat("alpha", &alpha, 1.0f, 4.0f, "%.2f")) e.stage2.sep.alpha = alpha;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("alpha", alpha));
  formula_tip(
      "alpha-entmax: p_i = [(alpha-1) z_i - tau]_+^{1/(alpha-1)}, sum p_i = 1. alpha > 1 can give exact "
      "(one-hot) retrieval.");

  float beta = static_cast<float>(e.stage2.beta);
  ImGui::SetNextItemWidth(num_w * 1.3f);
  if (ImGui::SliderFloat("beta", &beta, 0.01f, 1000.0f, "%.3g", ImGuiSliderFlags_Logarithmic)) e.stage2.beta = beta;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("beta", beta));
  formula_tip("Inverse temperature beta in Sep_α(beta s(x)) (log slider). Changing it keeps the trained W.");
  ImGui::SameLine();
  if (ImGui::Button(s.stage2_playing ? "Pause##2" : "Play##2")) {
    ui.push(make_command(s.stage2_playing ? CommandKind::stage2_pause : CommandKind::stage2_play));
  }
  ImGui::SameLine();
  if (ImGui::Button("Step##2")) ui.push(make_command(CommandKind::stage2_steps, 1));
  formula_tip("One retrieval step x_{t+1} = T(x_t) = Xi^T Sep_α(beta s(x_t)) (and one MHM baseline step).");
  ImGui::SameLine();
  if (ImGui::Button("Reset##2")) ui.push(make_command(CommandKind::stage2_reset));
  formula_tip("Back to x_0 = the query. W is kept.");

  if (!s.has_session || s.retrieval_log.empty()) {
    ImGui::TextDisabled("Load memories first.");
    ImGui::End();
    return;
  }
  const auto& last = s.retrieval_log.back();
  const bool energy_defined = std::isfinite(last.energy);
  // Badges: what the user should take away at a glance.
  if (energy_defined) {
    badge(s.energy_monotone ? "energy never rose" : "energy ROSE", s.energy_monotone ? rgb(0x2a8a3a) : rgb(0xc0392b));
    formula_tip("E(x) = 1/2 K(x,x) - (1/beta) Ψ*_α(beta k(x)); by CCCP E(T(x)) ≤ E(x) for full-rank W.");
    ImGui::SameLine();
  }
  if (s.exact_guaranteed) {
    badge("exact retrieval guaranteed", rgb(0x6a3d9a));
    formula_tip(
        "Theorem 2: inside the sphere and beta (Δ^Φ_mu - 2 m_Φ R_Φ) ≥ 1/(alpha-1): "
        "Sep is one-hot at mu, so T(x) = ξ_μ exactly.");
    ImGui::SameLine();
  }
  const std::string verdict = (s.success ? "retrieved " : "wrong memory: ") + memory_label(s, s.nearest);
  badge(verdict.c_str(), s.success ? rgb(0x2a8a3a) : rgb(0xc0392b));
  formula_tip("Nearest memory to x_t in pixel space; success when it is the target.");
  ImGui::Text("t = %d   ‖x_t - ξ_μ‖ = %.4g   target weight %.3g", last.step, last.error, last.target_weight);

  // Trajectory strip x_0 .. x_t (the last 10 when longer).
  const float avail_h = ImGui::GetContentRegionAvail().y;
  const float strip = std::clamp(avail_h * 0.14f, 28.0f, 72.0f);
  const int count = static_cast<int>(s.trajectory.size());
  const int first = std::max(0, count - 10);
  ImGui::BeginGroup();  // one right-click menu for the whole strip
  for (int k = first; k < count; ++k) {
    if (k > first) ImGui::SameLine();
    ImGui::BeginGroup();
    const GlTexture& tex = image_texture(ui, "traj" + std::to_string(k - first), s.trajectory[k], s.version);
    ImGui::Image(tex.imgui_id(), ImVec2(strip, strip));
    ImGui::TextDisabled("x_%d", k);
    ImGui::EndGroup();
  }
  ImGui::EndGroup();
  image_context_menu(ui, "trajectory");

  const float rest = ImGui::GetContentRegionAvail().y;
  const float bars_h = std::max(60.0f, rest * 0.24f);
  const float plot_h = std::max(110.0f, (rest - bars_h - ImGui::GetStyle().ItemSpacing.y * 4) / 2);
  uhop::PlotWidgetOptions opts;
  opts.size = ImVec2(-1, plot_h);
  if (energy_defined) {
    studio_plot(ui, "energy", energy_figure(s), ui.plot_energy, opts);
  } else {
    ImGui::TextDisabled("No energy for %s similarity or top-k.", uhop::to_string(s.state.stage2.similarity));
  }
  studio_plot(ui, "error", error_figure(s), ui.plot_error, opts);
  formula_tip("Red shading: x_t outside the sphere (the bound does not apply). Grey: bound ≥ 2m (vacuous).");

  ImGui::TextDisabled("Sep weights over the memories (orange = target)");
  weights_chart(ui, s, std::max(40.0f, ImGui::GetContentRegionAvail().y - ImGui::GetStyle().ItemSpacing.y));
  ImGui::End();
}
}  // namespace studio
