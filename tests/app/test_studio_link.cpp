// The state link (app/state_link.h): its encodings against known values, the round trip of every part, hostile links
// refused with a message in bounded memory, and the replay: a second worker fed the link's commands shows the same
// numbers as the worker the link was made from.
#include <catch2/catch.hpp>

#include <random>

#include "numerics/input_error.h"
#include "state_link.h"
#include "studio_worker.h"

using namespace studio;

namespace {
void run_script(StudioWorker& w, const std::string& text) {
  ParsedScript p = parse_script(text);
  REQUIRE(p.errors.empty());
  for (auto& c : p.commands) w.push(c);
  REQUIRE(w.wait_idle(120));
}

std::string link_of_text(const std::string& text) {
  return "#s=1." + base64url_encode(deflate_text(text));
}

std::string refusal(const std::string& link) {
  try {
    parse_link(link);
  } catch (const uhop::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("base64url matches RFC 4648's alphabet without padding", "[studio][link]") {
  CHECK(base64url_encode("Man") == "TWFu");
  CHECK(base64url_encode("Ma") == "TWE");
  CHECK(base64url_encode("M") == "TQ");
  CHECK(base64url_encode(std::string("\xfb\xff", 2)) == "-_8");  // '+' and '/' become '-' and '_'
  std::mt19937 rng(5);
  for (int n = 0; n < 64; ++n) {
    std::string bytes(n, '\0');
    for (char& b : bytes) b = static_cast<char>(rng() & 255);
    CHECK(base64url_decode(base64url_encode(bytes)) == bytes);
  }
  CHECK_THROWS_AS(base64url_decode("ab+c"), uhop::InputError);
}

TEST_CASE("deflate round-trips and inflate stops a bomb at its cap", "[studio][link]") {
  const std::string text = "source=builtin:glyphs\ncount=12\nstroke=1.5,1,1;3,4;5,6\n";
  CHECK(inflate_text(deflate_text(text), 1000) == text);
  const std::string zeros(8 << 20, '0');  // 8 MiB that deflate to a few KiB
  const std::string bomb = deflate_text(zeros);
  CHECK(bomb.size() < 20000);
  CHECK_THROWS_WITH(inflate_text(bomb, kMaxLinkText), Catch::Contains("KiB once unpacked"));
  CHECK_THROWS_WITH(inflate_text(bomb.substr(0, bomb.size() / 2), 16 << 20), Catch::Contains("cut short"));
}

TEST_CASE("every part of a link comes back as it was", "[studio][link]") {
  LinkContent c;
  apply_setting(c.state, "source", "builtin:glyphs");
  apply_setting(c.state, "count", "12");
  apply_setting(c.state, "pick", "random");
  apply_setting(c.state, "seed", "9");
  apply_setting(c.state, "target", "3");
  apply_setting(c.state, "corruption", "dropout:0.4");
  apply_setting(c.state, "corruption_seed", "77");
  apply_setting(c.state, "lr", "0.37");
  apply_setting(c.state, "beta", "2.5");
  apply_setting(c.state, "similarity", "kernel");
  apply_setting(c.state, "export_folder", "/home/someone/private");
  BrushStroke s;
  s.points = {{1.25f, 2.5f}, {3.1f, 4.7f}, {27.9f, 0.3f}};
  s.radius = 2.25f;
  s.value = 0.8f;
  s.intensity = 0.6f;
  c.query_edits = {{true, {}}, {false, s}};
  c.stage1_steps = 17;
  c.stage1_finished = true;
  c.stage2_steps = 4;
  c.views = {"probe", "landscape"};
  c.layout = "presentation";
  const std::string link = make_link(c);
  CHECK(link.rfind("#s=1.", 0) == 0);
  CHECK(link.size() < 400);  // compact: a link fits in a chat message
  for (const std::string& text : {link, "https://example.org/studio/index.html" + link, link.substr(1) + "\n"}) {
    const LinkContent back = parse_link(text);
    StudioState expected = c.state;
    expected.exports.folder = StudioState().exports.folder;  // a local folder never travels
    CHECK(to_text(back.state) == to_text(expected));
    REQUIRE(back.query_edits.size() == 2);
    CHECK(back.query_edits[0].clear);
    CHECK_FALSE(back.query_edits[1].clear);
    CHECK(back.query_edits[1].stroke.points == s.points);  // floats exactly (9 digits)
    CHECK(back.query_edits[1].stroke.radius == s.radius);
    CHECK(back.query_edits[1].stroke.value == s.value);
    CHECK(back.query_edits[1].stroke.intensity == s.intensity);
    CHECK(back.stage1_steps == 17);
    CHECK(back.stage1_finished);
    CHECK(back.stage2_steps == 4);
    CHECK(back.views == c.views);
    CHECK(back.layout == "presentation");
  }
  // The replay: load with every setting, clear, stroke, steps, finish, steps, views, layout.
  const auto commands = link_commands(parse_link(link));
  REQUIRE(commands.size() == 9);
  CHECK(commands[0].kind == CommandKind::load);
  CHECK(commands[0].path == "builtin:glyphs");
  CHECK(commands[1].kind == CommandKind::clear_query);
  CHECK(commands[2].kind == CommandKind::brush);
  CHECK(commands[3].kind == CommandKind::stage1_steps);
  CHECK(commands[3].number == 17);
  CHECK(commands[4].kind == CommandKind::stage1_finish);
  CHECK(commands[5].number == 4);
  CHECK(commands[8].id == "presentation");
  // A default state's link is short and holds the source only.
  CHECK(inflate_text(base64url_decode(make_link(LinkContent{}).substr(5)), 1000) == "source=builtin:fashion-mnist\n");
}

TEST_CASE("hostile links are refused with a one-line reason", "[studio][link]") {
  const std::string good = link_of_text("source=builtin:glyphs\ncount=12\n");
  REQUIRE_NOTHROW(parse_link(good));
  CHECK_THAT(refusal(good.substr(0, good.size() - 4)), Catch::Contains("cut short"));  // truncated
  CHECK_THAT(refusal("#s=2." + good.substr(5)), Catch::Contains("version 2"));         // a newer Studio's
  CHECK_THAT(refusal("#s=x." + good.substr(5)), Catch::Contains("bad version"));
  CHECK_THAT(refusal("#s=" + good.substr(5)), Catch::Contains("version"));
  CHECK_THAT(refusal("#s=1."), Catch::Contains("empty"));
  CHECK_THAT(refusal("https://example.org/"), Catch::Contains("not a U-Hop Studio link"));
  CHECK_THAT(refusal(good + "%20"), Catch::Contains("base64url"));
  CHECK_THAT(refusal("#s=1." + std::string(kMaxLinkChars, 'A')), Catch::Contains("longer than"));
  CHECK_THAT(refusal("#s=1." + base64url_encode(deflate_text(std::string(1 << 22, 'x')))),
             Catch::Contains("KiB once unpacked"));
  // Absurd values, each named.
  CHECK_THAT(refusal(link_of_text("count=999999999\n")), Catch::Contains("70000"));
  CHECK_THAT(refusal(link_of_text("beta=1e300\n")), Catch::Contains("beta"));
  CHECK_THAT(refusal(link_of_text("lr=-1\n")), Catch::Contains("lr"));
  CHECK_THAT(refusal(link_of_text("steps1=1000000000\n")), Catch::Contains("steps1"));
  CHECK_THAT(refusal(link_of_text("steps2=99999\n")), Catch::Contains("steps2"));
  CHECK_THAT(refusal(link_of_text("w_seed=99999999999999999999999\n")), Catch::Contains("w_seed"));
  CHECK_THAT(refusal(link_of_text("stroke=1,1,1;nan,3\n")), Catch::Contains("stroke x"));
  CHECK_THAT(refusal(link_of_text("stroke=1,1,1\n")), Catch::Contains("R,V,I;X,Y"));
  CHECK_THAT(refusal(link_of_text("views=probe,../../etc\n")), Catch::Contains("unknown view"));
  CHECK_THAT(refusal(link_of_text("layout=huge\n")), Catch::Contains("unknown layout"));
  CHECK_THAT(refusal(link_of_text("export_folder=/tmp/x\n")), Catch::Contains("export_folder"));
  CHECK_THAT(refusal(link_of_text("frobnicate=1\n")), Catch::Contains("frobnicate"));
  CHECK_THAT(refusal(link_of_text("no equals sign\n")), Catch::Contains("key=value"));
  std::string many;
  for (int i = 0; i <= kMaxLinkStrokes; ++i) many += "clear=1\n";
  CHECK_THAT(refusal(link_of_text(many)), Catch::Contains("too many"));
  std::string points = "stroke=1,1,1";
  for (int i = 0; i <= kMaxLinkPoints; ++i) points += ";1,1";
  CHECK_THAT(refusal(link_of_text(points + "\n")), Catch::Contains("stroke points"));
  // Random bytes after a valid prefix: refused or parsed, never a crash (the sanitizer build checks the rest).
  std::mt19937 rng(11);
  int refused = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string junk(rng() % 200, '\0');
    for (char& ch : junk) ch = static_cast<char>(rng() & 255);
    std::string link = i % 2 ? "#s=1." + base64url_encode(junk) : good.substr(0, 5 + rng() % (good.size() - 5)) + junk;
    refused += refusal(link).empty() ? 0 : 1;
  }
  CHECK(refused > 1900);
}

TEST_CASE("a link replayed on a fresh worker shows the same numbers", "[studio][link][worker]") {
  StudioWorker original;
  run_script(original,
             "load builtin:glyphs count=12 pick=random seed=4\n"
             "set lr=0.3 beta=3 similarity=kernel\n"
             "target 5\n"
             "corrupt dropout:0.3 seed=21\n"
             "brush 3,4 8,9 12,2 radius=2 value=0.7\n"
             "erase 10,10 radius=3\n"
             "stage1 steps=6\n"
             "stage1 finish\n"
             "stage2 steps=3\n");
  const auto a = original.snapshot();
  REQUIRE(a->error.empty());
  REQUIRE(a->query_edits.size() == 2);
  CHECK_FALSE(a->query_unlinkable);
  const std::string link = make_link(link_content_of(*a));

  StudioWorker replay;
  for (Command& c : link_commands(parse_link(link))) {
    if (c.kind != CommandKind::view && c.kind != CommandKind::layout) replay.push(c);
  }
  REQUIRE(replay.wait_idle(120));
  const auto b = replay.snapshot();
  REQUIRE(b->error.empty());
  CHECK(to_text(b->state) == to_text(a->state));
  CHECK((b->query - a->query).norm() == 0);  // same corruption, same strokes: bit for bit
  REQUIRE(b->stage1_log.size() == a->stage1_log.size());
  CHECK(b->stage1_log.back().loss == a->stage1_log.back().loss);
  REQUIRE(b->retrieval_log.size() == a->retrieval_log.size());
  CHECK(b->retrieval_log.back().error == a->retrieval_log.back().error);
  CHECK(b->retrieval_log.back().nearest == a->retrieval_log.back().nearest);
  CHECK(b->baseline_log.back().nearest == a->baseline_log.back().nearest);
  CHECK(b->stage1_finished);
  CHECK(make_link(link_content_of(*b)) == link);  // the replayed state makes the same link

  // A query from elsewhere is flagged, so the link can say what it cannot restore.
  Command set_query = make_command(CommandKind::set_query);
  set_query.query = a->query;
  replay.push(set_query);
  REQUIRE(replay.wait_idle(60));
  CHECK(replay.snapshot()->query_unlinkable);
}

TEST_CASE("a link declaring more than a session file may is refused before any command", "[studio][link][limits]") {
  // 20,000 Fashion-MNIST items at 76 x 76 (4.9 GB as a session file), a file at its own size counted at d = 3600,
  // and 20,000 Stage I steps of 20 glyphs (about 1e12 multiply-adds): each named with the declared size.
  CHECK_THAT(refusal(link_of_text("source=builtin:fashion-mnist\ncount=20000\nsize=76x76\nsteps1=1\n")),
             Catch::Contains("M = 20000 memories of d = 5776") && Catch::Contains("d and D at most 3600"));
  CHECK_THAT(refusal(link_of_text("source=builtin:glyphs\ncount=20\nsteps1=20000\n")),
             Catch::Contains("20000 Stage I") && Catch::Contains("multiply-adds"));
  CHECK_THAT(refusal(link_of_text("source=/some/file.npy\ncount=20\nsteps1=3000\n")),
             Catch::Contains("d = 3600 values"));
  // The Studio's defaults with hundreds of steps, and the story's glyph links: within it.
  CHECK(refusal(link_of_text("source=builtin:fashion-mnist\ncount=20\nsteps1=2000\nsteps2=5\n")).empty());
  CHECK(refusal(link_of_text("source=builtin:glyphs\ncount=36\nsteps1=500\n")).empty());
  // The user may open one anyway (Open anyway, --state LINK --allow-large, open-link LINK allow-large): the budget
  // is lifted, nothing else (a malformed link stays refused).
  const std::string big = link_of_text("source=/some/file.npy\ncount=20\nsteps1=3000\n");
  CHECK_THAT(refusal(big), Catch::Contains("--allow-large"));
  CHECK(parse_link(big, true).stage1_steps == 3000);
  CHECK_THROWS_AS(check_link_work(parse_link(big, true)), uhop::InputError);
  CHECK_THROWS_AS(parse_link(link_of_text("source=builtin:glyphs\ncount=x\n"), true), uhop::InputError);
  // The script command keeps the link's '#' (elsewhere '#' starts a comment).
  const ParsedScript p = parse_script("open-link " + big + " allow-large\n  open-link http://h/i.html" + big +
                                          "\ntarget 1 # a comment\n",
                                      "s.txt");
  REQUIRE(p.errors.empty());
  REQUIRE(p.commands.size() == 3);
  CHECK(p.commands[0].kind == CommandKind::open_link);
  CHECK(p.commands[0].path == big);
  CHECK(p.commands[0].number == 1);
  CHECK(p.commands[1].path == "http://h/i.html" + big);
  CHECK(p.commands[1].number == 0);
  CHECK(p.commands[2].number == 1);
}
