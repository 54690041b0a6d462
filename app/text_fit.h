// Text inside its rect at any window and font size: cut at a word with "…" (whole on hover), or wrapped at spaces
// only. ImGui 1.86's own wrapping breaks after '.' and ',' and inside words; these never do. --dump-state's
// cut_text (cut_text.h) checks the result.
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

namespace studio {
// `text` as it fits in `width` pixels of the current font: whole, or cut after its last whole word (or list item)
// that fits, with "…" (the caller shows the whole on hover). Text inside its rect at any window and font size.
std::string fit_text(const std::string& text, float width);
// `text` in lines of at most `width` pixels, broken only at spaces (and at its '\n'): a word wider than the width is
// cut with "…", and when more than max_lines lines would be needed (0: no limit) the last one ends with "…".
// `cut` (optional) says whether anything was left out, so the caller can show the whole on hover.
std::vector<std::string> wrap_words(const std::string& text, float width, int max_lines = 0, bool* cut = nullptr);
// ImGui::TextWrapped through wrap_words: ImGui 1.86 also breaks after '.' and ',' ("0.\n114", "[0,\n1]") and inside
// words; this breaks at spaces only, and a word wider than the panel is cut with "…" (whole on hover).
void text_wrapped_words(const char* format, ...) IM_FMTARGS(1);
// A collapsing header whose label is cut with "…" to the panel's width (fit_text), whole on hover; `id` keeps its
// ImGui identity whatever is shown. Returns whether it is open (SetNextItemOpen applies as for CollapsingHeader).
bool fitted_header(const char* label, const char* id);
// A whole sentence in `color`, wrapped at spaces (text_wrapped_words): warnings and notes.
void text_wrapped_colored(const ImVec4& color, const std::string& text);
}  // namespace studio
