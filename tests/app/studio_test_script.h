// The Studio tests' one way to drive a worker with script lines (studio_commands.h syntax) and wait for them.
#pragma once
#include <catch2/catch.hpp>

#include <string>

#include "studio_commands.h"
#include "studio_worker.h"

namespace studio {
// Parses `text` (every line must parse), pushes its commands and waits until the worker is idle (up to 120 s).
inline void run_script(StudioWorker& w, const std::string& text) {
  ParsedScript p = parse_script(text);
  REQUIRE(p.errors.empty());
  for (auto& c : p.commands) w.push(c);
  REQUIRE(w.wait_idle(120));
}
}  // namespace studio
