#include "input_error.h"

#include <cstdint>
#include <cstdio>

namespace uhop {
namespace {
void append_hex(std::string& out, unsigned char byte) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", byte);
  out += buf;
}

// Length of the valid UTF-8 sequence starting at s[i] (2..4), or 0 when it is not one; code is its code point.
size_t utf8_sequence(const std::string& s, size_t i, uint32_t& code) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  size_t n = 0;
  uint32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF)
    n = 2, code = lead & 0x1F, min = 0x80;
  else if (lead >= 0xE0 && lead <= 0xEF)
    n = 3, code = lead & 0x0F, min = 0x800;
  else if (lead >= 0xF0 && lead <= 0xF4)
    n = 4, code = lead & 0x07, min = 0x10000;
  else
    return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;  // overlong, surrogate
  return n;
}

// C1 controls (U+0080..U+009F: some terminals take U+009B as CSI), the bidirectional overrides that can make text
// display in a different order than it is stored, line and paragraph separators (U+2028, U+2029: a second line in
// a one-line message), the invisible format characters (Unicode category Cf: zero-width space and joiners, word
// joiner, soft hyphen, the byte-order mark U+FEFF, tags, interlinear annotations, ...) and every other
// Default_Ignorable_Code_Point (DerivedCoreProperties.txt: the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, the
// combining grapheme joiner U+034F, Khmer U+17B4..U+17B5, the variation selectors, and the unassigned ones a later
// Unicode may fill: U+2065, U+FFF0..U+FFF8, U+E0000..U+E0FFF): all of them would hide text.
bool unsafe_code_point(uint32_t code) {
  const auto in = [code](uint32_t lo, uint32_t hi) { return code >= lo && code <= hi; };
  return in(0x80, 0x9F) || code == 0xAD || code == 0x34F || in(0x600, 0x605) || code == 0x61C || code == 0x6DD ||
         code == 0x70F || code == 0x890 || code == 0x891 || code == 0x8E2 || in(0x115F, 0x1160) || in(0x17B4, 0x17B5) ||
         in(0x180B, 0x180F) || in(0x200B, 0x200F) || in(0x2028, 0x202E) || in(0x2060, 0x206F) || code == 0x3164 ||
         in(0xFE00, 0xFE0F) || code == 0xFEFF || code == 0xFFA0 || in(0xFFF0, 0xFFFB) || code == 0x110BD ||
         code == 0x110CD || in(0x13430, 0x1343F) || in(0x1BCA0, 0x1BCA3) || in(0x1D173, 0x1D17A) ||
         in(0xE0000, 0xE0FFF);
}

// Every message (and so every InputError) is at most this long: a 20 MB path or token gives a 1 KB line, its start
// (the file) and end (the problem) kept around "…" (docs/hostile-input.md).
constexpr size_t kMaxMessageBytes = 1024;

std::string cut_middle(std::string printable) {
  if (printable.size() <= kMaxMessageBytes) return printable;
  const size_t head = kMaxMessageBytes / 2, tail = kMaxMessageBytes / 4;
  size_t cut = head;
  while (cut > 0 && (static_cast<unsigned char>(printable[cut]) & 0xC0) == 0x80) --cut;
  size_t from = printable.size() - tail;
  while (from < printable.size() && (static_cast<unsigned char>(printable[from]) & 0xC0) == 0x80) ++from;
  return printable.substr(0, cut) + "\u2026" + printable.substr(from);
}

std::string printable_text_whole(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++i;
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t";
      ++i;
    } else if (c < 0x80) {
      append_hex(out, c);  // other C0 controls (ESC, NUL, ...) and DEL
      ++i;
    } else {
      uint32_t code = 0;
      const size_t n = utf8_sequence(text, i, code);
      if (n == 0) {
        append_hex(out, c);
        ++i;
      } else if (unsafe_code_point(code)) {
        for (size_t k = 0; k < n; ++k) append_hex(out, static_cast<unsigned char>(text[i + k]));
        i += n;
      } else {
        out.append(text, i, n);
        i += n;
      }
    }
  }
  return out;
}
}  // namespace

std::string printable_text(const std::string& text) {
  return cut_middle(printable_text_whole(text));
}

std::string text_excerpt(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return printable_text(text);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
  return printable_text(text.substr(0, cut)) + "\u2026";
}

}  // namespace uhop
