// The cut-text finder on a headless ImGui frame (no window, no GL): a label wider than its window is reported with
// its edge and its glyphs; the same label in a wide window, wrapped text and a long input field are not.
#include <catch2/catch.hpp>
#include <imgui.h>

#include <string>

#include "cut_text.h"

namespace {
struct HeadlessImGui {
  HeadlessImGui() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(800, 600);
    io.DeltaTime = 1.0f / 60;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1)));
    io.IniFilename = nullptr;
  }
  ~HeadlessImGui() { ImGui::DestroyContext(); }
};

// One frame with a single window of the given width holding `draw`'s widgets; the cut text of that frame.
template <class Draw>
std::vector<studio::CutText> frame(float width, Draw draw, float height = 200) {
  std::vector<studio::CutText> cut;
  for (int k = 0; k < 3; ++k) {  // the first frames settle window sizes and scroll ranges
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(10, 10));
    ImGui::SetNextWindowSize(ImVec2(width, height));
    ImGui::Begin("probe", nullptr, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    draw();
    ImGui::End();
    ImGui::Render();
    cut = studio::find_cut_text(ImGui::GetDrawData());
  }
  return cut;
}
}  // namespace

TEST_CASE("a label wider than its window is cut text, with its edge and glyphs", "[cut_text]") {
  HeadlessImGui imgui;
  const auto cut = frame(120, [] { ImGui::TextUnformatted("Lemma 1 bound vacuous at every beta"); });
  REQUIRE(cut.size() == 1);
  CHECK(cut[0].window == "probe");
  CHECK(cut[0].edge == "right");
  CHECK(cut[0].line.rfind("Lemma 1 bou", 0) == 0);
}

TEST_CASE("the same label in a wide window, wrapped text and a long input field are not cut", "[cut_text]") {
  HeadlessImGui imgui;
  CHECK(frame(600, [] { ImGui::TextUnformatted("Lemma 1 bound vacuous at every beta"); }).empty());
  CHECK(frame(120, [] { ImGui::TextWrapped("Lemma 1 bound vacuous at every beta"); }).empty());
  static char path[256] = "/a/very/long/folder/name/that/does/not/fit/in/the/field.csv";
  CHECK(frame(200, [] {
          ImGui::SetNextItemWidth(100);
          ImGui::InputText("file", path, sizeof path);
        }).empty());
}

TEST_CASE("text below a window that does not scroll is cut at the bottom; a scrolled list's last line is not",
          "[cut_text]") {
  HeadlessImGui imgui;
  const auto draw_lines = [] {
    for (int k = 0; k < 30; ++k) ImGui::Text("line %d", k);
  };
  // Over one line's height of window heights, the bottom edge crosses a line's glyphs at some height.
  int cut_heights = 0;
  for (float height = 200; height < 220; ++height) {
    const auto cut = frame(300, draw_lines, height);
    if (!cut.empty()) CHECK(cut[0].edge == "bottom");
    cut_heights += !cut.empty();
    // In a child that scrolls, the half-shown line is what scrolling means.
    CHECK(frame(
              300,
              [&] {
                ImGui::BeginChild("list", ImVec2(0, height - 60));
                draw_lines();
                ImGui::EndChild();
              },
              height)
              .empty());
  }
  CHECK(cut_heights > 0);
}

TEST_CASE("text drawn over other text is found; side by side, a shadow, or a tooltip over it is not", "[cut_text]") {
  HeadlessImGui imgui;
  // Two labels on one spot (a legend over a tick label): both lines named.
  auto over = frame(400, [] {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddText(p, IM_COL32_WHITE, "1e-7");
    dl->AddText(ImVec2(p.x + 6, p.y + 3), IM_COL32_WHITE, "measured");
  });
  REQUIRE(over.size() == 1);
  CHECK(over[0].window == "probe");
  CHECK((over[0].line == "1e-7" || over[0].line == "measured"));
  CHECK(over[0].edge.rfind("overprinted by '", 0) == 0);
  // The same two texts side by side and on two lines; a 1 px shadow under its own text.
  CHECK(frame(400, [] {
          ImGui::TextUnformatted("1e-7");
          ImGui::SameLine();
          ImGui::TextUnformatted("measured");
          ImGui::TextUnformatted("second line right below");
          const ImVec2 p = ImGui::GetCursorScreenPos();
          ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + 1, p.y + 1), IM_COL32_BLACK, "shadowed");
          ImGui::GetWindowDrawList()->AddText(p, IM_COL32_WHITE, "shadowed");
        }).empty());
  // A tooltip over the text: a window of its own.
  CHECK(frame(400, [] {
          ImGui::TextUnformatted("under the tooltip");
          ImGui::SetNextWindowPos(ImGui::GetItemRectMin());
          ImGui::BeginTooltip();
          ImGui::TextUnformatted("the tooltip's text");
          ImGui::EndTooltip();
        }).empty());
}
