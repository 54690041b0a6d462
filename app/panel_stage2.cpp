// Stage II: retrieval x_{t+1} = T(x_t) = Xi^T Sep_alpha(beta s(x_t)) with the current W. Similarity, alpha presets,
// beta, T; energy and error-vs-bound plots; the trajectory strip; the Sep weights as bars with thumbnails; badges.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "studio_figures.h"
#include "studio_state.h"
#include "studio_text.h"
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
  // Thumbnails of the three largest weights above their bars, spread apart so neighbouring bars' thumbnails do not
  // overlap, each with a leader line down to its bar.
  std::vector<int> shown;
  std::vector<float> wanted;
  for (int j = 0; j < 3; ++j) {
    if (top3[j] < 0 || s.weights[order[top3[j]]] <= 1e-4) continue;
    shown.push_back(top3[j]);
    wanted.push_back(p.x + (top3[j] + 0.5f) * bw);
  }
  const std::vector<float> centers = spread_apart(wanted, thumb, 3, p.x, p.x + w);
  for (size_t j = 0; j < shown.size(); ++j) {
    const int i = order[shown[j]];
    const ImVec2 a(centers[j] - thumb / 2, p.y + 1);
    const ImU32 col = rgb(i == s.state.target ? 0xff7f0e : 0x1f77b4);
    memory_thumbnail_at(ui, dl, i, a, ImVec2(a.x + thumb, a.y + thumb));
    dl->AddRect(a, ImVec2(a.x + thumb, a.y + thumb), col);
    const float bar_x = p.x + (shown[j] + 0.5f) * bw;
    const float bar_top = base - static_cast<float>(std::clamp(s.weights[i], 0.0, 1.0)) * (base - top);
    dl->AddLine(ImVec2(centers[j], a.y + thumb), ImVec2(bar_x, std::max(bar_top, a.y + thumb)), col);
  }
  if (ImGui::IsItemHovered()) {
    const int k = std::clamp(static_cast<int>((ImGui::GetIO().MousePos.x - p.x) / bw), 0, n - 1);
    ImGui::SetTooltip("%s: p = %.4g\np = Sep_α(beta s(x_t)), the weights of x_{t+1} = Xi^T p%s",
                      memory_label(s, order[k]).c_str(), s.weights[order[k]],
                      sorted ? "\n(largest 96 weights, sorted)" : "");
  }
}

ImU32 kind_color(TextKind k) {
  return k == TextKind::good ? rgb(0x2a8a3a) : k == TextKind::bad ? rgb(0xc0392b) : rgb(0x5a5a66);
}

void advanced_stage2(UiContext& ui, float num_w) {
  auto& e = ui.edit;
  float alpha = static_cast<float>(e.stage2.sep.alpha);
  flow(num_w * 1.6f, true);
  ImGui::SetNextItemWidth(num_w);
  if (ImGui::SliderFloat("alpha", &alpha, 1.0f, 4.0f, "%.2f")) e.stage2.sep.alpha = alpha;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("alpha", alpha));
  formula_tip(
      "alpha-entmax: p_i = [(alpha-1) z_i - tau]_+^{1/(alpha-1)}, sum p_i = 1. alpha > 1 can give exact "
      "(one-hot) retrieval.");
  int topk = e.stage2.sep.top_k;
  flow(num_w * 1.3f);
  ImGui::SetNextItemWidth(num_w * 0.6f);
  ImGui::InputInt("top-k", &topk, 0, 0);
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("topk", std::to_string(std::max(0, topk))));
  formula_tip("Top-k softmax: only the k largest scores take part (0 = off). Has no energy.");
  bool after = e.stage2.beta_after_sep;
  flow(num_w * 2.2f);
  if (ImGui::Checkbox("β after Sep", &after)) ui.push(make_set("beta_after_sep", after ? 1 : 0));
  formula_tip("The reference code's quirk: x+ = β Ξᵀ Sep(s(x)) instead of Ξᵀ Sep(β s(x)). Off by default.");
  float speed = static_cast<float>(e.stage2_speed);
  flow(num_w * 1.8f);
  ImGui::SetNextItemWidth(num_w);
  if (ImGui::SliderFloat("steps/s##2", &speed, 0.5f, 30, "%.1f")) e.stage2_speed = speed;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("speed2", speed));
  formula_tip("Stage II play speed in steps per second.");
  const char* precisions[] = {"single", "double"};
  int precision = static_cast<int>(e.stage2.precision);
  flow(num_w * 1.5f);
  ImGui::SetNextItemWidth(num_w * 0.8f);
  if (ImGui::Combo("precision##2", &precision, precisions, 2)) ui.push(make_set("precision2", precisions[precision]));
  formula_tip(
      "Scores A x and the weighted sum Xi^T p in float or double; Sep, energy and the bound in double. In "
      "single, 'energy never rose' allows 1e-5 |E| of rounding (docs/decisions.md, 'Precision').");
}
}  // namespace

void panel_stage2(UiContext& ui, const ImVec2& pos, const ImVec2& size) {
  const StudioSnapshot& s = *ui.snap;
  const std::string title = "Stage II: retrieve in " + retrieval_space(s.state.stage2.similarity) + " (" +
                            method_label(s.state.stage2.similarity) + ")";
  if (!begin_panel(ui, "stage2", title, pos, size)) {
    ImGui::End();
    return;
  }
  auto& e = ui.edit;
  const bool presenting = ui.layout == LayoutMode::presentation;
  const float num_w = ImGui::GetFontSize() * 6;
  const char* sims[] = {"dot (MHM)", "kernel (U-Hop)", "euclidean", "manhattan"};
  const char* sim_keys[] = {"dot", "kernel", "euclidean", "manhattan"};
  int sim = static_cast<int>(e.stage2.similarity);
  ImGui::SetNextItemWidth(num_w * 1.8f);
  if (ImGui::Combo("similarity", &sim, sims, 4)) ui.push(make_set("similarity", sim_keys[sim]));
  formula_tip(
      "s_nu(x): dot <ξ_ν, x> (MHM); kernel K(ξ_ν, x) = <W ξ_ν, W x> (U-Hop); euclidean "
      "-‖ξ_ν - x‖; manhattan -‖ξ_ν - x‖_1.");
  int steps = e.stage2_steps;
  flow(num_w);
  ImGui::SetNextItemWidth(num_w * 0.6f);
  ImGui::InputInt("T", &steps, 0, 0);
  ui.record_item("stage2_T");
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("T", std::to_string(std::clamp(steps, 0, 100000))));
  formula_tip("Play runs the retrieval up to x_T (applies on Enter or when you click elsewhere).");

  struct Preset {
    const char* name;
    double alpha;
    const char* tip;
  };
  const Preset presets[] = {{"softmax", 1.0, "alpha = 1: p_i = exp(z_i) / sum_j exp(z_j)"},
                            {"entmax", 1.5, "alpha = 1.5: p_i = [z_i/2 - tau]_+^2 (sparse)"},
                            {"sparsemax", 2.0, "alpha = 2: Euclidean projection of z onto the simplex"}};
  bool first = true;
  for (const auto& pr : presets) {
    const bool on = std::abs(e.stage2.sep.alpha - pr.alpha) < 1e-9;
    flow(ImGui::CalcTextSize(pr.name).x + ImGui::GetStyle().FramePadding.x * 2, first);
    first = false;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::Button(pr.name)) ui.push(make_set("alpha", pr.alpha));
    if (on) ImGui::PopStyleColor();
    formula_tip(pr.tip);
  }
  float beta = static_cast<float>(e.stage2.beta);
  flow(num_w * 1.9f);
  ImGui::SetNextItemWidth(num_w * 1.3f);
  if (ImGui::SliderFloat("beta", &beta, 0.01f, 1000.0f, "%.3g", ImGuiSliderFlags_Logarithmic)) e.stage2.beta = beta;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("beta", beta));
  formula_tip("Inverse temperature beta in Sep_α(beta s(x)) (log slider). Changing it keeps the trained W.");
  flow(ImGui::GetFontSize() * 3.5f);
  if (ImGui::Button(s.stage2_playing ? "Pause##2" : "Play##2")) {
    ui.push(make_command(s.stage2_playing ? CommandKind::stage2_pause : CommandKind::stage2_play));
  }
  ui.record_item("stage2_play");
  flow(ImGui::GetFontSize() * 3);
  if (ImGui::Button("Step##2")) ui.push(make_command(CommandKind::stage2_steps, 1));
  formula_tip("One retrieval step x_{t+1} = T(x_t) = Xi^T Sep_α(beta s(x_t)) (and one MHM baseline step).");
  flow(ImGui::GetFontSize() * 3.5f);
  if (ImGui::Button("Reset##2")) ui.push(make_command(CommandKind::stage2_reset));
  formula_tip("Back to x_0 = the query. W is kept.");
  if (!presenting) {
    ImGui::SetNextItemOpen(ui.show_advanced2, ImGuiCond_Always);
    ui.show_advanced2 =
        fitted_header("Advanced: alpha, top-k, β after Sep, speed, precision", "advanced2");  // cut with "…" at 800 px
    ui.record_item("advanced2");
    if (ui.show_advanced2) advanced_stage2(ui, num_w);
  }
  for (const std::string& w : unusual_settings(s.state)) {
    if (w.find("after Sep") != std::string::npos) text_wrapped_colored(ImVec4(0.95f, 0.8f, 0.4f, 1), "note: " + w);
  }

  if (!s.has_session || s.retrieval_log.empty()) {
    ImGui::TextDisabled(s.busy ? "Loading..." : "Load memories first.");
    ImGui::End();
    return;
  }
  const auto& last = s.retrieval_log.back();
  const bool energy_defined = std::isfinite(last.energy);
  // Badges: what the user should take away at a glance.
  if (energy_defined) {
    const char* text = s.energy_monotone               ? "energy never rose"
                       : s.state.stage2.beta_after_sep ? "energy rose (β after Sep: no guarantee)"
                                                       : "energy ROSE";
    badge(text, s.energy_monotone ? rgb(0x2a8a3a) : s.state.stage2.beta_after_sep ? rgb(0x8a6d1a) : rgb(0xc0392b));
    formula_tip(
        "E(x) = 1/2 K(x,x) - (1/beta) Ψ*_α(beta k(x)); by CCCP E(T(x)) ≤ E(x) for full-rank W "
        "(not with β after Sep, which scales the update).");
    ImGui::SameLine();
  }
  if (s.exact_guaranteed) {
    badge("exact retrieval guaranteed", rgb(0x6a3d9a));
    formula_tip(
        "Theorem 2: inside the sphere and beta (Δ^Φ_mu - 2 m_Φ R_Φ) ≥ 1/(alpha-1): "
        "Sep is one-hot at mu, so T(x) = ξ_μ exactly.");
    ImGui::SameLine();
  }
  const StatusText verdict = retrieval_verdict(s, false);
  flow(ImGui::CalcTextSize(verdict.text.c_str()).x + ImGui::GetFontSize());
  badge(verdict.text.c_str(), kind_color(verdict.kind));
  formula_tip("Nearest memory to x_t in pixel space; success when it is the target.");
  text_wrapped_words("t = %d   ‖x_t - ξ_μ‖ = %.4g   target weight %.3g", last.step, last.error, last.target_weight);

  // Trajectory strip x_0 .. x_t (the last 10 when longer); left out when the panel is short (Compare shows x_t too).
  const float strip = std::clamp(ImGui::GetContentRegionAvail().y * 0.12f, 28.0f, 72.0f);
  const bool show_strip = ImGui::GetContentRegionAvail().y >= 2.5f * min_plot_height() + strip;
  const int count = static_cast<int>(s.trajectory.size());
  const int per_row =
      std::max(1, static_cast<int>(ImGui::GetContentRegionAvail().x / (strip + ImGui::GetStyle().ItemSpacing.x)));
  const int first_shown = std::max(0, count - std::min(10, per_row));
  ImGui::BeginGroup();  // one right-click menu for the whole strip
  for (int k = show_strip ? first_shown : count; k < count; ++k) {
    if (k > first_shown) ImGui::SameLine();
    ImGui::BeginGroup();
    const GlTexture& tex = image_texture(ui, "traj" + std::to_string(k - first_shown), s.trajectory[k], s.version);
    ImGui::Image(tex.imgui_id(), ImVec2(strip, strip));
    ImGui::TextDisabled("x_%d", k);
    ImGui::EndGroup();
  }
  ImGui::EndGroup();
  if (show_strip) image_context_menu(ui, "trajectory");

  std::vector<PlotSlot> slots;
  if (energy_defined) {
    slots.push_back({"energy", [&](const ImVec2& sz) {
                       uhop::PlotWidgetOptions opts;
                       opts.size = sz;
                       studio_plot(ui, "energy", energy_figure(s), ui.plot_energy, opts);
                     }});
  }
  slots.push_back({"error", [&](const ImVec2& sz) {
                     uhop::PlotWidgetOptions opts;
                     opts.size = sz;
                     studio_plot(ui, "error", error_figure(s), ui.plot_error, opts);
                     formula_tip(
                         "Red shading: x_t outside the sphere (the bound does not apply). Grey: bound ≥ 2m "
                         "(vacuous).");
                   }});
  if (!presenting) {
    slots.push_back({"Sep weights",
                     [&](const ImVec2& sz) {
                       ImGui::TextDisabled("Sep weights over the memories (orange = target)");
                       weights_chart(ui, s, std::max(40.0f, sz.y - ImGui::GetTextLineHeightWithSpacing()));
                     },
                     0.7f});
  }
  if (!energy_defined && !presenting) {
    ImGui::TextDisabled("No energy for %s similarity or top-k.", uhop::to_string(s.state.stage2.similarity));
  }
  plot_stack("stage2_plots", slots, ImGui::GetContentRegionAvail().y - ImGui::GetStyle().ItemSpacing.y);
  ImGui::End();
}
}  // namespace studio
