// The --dump-state lines of issue 20 (the query's margins, the story's tour flag), kept out of main.cpp so the frame
// loop's file stays small: tests wait on these keys.
#include <cstdio>
#include <sstream>

#include "studio_ui.h"

namespace studio {
std::string insight_dump_lines(const UiContext& ui) {
  const StudioSnapshot& s = *ui.snap;
  std::ostringstream o;
  char buf[48];
  // The query's margin at the last x_t of each run: MHM in pixels, the main run (U-Hop) in feature space.
  const auto margin = [&](const char* key, const std::vector<uhop::RetrievalRecord>& log) {
    if (log.empty()) return;
    std::snprintf(buf, sizeof buf, "%.17g", log.back().score_margin);
    o << key << buf << "\n";
  };
  margin("query_margin_mhm=", s.baseline_log);
  margin("query_margin_uhop=", s.retrieval_log);
  // How many plots fit their data (auto_fit): a test zooms one, loads new memories and waits for all of them again.
  int fitting = 0, plots = 0;
  for (const char* id : {"loss", "delta", "radius", "energy", "error", "compare"}) {
    const uhop::PlotWidgetState* p = const_cast<UiContext&>(ui).plot_state(id);
    plots += 1, fitting += p && p->auto_fit ? 1 : 0;
  }
  o << "plots_fitting=" << fitting << "/" << plots << "\n";
  o << "story_pace=" << ui.story.pace() << "\n";
  const RecordStatus r = ui.recorder.status();
  o << "recording=" << (r.recording ? 1 : r.finishing ? 2 : 0) << "\n";
  o << "recording_story=" << (ui.recording_story ? 1 : 0) << "\n";
  o << "record_readout=" << (ui.record_readout_drawn ? 1 : 0) << "\n";
  o << "record_finished=" << r.finished << "\n";
  o << "story_tour=" << (ui.story.mode() == StoryMode::tour ? 1 : 0) << "\n";
  return o.str();
}
}  // namespace studio
