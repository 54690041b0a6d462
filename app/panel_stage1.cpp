// Stage I: training the feature map W on the separation loss. Play/step/reset, the optimizer settings, live plots
// of L_Phi, Delta^Phi (min, mean and the min..max band) and R_Phi, and the feature-cosine heatmap before vs now.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "studio_figures.h"
#include "studio_state.h"
#include "studio_text.h"
#include "studio_ui.h"

namespace studio {
namespace {
void combo_enum(const char* label, int& value, const char* const* names, int count, const char* tip, UiContext& ui,
                const char* key, float width) {
  flow(width * 1.8f);
  ImGui::SetNextItemWidth(width);
  if (ImGui::Combo(label, &value, names, count)) ui.push(make_set(key, names[value]));
  formula_tip(tip);
}

// An integer field that applies on Enter or when focus leaves it (a value typed and then left is not lost).
bool int_field(const char* label, int& value, float width) {
  ImGui::SetNextItemWidth(width);
  ImGui::InputInt(label, &value, 0, 0);
  return ImGui::IsItemDeactivatedAfterEdit();
}

// The settings a first-time user does not need: schedule, temperature, loss, W_0, D, the training subset, the seed,
// normalization, "stop after". Every setting has a control somewhere (a preset cannot leave an invisible one behind).
void advanced_stage1(UiContext& ui, float num_w) {
  auto& e = ui.edit;
  const char* schedules[] = {"constant", "inv-sqrt", "reference"};
  int sched = static_cast<int>(e.stage1.schedule);
  combo_enum("schedule", sched, schedules, 3,
             "constant: gamma_i = gamma;  inv-sqrt: gamma/sqrt(i+1);  reference: gamma_{i+1} = gamma_i/sqrt(i+1)", ui,
             "schedule", num_w);
  float t = static_cast<float>(e.stage1.t);
  flow(num_w * 1.3f);
  ImGui::SetNextItemWidth(num_w);
  if (ImGui::SliderFloat("t", &t, 0.1f, 20.0f, "%.2f", ImGuiSliderFlags_Logarithmic)) e.stage1.t = t;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("t", t));
  formula_tip("Temperature of the separation loss: exp(-t ‖f_mu - f_nu‖^2).");
  const char* losses[] = {"avg", "max"};
  int loss = static_cast<int>(e.stage1.loss);
  combo_enum("loss", loss, losses, 2,
             "avg: L = log(2/(M(M-1)) sum_{mu<nu} exp(-t ‖f_mu - f_nu‖^2));  max: L = max_{mu<nu} -t ‖f_mu - f_nu‖^2,"
             "  f_mu = W ξ_μ / ‖W ξ_μ‖",
             ui, "loss", num_w * 0.7f);
  const char* inits[] = {"identity", "gaussian", "orthogonal"};
  int init = static_cast<int>(e.stage1.init);
  combo_enum("init", init, inits, 3,
             "W_0: identity (D = d: U-Hop starts as plain MHM), gaussian N(0,1), or random orthogonal columns (D ≥ d). "
             "Changing it re-initializes W.",
             ui, "init", num_w);
  int dim = e.stage1.dim;
  flow(num_w * 1.1f);
  if (int_field("D", dim, num_w * 0.7f)) ui.push(make_set("dim", std::to_string(std::max(0, dim))));
  formula_tip("Feature dimension D of W in R^{D x d}; 0 = d. Needs D ≥ d (full column rank).");
  int seed = static_cast<int>(std::min<uint64_t>(e.stage1.seed, 2147483647));
  flow(num_w * 1.3f);
  if (int_field("W seed", seed, num_w * 0.7f)) ui.push(make_set("w_seed", std::to_string(std::max(0, seed))));
  formula_tip("Seed of the gaussian/orthogonal W_0 (identity ignores it).");
  int train = e.stage1.train_count;
  flow(num_w * 1.6f);
  if (int_field("train on first", train, num_w * 0.7f)) {
    ui.push(make_set("train_count", std::to_string(std::max(0, train))));
  }
  formula_tip("Train W on the first n memories only (the reference code trains on M/2); 0 = all of them.");
  bool at_finish = e.stage1.normalize_rows;
  flow(num_w * 2.4f);
  if (ImGui::Checkbox("normalize when Play stops", &at_finish)) ui.push(make_set("normalize_rows", at_finish ? 1 : 0));
  formula_tip(
      "Algorithm 1 line 4 at the end of training: when Play stops at 'stop after', every row of W is scaled "
      "to unit length.");
  flow(num_w * 1.6f);
  if (ImGui::Button("Normalize rows now")) ui.push(make_command(CommandKind::stage1_normalize));
  ui.record_item("normalize_rows");
  formula_tip("Every row of W scaled to unit length now (not logged as a step; the next step starts from it).");
  int stop = e.stage1_stop_after;
  flow(num_w * 1.6f);
  if (int_field("stop after", stop, num_w)) ui.push(make_set("stop_after", std::to_string(std::max(0, stop))));
  ui.record_item("stop_after");
  formula_tip("Play stops when the log reaches this many steps (0 = never).");
  // Speed and scale: precision of the products, mini-batch size, how often the statistics over all M are computed.
  const char* precisions[] = {"single", "double"};
  int precision = static_cast<int>(e.stage1.precision);
  combo_enum("precision", precision, precisions, 2,
             "Stage I's products (features, pair sweep, gradient) in float or double; the loss, statistics and W are "
             "accumulated in double either way (docs/decisions.md, 'Precision').",
             ui, "precision1", num_w * 0.8f);
  int batch = e.stage1.batch;
  flow(num_w * 1.3f);
  if (int_field("batch", batch, num_w * 0.7f))
    ui.push(make_set("batch", std::to_string(batch == 1 ? 2 : std::max(0, batch))));
  formula_tip(
      "Mini-batch: each step trains on the pairs of B memories drawn from the seed; 0 = all (full batch). "
      "A step then costs O(B^2 D + B d D) whatever M is.");
  int every = e.stage1.stats_every;
  flow(num_w * 1.6f);
  if (int_field("stats every", every, num_w * 0.7f))
    ui.push(make_set("stats_every", std::to_string(std::max(1, every))));
  formula_tip(
      "Δ^Φ, R_Φ, m_Φ (and for mini-batch the loss) over all M on every K-th row and when Stage I stops; "
      "rows in between leave them empty.");
}

// Speed, learning rate and optimizer: the controls of the standard layout.
void normal_controls(UiContext& ui, const StudioSnapshot& s, float num_w) {
  auto& e = ui.edit;
  // Speed: the right end of the slider is "as fast as possible" (0 in the settings).
  float speed = e.stage1_speed > 0 ? static_cast<float>(e.stage1_speed) : 61.0f;
  flow(num_w * 1.7f);
  ImGui::SetNextItemWidth(num_w);
  if (ImGui::SliderFloat("steps/s", &speed, 1, 61, speed > 60.5f ? "max" : "%.0f"))
    e.stage1_speed = speed > 60.5f ? 0 : speed;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("speed1", speed > 60.5f ? 0.0 : std::round(speed)));
  formula_tip("Play speed in steps per second; all the way right = as fast as possible.");

  float lr = static_cast<float>(e.stage1.lr);
  flow(num_w * 1.3f);
  ImGui::SetNextItemWidth(num_w);
  const auto [lr_lo, lr_hi] = lr_slider_range(e.stage1.optimizer, e.stage1.schedule, e.stage1.lr);
  if (ImGui::SliderFloat("lr", &lr, static_cast<float>(lr_lo), static_cast<float>(lr_hi), "%.3g",
                         ImGuiSliderFlags_Logarithmic))
    e.stage1.lr = lr;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("lr", lr));
  formula_tip("Learning rate gamma in W_{i+1} = W_i - gamma_i dL/dW.");
  const char* optimizers[] = {"sgd", "adam"};
  int opt = static_cast<int>(e.stage1.optimizer);
  flow(num_w * 1.4f);
  ImGui::SetNextItemWidth(num_w * 0.8f);
  if (ImGui::Combo("optimizer", &opt, optimizers, 2)) {
    // Picking Adam while lr is still SGD's default also takes Adam's default (0.1 collapses W under Adam).
    for (const auto& [key, value] : optimizer_change(s.state, static_cast<uhop::Optimizer>(opt))) {
      ui.push(make_set(key, value));
    }
  }
  formula_tip("Plain gradient descent (default lr 0.1) or Adam (default lr 0.01) with step size gamma_i.");
}
}  // namespace

void panel_stage1(UiContext& ui, const ImVec2& pos, const ImVec2& size) {
  if (!begin_panel(ui, "stage1", "Stage I: train the feature map W", pos, size)) {
    ImGui::End();
    return;
  }
  const StudioSnapshot& s = *ui.snap;
  const bool presenting = ui.layout == LayoutMode::presentation;
  const float num_w = ImGui::GetFontSize() * 6.5f;
  if (ImGui::Button(s.stage1_playing ? "Pause" : "Play", ImVec2(ImGui::GetFontSize() * 4, 0))) {
    ui.push(make_command(s.stage1_playing ? CommandKind::stage1_pause : CommandKind::stage1_play));
  }
  ui.record_item("stage1_play");
  formula_tip("Space. Repeats W_{i+1} = W_i - gamma_i dL_Φ/dW (W_i) at the chosen speed until 'stop after'.");
  flow(ImGui::GetFontSize() * 3);
  if (ImGui::Button("Step")) ui.push(make_command(CommandKind::stage1_steps, 1));
  ui.record_item("stage1_step");
  formula_tip("N. One gradient step on the separation loss.");
  flow(ImGui::GetFontSize() * 4.5f);
  if (ImGui::Button("Step x10")) ui.push(make_command(CommandKind::stage1_steps, 10));
  flow(ImGui::GetFontSize() * 3.5f);
  if (ImGui::Button("Reset")) ui.push(make_command(CommandKind::stage1_reset));
  formula_tip(
      "R. W = W_0 from the init and seed; the log restarts at row 0. Stage II keeps its steps and follows W_0.");

  // The presentation layout keeps the buttons only (speed, lr and the optimizer are for exploring, not for a lecture):
  // the room goes to the separation and loss plots.
  if (!presenting) normal_controls(ui, s, num_w);
  if (!presenting) {
    ImGui::SetNextItemOpen(ui.show_advanced1, ImGuiCond_Always);
    ui.show_advanced1 = fitted_header("Advanced: schedule, loss, W_0, D, normalize, stop, precision, batch",
                                      "advanced1");  // cut with "…" at 800 px
    ui.record_item("advanced1");
    if (ui.show_advanced1) advanced_stage1(ui, num_w);
  }
  for (const std::string& w : unusual_settings(s.state)) {
    if (w.find("after Sep") == std::string::npos) text_wrapped_colored(ImVec4(0.95f, 0.8f, 0.4f, 1), "note: " + w);
  }

  if (!s.has_session || s.stage1_log.empty()) {
    ImGui::TextDisabled(s.busy ? "Loading..." : "Load memories first.");
    ImGui::End();
    return;
  }
  const auto& last = s.stage1_log.back();
  if (s.stats_current) {
    // Phrase by phrase, so a narrow panel wraps between readings, never inside a number ("25.\n6").
    char phrase[4][64];
    std::snprintf(phrase[0], sizeof phrase[0], "step %d", last.step);
    std::snprintf(phrase[1], sizeof phrase[1], "L = %.4g", last.loss);
    std::snprintf(phrase[2], sizeof phrase[2], "Δ^Φ min %.3g mean %.3g", last.delta_phi_min, last.delta_phi_mean);
    std::snprintf(phrase[3], sizeof phrase[3], "R_Φ %.3g", last.r_phi);
    for (int k = 0; k < 4; ++k) {
      flow(ImGui::CalcTextSize(phrase[k]).x + ImGui::GetFontSize(), k == 0);
      ImGui::TextUnformatted(phrase[k]);
    }
  } else {
    // Mini-batch / stats-every rows between: the statistics over all M are those of an earlier step.
    text_wrapped_words("step %d   batch L = %.4g   statistics of step %d: Δ^Φ min %.3g  R_Φ %.3g", last.step,
                       s.stage1_log.size() > 1 ? s.stage1_log[s.stage1_log.size() - 2].batch_loss : last.loss,
                       s.stats_step, s.stats.delta_min, s.stats.r_phi);
    formula_tip("Statistics over all M are computed on rows 0, K, 2K, ... ('stats every') and when Stage I stops.");
  }
  if (!s.stage1_warning.empty()) {  // wrapped at spaces: it is a long sentence, and it used to run past the panel
    text_wrapped_colored(ImVec4(0.95f, 0.55f, 0.3f, 1), s.stage1_warning);
  }

  // Loss, separation and radius share the height with the heatmaps; stacked, or tabs when the panel is short.
  std::vector<PlotSlot> slots;
  auto plot = [&](const char* tab, const char* id, uhop::PlotFigure (*figure)(const StudioSnapshot&),
                  uhop::PlotWidgetState& state) {
    slots.push_back({tab, [&ui, &s, id, figure, &state](const ImVec2& sz) {
                       uhop::PlotWidgetOptions opts;
                       opts.size = sz;
                       studio_plot(ui, id, figure(s), state, opts);
                     }});
  };
  if (presenting) {  // the point of Stage I first: the memories move apart
    plot("separation", "delta", delta_figure, ui.plot_delta);
    plot("loss", "loss", loss_figure, ui.plot_loss);
  } else {
    plot("loss", "loss", loss_figure, ui.plot_loss);
    plot("separation", "delta", delta_figure, ui.plot_delta);
    plot("radius", "radius", radius_figure, ui.plot_radius);
  }
  if (!presenting && s.heat_now.n > 0) {
    slots.push_back({"K cosine", [&](const ImVec2& sz) { draw_heatmap_pair(ui, s, sz); }, 1.2f});
  }
  plot_stack("stage1_plots", slots, ImGui::GetContentRegionAvail().y - ImGui::GetStyle().ItemSpacing.y);
  ImGui::End();
}
}  // namespace studio
