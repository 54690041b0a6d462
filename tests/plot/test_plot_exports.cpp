// PDF, heatmaps with their colorbar, themes and font scale, export options, and animations (GIF, MP4, PNG folders).
#include <gif_lib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stb_image.h>
#include <string>
#include <vector>

#include "numerics/input_error.h"
#include "plot/plot_animation.h"
#include "plot/plot_export.h"
#include "plot/plot_figure.h"
#include "plot/plot_heatmap.h"
#include "plot/plot_painter.h"

using namespace uhop;
namespace fs = std::filesystem;

namespace {
std::string temp_dir() {
  const fs::path dir = fs::temp_directory_path() / ("uhop_plot_exports_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir.string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool have_program(const char* name) {
  const char* path = std::getenv("PATH");
  return !find_program_on_path(name, path ? path : "").empty();
}

std::string run(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

PlotFigure line_figure() {
  PlotFigure f;
  f.title = "separation loss L_Φ";
  f.x_label = "step i";
  f.y_label = "loss L";
  PlotSeries s;
  s.name = "L_Φ";
  s.color = 0x1f77b4;
  for (int i = 0; i <= 20; ++i) s.x.push_back(i), s.y.push_back(std::exp(-0.2 * i));
  f.series.push_back(s);
  return f;
}

// 3 x 4 cells with distinct values on [lo, hi] = [-1, 1].
HeatmapFigure heatmap_figure() {
  HeatmapFigure h;
  h.title = "feature cosine";
  h.x_label = "memory ν";
  h.y_label = "memory μ";
  h.value_label = "cos(Φ(ξ_μ), Φ(ξ_ν))";
  h.rows = 3, h.cols = 4;
  for (int k = 0; k < 12; ++k) h.values.push_back(-1 + 2.0 * k / 11);
  h.lo = -1, h.hi = 1;
  h.x0 = 0, h.x1 = 4, h.y0 = 0, h.y1 = 3;
  return h;
}

struct Image {
  int w = 0, h = 0;
  std::vector<uint8_t> px;
  const uint8_t* at(double x, double y) const { return &px[(static_cast<size_t>(y) * w + static_cast<size_t>(x)) * 4]; }
};
Image decode(const std::vector<uint8_t>& png) {
  Image img;
  int n = 0;
  unsigned char* p = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &img.w, &img.h, &n, 4);
  REQUIRE(p != nullptr);
  img.px.assign(p, p + static_cast<size_t>(img.w) * img.h * 4);
  stbi_image_free(p);
  return img;
}

bool near_color(const uint8_t* p, uint32_t hex, int tol) {
  return std::abs(p[0] - int(hex >> 16)) <= tol && std::abs(p[1] - int((hex >> 8) & 255)) <= tol &&
         std::abs(p[2] - int(hex & 255)) <= tol;
}

int gif_frame_count(const std::string& path, int& w, int& h, int& delay_cs) {
  int err = 0;
  GifFileType* gif = DGifOpenFileName(path.c_str(), &err);
  if (!gif) return -1;
  if (DGifSlurp(gif) != GIF_OK) {
    DGifCloseFile(gif, &err);
    return -1;
  }
  w = gif->SWidth, h = gif->SHeight;
  GraphicsControlBlock gcb{};
  delay_cs = gif->ImageCount > 0 && DGifSavedExtensionToGCB(gif, 0, &gcb) == GIF_OK ? gcb.DelayTime : -1;
  const int n = gif->ImageCount;
  DGifCloseFile(gif, &err);
  return n;
}

std::vector<uint8_t> test_frame(int w, int h, int k) {
  std::vector<uint8_t> rgba(static_cast<size_t>(w) * h * 4, 255);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint8_t* p = &rgba[(static_cast<size_t>(y) * w + x) * 4];
      const bool bar = x >= k * 4 && x < k * 4 + 6;  // a moving bar
      p[0] = bar ? 200 : 20, p[1] = bar ? 40 : static_cast<uint8_t>(y * 255 / h), p[2] = 90;
    }
  return rgba;
}
}  // namespace

TEST_CASE("PDF export: a one-page vector PDF of the requested size with real text", "[plot][pdf]") {
  const PlotFigure f = line_figure();
  std::ostringstream out;
  write_plot_pdf(out, f, data_range(f), 640, 360);
  const std::string pdf = out.str();
  REQUIRE(pdf.size() > 1000);
  CHECK(pdf.rfind("%PDF-", 0) == 0);
  CHECK(pdf.find("%%EOF") != std::string::npos);
  CHECK(pdf.find("/MediaBox [ 0 0 480 270 ]") != std::string::npos);  // 640 x 360 CSS px = 480 x 270 pt
  CHECK(pdf.find("/FontFile") != std::string::npos);                  // an embedded font: text, not outlines
  if (have_program("pdftotext")) {
    const std::string path = temp_dir() + "/line.pdf";
    save_plot_pdf(path, f, data_range(f), 640, 360);
    const std::string text = run("pdftotext -q '" + path + "' -");
    INFO(text);
    for (const char* s : {"separation loss L_Φ", "step i", "loss L", "0.8"}) CHECK(text.find(s) != std::string::npos);
  }
  CHECK_THROWS_WITH(save_plot_pdf("/nonexistent-dir/x.pdf", f, data_range(f), 100, 100),
                    Catch::Contains("/nonexistent-dir/x.pdf"));
}

TEST_CASE("the colormap runs through its stops and clamps", "[plot][heatmap]") {
  uint8_t c[3];
  colormap_rgb(0, c);
  CHECK((c[0] == 68 && c[1] == 1 && c[2] == 84));  // round(255 * (0.267, 0.005, 0.329))
  colormap_rgb(1, c);
  CHECK((c[0] == 253 && c[1] == 231 && c[2] == 37));
  colormap_rgb(0.5, c);  // exactly stop 4
  CHECK((c[0] == 33 && c[1] == 145 && c[2] == 140));
  CHECK(colormap_hex(-3) == colormap_hex(0));
  CHECK(colormap_hex(7) == colormap_hex(1));
  CHECK(colormap_hex(1.0 / 16) == 0x451767);  // halfway between stops 0 and 1: round(255 * (0.2725, 0.089, 0.4035))
}

TEST_CASE("heatmap PNG: each cell in the colour of its value, a colorbar from hi (top) to lo", "[plot][heatmap]") {
  const HeatmapFigure h = heatmap_figure();
  const HeatmapLayout L = heatmap_layout(h, 400, 300);
  REQUIRE(L.cells.w > 0);
  CHECK(L.cells.w / 4 == Approx(L.cells.h / 3));  // square cells
  CHECK(L.colorbar.x > L.cells.x + L.cells.w);
  CHECK(L.colorbar.h == Approx(L.cells.h));
  REQUIRE(!L.bar_ticks.empty());
  CHECK(L.bar_ticks.front().value == Approx(-1));
  CHECK(L.bar_ticks.back().value == Approx(1));
  for (float scale : {1.0f, 2.0f}) {
    const Image img = decode(encode_heatmap_png(h, 400, 300, scale));
    REQUIRE(img.w == static_cast<int>(400 * scale));
    REQUIRE(img.h == static_cast<int>(300 * scale));
    const double cw = L.cells.w / 4, ch = L.cells.h / 3;
    for (int r = 0; r < 3; ++r)
      for (int k = 0; k < 4; ++k) {
        INFO("cell " << r << "," << k << " scale " << scale);
        const double x = (L.cells.x + (k + 0.5) * cw) * scale, y = (L.cells.y + (r + 0.5) * ch) * scale;
        CHECK(near_color(img.at(x, y), colormap_hex(heatmap_t(h, h.values[r * 4 + k])), 2));
      }
    const double bx = (L.colorbar.x + L.colorbar.w / 2) * scale;
    CHECK(near_color(img.at(bx, (L.colorbar.y + 2) * scale), colormap_hex(1), 8));
    CHECK(near_color(img.at(bx, (L.colorbar.y + L.colorbar.h - 2) * scale), colormap_hex(0), 8));
    CHECK(near_color(img.at(bx, (L.colorbar.y + L.colorbar.h / 2) * scale), colormap_hex(0.5), 8));
  }
}

TEST_CASE("heatmap SVG and PDF carry the colorbar's values and labels as text; CSV is the matrix", "[plot][heatmap]") {
  const HeatmapFigure h = heatmap_figure();
  std::ostringstream svg;
  write_heatmap_svg(svg, h, 400, 300);
  const std::string s = svg.str();
  CHECK(s.find("<image") != std::string::npos);
  CHECK(s.find("data:image/png;base64,") != std::string::npos);
  for (const char* label : {"cos(Φ(ξ_μ), Φ(ξ_ν))", "memory ν", "memory μ"}) CHECK(s.find(label) != std::string::npos);
  const HeatmapLayout L = heatmap_layout(h, 400, 300);
  REQUIRE(L.bar_ticks.size() >= 3);
  for (const PlotTick& t : L.bar_ticks) CHECK(s.find(">" + t.label + "</text>") != std::string::npos);
  std::ostringstream pdf;
  write_heatmap_pdf(pdf, h, 400, 300);
  CHECK(pdf.str().rfind("%PDF-", 0) == 0);
  std::ostringstream csv;
  write_heatmap_csv(csv, h);
  std::istringstream in(csv.str());
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    std::istringstream cells(line);
    std::string cell;
    int k = 0;
    while (std::getline(cells, cell, ',')) CHECK(std::stod(cell) == h.values[rows * 4 + k++]);
    CHECK(k == 4);
    ++rows;
  }
  CHECK(rows == 3);
}

TEST_CASE("dark theme and font scale change the look, not the data", "[plot][style]") {
  const PlotFigure f = line_figure();
  const PlotView v = data_range(f);
  const Image light = decode(encode_plot_png(f, v, 320, 200));
  PlotStyle dark;
  dark.theme = PlotTheme::dark;
  const Image dim = decode(encode_plot_png(f, v, 320, 200, 1, dark));
  CHECK(near_color(light.at(2, 2), 0xffffff, 0));
  CHECK(near_color(dim.at(2, 2), plot_colors(PlotTheme::dark).background, 0));
  const PlotLayout normal = plot_layout(f, v, 640, 360), big = plot_layout(f, v, 640, 360, 1, 2);
  CHECK(big.tick_font == Approx(2 * normal.tick_font));
  CHECK(big.plot.w < normal.plot.w);  // room for the larger labels
  CHECK(big.plot.h < normal.plot.h);
  std::ostringstream svg;
  PlotStyle large;
  large.font_scale = 2;
  write_plot_svg(svg, f, v, 640, 360, large);
  CHECK(svg.str().find("font-size=\"22\"") != std::string::npos);  // ticks: 11 px x 2
}

TEST_CASE("export settings: limits named by key, cm pages become CSS pixels and a PNG resolution", "[plot][export]") {
  ExportSettings s;
  CHECK_NOTHROW(check_export_settings(s));
  const auto refused = [](ExportSettings bad, const char* key) {
    INFO(key);
    CHECK_THROWS_WITH(check_export_settings(bad), Catch::StartsWith(key));
  };
  ExportSettings b = s;
  b.width = 10, b.height = 100;
  refused(b, "width");
  b = s, b.width = 640;
  refused(b, "height");
  b = s, b.dpi = 10;
  refused(b, "dpi");
  b = s, b.font_scale = 9;
  refused(b, "font_scale");
  b = s, b.unit = SizeUnit::cm, b.width = 50, b.height = 30, b.dpi = 1200;
  refused(b, "dpi");  // 50 cm at 1200 dpi is 23622 px
  b = s, b.width = std::nan(""), b.height = 100;
  refused(b, "width");

  const ExportPage screen = export_page(s, 500, 300, 2);
  CHECK(screen.width == 500);
  CHECK(screen.height == 300);
  CHECK(screen.png_scale == 2);
  CHECK(screen.svg_width == "500");
  ExportSettings cm = s;
  cm.unit = SizeUnit::cm, cm.width = 16, cm.height = 9, cm.dpi = 300;
  const ExportPage page = export_page(cm, 500, 300);
  CHECK(page.width == Approx(16 / 2.54 * 96));
  CHECK(page.height == Approx(9 / 2.54 * 96));
  CHECK(page.png_scale == Approx(300.0 / 96));
  CHECK(page.svg_width == "16cm");
  CHECK(parse_plot_format("PDF") == PlotFormat::pdf);
  CHECK_THROWS_AS(parse_plot_format("jpg"), InputError);
  CHECK(plot_format_of_path("a/b.Svg") == PlotFormat::svg);
  CHECK(!plot_format_of_path("a.b/c").has_value());
}

TEST_CASE("save_figure writes every format of a line plot and a heatmap, sized by the page", "[plot][export]") {
  const std::string dir = temp_dir();
  ExportFigure line{line_figure(), data_range(line_figure()), std::nullopt};
  ExportFigure heat{{}, {}, heatmap_figure()};
  ExportSettings s;
  s.unit = SizeUnit::cm, s.width = 8, s.height = 5, s.dpi = 192;  // 2 PNG pixels per CSS pixel
  const ExportPage page = export_page(s, 0, 0);
  for (const ExportFigure* f : {&line, &heat}) {
    for (PlotFormat fmt : {PlotFormat::svg, PlotFormat::pdf, PlotFormat::png, PlotFormat::csv}) {
      const std::string path = dir + "/fig." + to_string(fmt);
      fs::remove(path);
      save_figure(path, fmt, *f, page);
      REQUIRE(fs::file_size(path) > 20);
    }
    const Image img = decode([&] {
      const std::string bytes = slurp(dir + "/fig.png");
      return std::vector<uint8_t>(bytes.begin(), bytes.end());
    }());
    CHECK(img.w == static_cast<int>(std::lround(std::lround(8 / 2.54 * 96) * 2.0)));
    CHECK(img.h == static_cast<int>(std::lround(std::lround(5 / 2.54 * 96) * 2.0)));
    CHECK(slurp(dir + "/fig.svg").find("width=\"8cm\" height=\"5cm\"") != std::string::npos);
  }
  CHECK_THROWS_WITH(save_figure("/nonexistent-dir/f.png", PlotFormat::png, line, page),
                    Catch::Contains("/nonexistent-dir/f.png"));
  ExportSettings huge;
  const ExportPage too_big = export_page(huge, 5000, 5000, 4);
  CHECK_THROWS_WITH(save_figure(dir + "/huge.png", PlotFormat::png, line, too_big), Catch::Contains("8000"));
  CHECK(!fs::exists(dir + "/huge.png"));
}

TEST_CASE("median cut keeps up to 256 flat colours exactly and maps every pixel", "[plot][animation]") {
  std::vector<uint8_t> rgba;
  for (int k = 0; k < 200; ++k)
    for (int rep = 0; rep < 3; ++rep) rgba.insert(rgba.end(), {uint8_t(k), uint8_t(255 - k), uint8_t(k * 7), 255});
  const QuantizedImage q = quantize_median_cut(rgba.data(), 600, 1, 256);
  REQUIRE(q.indices.size() == 600);
  for (size_t i = 0; i < 600; ++i) {
    const uint8_t* p = &rgba[i * 4];
    const uint8_t* c = &q.palette[q.indices[i] * 3];
    // Colours in one 5-bit bin are merged; these 200 colours fall into distinct bins only where they differ by 8.
    CHECK(std::abs(int(c[0]) - p[0]) <= 8);
    CHECK(std::abs(int(c[1]) - p[1]) <= 8);
  }
  const uint8_t two[8] = {10, 20, 30, 255, 200, 100, 50, 255};
  const QuantizedImage q2 = quantize_median_cut(two, 2, 1);
  REQUIRE(q2.palette.size() == 6);
  const uint8_t* a = &q2.palette[q2.indices[0] * 3];
  const uint8_t* b = &q2.palette[q2.indices[1] * 3];
  CHECK((a[0] == 10 && a[1] == 20 && a[2] == 30));
  CHECK((b[0] == 200 && b[1] == 100 && b[2] == 50));
}

TEST_CASE("GIF animations: every frame stored, delay from fps, size kept; nothing left on failure",
          "[plot][animation]") {
  const std::string dir = temp_dir(), path = dir + "/anim.gif";
  fs::remove(path);
  {
    AnimationWriter w(path, 64, 40, 20);
    for (int k = 0; k < 12; ++k) w.add_frame(test_frame(64, 40, k < 11 ? k : 10).data());  // the last one repeats
    CHECK(!fs::exists(path));                                                              // not before finish()
    w.finish();
    CHECK(w.frames() == 12);
    CHECK(w.bytes() == fs::file_size(path));
  }
  int gw = 0, gh = 0, delay = 0;
  CHECK(gif_frame_count(path, gw, gh, delay) == 12);
  CHECK(gw == 64);
  CHECK(gh == 40);
  CHECK(delay == 5);  // 100 / 20 fps
  {
    AnimationWriter abandoned(dir + "/abandoned.gif", 8, 8, 10);
    abandoned.add_frame(test_frame(8, 8, 0).data());
  }
  CHECK(!fs::exists(dir + "/abandoned.gif"));
  for (const auto& entry : fs::directory_iterator(dir))
    CHECK(entry.path().filename().string().find("tmp.") == std::string::npos);  // NAME.tmp.PID, .NAME.uhop-tmp.PID.R
  CHECK_THROWS_WITH(AnimationWriter("/nonexistent-dir/a.gif", 8, 8, 10), Catch::Contains("/nonexistent-dir"));
  CHECK_THROWS_WITH(AnimationWriter(dir + "/a.avi", 8, 8, 10), Catch::Contains(".avi"));
  CHECK_THROWS_AS(AnimationWriter(dir + "/a.gif", 0, 8, 10), InputError);
  CHECK_THROWS_AS(AnimationWriter(dir + "/a.gif", 8, 8, 0), InputError);
}

TEST_CASE("PNG folder animations: numbered frames appear together; a non-empty folder is refused",
          "[plot][animation]") {
  const std::string dir = temp_dir(), frames = dir + "/frames";
  fs::remove_all(frames);
  CHECK(animation_format_of_path(frames) == AnimationFormat::png_folder);
  CHECK(animation_format_of_path(dir + "/x.y/") == AnimationFormat::png_folder);
  {
    AnimationWriter w(frames + "/", 16, 12, 10);
    for (int k = 0; k < 3; ++k) w.add_frame(test_frame(16, 12, k).data());
    CHECK(!fs::exists(frames));
    w.finish();
  }
  REQUIRE(fs::is_directory(frames));
  for (const char* name : {"frame-00001.png", "frame-00002.png", "frame-00003.png"}) {
    const std::string bytes = slurp(frames + "/" + name);
    const Image img = decode(std::vector<uint8_t>(bytes.begin(), bytes.end()));
    CHECK(img.w == 16);
    CHECK(img.h == 12);
  }
  CHECK_THROWS_WITH(AnimationWriter(frames, 16, 12, 10), Catch::Contains("not an empty folder"));
}

TEST_CASE("MP4 goes through ffmpeg from PATH; without it, a clear message", "[plot][animation]") {
  CHECK(find_program_on_path("ffmpeg", "/nonexistent-a:/nonexistent-b").empty());
  CHECK(find_program_on_path("sh", "/nonexistent:/bin") == "/bin/sh");
  const std::string dir = temp_dir(), path = dir + "/anim.mp4";
  {
    const char* saved = std::getenv("PATH");
    const std::string old = saved ? saved : "";
    ::setenv("PATH", "/nonexistent", 1);
    CHECK_THROWS_WITH(AnimationWriter(path, 64, 40, 10), Catch::Contains("ffmpeg"));
    ::setenv("PATH", old.c_str(), 1);
  }
  if (!have_program("ffmpeg")) return;
  fs::remove(path);
  {
    AnimationWriter w(path, 63, 41, 10);  // odd sizes are padded to even ones for H.264
    for (int k = 0; k < 12; ++k) w.add_frame(test_frame(63, 41, k).data());
    w.finish();
  }
  REQUIRE(fs::file_size(path) > 100);
  if (have_program("ffprobe")) {
    const std::string probe =
        run("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
            "stream=codec_name,nb_read_frames,width,height -of default=nw=1 '" +
            path + "'");
    INFO(probe);
    CHECK(probe.find("codec_name=h264") != std::string::npos);
    CHECK(probe.find("nb_read_frames=12") != std::string::npos);
    CHECK(probe.find("width=64") != std::string::npos);
    CHECK(probe.find("height=42") != std::string::npos);
  }
}
