// The Studio's side of the paper's sweeps (core/session/sweep.h): the `sweep` script command and the Sweep panel give a
// few options on top of the current memories; this turns them into uhop::SweepSettings and an output folder. What
// the worker hands back when a sweep is done is a SweepOutcome. No GUI types.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "plot/plot_figure.h"
#include "studio_state.h"
#include "session/sweep.h"

namespace studio {
struct SweepRequest {
  uhop::SweepSettings settings;
  std::string out_dir;
};

// Options (key=value): preset=NAME (uhop::sweep_preset_names(); applied first wherever it stands, every other
// option overrides it) vary=M|sigma values=10,20 methods=mhm,uhop seeds=N first_seed=N stage1_steps=N
// memories=SRC (default: the loaded source, with its size/rgb/normalization, also with a preset) sigma=S (fixed noise
// strength when M varies) count=M (fixed M when sigma varies) beta=B steps=T train_count=all|half|N
// beta_after_sep=0|1 init=identity|gaussian|orthogonal lr=X schedule=constant|inv-sqrt|reference loss=avg|max t=T
// noise=KIND out=DIR (required). Without a preset everything else comes from uhop::default_sweep_settings().
// Throws uhop::InputError naming the key for a bad or unknown option, and for settings core's sweep_cells() refuses.
SweepRequest sweep_request(const StudioState& state, const std::vector<std::pair<std::string, std::string>>& options);
// Why a sweep cannot run on its memories, said before Run (empty when nothing is known to be wrong): today the
// built-in glyphs, which hold 36 memories, asked for more (the "studio" and authors' presets want 100 or 500).
// The panel shows it in place with a button that loads Fashion-MNIST instead.
std::string sweep_source_problem(const uhop::SweepSettings& settings);

struct SweepOutcome {
  uhop::PlotFigure figure;  // mean +- spread per method (uhop::sweep_figure)
  std::string out_dir;      // where merged.csv, summary.csv, figure.svg/csv went
  int cells = 0;
  std::string summary;  // one line for the panel: "8 cells, 2 methods x 2 values x 2 seeds"
  std::vector<std::pair<std::string, std::string>> options;  // as given to sweep_request (the panel shows them)
  uhop::SweepSettings settings;                              // as resolved: the preset with the options over it
};
}  // namespace studio
