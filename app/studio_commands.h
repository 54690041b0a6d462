// What the UI (or a --script file) asks the worker to do. Panels never touch the Session: they emit Commands.
//
// Script syntax: one command per line; '#' starts a comment; blank lines are ignored; words are separated by
// spaces; options are key=value (the keys of `set`, see studio_state.h).
//   load SRC [count=N] [offset=N] [pick=first|random|per-class] [seed=N] [size=WxH] [rgb=0|1] [norm=none|unit|center]
//                              load memories (SRC: folder, IDX, CIFAR, CSV, builtin:fashion-mnist, builtin:glyphs)
//   target N                   memory N becomes the target; the query is its corrupted copy
//   corrupt KIND[:S] [seed=N]  gaussian:S gaussian-norm:S dropout:P mask-half occlude:R salt-pepper:P
//   reroll                     same corruption, next seed
//   brush X,Y [X,Y ...] [radius=R] [value=V]   paint a stroke on the query (pixel coordinates, value in [0,1])
//   erase X,Y [X,Y ...] [radius=R]             paint zeros
//   clear                      query = all zeros
//   query FILE                 load the query from an image file (resized to the memories' size)
//   stage1 steps=N | play | pause | reset | finish | normalize
//                              Stage I: N gradient steps on W, or play/pause, or W = W_0 (Stage II keeps its steps
//                              and follows W_0), or finish: the row normalization of Algorithm 1 line 4 when the
//                              normalize_rows setting is on, or normalize: every row of W to unit length now
//   stage2 steps=N | play | pause | reset               Stage II: N retrieval steps x_{t+1} = T(x_t) ...
//   set KEY=VALUE [KEY=VALUE ...]                       any setting, e.g. set beta=4 alpha=1.5 similarity=kernel
//   wait                       until the worker is idle (nothing queued, not busy, not playing)
//   screenshot FILE            (GUI only) PNG of the whole window, written atomically
//   export-plot ID FILE [scale=N]   (GUI only) a plot as shown, format by extension: .svg .pdf .png .csv; scale 1..4
//                              for PNG. ID: loss delta radius energy error compare sweep probe-error probe-retrieved
//                              margin beta-star feature-map-mhm feature-map-uhop landscape-mhm landscape-uhop
//                              (landscape-*.csv: the grid a,b,energy_mhm,energy_kernel, as `uhop landscape` writes),
//                              or a heatmap with its colorbar: heat-initial heat-now. Size, font scale and theme:
//                              the export options (set export_size=... etc., see studio_state.h)
//   export-image ID FILE       (GUI only) PNG of an image panel. ID: memories query target trajectory heat-initial
//                              heat-now landscape-mhm landscape-uhop
//   record start FILE [panel=ID] [fps=N] [width=PX]   (GUI only) record the window (or one panel/plot) while anything
//                              plays: FILE.gif, FILE.mp4 (needs ffmpeg on PATH), or a folder of numbered PNGs (no
//                              extension or a trailing '/'); fps 1..60 (default 10); width 16..7680 resamples every
//                              frame to that width, the height keeping the aspect (0 or none: the size on screen).
//                              ID: a plot or heatmap id above, or a panel: memories query stage1 stage2 sweep help
//   record stop                finish the recording (written atomically; also on quit)
//   save-session FILE          every setting, the query and the step counts as a session file (JSON, atomic)
//   load-session FILE [allow-large]  restore a session file (a bad file is refused, the current state kept;
//                              one over session_budget.h only with allow-large)
//   sweep [preset=authors-noise|authors-capacity|authors-max-loss|studio] [vary=M|sigma] [values=10,20]
//         [methods=mhm,uhop] [seeds=N] [stage1_steps=N] [memories=SRC] [train_count=all|half|N] [beta_after_sep=0|1]
//         [init=..] [lr=X] [schedule=..] [loss=avg|max] [noise=KIND] ... out=DIR
//                              the paper's retrieval-error sweep (core/session/sweep.h), outputs in DIR; a preset is
//                              applied first, the other options override it (all options: app/studio_sweep.h)
//   story [stop]               (GUI only) play the guided story from the start (any input stops it), or stop it
//   tour | next | back         (GUI only) the story step by step: start it, go to the next step, or one step back
//   layout standard|presentation   (GUI only) the panel layout (presentation: F5, Compare large, big fonts)
//   open-link LINK [allow-large]   (GUI only) open a state link as File > Open link does (a link over the session
//                              budget is refused and offered as "Open anyway"; allow-large opens it). No comment
//                              on this line: its '#' is the link's
//   landscape [rival=J|auto] [grid=N] | off   the energy landscape on the plane through the query, the target and
//                              memory J (auto: what MHM retrieves, else the nearest other), N x N points (8..512),
//                              coarse then fine; it then follows W, the query and the settings until `off` or cancel
//   capacity [view=curves|phase|basin|laws] [preset=capacity-exponential-threshold] [model=..] [patterns=..]
//         [dim=N] [alphas=A,B|LO:HI:COUNT] [betas=..] [degree=n] [trials=K] [start_overlap=R] [rhos=..] [seed=S]
//                              (GUI only) the capacity lab (app/capacity_lab.h, docs/capacity.md): opens the Capacity
//                              window and computes there, filling in live; `wait` waits for it. Export ids:
//                              capacity-curves capacity-phase capacity-basin capacity-laws
//   view ID [on|off]           (GUI only) open or close a window: probe margin feature-map landscape sweep help
//                              capacity
//   cancel                     stop long work and playing (and the live landscape)
// Example:
//   load builtin:glyphs count=20
//   target 3
//   corrupt gaussian:0.3 seed=1
//   stage1 steps=20
//   stage2 steps=3
//   wait
//   screenshot out.png
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "numerics/linalg_types.h"

namespace studio {
// How the Studio's background work runs (StudioWorker, CapacityLab). thread: on its own thread (desktop). pump: no
// thread; the owner calls pump() between frames (the browser build, which has no threads without
// SharedArrayBuffer): work made of steps (stage1/stage2 steps=N, a capacity request's cells) takes one step per
// turn, so frames keep coming and Cancel acts between steps.
enum class WorkerThreading { thread, pump };

enum class CommandKind {
  load,
  target,
  corrupt,
  reroll,
  brush,
  clear_query,
  set_query,   // a full query vector (e.g. from the UI)
  load_query,  // query from an image file
  stage1_steps,
  stage1_play,
  stage1_pause,
  stage1_reset,
  stage1_finish,
  stage1_normalize,  // every row of W to unit length now (the "Normalize rows" button)
  stage2_steps,
  stage2_play,
  stage2_pause,
  stage2_reset,
  set,
  wait,
  screenshot,
  cancel,
  export_plot,   // GUI side: the plot `id` to `path`
  export_image,  // GUI side: the image panel `id` to `path`
  save_session,
  load_session,
  sweep,         // options in `settings`
  record_start,  // GUI side: `path`, panel `id` (empty: the whole window), `number` frames per second
  record_stop,
  story,      // GUI side: `id` is auto, stop, tour, next or back
  layout,     // GUI side: `id` is standard or presentation
  landscape,  // options (rival, landscape_grid) in `settings`; id "off" stops the live landscape
  view,       // GUI side: window `id` open (number 1) or closed (0)
  open_link,  // GUI side: the link in `path` (as File > Open link), opened anyway over the budget when number is 1
};
const char* to_string(CommandKind kind);

// A hand-drawn stroke in image pixel coordinates (x right, y down), applied to every channel:
// x_p <- (1 - a) x_p + a value with a = intensity * max(0, 1 - dist/radius) (a soft round brush).
struct BrushStroke {
  std::vector<std::pair<float, float>> points;
  float radius = 1.5f;
  float value = 1.0f;  // 0 for the eraser
  float intensity = 1.0f;
};

struct Command {
  CommandKind kind = CommandKind::wait;
  int line = 0;                                               // script line (0 when from the UI)
  std::string path;                                           // load SRC, query FILE, screenshot/export FILE
  std::string id;                                             // export-plot / export-image: which plot or image
  std::vector<std::pair<std::string, std::string>> settings;  // set / load options / corruption
  int number = 0;                   // target index, number of steps, or the export-plot PNG scale
  bool fallback_to_glyphs = false;  // load: builtin:fashion-mnist missing -> builtin:glyphs with a message
  BrushStroke stroke;
  uhop::Vector query;
  int steps_done = 0;  // stage1/stage2 steps=N run one step per turn in a pumped worker: the steps already taken
};

// Convenience constructors for the UI.
Command make_command(CommandKind kind, int number = 0);
Command make_set(const std::string& key, const std::string& value);
Command make_set(const std::string& key, double value);

// The ids export-plot, export-image and view accept.
const std::vector<std::string>& plot_ids();
const std::vector<std::string>& view_ids();
const std::vector<std::string>& image_ids();
const std::vector<std::string>& export_plot_ids();  // plot_ids() and the heatmaps (heat-initial heat-now)
// What `record start ... panel=ID` accepts: export_plot_ids() and the panels.
const std::vector<std::string>& record_panel_ids();
const std::vector<std::string>& panel_ids();  // memories query stage1 stage2 sweep help

// One line (without its newline) -> a command. Returns false for blank/comment lines. Throws uhop::InputError
// "line N: problem" for anything wrong, including bad values (checked against a scratch StudioState).
bool parse_command_line(const std::string& line, int line_number, Command& out);

struct ParsedScript {
  std::vector<Command> commands;
  std::vector<std::string> errors;  // "FILE:N: problem", one per bad line
};
ParsedScript parse_script(const std::string& text, const std::string& name = "script");
ParsedScript load_script(const std::string& path);  // unreadable file -> one error
}  // namespace studio
