// libFuzzer target: a session file's text through the parser the CLI and the Studio use (depth and size checks,
// JSON, every key's checks; side files resolved inside a folder that does not exist, so none is read). InputError is
// expected; anything else (a crash, a stack overflow, an escaping JSON exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "numerics/input_error.h"
#include "session/session_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    uhop::parse_session_json(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json",
                             "/nonexistent-uhop-fuzz");
  } catch (const uhop::InputError&) {
  }
  return 0;
}
