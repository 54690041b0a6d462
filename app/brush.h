// The query canvas's brush, GUI-free: a stroke (studio_commands.h: BrushStroke) painted into a query vector.
#pragma once
#include "numerics/memory_set.h"
#include "studio_commands.h"

namespace studio {
// The brush (see BrushStroke) applied to a query of the given shape. Coordinates far outside the image cost nothing:
// only the dabs' bounding boxes inside the image are visited.
void apply_stroke(uhop::Vector& query, const uhop::ImageShape& shape, const BrushStroke& stroke);
}  // namespace studio
