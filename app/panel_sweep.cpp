// Sweep: the paper's retrieval-error experiments (core/session/sweep.h) from the Studio. Vary M or sigma over a list of
// values, pick methods and seeds (or a named preset: the U-Hop authors' scripts or this project's Stage I, which fills
// the form), Run on the worker (progress bar, Cancel), then the mean ± spread figure with the
// usual plot widget (right-click exports) and where the CSV/SVG outputs went.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "studio_figures.h"
#include "studio_sweep.h"
#include "studio_ui.h"
#include "numerics/input_error.h"
#include "session/sweep.h"
#include "session/sweep_presets.h"

namespace studio {
namespace {
// The settings a preset index of the form stands for (0: the core's defaults).
uhop::SweepSettings preset_settings(int index) {
  const auto& names = uhop::sweep_preset_names();
  return index > 0 && index <= static_cast<int>(names.size()) ? uhop::sweep_preset(names[index - 1])
                                                              : uhop::default_sweep_settings();
}

// Picking a preset fills the form with what it sets; the rest (Stage I, noise kind, train count) shows below it.
void fill_form(UiContext& ui, const uhop::SweepSettings& s) {
  ui.sweep_vary = s.vary == uhop::SweepAxis::count ? 0 : 1;
  std::string values;
  for (double v : s.values) values += (values.empty() ? "" : ",") + uhop::format_sigma(v);
  std::snprintf(ui.sweep_values, sizeof ui.sweep_values, "%s", values.c_str());
  const auto& names = uhop::sweep_method_names();
  for (size_t i = 0; i < names.size() && i < ui.sweep_methods.size(); ++i)
    ui.sweep_methods[i] =
        s.methods.empty() || std::find(s.methods.begin(), s.methods.end(), names[i]) != s.methods.end();
  ui.sweep_seeds = s.seeds;
  ui.sweep_pick_first = !s.random_subset;
  ui.sweep_stage1_steps = s.stage1_steps;
  ui.sweep_sigma = static_cast<float>(s.sigma);
  ui.sweep_count = s.count;
}

Command sweep_command(const UiContext& ui) {
  Command c = make_command(CommandKind::sweep);
  if (ui.sweep_preset > 0) c.settings.emplace_back("preset", uhop::sweep_preset_names()[ui.sweep_preset - 1]);
  c.settings.emplace_back("vary", ui.sweep_vary == 0 ? "M" : "sigma");
  if (ui.sweep_values[0]) c.settings.emplace_back("values", ui.sweep_values);
  std::string methods;
  const auto& names = uhop::sweep_method_names();
  for (size_t i = 0; i < names.size() && i < ui.sweep_methods.size(); ++i) {
    if (ui.sweep_methods[i]) methods += (methods.empty() ? "" : ",") + names[i];
  }
  if (!methods.empty()) c.settings.emplace_back("methods", methods);
  c.settings.emplace_back("seeds", std::to_string(ui.sweep_seeds));
  if (ui.sweep_pick_first) c.settings.emplace_back("pick", "first");
  c.settings.emplace_back("stage1_steps", std::to_string(ui.sweep_stage1_steps));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", ui.sweep_sigma);
  if (ui.sweep_vary == 0) c.settings.emplace_back("sigma", buf);
  if (ui.sweep_vary == 1) c.settings.emplace_back("count", std::to_string(ui.sweep_count));
  c.settings.emplace_back("out", ui.sweep_out);
  return c;
}
// The form shows the settings of the sweep whose result is on screen (it may have come from a script, where a preset
// set what the options did not).
void sync_form(UiContext& ui, const SweepOutcome& done) {
  const auto& presets = uhop::sweep_preset_names();
  const auto at = std::find(presets.begin(), presets.end(), done.settings.preset);
  ui.sweep_preset = at == presets.end() ? 0 : static_cast<int>(at - presets.begin()) + 1;
  fill_form(ui, done.settings);
  std::snprintf(ui.sweep_out, sizeof ui.sweep_out, "%s", done.out_dir.c_str());
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
  text_wrapped_words(
      "Mean paper error ‖clip(ξ_μ) - clip(x_T)‖² over M memories of %s (each queried once), per method and seed; "
      "the memories are a random subset picked by the seed.",
      s.state.source.c_str());
  ImGui::PopStyleColor();

  const float field = ImGui::GetFontSize() * 6;
  const auto& presets = uhop::sweep_preset_names();
  ImGui::SetNextItemWidth(field * 2);
  if (ImGui::BeginCombo("preset", ui.sweep_preset == 0 ? "(none)" : presets[ui.sweep_preset - 1].c_str())) {
    for (int i = 0; i <= static_cast<int>(presets.size()); ++i) {
      if (ImGui::Selectable(i == 0 ? "(none)" : presets[i - 1].c_str(), ui.sweep_preset == i)) {
        ui.sweep_preset = i;
        if (i > 0) fill_form(ui, preset_settings(i));  // "(none)" keeps the form as it is
      }
      formula_tip(i == 0 ? "This project's defaults (W_0 = I, lr 0.1 constant, avg loss, Gaussian noise) with the "
                           "form's values."
                         : uhop::sweep_preset_description(presets[i - 1]).c_str());
    }
    ImGui::EndCombo();
  }
  formula_tip(
      "Named settings: the U-Hop authors' scripts (authors-noise, authors-capacity, authors-max-loss) or this "
      "project's Stage I (studio). Picking one fills the form; what you change in the form overrides the preset.");
  // What Run would do, the form's fields over the preset (or why it would be refused).
  std::string summary, problem;
  try {
    const uhop::SweepSettings settings = sweep_request(s.state, sweep_command(ui).settings).settings;
    summary = uhop::sweep_settings_summary(settings);
    problem = sweep_source_problem(settings);
  } catch (const uhop::InputError& e) {
    summary = std::string("cannot run: ") + e.what();
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  text_wrapped_words("%s", summary.c_str());
  ImGui::PopStyleColor();
  if (!problem.empty()) {  // said here, before Run, with the way out (not only in the status bar after a failure)
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.75f, 0.35f, 1));
    text_wrapped_words("%s", problem.c_str());
    ImGui::PopStyleColor();
    if (ImGui::Button("Load Fashion-MNIST")) {
      Command c;
      c.kind = CommandKind::load;
      c.path = "builtin:fashion-mnist";
      ui.push(c);
    }
    ui.record_item("sweep_fashion");
  }

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
    ImGui::SliderFloat("noise strength", &ui.sweep_sigma, 0.0f, 2.0f, "%.2f");
    formula_tip(
        "Fixed noise of the queries while M varies: sigma of the Gaussian noise, or p of the dropout (the "
        "authors-capacity and authors-max-loss presets; p < 1).");
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
  ImGui::Checkbox("consecutive", &ui.sweep_pick_first);
  formula_tip(
      "pick first: seed s takes the memories in order from offset s x (largest M), instead of a random "
      "subset. In the browser, builtin:fashion-mnist holds the first 3000 images: consecutive blocks fit.");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(field);
  ImGui::InputInt("Stage I steps", &ui.sweep_stage1_steps, 10, 50);
  ui.sweep_stage1_steps = std::clamp(ui.sweep_stage1_steps, 0, 100000);
  formula_tip(
      "Training steps of W for the *-uhop methods; W_0, lr, schedule and loss are the preset's (the grey line "
      "above).");
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 4);
  ImGui::InputText("output", ui.sweep_out, sizeof ui.sweep_out);
  formula_tip(
      "Folder for merged.csv, summary.csv, figure.svg, figure.csv and settings.txt (created; files replaced "
      "atomically).");

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
  text_wrapped_words("%s%s",
                     s.sweep->settings.preset.empty() ? "" : ("preset " + s.sweep->settings.preset + "; ").c_str(),
                     uhop::sweep_settings_summary(s.sweep->settings).c_str());
  text_wrapped_words(
      "outputs in %s (merged.csv, summary.csv, figure.svg, figure.csv, settings.txt); right-click the plot to "
      "export it",
      s.sweep->out_dir.c_str());
  ImGui::PopStyleColor();
  uhop::PlotWidgetOptions opts;
  opts.size = ImVec2(-1, std::max(160.0f, ImGui::GetContentRegionAvail().y - ImGui::GetStyle().ItemSpacing.y));
  opts.legend_outside = true;  // eight methods and their bands: beside the curves, not over them
  studio_plot(ui, "sweep", s.sweep->figure, ui.plot_sweep, opts);
  ImGui::End();
}
}  // namespace studio
