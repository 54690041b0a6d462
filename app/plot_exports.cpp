// Figure exports: the right-click menu of every plot (PNG, PNG 2x, SVG, PDF, CSV, Export options) and of every
// heatmap (the same formats with its colorbar), and the export-plot script command. One path for all of them: the
// figure of an id (a line plot as shown, or a heatmap) goes to core's save_figure with the page the export options
// give (size in px or cm with DPI, font scale, light/dark); files are written atomically and the status bar says
// where each one went.
#include <algorithm>

#include "capacity_panel.h"
#include "insight_figures.h"
#include "io/atomic_file.h"
#include "platform/platform.h"
#include "numerics/input_error.h"
#include "plot/plot_export.h"
#include "studio_figures.h"
#include "studio_ui.h"

namespace studio {
namespace {

// The figure `id` of the snapshot as it is shown, and its size on screen. False when there is nothing to show.
bool figure_for(UiContext& ui, const std::string& id, uhop::ExportFigure& out, std::pair<int, int>& screen) {
  if (capacity_figure_for(ui, id, out, screen)) return true;
  if (!ui.snap) return false;
  const auto size = ui.plot_sizes.find(id);
  screen = size != ui.plot_sizes.end() ? size->second : std::pair<int, int>(640, 360);
  uhop::HeatmapFigure heat;
  if (studio_heatmap(*ui.snap, id, heat)) {
    if (size == ui.plot_sizes.end()) screen = {560, 480};
    out.heatmap = std::move(heat);
    return true;
  }
  uhop::PlotWidgetState* state = ui.plot_state(id);
  uhop::PlotFigure figure;
  if (!state || !studio_figure(*ui.snap, id, figure)) return false;
  out.plot = uhop::figure_as_shown(figure, *state);
  out.view = state->view;
  if (state->auto_fit || size == ui.plot_sizes.end()) {
    // Fitted as the widget fits it (it may not have been drawn with the newest data, or at all).
    uhop::PlotFitOptions fit;
    fit.pad_x = fit.pad_y = uhop::PlotWidgetOptions().fit_padding;
    fit.log_y = state->log_y.value_or(figure.log_y);
    fit.log_x = state->log_x.value_or(figure.log_x);
    fit.hidden = state->hidden;
    out.view = uhop::data_range(figure, fit);
  }
  return true;
}

// Asks where to export `id` (the save dialog, `format` chosen at first; PNG at `scale` times the page).
void ask_figure_export(UiContext& ui, const std::string& id, uhop::PlotFormat format, int scale) {
  SaveRequest r;
  r.stem = id;
  r.what = "the " + id + (scale > 1 ? " figure (PNG at " + std::to_string(scale) + "x)" : " figure");
  for (uhop::PlotFormat f :
       {uhop::PlotFormat::svg, uhop::PlotFormat::png, uhop::PlotFormat::pdf, uhop::PlotFormat::csv})
    if (f != uhop::PlotFormat::pdf || platform::can_export_pdf()) r.formats.push_back(uhop::to_string(f));
  r.format = uhop::to_string(format);
  r.write = [&ui, id, scale](const std::string& path) { export_plot_by_id(ui, id, path, scale); };
  ask_save(ui, std::move(r));
}
}  // namespace

uhop::PlotWidgetState* UiContext::plot_state(const std::string& id) {
  if (id == "loss") return &plot_loss;
  if (id == "delta") return &plot_delta;
  if (id == "radius") return &plot_radius;
  if (id == "energy") return &plot_energy;
  if (id == "error") return &plot_error;
  if (id == "compare") return &plot_compare;
  if (id == "sweep") return &plot_sweep;
  if (is_insight_plot(id)) return &insight_plots[id];
  return nullptr;
}

uhop::PlotWidgetEvents studio_plot(UiContext& ui, const char* id, const uhop::PlotFigure& figure,
                                   uhop::PlotWidgetState& state, const uhop::PlotWidgetOptions& options) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const uhop::PlotWidgetEvents ev = uhop::draw_plot_widget(id, figure, state, options);
  if (ev.width > 0 && ev.height > 0) {
    ui.plot_sizes[id] = {ev.width, ev.height};
    ui.item_rects[id] = ImVec4(origin.x, origin.y, origin.x + ev.width, origin.y + ev.height);
  }
  ui.record_rect(std::string("plot.") + id, origin,
                 ImVec2(static_cast<float>(ev.width), static_cast<float>(ev.height)));
  if (ev.menu_item[2] > ev.menu_item[0])
    ui.record_rect(std::string("widget.menu.") + id, ImVec2(ev.menu_item[0], ev.menu_item[1]),
                   ImVec2(ev.menu_item[2] - ev.menu_item[0], ev.menu_item[3] - ev.menu_item[1]));
  switch (ev.export_request) {
    case uhop::PlotExport::None:
      break;
    case uhop::PlotExport::Options:
      ui.show_export_options = true;
      break;
    case uhop::PlotExport::Png:
    case uhop::PlotExport::Png2x:
      ask_figure_export(ui, id, uhop::PlotFormat::png, ev.export_request == uhop::PlotExport::Png2x ? 2 : 1);
      break;
    case uhop::PlotExport::Svg:
      ask_figure_export(ui, id, uhop::PlotFormat::svg, 1);
      break;
    case uhop::PlotExport::Pdf:
      ask_figure_export(ui, id, uhop::PlotFormat::pdf, 1);
      break;
    case uhop::PlotExport::Csv:
      ask_figure_export(ui, id, uhop::PlotFormat::csv, 1);
      break;
  }
  return ev;
}

void figure_export_menu_items(UiContext& ui, const std::string& id) {
  const uhop::ExportSettings& e = ui.snap->state.exports;
  const std::string preferred = std::string("Export ") + uhop::to_string(e.format) + " (export options)";
  if (ImGui::MenuItem(preferred.c_str())) ask_figure_export(ui, id, e.format, 1);
  for (uhop::PlotFormat f :
       {uhop::PlotFormat::png, uhop::PlotFormat::pdf, uhop::PlotFormat::svg, uhop::PlotFormat::csv}) {
    const std::string label = std::string("Export figure ") + uhop::to_string(f);
    if (ImGui::MenuItem(label.c_str())) ask_figure_export(ui, id, f, 1);
  }
  if (ImGui::MenuItem("Export options...")) ui.show_export_options = true;
}

void export_plot_by_id(UiContext& ui, const std::string& id, const std::string& path, int scale) {
  if ((id == "landscape-mhm" || id == "landscape-uhop") && uhop::plot_format_of_path(path) == uhop::PlotFormat::csv) {
    // The grid itself (as `uhop landscape` writes it) rather than the iso-lines' coordinates.
    if (!ui.snap || !ui.snap->insight.landscape || ui.snap->insight.landscape->a.empty())
      throw uhop::InputError("export-plot " + id + ": no landscape yet (run `landscape` first)");
    uhop::write_file_atomically(path, [&](std::ostream& out) { write_landscape_grid_csv(*ui.snap, out); });
    return;
  }
  uhop::ExportFigure figure;
  std::pair<int, int> screen;
  if (!figure_for(ui, id, figure, screen)) {
    throw uhop::InputError("export-plot " + id + ": nothing to plot yet" +
                           (id == "sweep"                   ? " (run a sweep first)"
                            : id.rfind("landscape", 0) == 0 ? " (run `landscape` first)"
                                                            : " (load memories first)"));
  }
  const std::optional<uhop::PlotFormat> format = uhop::plot_format_of_path(path);
  if (!format) throw uhop::input_error(path, "unknown plot format (use .svg, .pdf, .png or .csv)");
  const uhop::ExportPage page =
      uhop::export_page(ui.snap->state.exports, screen.first, screen.second, std::clamp(scale, 1, 4));
  uhop::save_figure(path, *format, figure, page);
}
}  // namespace studio
