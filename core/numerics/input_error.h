// One exception type for everything a user can get wrong (files, flags, settings). Front ends catch it, print its
// message on one line and carry on (GUI) or exit 2 (CLI). Messages name the file and line where one applies.
//
// Messages embed untrusted text (paths, file excerpts, script lines, JSON strings): every InputError message is
// made printable when it is built (printable_text below), so no control byte or escape sequence from a file can
// reach a terminal or the status bar, and a message is always one line. This lives here, in the room every other
// room includes, so even numerics' own parse messages ("unknown --similarity 'x'") are covered.
#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>

namespace uhop {
// Renders untrusted text printable and on one line: newline, carriage return and tab become \n \r \t; every other
// control byte (C0, DEL, C1 as UTF-8), bidirectional-override characters and bytes that are not valid UTF-8
// become \xNN; valid UTF-8 text (Δ^Φ, accents) and backslashes are kept, so applying it twice changes nothing.
std::string printable_text(const std::string& text);
// printable_text of at most max_bytes of text, with "..." when cut (for quoting file excerpts in messages).
std::string text_excerpt(const std::string& text, size_t max_bytes = 40);
// A bad token quoted in a message: 'text_excerpt(token)' (at most 40 bytes of it, "…" when cut), so a 2000-byte
// token gives a short message, not one cut in its middle at 1 KB (docs/hostile-input.md).
inline std::string quoted_excerpt(const std::string& token) {
  return "'" + text_excerpt(token) + "'";
}

struct InputError : std::runtime_error {
  explicit InputError(const std::string& what) : std::runtime_error(printable_text(what)) {}
  explicit InputError(const char* what) : InputError(std::string(what)) {}
};

// A request refused only because nobody asked for its size (a file's own image size, a session file's declared
// work: docs/hostile-input.md "Limits chosen"): the user may ask for it (--allow-large, the Studio's "Open anyway").
struct LargeRequestError : InputError {
  using InputError::InputError;
};

// "where: what" when a place is known, else "what".
inline InputError input_error(const std::string& where, const std::string& what) {
  return InputError(where.empty() ? what : where + ": " + what);
}
}  // namespace uhop
