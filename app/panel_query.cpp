// Query: the corrupted target (six corruption kinds, strength, seed), hand drawing with a brush or eraser, and the
// target beside the query.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gl_texture.h"
#include "studio_state.h"
#include "studio_ui.h"

namespace studio {
namespace {
constexpr float kMinCanvasPx = 160;
}  // namespace
namespace {
const char* kKinds[] = {"gaussian", "gaussian-norm", "dropout", "mask-half", "occlude", "salt-pepper"};
const char* kKindTips[] = {"clip(|xi + s n|, 0, 1), n ~ N(0, I)",
                           "clip(|xi + s n/‖n‖ |, 0, 1): noise of norm s",
                           "each pixel zeroed with probability p, the rest scaled by 1/(1-p)",
                           "bottom half of the image zeroed",
                           "a random rectangle covering a fraction r of the image zeroed",
                           "each pixel set to 0 or 1 with probability p"};

void push_corruption(UiContext& ui) {
  Command c;
  c.kind = CommandKind::corrupt;
  c.settings.emplace_back("corruption", uhop::to_string(ui.edit.corruption));
  ui.push(c);
}
}  // namespace

void panel_query(UiContext& ui, const ImVec2& pos, const ImVec2& size) {
  if (!begin_panel(ui, "query", "Query", pos, size)) {
    ImGui::End();
    return;
  }
  const StudioSnapshot& s = *ui.snap;
  auto& corr = ui.edit.corruption;
  int kind = static_cast<int>(corr.kind);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  if (ImGui::Combo("##kind", &kind, kKinds, 6)) {
    corr = with_kind(corr, static_cast<uhop::CorruptionKind>(kind));  // a strength that means something for it
    push_corruption(ui);
  }
  ui.record_item("corruption_kind");
  formula_tip(kKindTips[kind]);
  if (corr.kind != uhop::CorruptionKind::mask_half) {
    flow(ImGui::GetFontSize() * 7);
    float strength = static_cast<float>(corr.strength);
    const bool probability =
        corr.kind != uhop::CorruptionKind::gaussian && corr.kind != uhop::CorruptionKind::gaussian_norm;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
    if (ImGui::SliderFloat("##strength", &strength, 0,
                           probability ? 0.95f : (corr.kind == uhop::CorruptionKind::gaussian_norm ? 10.0f : 2.0f),
                           "%.2f"))
      corr.strength = strength;
    if (ImGui::IsItemDeactivatedAfterEdit()) push_corruption(ui);
    formula_tip("Corruption strength: sigma for the Gaussian kinds, a probability or fraction otherwise.");
  }
  flow(ImGui::GetFontSize() * 4);
  if (ImGui::Button("Re-roll")) ui.push(make_command(CommandKind::reroll));
  formula_tip("Same corruption, next random seed.");
  flow(ImGui::GetFontSize() * 5);
  ImGui::TextDisabled("seed %llu", static_cast<unsigned long long>(s.state.corruption_seed));

  // A vector that is not an image (an embedding, shown as a strip): a brush stroke would smear values that have no
  // neighbours in space, so the brush is off and says why; corruption, Clear and a query file still work.
  const bool embedding = s.memories && is_embedding(s.memories->set.shape);
  ImGui::BeginDisabled(embedding);
  if (ImGui::RadioButton("Brush", !ui.eraser)) ui.eraser = false;
  flow(ImGui::GetFontSize() * 4.5f);
  if (ImGui::RadioButton("Eraser", ui.eraser)) ui.eraser = true;
  flow(ImGui::GetFontSize() * 7);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 4.5f);
  ImGui::SliderFloat("size", &ui.brush_radius, 0.5f, 8, "%.1f");
  formula_tip("Brush radius in image pixels.");
  flow(ImGui::GetFontSize() * 7);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 4.5f);
  ImGui::SliderFloat("ink", &ui.brush_intensity, 0.05f, 1, "%.2f");
  formula_tip("Intensity a: x_p <- (1 - a k(dist)) x_p + a k(dist) v, v = 1 (brush) or 0 (eraser).");
  ImGui::EndDisabled();
  flow(ImGui::GetFontSize() * 3.5f);
  if (ImGui::Button("Clear")) ui.push(make_command(CommandKind::clear_query));
  formula_tip("Query x = 0 (then draw your own).");

  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 6.5f);
  const bool enter = ImGui::InputTextWithHint("##qpath", "query image file...", ui.query_path, sizeof ui.query_path,
                                              ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Load query") || enter) && ui.query_path[0]) {
    Command c = make_command(CommandKind::load_query);
    c.path = ui.query_path;
    ui.push(c);
  }
  formula_tip("An image file used as the query x_0 (resized to the memories' size).");

  if (!s.has_session || !s.memories) {
    ImGui::TextDisabled("Load memories first.");
    ImGui::End();
    return;
  }
  // The canvas shows the query as its texture is drawn (display_shape, which the mouse mapping uses too). An
  // embedding's strip (wrapped onto lines) fills a square, as in the memory thumbnails and Compare: at its own aspect
  // (200 values: 64 x 4) it was a sliver, and its raw d x 1 made a canvas 32,000 px wide.
  const uhop::ImageShape drawn = display_shape(s.memories->set.shape);
  // Canvas: the query as large as fits, the target beside it at a third of the size.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float label_h = ImGui::GetTextLineHeightWithSpacing();
  const float aspect = embedding ? 1.0f : static_cast<float>(drawn.height) / std::max(1, drawn.width);
  float canvas_w = std::min((avail.x - gap) * 0.72f, (avail.y - label_h) / aspect);
  // Never below 160 px on its shorter side: drawing must stay possible (the panel scrolls, or the layout shows it as
  // a tab, rather than shrinking the canvas to a sliver).
  canvas_w = std::max(canvas_w, kMinCanvasPx / std::min(1.0f, aspect));
  const float canvas_h = canvas_w * aspect;
  const float target_w = std::max(24.0f, std::min(avail.x - canvas_w - gap, canvas_w * 0.45f));

  ImGui::BeginGroup();
  ImGui::TextUnformatted(embedding ? "query x_0" : "query x_0 (draw here)");
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##canvas", ImVec2(canvas_w, canvas_h));
  ui.record_item("query_canvas");
  const bool hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();
  image_context_menu(ui, "query");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const GlTexture& q = image_texture(ui, "query", s.query, s.version);
  dl->AddImage(q.imgui_id(), p, ImVec2(p.x + canvas_w, p.y + canvas_h));
  dl->AddRect(p, ImVec2(p.x + canvas_w, p.y + canvas_h), rgb(0x888888));
  // Mouse -> image pixel coordinates; every drag segment is sent as a stroke so the query updates live.
  const ImVec2 m = ImGui::GetIO().MousePos;
  const float ix = (m.x - p.x) / canvas_w * drawn.width, iy = (m.y - p.y) / canvas_h * drawn.height;
  if (!embedding && active && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    if (!ui.drawing) ui.last_point = {ix, iy};
    if (!ui.drawing || std::hypot(ix - ui.last_point.first, iy - ui.last_point.second) > 0.2f) {
      Command c = make_command(CommandKind::brush);
      c.stroke.points = {ui.last_point, {ix, iy}};
      c.stroke.radius = ui.brush_radius;
      c.stroke.intensity = ui.brush_intensity;
      c.stroke.value = ui.eraser ? 0.0f : 1.0f;
      ui.push(c);
      ui.last_point = {ix, iy};
    }
    ui.drawing = true;
  } else {
    ui.drawing = false;
  }
  if (!embedding && (hovered || active)) {
    const float r = ui.brush_radius / drawn.width * canvas_w;
    dl->AddCircle(m, r, ui.eraser ? rgb(0xff6060) : rgb(0x60c0ff), 24, 1.5f);
  }
  if (embedding) {  // under the canvas, no wider than it (the target keeps its room beside)
    for (const std::string& line : wrap_words("an embedding: draw on image memories", canvas_w))
      ImGui::TextDisabled("%s", line.c_str());
  }
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::TextUnformatted("target");
  const GlTexture& t = image_texture(ui, "target", s.target_image, s.memories->version * 100000 + s.state.target);
  ImGui::Image(t.imgui_id(), ImVec2(target_w, target_w * aspect));
  image_context_menu(ui, "target");
  text_wrapped_words("%s", memory_label(s, s.state.target).c_str());
  ImGui::TextDisabled("dist %.3g", (s.query - s.target_image).norm());
  formula_tip("‖x_0 - ξ_μ‖: distance of the query from the target memory in pixel space.");
  ImGui::EndGroup();
  ImGui::End();
}
}  // namespace studio
