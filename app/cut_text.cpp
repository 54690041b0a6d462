#include "cut_text.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace studio {
namespace {
// Appends code point c as UTF-8.
void append_utf8(std::string& s, unsigned c) {
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6)), s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xE0 | (c >> 12)), s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// A glyph's top-left corner in the atlas -> its code point, over every font of the atlas.
std::map<std::pair<float, float>, unsigned> glyph_corners(const ImFontAtlas& atlas) {
  std::map<std::pair<float, float>, unsigned> corners;
  for (const ImFont* font : atlas.Fonts)
    for (const ImFontGlyph& g : font->Glyphs)
      if (g.Visible) corners.emplace(std::make_pair(g.U0, g.V0), g.Codepoint);
  return corners;
}

struct Glyph {
  float x0, y0, x1, y1;
  unsigned codepoint;
};

// The words around glyph g on its line: glyphs overlapping it vertically, joined left and right while the gap to the
// next is under one glyph height (so two texts on one row stay apart); a wider gap than a third of it was a space.
std::string words_around(const std::vector<Glyph>& glyphs, const Glyph& g) {
  std::vector<const Glyph*> row = {&g};  // g itself always (a 1 px glyph would fail the test below)
  const float tolerance = std::max(3.0f, (g.y1 - g.y0) * 0.5f);
  for (const Glyph& o : glyphs)
    if (&o != &g && std::abs((o.y0 + o.y1) - (g.y0 + g.y1)) < tolerance) row.push_back(&o);
  std::sort(row.begin(), row.end(), [](const Glyph* a, const Glyph* b) { return a->x0 < b->x0; });
  const float h = g.y1 - g.y0;
  size_t at = 0;
  while (at < row.size() && row[at] != &g) ++at;
  size_t lo = at, hi = at;
  while (lo > 0 && row[lo]->x0 - row[lo - 1]->x1 < h) --lo;
  while (hi + 1 < row.size() && row[hi + 1]->x0 - row[hi]->x1 < h) ++hi;
  std::string text;
  for (size_t k = lo; k <= hi && k < row.size(); ++k) {
    if (k > lo && row[k]->x0 - row[k - 1]->x1 > h / 3) text += ' ';
    append_utf8(text, row[k]->codepoint);
  }
  return text;
}

// Text drawn over other text in one window: two glyphs whose drawn parts overlap by more than a quarter of the
// smaller one (glyphs of one line touch by a pixel at most). The same glyph twice within 2 px is a shadow or bold
// effect, not an overprint.
void find_overprints(const std::vector<Glyph>& visible, const std::string& window, std::vector<CutText>& found) {
  std::vector<size_t> order(visible.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return visible[a].y0 < visible[b].y0; });
  for (size_t i = 0; i < order.size(); ++i) {
    const Glyph& a = visible[order[i]];
    for (size_t j = i + 1; j < order.size() && visible[order[j]].y0 < a.y1; ++j) {
      const Glyph& b = visible[order[j]];
      const float w = std::min(a.x1, b.x1) - std::max(a.x0, b.x0), h = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
      if (w <= 0 || h <= 0) continue;
      const float smaller = std::min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0));
      // A neighbour's box may reach a pixel or two into a narrow glyph's ('.', 'i' beside 'f', 'T'): at least 3 px
      // both ways besides.
      if (w < 3 || h < 3 || w * h <= 0.25f * smaller) continue;
      if (a.codepoint == b.codepoint && std::abs(a.x0 - b.x0) <= 2 && std::abs(a.y0 - b.y0) <= 2) continue;
      CutText over;
      over.window = window;
      over.edge = "overprinted by '" + words_around(visible, b) + "'";
      over.line = words_around(visible, a);
      over.x = a.x0, over.y = a.y0;
      const bool same = std::any_of(found.begin(), found.end(), [&](const CutText& c) {
        return c.window == over.window && c.line == over.line && c.edge == over.edge;
      });
      if (!same) found.push_back(std::move(over));
    }
  }
}
}  // namespace

std::vector<CutText> find_cut_text(const ImDrawData* data) {
  std::vector<CutText> found;
  if (!data || !data->Valid) return found;
  const ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  const auto corners = glyph_corners(atlas);
  for (int l = 0; l < data->CmdListsCount; ++l) {
    const ImDrawList* list = data->CmdLists[l];
    const ImGuiWindow* window = list->_OwnerName ? ImGui::FindWindowByName(list->_OwnerName) : nullptr;
    // ScrollMax is set even where no scrollbar lets the user scroll: only a shown scrollbar means "scrolls".
    const bool scrolls_x = window && window->ScrollbarX, scrolls_y = window && window->ScrollbarY;
    std::vector<Glyph> visible;  // every glyph of this window as drawn (cut to its clip rect), for overprints
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback || cmd.TextureId != atlas.TexID) continue;
      // A glyph is 4 vertices written together (ImDrawList::PrimRectUV), the first at its atlas corner (U0, V0):
      // find those, then take the quad's bounds from the 4.
      std::vector<Glyph> glyphs;
      const unsigned end = cmd.IdxOffset + cmd.ElemCount;
      for (unsigned i = cmd.IdxOffset; i + 5 < end + 0u && i + 5 < static_cast<unsigned>(list->IdxBuffer.Size);) {
        const unsigned v = cmd.VtxOffset + list->IdxBuffer[static_cast<int>(i)];
        const auto it =
            v + 3 < static_cast<unsigned>(list->VtxBuffer.Size)
                ? corners.find({list->VtxBuffer[static_cast<int>(v)].uv.x, list->VtxBuffer[static_cast<int>(v)].uv.y})
                : corners.end();
        if (it == corners.end()) {
          ++i;
          continue;
        }
        const ImDrawVert* q = &list->VtxBuffer[static_cast<int>(v)];
        glyphs.push_back({std::min(q[0].pos.x, q[2].pos.x), std::min(q[0].pos.y, q[2].pos.y),
                          std::max(q[0].pos.x, q[2].pos.x), std::max(q[0].pos.y, q[2].pos.y), it->second});
        i += 6;
      }
      const ImVec4 c = cmd.ClipRect;
      constexpr float slack = 1.0f;  // antialiasing fringes and rounding
      for (const Glyph& g : glyphs) {
        const char* edge = nullptr;
        if (g.x0 >= c.z || g.x1 <= c.x || g.y0 >= c.w || g.y1 <= c.y) continue;  // wholly outside: not drawn at all
        visible.push_back(
            {std::max(g.x0, c.x), std::max(g.y0, c.y), std::min(g.x1, c.z), std::min(g.y1, c.w), g.codepoint});
        if (!scrolls_x && g.x0 < c.x - slack) edge = "left";
        if (!scrolls_x && g.x1 > c.z + slack) edge = "right";
        if (!scrolls_y && g.y0 < c.y - slack) edge = "top";
        if (!scrolls_y && g.y1 > c.w + slack) edge = "bottom";
        if (!edge) continue;
        CutText cut;
        cut.window = list->_OwnerName ? list->_OwnerName : "";
        cut.edge = edge;
        cut.x = g.x0, cut.y = g.y0;
        // The line it belongs to: the glyphs of this command on the same baseline, left to right.
        std::vector<const Glyph*> line;
        for (const Glyph& o : glyphs)
          if (o.y1 > g.y0 && o.y0 < g.y1 && o.y0 < c.w && o.y1 > c.y) line.push_back(&o);
        std::sort(line.begin(), line.end(), [](const Glyph* a, const Glyph* b) { return a->x0 < b->x0; });
        for (size_t k = 0; k < line.size(); ++k) {  // a gap wider than a third of the glyph height was a space
          if (k > 0 && line[k]->x0 - line[k - 1]->x1 > (g.y1 - g.y0) / 3) cut.line += ' ';
          append_utf8(cut.line, line[k]->codepoint);
        }
        const bool same = !found.empty() && found.back().window == cut.window && found.back().line == cut.line;
        if (!same) found.push_back(std::move(cut));
      }
    }
    find_overprints(visible, list->_OwnerName ? list->_OwnerName : "", found);
  }
  return found;
}
}  // namespace studio
