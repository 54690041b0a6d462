// Capacity: how many random patterns N neurons retrieve (docs/capacity.md). Four views, each the last result of its
// kind: (a) retrieved vs load with the theory lines, (b) the exponential model's phase diagram over (alpha, beta)
// with alpha_1(beta), (c) the basin: retrieved vs start overlap with rho_c, (d) the three laws: P_max vs N. Run
// builds the very options of the `capacity` script command; the lab computes on its own thread and the plots fill
// in as rows arrive (progress, Cancel). Right-click exports like every plot.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "capacity_panel.h"
#include "gl_texture.h"
#include "imgui_painter.h"
#include "plot/plot_painter.h"
#include "numerics/input_error.h"
#include "platform/platform.h"
#include "studio_ui.h"

namespace studio {
namespace {
struct CapacityForm {
  int view = 0, model = 2, patterns = 0, dim = 16, degree = 3, trials = 200;
  char alphas[128] = "0.1:0.75:12", betas[128] = "1", rhos[128] = "0.3:1:15";
  float start_overlap = 1;
  int seed = 0;
};

struct CapacityWindow {
  bool open = false;
  CapacityLab lab{platform::has_threads() ? WorkerThreading::thread : WorkerThreading::pump};
  CapacityForm form;
  std::shared_ptr<const CapacityOutcome> by_view[4];  // the last outcome of each view
  uint64_t seen = 0;
  uhop::PlotWidgetState plots[4];
  GlTexture heat;
  std::vector<GlTexture> painter_textures;  // the browser's phase view (imgui_painter.h)
  uint64_t heat_version = 0;
  int tab_wanted = -1;  // a new request brings its view to the front
};

// Never destroyed: its texture must not be freed after the GL context is gone. The lab's thread is stopped at exit.
CapacityWindow& window() {
  static CapacityWindow* w = [] {
    auto* p = new CapacityWindow;
    std::atexit([] { window().lab.stop(); });
    return p;
  }();
  return *w;
}

const char* kIds[4] = {"capacity-curves", "capacity-phase", "capacity-basin", "capacity-laws"};

void sync() {
  CapacityWindow& w = window();
  const auto latest = w.lab.latest();
  if (!latest || latest->version == w.seen) return;
  w.seen = latest->version;
  w.by_view[static_cast<int>(latest->request.view)] = latest;
}

CapacityOptions form_options(const CapacityForm& f) {
  CapacityOptions o;
  static const char* models[] = {"hebbian", "polynomial", "exponential"};
  static const char* ensembles[] = {"spherical", "gaussian", "binary"};
  o.emplace_back("view", capacity_view_names()[f.view]);
  if (f.view == 3) {  // the laws use their own plans; only trials and seed apply
    o.emplace_back("trials", std::to_string(f.trials));
    o.emplace_back("seed", std::to_string(f.seed));
    return o;
  }
  if (f.view == 0) o.emplace_back("model", models[f.model]);
  if (f.view != 0 || f.model == 2 || f.patterns == 2) o.emplace_back("patterns", ensembles[f.patterns]);
  o.emplace_back("dim", std::to_string(f.dim));
  if (f.view == 0 && f.model == 1) o.emplace_back("degree", std::to_string(f.degree));
  o.emplace_back("alphas", f.alphas);
  if (f.view != 0 || f.model == 2) o.emplace_back("betas", f.betas);
  if (f.view == 2) o.emplace_back("rhos", f.rhos);
  o.emplace_back("trials", std::to_string(f.trials));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", f.start_overlap);
  if (f.view != 2) o.emplace_back("start_overlap", buf);
  o.emplace_back("seed", std::to_string(f.seed));
  return o;
}

// The form shows a request's settings (a view's defaults, or what a script or the preset ran).
void form_from(CapacityForm& f, const CapacityRequest& r) {
  const uhop::CapacitySettings& s = r.settings;
  f.view = static_cast<int>(r.view);
  f.model = static_cast<int>(s.model);
  f.patterns = static_cast<int>(s.patterns);
  f.dim = s.dim;
  f.degree = s.degree;
  f.trials = r.view == CapacityView::laws ? r.law_trials : s.trials;
  f.seed = static_cast<int>(s.seed);
  auto list = [](const std::vector<double>& v, char* out, size_t size) {
    const bool even = v.size() > 2 && std::fabs((v[2] - v[1]) - (v[1] - v[0])) < 1e-9;
    if (even) {
      std::snprintf(out, size, "%g:%g:%zu", v.front(), v.back(), v.size());
      return;
    }
    std::string t;
    char buf[40];
    for (double x : v) std::snprintf(buf, sizeof buf, "%g", x), t += (t.empty() ? "" : ",") + std::string(buf);
    std::snprintf(out, size, "%s", t.c_str());
  };
  list(s.alphas, f.alphas, sizeof f.alphas);
  list(s.betas, f.betas, sizeof f.betas);
  if (!r.rhos.empty()) list(r.rhos, f.rhos, sizeof f.rhos);
  f.start_overlap = static_cast<float>(s.start_overlap);
}

void form_defaults(CapacityForm& f, int view) {
  form_from(f, capacity_request({{"view", capacity_view_names()[view]}}));
}

void draw_form(UiContext& ui, CapacityWindow& w) {
  CapacityForm& f = w.form;
  ImGui::PushItemWidth(ImGui::GetFontSize() * 7);
  int view = f.view;
  // The view combo as wide as its longest entry (at 7 em "retrieved vs load" was cut to "retrieved vs").
  const ImGuiStyle& style = ImGui::GetStyle();
  const float view_w = ImGui::CalcTextSize("retrieved vs load").x + ImGui::GetFrameHeight() + style.FramePadding.x * 2;
  flow(view_w + style.ItemInnerSpacing.x + ImGui::CalcTextSize("view").x, true);
  ImGui::SetNextItemWidth(view_w);
  if (ImGui::Combo("view", &view, "retrieved vs load\0phase diagram\0basin\0three laws\0")) form_defaults(f, view);
  formula_tip(
      "What to measure: retrieved fraction vs alpha; the exponential model over (alpha, beta); vs the start "
      "overlap rho; or capacity P_max vs N for the three models.");
  if (f.view == 0) {
    flow(ImGui::GetFontSize() * 12);
    ImGui::Combo("model", &f.model, "hebbian\0polynomial\0exponential\0");
    if (f.model != 2) f.patterns = 2;
  }
  if (f.view != 3) {
    flow(ImGui::GetFontSize() * 12);
    ImGui::Combo("patterns", &f.patterns, "spherical\0gaussian\0binary\0");
    flow(ImGui::GetFontSize() * 10);
    ImGui::InputInt("N", &f.dim, 0);
    if (f.view == 0 && f.model == 1) {
      flow(ImGui::GetFontSize() * 10);
      ImGui::SliderInt("degree n", &f.degree, 2, 8);
    }
    flow(ImGui::GetFontSize() * 12);
    ImGui::InputText("alphas", f.alphas, sizeof f.alphas);
    formula_tip(
        "Loads: a list (0.1,0.2) or LO:HI:COUNT. hebbian P = alpha N, polynomial P = alpha N^(n-1), "
        "exponential P = exp(alpha N).");
    if (f.view != 0 || f.model == 2) {
      flow(ImGui::GetFontSize() * 12);
      ImGui::InputText("betas", f.betas, sizeof f.betas);
    }
    if (f.view == 2) {
      flow(ImGui::GetFontSize() * 12);
      ImGui::InputText("rhos", f.rhos, sizeof f.rhos);
    } else {
      flow(ImGui::GetFontSize() * 10);
      ImGui::SliderFloat("start overlap", &f.start_overlap, 0, 1, "%.2f");
    }
  }
  flow(ImGui::GetFontSize() * 10);
  ImGui::InputInt("trials", &f.trials, 0);
  flow(ImGui::GetFontSize() * 10);
  ImGui::InputInt("seed", &f.seed, 0);
  ImGui::PopItemWidth();
  flow(ImGui::GetFontSize() * 4, true);
  if (ImGui::Button("Run")) capacity_run(ui, form_options(f));
  ui.record_item("capacity-run");
  flow(ImGui::GetFontSize() * 5);
  if (ImGui::Button("Cancel")) capacity_cancel();
  flow(ImGui::GetFontSize() * 16);
  if (ImGui::Button("Preset: exponential threshold")) capacity_run(ui, capacity_preset(capacity_preset_names()[0]));
  formula_tip("capacity-exponential-threshold: spherical patterns, N = 16, beta 1 and 2, loads across alpha_1.");
}

void draw_heatmap(UiContext& ui, CapacityWindow& w, const CapacityOutcome& o, ImVec2 room) {
  const int width = std::max(64, static_cast<int>(room.x)), height = std::max(64, static_cast<int>(room.y));
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 size(static_cast<float>(width), static_cast<float>(height));
  if (!uhop::can_draw_raster()) {  // the browser: core's drawing straight into the window (imgui_painter.h)
    ImGuiPainter painter(ImGui::GetWindowDrawList(), origin.x, origin.y, w.painter_textures);
    uhop::draw_heatmap(painter, o.heatmap, uhop::heatmap_layout(o.heatmap, width, height),
                       uhop::plot_colors(uhop::PlotTheme::dark));
    ImGui::InvisibleButton("capacity-phase", size);
  } else {
    if (w.heat_version != o.version || w.heat.width() != width || w.heat.height() != height) {
      uhop::PlotStyle style;
      style.theme = uhop::PlotTheme::dark;
      const std::vector<uint8_t> rgba = uhop::render_heatmap_rgba(o.heatmap, width, height, 1, style);
      if (!rgba.empty()) w.heat.upload_rgba(rgba.data(), width, height, false);
      w.heat_version = o.version;
    }
    if (w.heat.valid()) ImGui::Image(w.heat.imgui_id(), size);
  }
  ui.plot_sizes[kIds[1]] = {width, height};
  ui.record_rect(std::string("plot.") + kIds[1], origin, size);
  if (ImGui::BeginPopupContextItem("capacity-phase-menu")) {
    figure_export_menu_items(ui, kIds[1]);
    ImGui::EndPopup();
  }
}
}  // namespace

bool* capacity_window_flag() {
  return &window().open;
}
bool capacity_busy() {
  return window().lab.running();
}
void capacity_cancel() {
  window().lab.cancel();
}

void capacity_pump(double budget_seconds) {
  window().lab.pump(budget_seconds);
}

void capacity_run(UiContext& ui, const CapacityOptions& options) {
  CapacityWindow& w = window();
  w.open = true;
  try {
    w.lab.start(options);
    const CapacityRequest r = capacity_request(options);
    w.tab_wanted = static_cast<int>(r.view);
    form_from(w.form, r);
  } catch (const uhop::InputError& e) {
    ui.set_status(e.what(), true);
  }
}

bool capacity_figure_for(UiContext& ui, const std::string& id, uhop::ExportFigure& out, std::pair<int, int>& screen) {
  sync();
  CapacityWindow& w = window();
  for (int v = 0; v < 4; ++v) {
    if (id != kIds[v]) continue;
    if (!w.by_view[v]) return false;
    const CapacityOutcome& o = *w.by_view[v];
    const auto size = ui.plot_sizes.find(id);
    screen = size != ui.plot_sizes.end() ? size->second : std::pair<int, int>(720, 420);
    if (v == 1) {
      out.heatmap = o.heatmap;
      return true;
    }
    const uhop::PlotWidgetState& state = w.plots[v];
    out.plot = uhop::figure_as_shown(o.figure, state);
    uhop::PlotFitOptions fit;
    fit.log_y = state.log_y.value_or(o.figure.log_y);
    fit.log_x = state.log_x.value_or(o.figure.log_x);
    fit.hidden = state.hidden;
    out.view = state.auto_fit ? uhop::data_range(o.figure, fit) : state.view;
    return true;
  }
  return false;
}

std::string capacity_dump_state() {
  sync();
  CapacityWindow& w = window();
  std::string s = "capacity_open=" + std::to_string(w.open ? 1 : 0) + "\n";
  s += "capacity_running=" + std::to_string(w.lab.running() ? 1 : 0) + "\n";
  const auto latest = w.lab.latest();
  s += "capacity_view=" + std::string(latest ? to_string(latest->request.view) : "") + "\n";
  s +=
      "capacity_rows=" +
      std::to_string(
          latest ? (latest->request.view == CapacityView::laws ? latest->law_points.size() : latest->rows.size()) : 0) +
      "\n";
  s += "capacity_error=" + std::string(latest ? latest->error : "") + "\n";
  return s;
}

void panel_capacity(UiContext& ui) {
  CapacityWindow& w = window();
  if (!w.open) return;
  sync();
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  keep_inside_display(ImVec2(display.x * 0.12f, display.y * 0.06f), ImVec2(display.x * 0.76f, display.y * 0.86f));
  ImGui::SetNextWindowBgAlpha(1.0f);
  if (!ImGui::Begin("Capacity: how many memories fit", &w.open)) {
    ImGui::End();
    return;
  }
  clamp_window_to_display();
  ui.record_rect("panel.capacity", ImGui::GetWindowPos(), ImGui::GetWindowSize());
  draw_form(ui, w);
  const auto latest = w.lab.latest();
  if (latest) {
    const float frac = static_cast<float>(latest->progress);
    ImGui::ProgressBar(frac, ImVec2(ImGui::GetFontSize() * 10, 0));
    ImGui::SameLine();
    ImGui::TextUnformatted((latest->status + (latest->cancelled ? " (cancelled)" : "") +
                            (latest->error.empty() ? "" : " - " + latest->error))
                               .c_str());
  }
  if (ImGui::BeginTabBar("capacity-views")) {
    static const char* names[4] = {"Retrieved vs load", "Phase diagram", "Basin", "Three laws"};
    for (int v = 0; v < 4; ++v) {
      const ImGuiTabItemFlags flags = w.tab_wanted == v ? ImGuiTabItemFlags_SetSelected : 0;
      if (!ImGui::BeginTabItem(names[v], nullptr, flags)) continue;
      const auto& o = w.by_view[v];
      const ImVec2 room = ImGui::GetContentRegionAvail();
      if (!o) {
        text_wrapped_words("Nothing measured yet: pick this view above and press Run.");
      } else if (v == 1) {
        draw_heatmap(ui, w, *o, room);
      } else {
        uhop::PlotWidgetOptions opt;
        opt.size = ImVec2(-1, std::max(room.y, ImGui::GetFontSize() * 8));
        studio_plot(ui, kIds[v], o->figure, w.plots[v], opt);
      }
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  w.tab_wanted = -1;
  ImGui::End();
}
}  // namespace studio
