// Text that runs out of its rect, found in what ImGui is about to draw: a glyph quad that reaches past the clip
// rectangle of its draw command is text the GPU's scissor cuts ("Lemma 1 bou", "target weight 1.1e-"). The
// --dump-state lines `cut_text=` and `cut_text.K=` list them, so GUI tests check text inside its rect at every
// window and font size instead of judging screenshots by eye.
//
// Counted: a glyph cut at the left or right edge anywhere, and at the top or bottom edge of a window that does not
// scroll that way (a scrolled list's half-visible last line is what scrolling means, not a defect). Text in an
// input field that is wider than the field scrolls inside it, as in every text box: ImGui trims those glyphs on the
// CPU (a fine clip rect), so they never reach past the clip rect and are not counted.
// Overprinted text is unreadable too, and counted with it (edge "overprinted by '...'"): a glyph drawn over another
// glyph of the same window (a legend over a tick label, two labels on one spot). Floating windows (tooltips, the
// story's caption bar, popups) are windows of their own and are meant to lie over the panels: not compared.
#pragma once
#include <string>
#include <vector>

struct ImDrawData;

namespace studio {
struct CutText {
  std::string window;  // the ImGui window the text is drawn in
  std::string line;    // the glyphs of the cut line that are drawn, in order (the cut ones included)
  std::string edge;    // "left", "right", "top", "bottom", or "overprinted by '<the other text>'"
  float x = 0, y = 0;  // where the first cut glyph is
};

// Scans the draw data of the last ImGui::Render() (valid until the next NewFrame).
std::vector<CutText> find_cut_text(const ImDrawData* data);
}  // namespace studio
