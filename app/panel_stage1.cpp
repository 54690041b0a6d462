// Stage I: training the feature map W on the separation loss. Play/step/reset, the optimizer settings, live plots
// of L_Phi, Delta^Phi (min, mean and the min..max band) and R_Phi, and the feature-cosine heatmap before vs now.
#include <algorithm>
#include <cmath>

#include "studio_figures.h"
#include "studio_ui.h"

namespace studio {
namespace {
void combo_enum(const char* label, int& value, const char* const* names, int count, const char* tip, UiContext& ui,
                const char* key) {
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.5f);
  if (ImGui::Combo(label, &value, names, count)) ui.push(make_set(key, names[value]));
  formula_tip(tip);
}

// One line: precision of the products, mini-batch size, and how often the statistics over all M are computed.
void stage1_scale_settings(UiContext& ui) {
  auto& e = ui.edit;
  const char* precisions[] = {"single", "double"};
  int precision = static_cast<int>(e.stage1.precision);
  combo_enum("precision", precision, precisions, 2,
             "Stage I's products (features, pair sweep, gradient) in float or double; the loss, statistics and W are "
             "accumulated in double either way (README 'Decisions: precision').",
             ui, "precision1");
  ImGui::SameLine();
  const float num_w = ImGui::GetFontSize() * 4.5f;
  int batch = e.stage1.batch;
  ImGui::SetNextItemWidth(num_w);
  if (ImGui::InputInt("batch", &batch, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue)) {
    ui.push(make_set("batch", std::to_string(batch == 1 ? 2 : std::max(0, batch))));
  }
  formula_tip(
      "Mini-batch: each step trains on the pairs of B memories drawn from the seed; 0 = all (full batch). "
      "A step then costs O(B^2 D + B d D) whatever M is. Enter applies.");
  ImGui::SameLine();
  int every = e.stage1.stats_every;
  ImGui::SetNextItemWidth(num_w);
  if (ImGui::InputInt("stats every", &every, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue)) {
    ui.push(make_set("stats_every", std::to_string(std::max(1, every))));
  }
  formula_tip(
      "Δ^Φ, R_Φ, m_Φ (and for mini-batch the loss) over all M on every K-th row and when Stage I stops; "
      "rows in between leave them empty. Enter applies.");
}

void draw_heatmaps(UiContext& ui, const StudioSnapshot& s) {
  if (s.heat_now.n <= 0) return;
  if (ui.heat_version != s.version) {
    // Shared colour range so "before" and "now" compare directly: cosines in [lo, 1].
    float lo = 1;
    for (float v : s.heat_initial.values) lo = std::min(lo, v);
    for (float v : s.heat_now.values) lo = std::min(lo, v);
    lo = std::min(lo, 0.0f);
    ui.heatmap_shader.render(s.heat_initial, lo, 1.0f, ui.heat_initial);
    ui.heatmap_shader.render(s.heat_now, lo, 1.0f, ui.heat_now);
    ui.heat_version = s.version;
  }
  const float avail = ImGui::GetContentRegionAvail().x;
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float side = std::max(
      40.0f, std::min((avail - gap) / 2, ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() * 2));
  const char* tip =
      "Feature cosine cos(Phi(ξ_μ), Phi(ξ_ν)) = K(ξ_μ, ξ_ν) / (‖W ξ_μ‖ ‖W ξ_ν‖), rows/columns = "
      "memories (256 evenly spaced ones when M > 256). Stage I pushes the off-diagonal down: better separated "
      "memories.";
  ImGui::BeginGroup();
  ImGui::TextUnformatted("K cosine at step 0");
  ImGui::Image(ui.heat_initial.imgui_id(), ImVec2(side, side));
  formula_tip(tip);
  image_context_menu(ui, "heat-initial");
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::Text("now (step %d)", s.stage1_log.empty() ? 0 : s.stage1_log.back().step);
  ImGui::Image(ui.heat_now.imgui_id(), ImVec2(side, side));
  formula_tip(tip);
  image_context_menu(ui, "heat-now");
  ImGui::EndGroup();
}
}  // namespace

void panel_stage1(UiContext& ui, const ImVec2& pos, const ImVec2& size) {
  set_initial_window(pos, size);
  if (!ImGui::Begin("Stage I: train the feature map W")) {
    ImGui::End();
    return;
  }
  const StudioSnapshot& s = *ui.snap;
  auto& e = ui.edit;
  if (ImGui::Button(s.stage1_playing ? "Pause" : "Play", ImVec2(ImGui::GetFontSize() * 4, 0))) {
    ui.push(make_command(s.stage1_playing ? CommandKind::stage1_pause : CommandKind::stage1_play));
  }
  formula_tip("Space. Repeats W_{i+1} = W_i - gamma_i dL_Φ/dW (W_i) at the chosen speed until 'stop after'.");
  ImGui::SameLine();
  if (ImGui::Button("Step")) ui.push(make_command(CommandKind::stage1_steps, 1));
  formula_tip("N. One gradient step on the separation loss.");
  ImGui::SameLine();
  if (ImGui::Button("Step x10")) ui.push(make_command(CommandKind::stage1_steps, 10));
  ImGui::SameLine();
  if (ImGui::Button("Reset")) ui.push(make_command(CommandKind::stage1_reset));
  formula_tip("R. W = W_0 from the init and seed; the log restarts at row 0.");
  ImGui::SameLine();
  if (ImGui::Button("Normalize rows")) ui.push(make_command(CommandKind::stage1_finish));
  formula_tip("Algorithm 1 line 4: every row of W scaled to unit length (not logged as a step).");

  const float num_w = ImGui::GetFontSize() * 6.5f;
  float speed = static_cast<float>(e.stage1_speed);
  ImGui::SetNextItemWidth(num_w);
  if (ImGui::SliderFloat("steps/s", &speed, 0, 60, speed <= 0 ? "max" : "%.0f")) e.stage1_speed = speed;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("speed1", speed));
  formula_tip("Play speed; 0 = as fast as possible.");
  ImGui::SameLine();
  int stop = e.stage1_stop_after;
  ImGui::SetNextItemWidth(num_w);
  if (ImGui::InputInt("stop after", &stop, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue)) {
    ui.push(make_set("stop_after", std::to_string(std::max(0, stop))));
  }
  formula_tip("Play stops when the log reaches this many steps (0 = never). Press Enter to apply.");

  float lr = static_cast<float>(e.stage1.lr);
  ImGui::SetNextItemWidth(num_w);
  if (ImGui::SliderFloat("lr", &lr, 1e-3f, 100.0f, "%.3g", ImGuiSliderFlags_Logarithmic)) e.stage1.lr = lr;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("lr", lr));
  formula_tip("Learning rate gamma in W_{i+1} = W_i - gamma_i dL/dW.");
  ImGui::SameLine();
  const char* schedules[] = {"constant", "inv-sqrt", "reference"};
  int sched = static_cast<int>(e.stage1.schedule);
  combo_enum("schedule", sched, schedules, 3,
             "constant: gamma_i = gamma;  inv-sqrt: gamma/sqrt(i+1);  reference: gamma_{i+1} = gamma_i/sqrt(i+1)", ui,
             "schedule");
  float t = static_cast<float>(e.stage1.t);
  ImGui::SetNextItemWidth(num_w);
  if (ImGui::SliderFloat("t", &t, 0.1f, 20.0f, "%.2f", ImGuiSliderFlags_Logarithmic)) e.stage1.t = t;
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.push(make_set("t", t));
  formula_tip("Temperature of the separation loss: exp(-t ‖f_mu - f_nu‖^2).");
  ImGui::SameLine();
  const char* losses[] = {"avg", "max"};
  int loss = static_cast<int>(e.stage1.loss);
  combo_enum("loss", loss, losses, 2,
             "avg: L = log(2/(M(M-1)) sum_{mu<nu} exp(-t ‖f_mu - f_nu‖^2));  max: L = max_{mu<nu} -t ‖f_mu - f_nu‖^2,"
             "  f_mu = W ξ_μ / ‖W ξ_μ‖",
             ui, "loss");
  const char* inits[] = {"identity", "gaussian", "orthogonal"};
  int init = static_cast<int>(e.stage1.init);
  combo_enum("init", init, inits, 3,
             "W_0: identity (D = d: U-Hop starts as plain MHM), gaussian N(0,1), or random orthogonal columns (D ≥ d). "
             "Changing it re-initializes W.",
             ui, "init");
  ImGui::SameLine();
  int dim = e.stage1.dim;
  ImGui::SetNextItemWidth(num_w * 0.7f);
  if (ImGui::InputInt("D", &dim, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue)) {
    ui.push(make_set("dim", std::to_string(std::max(0, dim))));
  }
  formula_tip("Feature dimension D of W in R^{D x d}; 0 = d. Needs D ≥ d (full column rank). Enter applies.");
  ImGui::SameLine();
  const char* optimizers[] = {"sgd", "adam"};
  int opt = static_cast<int>(e.stage1.optimizer);
  combo_enum("opt", opt, optimizers, 2, "Plain gradient descent or Adam with step size gamma_i.", ui, "optimizer");
  stage1_scale_settings(ui);

  if (!s.has_session || s.stage1_log.empty()) {
    ImGui::TextDisabled("Load memories first.");
    ImGui::End();
    return;
  }
  const auto& last = s.stage1_log.back();
  if (s.stats_current) {
    ImGui::Text("step %d   L = %.4g   Δ^Φ min %.3g mean %.3g   R_Φ %.3g", last.step, last.loss, last.delta_phi_min,
                last.delta_phi_mean, last.r_phi);
  } else {
    // Mini-batch / stats-every rows between: the statistics over all M are those of an earlier step.
    ImGui::Text("step %d   batch L = %.4g   statistics of step %d: Δ^Φ min %.3g  R_Φ %.3g", last.step,
                s.stage1_log.size() > 1 ? s.stage1_log[s.stage1_log.size() - 2].batch_loss : last.loss, s.stats_step,
                s.stats.delta_min, s.stats.r_phi);
    formula_tip("Statistics over all M are computed on rows 0, K, 2K, ... ('stats every') and when Stage I stops.");
  }

  // The three plots share the height left over after the heatmaps.
  const float avail_h = ImGui::GetContentRegionAvail().y;
  const float heat_h = std::min(ImGui::GetContentRegionAvail().x * 0.5f, avail_h * 0.34f);
  const float plot_h = std::max(120.0f, (avail_h - heat_h - ImGui::GetStyle().ItemSpacing.y * 4) / 3);
  uhop::PlotWidgetOptions opts;
  opts.size = ImVec2(-1, plot_h);

  studio_plot(ui, "loss", loss_figure(s), ui.plot_loss, opts);
  studio_plot(ui, "delta", delta_figure(s), ui.plot_delta, opts);
  studio_plot(ui, "radius", radius_figure(s), ui.plot_radius, opts);

  draw_heatmaps(ui, s);
  ImGui::End();
}
}  // namespace studio
