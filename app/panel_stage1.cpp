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

  if (!s.has_session || s.stage1_log.empty()) {
    ImGui::TextDisabled("Load memories first.");
    ImGui::End();
    return;
  }
  const auto& last = s.stage1_log.back();
  ImGui::Text("step %d   L = %.4g   Δ^Φ min %.3g mean %.3g   R_Φ %.3g", last.step, last.loss, last.delta_phi_min,
              last.delta_phi_mean, last.r_phi);

  // The three plots share the height left over after the heatmaps.
  const float avail_h = ImGui::GetContentRegionAvail().y;
  const float heat_h = std::min(ImGui::GetContentRegionAvail().x * 0.5f, avail_h * 0.34f);
  const float plot_h = std::max(120.0f, (avail_h - heat_h - ImGui::GetStyle().ItemSpacing.y * 4) / 3);
  uhop::PlotWidgetOptions opts;
  opts.size = ImVec2(-1, plot_h);

  studio_plot(ui, "loss", loss_figure(s), ui.plot_loss, opts);
  studio_plot(ui, "delta", delta_figure(s), ui.plot_delta, opts);
  studio_plot(ui, "radius", radius_figure(s), ui.plot_radius, opts);

  draw_heatmap_pair(ui, s);
  ImGui::End();
}
}  // namespace studio
