// The Capacity window (panel_capacity.cpp): the hooks the rest of the Studio calls. The lab's state lives with the
// window (its own thread computes, core/numerics/capacity.h), so the other panels and the worker are untouched.
#pragma once
#include <string>
#include <utility>

#include "capacity_lab.h"
#include "plot/plot_export.h"

namespace studio {
struct UiContext;
bool* capacity_window_flag();                                      // the View menu's flag (view capacity [on|off])
void panel_capacity(UiContext& ui);                                // draws the window when its flag is set
void capacity_run(UiContext& ui, const CapacityOptions& options);  // the `capacity` command: opens and starts
bool capacity_busy();                       // a request is computing (scripts' `wait` waits for it)
void capacity_cancel();                     // `cancel` and the window's Cancel
void capacity_pump(double budget_seconds);  // where there are no threads (platform::has_threads): between frames
// Figures capacity-curves capacity-phase capacity-basin capacity-laws as shown; false for other ids or none yet.
bool capacity_figure_for(UiContext& ui, const std::string& id, uhop::ExportFigure& out, std::pair<int, int>& screen);
std::string capacity_dump_state();  // "capacity_view=...\ncapacity_rows=N\ncapacity_running=0|1\n..."
}  // namespace studio
