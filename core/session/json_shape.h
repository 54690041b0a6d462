// The shape of a session file's text, checked in one linear pass without recursion before the JSON library (which
// recurses, and searches an ordered object's keys linearly) sees it: nesting depth, number of values, keys per
// object, and numbers beyond a double. Each limit is refused with the byte where it was passed.
#pragma once
#include <string>

namespace uhop {
// Throws InputError "name: ..." for text deeper, larger or with more keys in one object than a session file may be.
void check_json_shape(const std::string& text, const std::string& name);
}  // namespace uhop
