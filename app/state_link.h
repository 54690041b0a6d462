// The Studio's state as a link: a compact, versioned URL fragment "#s=1.<payload>" that rebuilds what is on screen by
// replaying it (the TensorFlow-Playground idea, made executable by the Studio's script commands). The payload is
// base64url(raw deflate("key=value" lines)): the settings that differ from a fresh Studio (studio_state.h keys;
// the source always), then the steps taken and the UI's views. No GUI types: the same code runs on the desktop and
// in the browser, so a link made on one opens on the other. Format and limits: docs/state-link.md.
#pragma once
#include <string>
#include <vector>

#include "studio_commands.h"
#include "studio_state.h"

namespace studio {
constexpr int kLinkVersion = 1;
// Hostile links are refused before any work: at most this many characters of fragment, this many bytes once
// inflated, this many strokes / stroke points, this many steps.
constexpr size_t kMaxLinkChars = 96 * 1024;
constexpr size_t kMaxLinkText = 256 * 1024;
constexpr int kMaxLinkStrokes = 256;
constexpr int kMaxLinkPoints = 20000;
constexpr int kMaxLinkStage1Steps = 20000;

// One edit of the query after it was made from the target and the corruption: a brush/eraser stroke, or "clear".
struct QueryEdit {
  bool clear = false;  // the query became all zeros (later strokes paint on it)
  BrushStroke stroke;  // when !clear
};

// Everything a link holds.
struct LinkContent {
  StudioState state;                   // export_folder is never part of a link (it names a local folder)
  std::vector<QueryEdit> query_edits;  // in order
  int stage1_steps = 0;                // Stage I steps taken (replayed with the settings above)
  bool stage1_finished = false;        // `stage1 finish` after the steps
  int stage2_steps = 0;                // Stage II steps taken
  std::vector<std::string> views;      // open "why" views (view_ids())
  std::string layout = "standard";     // standard | presentation
  std::vector<std::string> notes;      // what the link cannot restore (set by the maker, e.g. a query from a file)
};

struct StudioSnapshot;
// What a snapshot says of the link: settings, query edits, the steps taken (views and layout are the UI's, filled in
// by the caller).
LinkContent link_content_of(const StudioSnapshot& s);

// "#s=1.<payload>" for `content` (notes travel as a `note=` line so the opener can show them).
std::string make_link(const LinkContent& content);
// Reads a whole URL ("...#s=..."), the fragment ("#s=...") or "s=..."; throws uhop::InputError with a one-line
// reason for anything malformed, too large, from another version or with a bad value, in bounded time and memory.
// Unless allow_large (the user asked to open it anyway), also check_link_work.
LinkContent parse_link(const std::string& text, bool allow_large = false);
// Throws InputError when the link declares more work than a session file may (core/session/session_budget.h).
void check_link_work(const LinkContent& content);
// The commands that rebuild the state: load (with every setting), the query edits, Stage I steps (and finish),
// Stage II steps, then the views and layout (GUI-side commands).
std::vector<Command> link_commands(const LinkContent& content);

// base64url without padding, and raw deflate with a cap on the inflated size (exposed for tests).
std::string base64url_encode(const std::string& bytes);
std::string base64url_decode(const std::string& text);  // throws InputError on a character outside the alphabet
std::string deflate_text(const std::string& text);
std::string inflate_text(const std::string& bytes, size_t max_size);  // throws InputError when corrupt or too big
}  // namespace studio
