// The recorder (queue + encoder thread, without a window), the record/export script lines, the export options as
// settings (and in saved sessions), and each heatmap's own colour scale.
#include <gif_lib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "numerics/input_error.h"
#include "recorder.h"
#include "studio_commands.h"
#include "studio_figures.h"
#include "studio_state.h"
#include "studio_worker.h"

using namespace studio;
namespace fs = std::filesystem;

namespace {
std::string temp_dir() {
  const fs::path dir = fs::temp_directory_path() / ("uhop_recording_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir.string();
}

std::vector<uint8_t> frame(int w, int h, uint8_t shade) {
  std::vector<uint8_t> rgba(static_cast<size_t>(w) * h * 4, shade);
  for (size_t k = 3; k < rgba.size(); k += 4) rgba[k] = 255;
  return rgba;
}

int gif_frames(const std::string& path, int& w, int& h) {
  int err = 0;
  GifFileType* gif = DGifOpenFileName(path.c_str(), &err);
  if (!gif || DGifSlurp(gif) != GIF_OK) {
    if (gif) DGifCloseFile(gif, &err);
    return -1;
  }
  w = gif->SWidth, h = gif->SHeight;
  const int n = gif->ImageCount;
  DGifCloseFile(gif, &err);
  return n;
}

Command parsed(const std::string& line) {
  Command c;
  REQUIRE(parse_command_line(line, 1, c));
  return c;
}
}  // namespace

TEST_CASE("recorder: frames at the fps go through the encoder thread into a GIF of the first frame's size",
          "[studio][recorder]") {
  const std::string path = temp_dir() + "/rec.gif";
  fs::remove(path);
  Recorder r;
  r.start(path, "", 10);
  CHECK(r.wants_frame(100.0));
  r.add_frame(frame(40, 30, 10), 40, 30, 100.0);
  CHECK(!r.wants_frame(100.05));  // the next frame is due 1/10 s later
  CHECK(r.wants_frame(100.1));
  double t = 100.1;
  for (int k = 1; k < 12; ++k, t += 0.1) {
    // Later frames of other sizes (a resized panel) are cropped or padded to 40 x 30.
    const int w = k % 3 == 0 ? 50 : k % 3 == 1 ? 20 : 40, h = k % 2 ? 25 : 35;
    r.add_frame(frame(w, h, static_cast<uint8_t>(20 * k)), w, h, t);
  }
  CHECK_THROWS_WITH(r.start(temp_dir() + "/other.gif", "", 10), Catch::Contains("already running"));
  r.stop();
  CHECK(!r.status().recording);
  r.finish();
  const RecordStatus s = r.status();
  CHECK(!s.finishing);
  CHECK(s.error.empty());
  CHECK(s.captured == 12);
  CHECK(s.written + s.dropped == s.captured);
  CHECK(s.finished.find("rec.gif") != std::string::npos);
  int w = 0, h = 0;
  CHECK(gif_frames(path, w, h) == s.written);
  CHECK(w == 40);
  CHECK(h == 30);
  CHECK(s.bytes == fs::file_size(path));
}

namespace {
// Frame `k` of the first image of a GIF as gray levels (the colour map's red), row-major; empty on failure.
std::vector<int> gif_first_frame_red(const std::string& path, int& w, int& h) {
  int err = 0;
  GifFileType* gif = DGifOpenFileName(path.c_str(), &err);
  std::vector<int> red;
  if (gif && DGifSlurp(gif) == GIF_OK && gif->ImageCount > 0) {
    const SavedImage& im = gif->SavedImages[0];
    const ColorMapObject* map = im.ImageDesc.ColorMap ? im.ImageDesc.ColorMap : gif->SColorMap;
    w = im.ImageDesc.Width, h = im.ImageDesc.Height;
    for (int k = 0; k < w * h; ++k) red.push_back(map->Colors[im.RasterBits[k]].Red);
  }
  if (gif) DGifCloseFile(gif, &err);
  return red;
}
}  // namespace

TEST_CASE("recorder: a chosen width resamples every frame, keeping the aspect ratio and the picture",
          "[studio][recorder]") {
  CHECK(recording_height(1600, 1000, 0) == 1000);
  CHECK(recording_height(1600, 1000, 640) == 400);
  CHECK(recording_height(1920, 1080, 1280) == 720);
  CHECK(recording_height(333, 100, 100) == 30);  // 30.03 rounds to 30
  CHECK(recording_height(1000, 1, 16) == 1);     // never 0 rows
  Recorder refused;
  CHECK_THROWS_WITH(refused.start(temp_dir() + "/w.gif", "", 10, 8), Catch::Contains("16..7680"));
  CHECK_THROWS_WITH(refused.start(temp_dir() + "/w.gif", "", 10, 10000), Catch::Contains("16..7680"));
  // A 40x30 frame: left half black, right half white, recorded 20 wide (shrunk) and 80 wide (grown).
  std::vector<uint8_t> halves = frame(40, 30, 0);
  for (int y = 0; y < 30; ++y)
    for (int x = 20; x < 40; ++x)
      for (int c = 0; c < 3; ++c) halves[(static_cast<size_t>(y) * 40 + x) * 4 + c] = 255;
  for (const int out_width : {20, 80}) {
    const std::string path = temp_dir() + "/w" + std::to_string(out_width) + ".gif";
    fs::remove(path);
    Recorder r;
    r.start(path, "", 10, out_width);
    r.add_frame(halves, 40, 30, 100.0);
    r.add_frame(halves, 40, 30, 100.1);
    r.finish();
    const RecordStatus s = r.status();
    REQUIRE(s.error.empty());
    CHECK(s.width == out_width);
    CHECK(s.height == out_width * 3 / 4);
    CHECK(s.source_width == 40);
    CHECK(s.source_height == 30);
    int w = 0, h = 0;
    CHECK(gif_frames(path, w, h) == 2);
    CHECK(w == out_width);
    CHECK(h == out_width * 3 / 4);
    const std::vector<int> red = gif_first_frame_red(path, w, h);
    REQUIRE(red.size() == static_cast<size_t>(w) * h);
    // Away from the edge between the halves the picture is unchanged; at the edge, a ramp (resampled, not cropped).
    const int mid = h / 2;
    CHECK(red[mid * w + 1] <= 8);
    CHECK(red[mid * w + w / 4] <= 8);
    CHECK(red[mid * w + 3 * w / 4] >= 247);
    CHECK(red[mid * w + w - 2] >= 247);
  }
}

// The writer takes at most 8192 pixels a side. The output size is decided by the first frame (later frames are
// cropped or padded to it), so that is where it is checked: a recording the writer could not take stops at once
// with the reason, instead of capturing until "record stop" and failing then; a later frame of another size (the
// window resized while recording, up to beyond 8192) never changes the output's size.
TEST_CASE("recorder: the output size is checked against the writer's 8192 cap at the frame that decides it",
          "[studio][recorder]") {
  const std::string tall = temp_dir() + "/tall.gif";
  fs::remove(tall);
  Recorder r;
  r.start(tall, "", 10, 7680);  // a 100 x 200 panel at 7680 wide: 15360 rows
  r.add_frame(frame(100, 200, 50), 100, 200, 100.0);
  RecordStatus s = r.status();
  CHECK_FALSE(s.recording);
  CHECK_THAT(s.error, Catch::Contains("8192") && Catch::Contains("15360"));
  CHECK(s.captured == 1);
  CHECK_FALSE(r.wants_frame(100.2));
  r.add_frame(frame(100, 200, 50), 100, 200, 100.2);  // ignored: the recording has stopped
  r.finish();
  s = r.status();
  CHECK(s.captured == 1);
  CHECK_THAT(s.error, Catch::Contains("8192"));
  CHECK_THAT(s.finished, Catch::Contains("recording failed") && Catch::Contains("15360"));
  CHECK_FALSE(fs::exists(tall));
  // Frames that grow past the cap after a first frame that fits: recorded at the first frame's size.
  const std::string resized = temp_dir() + "/resized.gif";
  fs::remove(resized);
  Recorder grown;
  grown.start(resized, "", 10, 160);
  grown.add_frame(frame(80, 60, 10), 80, 60, 100.0);
  grown.add_frame(frame(20, 9000, 90), 20, 9000, 100.1);
  grown.add_frame(frame(9000, 20, 90), 9000, 20, 100.2);
  grown.finish();
  s = grown.status();
  CHECK(s.error.empty());
  CHECK(s.written == 3);
  int w = 0, h = 0;
  CHECK(gif_frames(resized, w, h) == 3);
  CHECK(w == 160);
  CHECK(h == 120);
}

// The browser's recorder (no threads): frames are encoded by pump() between frames; stop and the next pumps finish
// the file, which appears only then (the encoder writes a temp until the end).
TEST_CASE("recorder, pumped: pump() encodes the queued frames and finalizes the GIF after stop", "[studio][recorder]") {
  const std::string path = temp_dir() + "/pumped.gif";
  fs::remove(path);
  Recorder r;
  r.set_threading(WorkerThreading::pump);
  r.start(path, "", 10);
  double t = 200;
  for (int k = 0; k < 6; ++k, t += 0.1) r.add_frame(frame(24, 16, static_cast<uint8_t>(30 * k)), 24, 16, t);
  CHECK(r.status().queued == 6);
  r.pump(0);  // one frame at least
  CHECK(r.status().written >= 1);
  CHECK(r.status().queued < 6);
  r.stop();
  CHECK(r.active());
  CHECK_FALSE(fs::exists(path));
  for (int i = 0; i < 100 && r.active(); ++i) r.pump(0.01);
  CHECK_FALSE(r.active());
  const RecordStatus s = r.status();
  CHECK(s.error.empty());
  CHECK(s.written == 6);
  int w = 0, h = 0;
  CHECK(gif_frames(path, w, h) == 6);
  CHECK(w == 24);
  CHECK(h == 16);
}

TEST_CASE("recorder: a full queue drops frames instead of blocking, and counts them", "[studio][recorder]") {
  const std::string dir = temp_dir() + "/drops";
  fs::remove_all(dir);
  Recorder r(1);  // room for one queued frame at a time
  r.start(dir, "", 30);
  for (int k = 0; k < 40; ++k) r.add_frame(frame(200, 200, static_cast<uint8_t>(k)), 200, 200, k / 30.0);
  r.finish();
  const RecordStatus s = r.status();
  CHECK(s.captured == 40);
  CHECK(s.written + s.dropped == 40);
  CHECK(s.written >= 1);
  size_t pngs = 0;
  for (const auto& e : fs::directory_iterator(dir)) pngs += e.path().extension() == ".png";
  CHECK(pngs == static_cast<size_t>(s.written));
}

TEST_CASE("recorder: bad paths and a missing ffmpeg are refused at start; closing finalizes", "[studio][recorder]") {
  Recorder r;
  CHECK_THROWS_WITH(r.start("/nonexistent-dir/x.gif", "", 10), Catch::Contains("/nonexistent-dir"));
  CHECK_THROWS_WITH(r.start(temp_dir() + "/x.webm", "", 10), Catch::Contains(".webm"));
  CHECK_THROWS_AS(r.start(temp_dir() + "/x.gif", "", 0), uhop::InputError);
  const char* saved = std::getenv("PATH");
  const std::string old = saved ? saved : "";
  ::setenv("PATH", "/nonexistent", 1);
  CHECK_THROWS_WITH(r.start(temp_dir() + "/x.mp4", "", 10), Catch::Contains("ffmpeg"));
  ::setenv("PATH", old.c_str(), 1);
  CHECK(!r.active());

  const std::string path = temp_dir() + "/closed.gif";
  fs::remove(path);
  {
    Recorder closing;
    closing.start(path, "stage1", 10);
    for (int k = 0; k < 3; ++k) closing.add_frame(frame(16, 16, static_cast<uint8_t>(50 * k)), 16, 16, k * 0.1);
  }  // destroyed while recording (the window closed): the file is finished, not lost
  int w = 0, h = 0;
  CHECK(gif_frames(path, w, h) == 3);

  Recorder empty;
  empty.start(temp_dir() + "/empty.gif", "", 10);
  empty.finish();
  CHECK(empty.status().error.find("no frames") != std::string::npos);
  CHECK(!fs::exists(temp_dir() + "/empty.gif"));
}

TEST_CASE("record and export-plot lines parse; bad ones name the problem", "[studio][commands][recorder]") {
  Command c = parsed("record start out/run.gif panel=loss fps=15");
  CHECK(c.kind == CommandKind::record_start);
  CHECK(c.path == "out/run.gif");
  CHECK(c.id == "loss");
  CHECK(c.number == 15);
  c = parsed("record start frames/");
  CHECK(c.number == 10);
  CHECK(c.id.empty());
  CHECK(parsed("record start a.mp4 panel=stage1").id == "stage1");
  CHECK(parsed("record stop").kind == CommandKind::record_stop);
  CHECK(parsed("record start a.gif width=1280").settings ==
        std::vector<std::pair<std::string, std::string>>{{"width", "1280"}});
  CHECK(parsed("record start a.gif").settings.empty());
  CHECK(parsed("export-plot heat-now h.pdf").id == "heat-now");
  CHECK(parsed("export-plot loss l.pdf").kind == CommandKind::export_plot);
  const auto refused = [](const std::string& line, const std::string& why) {
    Command bad;
    INFO(line);
    CHECK_THROWS_WITH(parse_command_line(line, 7, bad), Catch::StartsWith("line 7: ") && Catch::Contains(why));
  };
  refused("record start run.avi", ".avi");
  refused("record start run.gif fps=0", "fps");
  refused("record start run.gif panel=nowhere", "unknown panel 'nowhere'");
  refused("record go", "record start FILE");
  refused("record start run.gif speed=2", "expected panel=ID, fps=N or width=PX");
  refused("record start run.gif width=8", "16..7680");
  refused("record start run.gif width=9000", "width");
  refused("export-plot loss l.jpg", ".svg, .pdf, .png or .csv");
  refused("set export_format=jpg", "export_format");
  refused("set export_size=10x10", "export_size");
}

TEST_CASE("export options are settings: checked, converted between px and cm, round-tripped", "[studio][state]") {
  StudioState s;
  apply_setting(s, "export_size", "800x480");
  apply_setting(s, "export_unit", "cm");  // the same physical size: 800 px at 96/in = 21.2 cm
  CHECK(s.exports.width == Approx(21.2));
  CHECK(s.exports.height == Approx(12.7));
  apply_setting(s, "export_dpi", "300");
  apply_setting(s, "export_theme", "dark");
  apply_setting(s, "export_font_scale", "1.5");
  apply_setting(s, "export_folder", "my figures");
  apply_setting(s, "export_format", "pdf");
  CHECK_THROWS_AS(apply_setting(s, "export_dpi", "5"), uhop::InputError);
  CHECK(s.exports.dpi == 300);  // a refused change leaves the options as they were
  StudioState b;
  const std::string text = to_text(s);
  for (size_t pos = 0; pos < text.size();) {
    const size_t nl = text.find('\n', pos), eq = text.find('=', pos);
    apply_setting(b, text.substr(pos, eq - pos), text.substr(eq + 1, nl - eq - 1));
    pos = nl + 1;
  }
  CHECK(to_text(b) == text);
  CHECK(b.exports.folder == "my figures");
  CHECK(b.exports.theme == uhop::PlotTheme::dark);
}

TEST_CASE("a saved session keeps the export options; the step-0 heatmap keeps its scale while training",
          "[studio][worker][session]") {
  const std::string path = temp_dir() + "/with-exports.json";
  StudioWorker worker;
  Command load = make_command(CommandKind::load);
  load.path = "builtin:glyphs";
  load.settings = {{"count", "12"}};
  worker.push(load);
  Command set = make_set("export_format", "pdf");
  set.settings.emplace_back("export_theme", "dark");
  worker.push(set);
  REQUIRE(worker.wait_idle());
  const auto before = worker.snapshot();
  uhop::HeatmapFigure h0, n0;
  REQUIRE(studio_heatmap(*before, "heat-initial", h0));
  REQUIRE(studio_heatmap(*before, "heat-now", n0));
  worker.push(make_command(CommandKind::stage1_steps, 15));
  Command save = make_command(CommandKind::save_session);
  save.path = path;
  worker.push(save);
  worker.push(make_set("export_format", "svg"));
  REQUIRE(worker.wait_idle());
  const auto after = worker.snapshot();
  REQUIRE(after->error.empty());
  uhop::HeatmapFigure h1, n1;
  REQUIRE(studio_heatmap(*after, "heat-initial", h1));
  REQUIRE(studio_heatmap(*after, "heat-now", n1));
  CHECK(h1.lo == h0.lo);  // step 0's colours do not follow the training
  CHECK(h1.hi == h0.hi);
  float lowest = 0;
  for (float v : after->heat_now.values) lowest = std::min(lowest, v);
  CHECK(n1.lo == Approx(lowest));  // "now" uses its own values
  CHECK(n1.rows == after->heat_now.n);
  CHECK(n1.x1 == 12);
  CHECK(!studio_heatmap(*after, "loss", h1));

  Command back = make_command(CommandKind::load_session);
  back.path = path;
  worker.push(back);
  REQUIRE(worker.wait_idle());
  CHECK(worker.snapshot()->error.empty());
  CHECK(worker.snapshot()->state.exports.format == uhop::PlotFormat::pdf);
  CHECK(worker.snapshot()->state.exports.theme == uhop::PlotTheme::dark);
}
