// Named sweep presets: the settings of the U-Hop authors' retrieval scripts (MAGICS-LAB/UHop; docs/sweep-results.md
// reads them file by file) and this project's own defaults, so that `uhop sweep --preset NAME`, the Studio's Sweep
// panel and its `sweep preset=NAME` script command run either with one word. Flags and options given with a preset
// are applied on top of it, wherever they appear.
#pragma once
#include <string>
#include <vector>

#include "sweep.h"

namespace uhop {
// authors-noise, authors-capacity, authors-max-loss, studio.
const std::vector<std::string>& sweep_preset_names();
// The preset's complete settings (memories builtin:fashion-mnist). Throws InputError listing the known names.
SweepSettings sweep_preset(const std::string& name);
// One sentence: which script the preset follows and what it sets (help text, tooltips).
std::string sweep_preset_description(const std::string& name);
}  // namespace uhop
