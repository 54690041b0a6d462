// Plot exports: the right-click menu of every plot (SVG, PNG 1x/2x rendered offscreen by core, CSV) and the
// export-plot script command. The app picks the file names; core writes the files atomically.
#include <algorithm>
#include <cctype>

#include "export_names.h"
#include "insight_figures.h"
#include "io/atomic_file.h"
#include "numerics/input_error.h"
#include "studio_figures.h"
#include "studio_ui.h"

namespace studio {
namespace {
std::string extension_of(const std::string& path) {
  const auto dot = path.find_last_of('.');
  const auto slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

void save_plot(const std::string& path, const uhop::PlotFigure& figure, const uhop::PlotView& view, int w, int h,
               int scale) {
  const std::string ext = extension_of(path);
  if (ext == "svg") {
    uhop::save_plot_svg(path, figure, view, w, h);
  } else if (ext == "png") {
    uhop::save_plot_png(path, figure, view, w, h, static_cast<float>(scale));
  } else if (ext == "csv") {
    uhop::save_plot_csv(path, figure);
  } else {
    throw uhop::InputError(path + ": unknown plot format (use .svg, .png or .csv)");
  }
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
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const uhop::PlotWidgetEvents ev = uhop::draw_plot_widget(id, figure, state, options);
  if (ev.width > 0 && ev.height > 0) ui.plot_sizes[id] = {ev.width, ev.height};
  ui.record_rect(std::string("plot.") + id, at, ImVec2(static_cast<float>(ev.width), static_cast<float>(ev.height)));
  if (ev.export_request == uhop::PlotExport::None) return ev;
  const bool png = ev.export_request == uhop::PlotExport::Png || ev.export_request == uhop::PlotExport::Png2x;
  const char* ext = png ? "png" : ev.export_request == uhop::PlotExport::Svg ? "svg" : "csv";
  const int scale = ev.export_request == uhop::PlotExport::Png2x ? 2 : 1;
  const std::string path = next_export_path(ui.export_dir, id, ext);
  try {
    save_plot(path, uhop::figure_as_shown(figure, state), state.view, ev.width, ev.height, scale);
    ui.set_status("saved " + path);
  } catch (const std::exception& e) {
    ui.set_status(e.what(), true);
  }
  return ev;
}

void export_plot_by_id(UiContext& ui, const std::string& id, const std::string& path, int scale) {
  if ((id == "landscape-mhm" || id == "landscape-uhop") && extension_of(path) == "csv") {
    // The grid itself (as `uhop landscape` writes it) rather than the iso-lines' coordinates.
    if (!ui.snap || !ui.snap->insight.landscape || ui.snap->insight.landscape->a.empty())
      throw uhop::InputError("export-plot " + id + ": no landscape yet (run `landscape` first)");
    uhop::write_file_atomically(path, [&](std::ostream& out) { write_landscape_grid_csv(*ui.snap, out); });
    return;
  }
  uhop::PlotWidgetState* state = ui.plot_state(id);
  uhop::PlotFigure figure;
  if (!state || !ui.snap || !studio_figure(*ui.snap, id, figure)) {
    throw uhop::InputError("export-plot " + id + ": nothing to plot yet" +
                           (id == "sweep"                   ? " (run a sweep first)"
                            : id.rfind("landscape", 0) == 0 ? " (run `landscape` first)"
                                                            : " (load memories first)"));
  }
  const uhop::PlotFigure shown = uhop::figure_as_shown(figure, *state);
  uhop::PlotView view = state->view;
  if (state->auto_fit || !ui.plot_sizes.count(id)) {
    // Fitted as the widget fits it (it may not have been drawn with the newest data, or at all).
    uhop::PlotFitOptions fit;
    fit.pad_x = fit.pad_y = uhop::PlotWidgetOptions().fit_padding;
    fit.log_y = state->log_y.value_or(figure.log_y);
    fit.hidden = state->hidden;
    view = uhop::data_range(figure, fit);
  }
  auto size = ui.plot_sizes.count(id) ? ui.plot_sizes[id] : std::pair<int, int>(640, 360);
  save_plot(path, shown, view, size.first, size.second, std::clamp(scale, 1, 4));
}
}  // namespace studio
