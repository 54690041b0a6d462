// One exception type for everything a user can get wrong (files, flags, settings). Front ends catch it, print its
// message on one line and carry on (GUI) or exit 2 (CLI). Messages name the file and line where one applies.
#pragma once
#include <stdexcept>
#include <string>

namespace uhop {
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "where: what" when a place is known, else "what".
inline InputError input_error(const std::string& where, const std::string& what) {
  return InputError(where.empty() ? what : where + ": " + what);
}
}  // namespace uhop
