#include "number_text.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "input_error.h"

namespace uhop {
namespace {
bool all_digits(const std::string& text, size_t from) {
  if (from >= text.size()) return false;
  for (size_t i = from; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  return true;
}

std::string got(const std::string& text) {
  return text.empty() ? "an empty value" : quoted_excerpt(text);
}
}  // namespace

long long parse_whole_number(const std::string& text, long long lo, long long hi, const std::string& what) {
  const std::string range = std::to_string(lo) + ".." + std::to_string(hi);
  if (!all_digits(text, !text.empty() && text[0] == '-' ? 1 : 0))
    throw InputError(what + ": expected a whole number in " + range + ", got " + got(text));
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno == ERANGE || value < lo || value > hi) throw InputError(what + ": " + got(text) + " is outside " + range);
  return value;
}

uint64_t parse_seed_number(const std::string& text, const std::string& what) {
  if (!all_digits(text, 0))
    throw InputError(what + ": expected a whole number in 0..18446744073709551615, got " + got(text));
  errno = 0;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (errno == ERANGE) throw InputError(what + ": " + got(text) + " is larger than 18446744073709551615");
  return static_cast<uint64_t>(value);
}

double parse_real_number(const std::string& text, const std::string& what) {
  if (text.empty() || text[0] == ' ' || text[0] == '\t' || text[0] == '\n')
    throw InputError(what + ": expected a number, got " + got(text));
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0') throw InputError(what + ": expected a number, got " + got(text));
  if (errno == ERANGE && std::isinf(value))
    throw InputError(what + ": " + got(text) + " is out of range (beyond ±1.8e308)");
  if (!std::isfinite(value)) throw InputError(what + ": " + got(text) + " is not a finite number");
  return value;
}
}  // namespace uhop
