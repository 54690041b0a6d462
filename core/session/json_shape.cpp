#include "json_shape.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "numerics/input_error.h"

namespace uhop {
namespace {
// Nesting of arrays and objects, counted without recursion before the JSON library (which recurses) sees the
// text: deeper than this is refused, so no file can exhaust the stack. Also counts values (commas and openings):
// the parsed document costs ~50 bytes per value, so their number is capped too.
constexpr int kMaxJsonDepth = 64;
constexpr long long kMaxJsonValues = 1LL << 22;
// Keys per object: the ordered JSON object searches its keys linearly on every insert, so n keys cost n²/2
// comparisons (120,000 keys: 18 s). A session's objects hold at most 15 keys; capped here, the library's work
// stays linear in the file's size.
constexpr int kMaxJsonObjectKeys = 64;
}  // namespace

void check_json_shape(const std::string& text, const std::string& name) {
  int depth = 0;
  long long values = 0;
  bool object[kMaxJsonDepth + 1] = {};  // per open level: an object (its keys counted) or an array
  int keys[kMaxJsonDepth + 1] = {};
  bool in_string = false, escaped = false;
  size_t string_start = 0;
  std::string last_key;  // the string before the latest ':', to name where a bad number sits
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      string_start = i + 1;
    } else if (c == ':') {
      if (string_start > 0 && string_start <= i) {
        const size_t end = text.rfind('"', i);
        if (end != std::string::npos && end >= string_start) last_key = text.substr(string_start, end - string_start);
      }
      if (depth > 0 && object[depth] && ++keys[depth] > kMaxJsonObjectKeys)
        throw input_error(name, "an object holds more than " + std::to_string(kMaxJsonObjectKeys) + " keys (at byte " +
                                    std::to_string(i) + "): not a session file");
    } else if (c == '[' || c == '{') {
      ++values;
      if (++depth > kMaxJsonDepth)
        throw input_error(name, "arrays and objects nest more than " + std::to_string(kMaxJsonDepth) +
                                    " levels deep (at byte " + std::to_string(i) + "): not a session file");
      if (depth > 0) object[depth] = c == '{', keys[depth] = 0;  // depth < 1 only in text the parser refuses
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',') {
      if (++values > kMaxJsonValues)
        throw input_error(name, "holds more than " + std::to_string(kMaxJsonValues) +
                                    " values: too large for a session file (large W goes to a side file)");
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      // A number the JSON library would refuse as out of range (1e400): named here with its key and place.
      size_t end = i;
      while (end < text.size() && std::strchr("+-.eE0123456789", text[end]) != nullptr) ++end;
      const std::string token = text.substr(i, std::min<size_t>(end - i, 400));
      if (std::isinf(std::strtod(token.c_str(), nullptr)))
        throw input_error(name, (last_key.empty() ? std::string() : text_excerpt(last_key) + ": ") + "the number " +
                                    text_excerpt(token) + " (at byte " + std::to_string(i) +
                                    ") is out of range (beyond ±1.8e308): every number must be finite");
      i = end - 1;
    }
  }
}
}  // namespace uhop
