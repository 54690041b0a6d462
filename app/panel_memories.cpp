// Memories: where they come from (path, recent, drag & drop, built-in sets), how they are preprocessed, and a
// thumbnail grid; a click on a thumbnail makes that memory the target.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "studio_text.h"
#include "studio_ui.h"

namespace studio {
namespace {
void push_load(UiContext& ui, const std::string& source, const uhop::LoadOptions& o) {
  Command c;
  c.kind = CommandKind::load;
  c.path = source;
  c.settings = {{"count", std::to_string(o.count)},
                {"offset", std::to_string(o.offset)},
                {"width", std::to_string(o.width)},
                {"height", std::to_string(o.height)},
                {"rgb", o.keep_rgb ? "1" : "0"},
                {"norm", o.normalization == uhop::Normalization::unit_norm  ? "unit"
                         : o.normalization == uhop::Normalization::centered ? "center"
                                                                            : "none"},
                {"pick", o.pick == uhop::Pick::random      ? "random"
                         : o.pick == uhop::Pick::per_class ? "per-class"
                                                           : "first"}};
  ui.push(c);
}
void push_load(UiContext& ui, const std::string& source) {
  push_load(ui, source, ui.load_edit.load);
}

// Large images make Stage I slow (a step costs about M d², W is d x d): say so under the set's line and offer the
// same images, same count and options, downscaled to d <= kQuickStudioDim in one click.
void downscale_offer(UiContext& ui, const uhop::MemorySet& set) {
  const DownscaleHint hint = downscale_hint(set);
  if (hint.width == 0) return;
  const double faster = static_cast<double>(set.dim()) * set.dim() / (static_cast<double>(hint.dim) * hint.dim);
  char text[256];
  std::snprintf(text, sizeof text,
                "d = %d: W is %d x %d and a Stage I step costs about M d², so training is slow; at %s (d = %lld) "
                "it is about %.0fx faster.",
                set.dim(), set.dim(), set.dim(), hint.size().c_str(), hint.dim, faster);
  text_wrapped_colored(ImVec4(0.95f, 0.8f, 0.4f, 1), text);
  const std::string label = "Load at " + hint.size();
  ImGui::PushID("downscale");  // the refused load's offer may show the same label
  const bool clicked = ImGui::SmallButton(label.c_str());
  ImGui::PopID();
  if (clicked) {
    uhop::LoadOptions o = ui.snap->state.load;  // what this set was loaded with
    o.count = set.count(), o.width = hint.width, o.height = hint.height;
    push_load(ui, set.source, o);
  }
  ui.record_item("downscale");
  formula_tip("Load the same memories again with every image resized to this size (box filter). Stage I restarts.");
}
void load_options(UiContext& ui) {
  auto& o = ui.load_edit.load;
  const float field = ImGui::GetFontSize() * 4;
  const float label = ImGui::GetFontSize() * 3.2f;
  ImGui::SetNextItemWidth(field);
  ImGui::InputInt("M", &o.count, 0, 0);
  o.count = std::max(0, o.count);
  formula_tip("M: how many memories to load (0 = all; fewer when the source has fewer). Applied by Load.");
  if (o.count == 0) {  // said before Load, not discovered after minutes of statistics
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.75f, 0.35f, 1));
    text_wrapped_words(
        "M = 0 loads every item: Fashion-MNIST's 60,000 take minutes of statistics and Stage I "
        "steps of seconds each.");
    ImGui::PopStyleColor();
  }
  flow(field + label);
  ImGui::SetNextItemWidth(field);
  ImGui::InputInt("offset", &o.offset, 0, 0);
  o.offset = std::max(0, o.offset);
  formula_tip("Skip this many items of the source first (file order). Applied by Load.");
  const char* picks[] = {"first", "random", "per-class"};
  int pick = static_cast<int>(o.pick);
  flow(field * 2);
  ImGui::SetNextItemWidth(field * 2);
  if (ImGui::Combo("##pick", &pick, picks, 3)) o.pick = static_cast<uhop::Pick>(pick);
  formula_tip("Which items: the first M, M at random (seeded), or balanced over classes. Applied by Load.");
  flow(field + label);
  ImGui::SetNextItemWidth(field);
  ImGui::InputInt("w", &o.width, 0, 0);
  formula_tip("Width every image is resized to (pixels; 0 = the first image's width). d = w h (x3 for RGB).");
  flow(field + label);
  ImGui::SetNextItemWidth(field);
  ImGui::InputInt("h", &o.height, 0, 0);
  o.width = std::clamp(o.width, 0, 4096);
  o.height = std::clamp(o.height, 0, 4096);
  formula_tip("Height every image is resized to (pixels; 0 = the first image's height). Give both or neither.");
  flow(label * 1.5f);
  ImGui::Checkbox("rgb", &o.keep_rgb);
  formula_tip("Keep colour (d = 3 h w, channel-major) or convert to gray (d = h w).");
  const char* norms[] = {"[0,1]", "unit norm", "centered"};
  int norm = static_cast<int>(o.normalization);
  flow(field * 2);
  ImGui::SetNextItemWidth(field * 2);
  if (ImGui::Combo("##norm", &norm, norms, 3)) o.normalization = static_cast<uhop::Normalization>(norm);
  formula_tip("Pixels scaled to [0,1]; optionally each memory scaled to ‖xi‖ = 1, or centered.");
}

// The thumbnails' side: 2.6 em, smaller (down to 16 px) when that lets all M memories show without scrolling (the
// story's 20 memories at 1280x720, a lecturer's small set at 28 px), larger never.
float fitting_thumbnail(int count, ImVec2 room, float gap_x, float gap_y) {
  const float wanted = std::max(28.0f, ImGui::GetFontSize() * 2.6f);
  for (float t = wanted; t >= 16.0f; t -= 1.0f) {
    const int per_row = std::max(1, static_cast<int>((room.x + gap_x) / (t + gap_x)));
    if (((count + per_row - 1) / per_row) * (t + gap_y) <= room.y) return t;
  }
  return wanted;  // too many to show at once: keep them readable and scroll
}

// The warnings of the last load, the set's description and the thumbnail grid (only visible rows are submitted);
// ends the panel's window.
// A load refused for its images' size, said here where the user looked for the memories (not only in the status
// bar), with one click for the largest size that fits and, when smaller, the size at which Stage I is quick.
void refused_load_offer(UiContext& ui) {
  const StudioSnapshot& s = *ui.snap;
  if (s.suggested_size.empty()) return;
  text_wrapped_colored(ImVec4(1, 0.45f, 0.4f, 1), "Not loaded: " + s.error);
  const auto offer = [&](const std::string& size, const char* id, const char* tip) {
    const std::string label = "Load at " + size;
    if (ImGui::SmallButton(label.c_str())) {
      uhop::LoadOptions o = ui.load_edit.load;
      std::sscanf(size.c_str(), "%dx%d", &o.width, &o.height);
      push_load(ui, s.refused_source, o);
    }
    ui.record_item(id);
    formula_tip(tip);
  };
  offer(s.suggested_size, "load_suggested", "Load the same images resized to the largest size the Studio takes here.");
  if (!s.quick_size.empty()) {
    ImGui::SameLine();
    offer(s.quick_size, "load_quick", "Load them smaller still: d <= 1024, where a Stage I step is quick.");
  }
}

void panel_memories_grid(UiContext& ui) {
  const StudioSnapshot& s = *ui.snap;
  refused_load_offer(ui);
  for (const std::string& w : s.warnings) {  // e.g. "asked for 20 memories but there are only 12: loaded 12"
    text_wrapped_colored(ImVec4(0.95f, 0.8f, 0.4f, 1), w);
  }
  if (!s.memories) {
    ImGui::TextDisabled(s.busy ? "Loading..." : "No memories loaded.");
    ImGui::End();
    return;
  }
  const auto& set = s.memories->set;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  text_wrapped_words("M = %d, d = %d (%s). Click a memory to make it the target.", set.count(), set.dim(),
                     set.preprocessing.c_str());
  ImGui::PopStyleColor();
  downscale_offer(ui, set);
  if (!ensure_atlas(ui)) {
    ImGui::End();
    return;
  }
  // Thumbnail grid; only visible rows are submitted and only their thumbnails are uploaded (M can be 60,000).
  ImGui::BeginChild("##thumbs", ImVec2(0, 0), false);
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const int shown = set.count();
  const float thumb =
      fitting_thumbnail(shown, ImGui::GetContentRegionAvail(), spacing, ImGui::GetStyle().ItemSpacing.y);
  const int per_row = std::max(1, static_cast<int>((ImGui::GetContentRegionAvail().x + spacing) / (thumb + spacing)));
  const int rows = (shown + per_row - 1) / per_row;
  if (ui.bench_scroll) {  // the bench walks through all M: every row's thumbnails are uploaded once on the way
    const float next = ImGui::GetScrollY() + thumb + ImGui::GetStyle().ItemSpacing.y;
    ImGui::SetScrollY(next > ImGui::GetScrollMaxY() ? 0.0f : next);
  }
  ImGuiListClipper clipper;
  clipper.Begin(rows, thumb + ImGui::GetStyle().ItemSpacing.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  while (clipper.Step()) {
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
      for (int c = 0; c < per_row; ++c) {
        const int i = r * per_row + c;
        if (i >= shown) break;
        if (c > 0) ImGui::SameLine();
        ImGui::PushID(i);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        if (ImGui::InvisibleButton("##m", ImVec2(thumb, thumb))) ui.push(make_command(CommandKind::target, i));
        memory_thumbnail_at(ui, dl, i, p, ImVec2(p.x + thumb, p.y + thumb));
        if (i == s.state.target) {
          dl->AddRect(ImVec2(p.x - 1, p.y - 1), ImVec2(p.x + thumb + 1, p.y + thumb + 1), rgb(0xff7f0e), 0, 0, 3);
        } else if (ImGui::IsItemHovered()) {
          dl->AddRect(p, ImVec2(p.x + thumb, p.y + thumb), rgb(0x9ecae1));
        }
        if (ImGui::IsItemHovered()) {
          ImGui::SetTooltip("%s\n%s", memory_label(s, i).c_str(),
                            i < static_cast<int>(set.names.size()) ? set.names[i].c_str() : "");
        }
        ImGui::PopID();
      }
    }
  }
  ImGui::EndChild();
  image_context_menu(ui, "memories");
  ImGui::End();
}
}  // namespace

void panel_memories(UiContext& ui, const ImVec2& pos, const ImVec2& size) {
  if (!begin_panel(ui, "memories", "Memories", pos, size)) {
    ImGui::End();
    return;
  }
  const float label_w = ImGui::GetFontSize() * 4.5f;
  ImGui::SetNextItemWidth(-label_w);
  const bool enter =
      ImGui::InputText("##source", ui.source_path, sizeof ui.source_path, ImGuiInputTextFlags_EnterReturnsTrue);
  formula_tip(
      "SRC: an image folder, an IDX file (MNIST family, .gz ok), a CIFAR .bin, a CSV, builtin:fashion-mnist\n"
      "or builtin:glyphs. You can also drop a file or folder onto the window.");
  ImGui::SameLine();
  if (ImGui::Button("Load") || enter) push_load(ui, ui.source_path);
  formula_tip("Load the memories xi_1..xi_M (rows of Xi). Stage I restarts from W_0.");
  if (ImGui::Button("Fashion-MNIST")) push_load(ui, "builtin:fashion-mnist");
  flow(ImGui::GetFontSize() * 4);
  if (ImGui::Button("Glyphs")) push_load(ui, "builtin:glyphs");
  flow(ImGui::GetFontSize() * 6);
  ImGui::SetNextItemWidth(std::max(ImGui::GetFontSize() * 6, ImGui::GetContentRegionAvail().x));
  if (ImGui::BeginCombo("##recent", "Recent", ImGuiComboFlags_None)) {
    for (const auto& r : ui.recent_sources) {
      if (ImGui::Selectable(r.c_str())) push_load(ui, r);
    }
    if (ui.recent_sources.empty()) ImGui::TextDisabled("(none yet)");
    ImGui::EndCombo();
  }

  // How many and how to preprocess: behind a header (applied by Load) so the thumbnails keep their room at big fonts.
  ImGui::SetNextItemOpen(ui.show_load_options, ImGuiCond_Always);
  ui.show_load_options = ImGui::CollapsingHeader("How many, which, size, colour, normalization");
  if (ui.show_load_options) load_options(ui);
  panel_memories_grid(ui);
}

}  // namespace studio
