// Numbers from text (command-line flags, script options, settings) with range checks: every front end parses
// through these, so "--count 4294967298" is refused instead of wrapping to 2 and "--beta 1e400" instead of becoming
// inf. Throws InputError "<what>: expected ..., got '<text>'" (the text quoted printable and shortened).
#pragma once
#include <cstdint>
#include <string>

namespace uhop {
// Optional '-' then decimal digits only (no spaces, '+', hex or exponent), within [lo, hi].
long long parse_whole_number(const std::string& text, long long lo, long long hi, const std::string& what);
// A seed: decimal digits only, 0..2^64-1.
uint64_t parse_seed_number(const std::string& text, const std::string& what);
// A finite decimal number (strtod syntax, no leading spaces): inf, nan and values beyond ±1.8e308 are refused.
double parse_real_number(const std::string& text, const std::string& what);
}  // namespace uhop
