#include "text_fit.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace studio {
std::vector<std::string> wrap_words(const std::string& text, float width, int max_lines, bool* cut) {
  const auto fits = [&](const std::string& t) { return ImGui::CalcTextSize(t.c_str()).x <= width; };
  // The longest UTF-8 prefix of `word` that fits with "…" after it.
  const auto shorten = [&](std::string word) {
    while (!word.empty() && !fits(word + "…")) {
      word.pop_back();
      while (!word.empty() && (static_cast<unsigned char>(word.back()) & 0xC0) == 0x80) word.pop_back();
    }
    return word + "…";
  };
  std::vector<std::string> lines;
  bool left_out = false;
  size_t start = 0;
  while (start <= text.size()) {  // one paragraph (up to '\n') per pass: greedy, each line takes the words that fit
    const size_t nl = std::min(text.find('\n', start), text.size());
    std::string line;
    for (size_t w = start; w < nl;) {
      const size_t sp = std::min(text.find(' ', w), nl);
      std::string word = text.substr(w, sp - w);
      w = sp + 1;
      if (word.empty()) continue;
      if (!line.empty() && fits(line + " " + word)) {
        line += " " + word;
        continue;
      }
      if (!line.empty()) lines.push_back(line);
      if (!fits(word)) word = shorten(word), left_out = true;
      line = word;
    }
    lines.push_back(line);
    start = nl + 1;
  }
  if (max_lines > 0 && static_cast<int>(lines.size()) > max_lines) {
    lines.resize(static_cast<size_t>(max_lines));
    std::string& last = lines.back();
    if (last.size() < 3 || last.compare(last.size() - 3, 3, "…") != 0)
      last = fits(last + "…") ? last + "…" : shorten(last);
    left_out = true;
  }
  if (cut) *cut = left_out;
  return lines;
}

void text_wrapped_words(const char* format, ...) {
  char text[4096];
  va_list args;
  va_start(args, format);
  std::vsnprintf(text, sizeof text, format, args);
  va_end(args);
  bool cut = false;
  const float width = std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 4);
  ImGui::BeginGroup();
  for (const std::string& line : wrap_words(text, width, 0, &cut)) ImGui::TextUnformatted(line.c_str());
  ImGui::EndGroup();
  if (cut && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

bool fitted_header(const char* label, const char* id) {
  const std::string shown = fit_text(
      label, ImGui::GetContentRegionAvail().x - ImGui::GetFrameHeight() - ImGui::GetStyle().FramePadding.x * 2);
  const bool open = ImGui::CollapsingHeader((shown + "###" + id).c_str());
  if (shown != label && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", label);
  return open;
}

std::string fit_text(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  for (size_t end = text.size(); end > 0;) {
    end = text.find_last_of(' ', end - 1);
    if (end == std::string::npos || end == 0) break;
    std::string cut = text.substr(0, end);
    while (!cut.empty() && (cut.back() == ',' || cut.back() == ' ' || cut.back() == ':')) cut.pop_back();
    cut += "…";
    if (ImGui::CalcTextSize(cut.c_str()).x <= width) return cut;
  }
  return "…";
}

void text_wrapped_colored(const ImVec4& color, const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  text_wrapped_words("%s", text.c_str());
  ImGui::PopStyleColor();
}
}  // namespace studio
