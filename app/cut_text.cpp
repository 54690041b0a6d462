#include "cut_text.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
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
  }
  return found;
}
}  // namespace studio
