// Sweep: the paper's retrieval-error experiments (core/session/sweep.h) from the Studio. Vary M or sigma over a list of
// values, pick methods and seeds, Run on the worker (progress bar, Cancel), then the mean ± spread figure with the
// usual plot widget (right-click exports) and where the CSV/SVG outputs went.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "studio_figures.h"
#include "studio_ui.h"
#include "session/sweep.h"

namespace studio {
namespace {
Command sweep_command(const UiContext& ui) {
  Command c = make_command(CommandKind::sweep);
  c.settings.emplace_back("vary", ui.sweep_vary == 0 ? "M" : "sigma");
  if (ui.sweep_values[0]) c.settings.emplace_back("values", ui.sweep_values);
  std::string methods;
  const auto& names = uhop::sweep_method_names();
  for (size_t i = 0; i < names.size() && i < ui.sweep_methods.size(); ++i) {
    if (ui.sweep_methods[i]) methods += (methods.empty() ? "" : ",") + names[i];
  }
  if (!methods.empty()) c.settings.emplace_back("methods", methods);
  c.settings.emplace_back("seeds", std::to_string(ui.sweep_seeds));
  c.settings.emplace_back("stage1_steps", std::to_string(ui.sweep_stage1_steps));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", ui.sweep_sigma);
  if (ui.sweep_vary == 0) c.settings.emplace_back("sigma", buf);
  if (ui.sweep_vary == 1) c.settings.emplace_back("count", std::to_string(ui.sweep_count));
  c.settings.emplace_back("out", ui.sweep_out);
  return c;
}
// The form shows the options of the sweep whose result is on screen (it may have come from a script).
void sync_form(UiContext& ui, const SweepOutcome& done) {
  const auto& names = uhop::sweep_method_names();
  for (const auto& [k, v] : done.options) {
    if (k == "vary") ui.sweep_vary = v == "sigma" ? 1 : 0;
    if (k == "values") std::snprintf(ui.sweep_values, sizeof ui.sweep_values, "%s", v.c_str());
    if (k == "seeds") ui.sweep_seeds = std::atoi(v.c_str());
    if (k == "stage1_steps") ui.sweep_stage1_steps = std::atoi(v.c_str());
    if (k == "sigma") ui.sweep_sigma = static_cast<float>(std::atof(v.c_str()));
    if (k == "count") ui.sweep_count = std::atoi(v.c_str());
    if (k == "out") std::snprintf(ui.sweep_out, sizeof ui.sweep_out, "%s", v.c_str());
    if (k == "methods") {
      const std::string list = "," + v + ",";
      for (size_t i = 0; i < names.size(); ++i)
        ui.sweep_methods[i] = list.find("," + names[i] + ",") != std::string::npos;
    }
  }
}
}  // namespace

void panel_sweep(UiContext& ui) {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  keep_inside_display(ImVec2(display.x * 0.30f, display.y * 0.08f), ImVec2(display.x * 0.44f, display.y * 0.80f));
  ImGui::SetNextWindowBgAlpha(1.0f);  // it floats over the panels: see-through text was hard to read
  if (!ImGui::Begin("Sweep: retrieval error vs M or sigma", &ui.show_sweep)) {
    ImGui::End();
    return;
  }
  clamp_window_to_display();
  ui.record_rect("panel.sweep", ImGui::GetWindowPos(), ImGui::GetWindowSize());
  const StudioSnapshot& s = *ui.snap;
  const auto& names = uhop::sweep_method_names();
  if (ui.sweep_methods.size() != names.size()) {
    ui.sweep_methods.assign(names.size(), 0);
    for (size_t i = 0; i < names.size(); ++i) ui.sweep_methods[i] = names[i] == "mhm" || names[i] == "uhop";
  }
  if (s.sweep && s.sweep.get() != ui.sweep_shown) {
    ui.sweep_shown = s.sweep.get();
    sync_form(ui, *s.sweep);
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped(
      "Mean paper error ‖clip(ξ_μ) - clip(x_T)‖² over M memories of %s (each queried once), per method and seed; "
      "the memories are a random subset picked by the seed.",
      s.state.source.c_str());
  ImGui::PopStyleColor();

  const float field = ImGui::GetFontSize() * 6;
  ImGui::TextUnformatted("vary");
  ImGui::SameLine();
  if (ImGui::RadioButton("M", ui.sweep_vary == 0) && ui.sweep_vary != 0) {
    ui.sweep_vary = 0;
    std::snprintf(ui.sweep_values, sizeof ui.sweep_values, "10,20,30");
  }
  ImGui::SameLine();
  if (ImGui::RadioButton("sigma", ui.sweep_vary == 1) && ui.sweep_vary != 1) {
    ui.sweep_vary = 1;
    std::snprintf(ui.sweep_values, sizeof ui.sweep_values, "0,0.1,0.3,0.5,1");
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 4);
  ImGui::InputTextWithHint("values", "empty = the paper's values", ui.sweep_values, sizeof ui.sweep_values);
  formula_tip(
      "Comma-separated. M: numbers of memories (at most the size of the source); sigma: Gaussian noise "
      "strengths. Empty: the paper's list (M 10..500, sigma 0..2).");
  if (ui.sweep_vary == 0) {
    ImGui::SetNextItemWidth(field);
    ImGui::SliderFloat("noise sigma", &ui.sweep_sigma, 0.0f, 2.0f, "%.2f");
    formula_tip("Fixed Gaussian noise of the queries while M varies.");
  } else {
    ImGui::SetNextItemWidth(field);
    ImGui::InputInt("M (fixed)", &ui.sweep_count, 0, 0);
    ui.sweep_count = std::max(1, ui.sweep_count);
    formula_tip("Fixed number of memories while sigma varies.");
  }

  ImGui::TextUnformatted("methods");
  if (ImGui::BeginTable("##methods", 4)) {
    for (size_t i = 0; i < names.size(); ++i) {
      ImGui::TableNextColumn();
      bool on = ui.sweep_methods[i] != 0;
      if (ImGui::Checkbox(names[i].c_str(), &on)) ui.sweep_methods[i] = on;
    }
    ImGui::EndTable();
  }
  formula_tip(
      "mhm/sparse/entmax: dot similarity with softmax/sparsemax/1.5-entmax; *-uhop: the same in the kernel "
      "of a W trained by Stage I; euclidean/manhattan: softmax over negative distances.");

  ImGui::SetNextItemWidth(field);
  ImGui::InputInt("seeds", &ui.sweep_seeds, 1, 1);
  ui.sweep_seeds = std::clamp(ui.sweep_seeds, 1, 20);
  formula_tip("Each seed picks other memories and other noise; the band is the spread over seeds.");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(field);
  ImGui::InputInt("Stage I steps", &ui.sweep_stage1_steps, 10, 50);
  ui.sweep_stage1_steps = std::clamp(ui.sweep_stage1_steps, 0, 100000);
  formula_tip("Training steps of W for the *-uhop methods (lr 0.1, constant, W_0 = I).");
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 4);
  ImGui::InputText("output", ui.sweep_out, sizeof ui.sweep_out);
  formula_tip("Folder for merged.csv, summary.csv, figure.svg and figure.csv (created; files replaced atomically).");

  if (s.sweep_running) {
    ImGui::ProgressBar(static_cast<float>(s.progress), ImVec2(-ImGui::GetFontSize() * 5, 0), s.busy_label.c_str());
    ImGui::SameLine();
    if (ImGui::Button("Cancel##sweep", ImVec2(-1, 0))) ui.worker->cancel();
  } else {
    const bool can_run = !s.busy && ui.sweep_out[0];
    if (!can_run) ImGui::BeginDisabled();
    if (ImGui::Button("Run sweep", ImVec2(ImGui::GetFontSize() * 8, 0))) {
      ui.push(sweep_command(ui));
      ui.set_status(std::string("sweep started: output in ") + ui.sweep_out);
    }
    if (!can_run) ImGui::EndDisabled();
    formula_tip("Runs on the worker: Stage I/II controls wait until the sweep finishes or is cancelled.");
    ImGui::SameLine();
    ImGui::TextDisabled(s.busy ? "(waiting for the current work)" : "");
  }

  ImGui::Separator();
  if (!s.sweep) {
    ImGui::TextDisabled("No sweep yet: set the options and press Run sweep.");
    ImGui::End();
    return;
  }
  ImGui::Text("%s", s.sweep->summary.c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped(
      "outputs in %s (merged.csv, summary.csv, figure.svg, figure.csv); right-click the plot to "
      "export it",
      s.sweep->out_dir.c_str());
  ImGui::PopStyleColor();
  uhop::PlotWidgetOptions opts;
  opts.size = ImVec2(-1, std::max(160.0f, ImGui::GetContentRegionAvail().y - ImGui::GetStyle().ItemSpacing.y));
  studio_plot(ui, "sweep", s.sweep->figure, ui.plot_sweep, opts);
  ImGui::End();
}
}  // namespace studio
