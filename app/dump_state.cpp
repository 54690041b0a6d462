#include "dump_state.h"

#include "capacity_panel.h"
#include "studio_text.h"

#include <cstdio>
#include <sstream>

namespace studio {
LinkContent current_link_content(UiContext& ui) {
  const StudioSnapshot& s = *ui.snap;
  LinkContent c = link_content_of(s);
  for (const std::string& id : view_ids()) {
    if (const bool* open = view_flag(ui, id); open && *open) c.views.push_back(id);
  }
  c.layout = ui.layout == LayoutMode::presentation ? "presentation" : "standard";
  if (s.query_unlinkable)
    c.notes.push_back("the query came from a file or a session: the link rebuilds the target's corrupted copy");
  if (s.state.source.rfind("builtin:", 0) != 0)
    c.notes.push_back("the memories are a local file (" + s.state.source + "): it opens only where that file is");
  return c;
}

std::string dump_text(UiContext& ui, long frames, double first_frame_ms) {
  const StudioSnapshot& s = *ui.snap;
  std::ostringstream o;
  char buf[96];
  o << "frames=" << frames << "\n";
  std::snprintf(buf, sizeof buf, "%.0f", first_frame_ms);
  o << "first_frame_ms=" << buf << "\n";
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  o << "window=" << static_cast<int>(d.x) << "," << static_cast<int>(d.y) << "\n";
  std::snprintf(buf, sizeof buf, "%.1f", ImGui::GetFontSize());
  o << "font_size=" << buf << "\n";
  o << "layout=" << (ui.layout == LayoutMode::presentation ? "presentation" : "standard") << "\n";
  o << "source=" << s.state.source << "\n";
  o << "memories=" << (s.memories ? s.memories->set.count() : 0) << "\n";
  o << "dim=" << (s.memories ? s.memories->set.dim() : 0) << "\n";
  // The size the Memories panel offers for slow, large images ("Load at WxH"); empty when it offers none.
  const DownscaleHint hint = s.memories ? downscale_hint(s.memories->set) : DownscaleHint();
  o << "downscale_hint=" << (hint.width ? hint.size() : "") << "\n";
  o << "target=" << s.state.target << "\n";
  o << "stage1_steps=" << (s.stage1_log.empty() ? 0 : s.stage1_log.back().step) << "\n";
  o << "stage1_playing=" << (s.stage1_playing ? 1 : 0) << "\n";
  o << "stage2_steps=" << (s.retrieval_log.empty() ? 0 : s.retrieval_log.back().step) << "\n";
  o << "mhm_nearest=" << (s.baseline_log.empty() ? -1 : s.baseline_log.back().nearest) << "\n";
  o << "uhop_nearest=" << (s.retrieval_log.empty() ? -1 : s.retrieval_log.back().nearest) << "\n";
  std::snprintf(buf, sizeof buf, "%.9g", s.query.size() ? s.query.sum() : 0.0);
  o << "query_sum=" << buf << "\n";
  if (!s.stage1_log.empty()) {
    std::snprintf(buf, sizeof buf, "%.17g", s.stage1_log.back().loss);
    o << "stage1_loss=" << buf << "\n";
  }
  if (!s.retrieval_log.empty()) {
    std::snprintf(buf, sizeof buf, "%.17g", s.retrieval_log.back().error);
    o << "stage2_error=" << buf << "\n";
  }
  o << "story="
    << (ui.story.mode() == StoryMode::autoplay ? "autoplay"
        : ui.story.mode() == StoryMode::tour   ? "tour"
                                               : "off")
    << "\n";
  o << "story_step=" << ui.story.step() << "\n" << insight_dump_lines(ui);
  o << "story_step_done=" << (ui.story.step_done() ? 1 : 0) << "\n";
  o << "busy=" << (s.busy ? 1 : 0) << "\n";
  o << "session=" << s.session_path << "\n";
  o << "sweep=" << (s.sweep ? s.sweep->out_dir : "") << "\n" << studio::capacity_dump_state();
  o << "export_folder=" << s.state.exports.folder << "\n";
  o << "save_dialog=" << (ui.save.shown ? 1 : 0) << "\n";
  o << "save_dialog_error=" << ui.save.error_drawn << "\n";
  o << "save_dialog_field=" << ui.save.active << "\n";
  const ImGuiIO& io = ImGui::GetIO();  // buttons as ImGui saw them (a click's release can come a frame later)
  o << "mouse_down=" << (io.MouseDown[0] || io.MouseDown[1] || io.MouseDown[2] ? 1 : 0) << "\n";
  o << "error=" << s.error << "\n";
  o << "message=" << s.message << "\n";
  const bool ui_error_latest = ui.ui_errors > 0 && s.error_id == ui.worker_errors_at_ui_error;
  o << "last_error=" << (ui_error_latest ? ui.ui_last_error : s.last_error) << "\n";
  o << "errors=" << s.error_id + ui.ui_errors << "\n";
  o << "link=" << (s.has_session ? make_link(current_link_content(ui)) : "") << "\n";
  for (const auto& [key, r] : ui.rects) {
    // panel.<id> -> rect.<id>; plot.<id> and widget.<name> keep their prefix
    const std::string name = key.rfind("panel.", 0) == 0 ? key.substr(6) : key;
    std::snprintf(buf, sizeof buf, "%.0f,%.0f,%.0f,%.0f", r.x, r.y, r.w, r.h);
    o << "rect." << name << "=" << buf << "\n";
  }
  // Text cut by its rect in any frame drawn (app/cut_text.h): a count, then one line each (at most 20).
  const std::vector<CutText>& cut = ui.cut_text_seen;
  o << "cut_text=" << cut.size() << "\n";
  for (size_t k = 0; k < cut.size() && k < 20; ++k) {
    std::snprintf(buf, sizeof buf, "%.0f,%.0f", cut[k].x, cut[k].y);
    o << "cut_text." << k << "=" << cut[k].window << " | " << cut[k].edge << " at " << buf << " | " << cut[k].line
      << "\n";
  }
  return o.str();
}
}  // namespace studio
