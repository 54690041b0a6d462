// The Studio in a real browser (issue 22): Debian's chromium, headless with SwiftShader's WebGL 2, driven through
// the DevTools protocol by puppeteer-core, loading build/web/ from a local static server started here.
//   node web_test.mjs WEB_DIR OUT_DIR DESKTOP_LINK
// Prints key=value lines the calling script (web_test.sh) compares with the desktop's: verdict.*, after_step.*,
// opened_web_link.*, opened_desktop_link.*, web_link=, and checks of its own (it exits 1 on the first failed one,
// saying which).
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import puppeteer from "puppeteer-core";

const [webDirArg, outDir, desktopLink] = process.argv.slice(2);
const webDir = path.resolve(webDirArg);
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".data": "application/octet-stream" };
const server = http.createServer((req, res) => {
  const name = decodeURIComponent(new URL(req.url, "http://x").pathname);
  const file = path.join(webDir, name === "/" ? "index.html" : name);
  if (!file.startsWith(path.resolve(webDir)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream" });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/index.html`;

const browser = await puppeteer.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--window-size=1600,1000"],
});
let failed = false;
function fail(what) {
  console.log(`FAILED: ${what}`);
  failed = true;
}
function parse(text) {
  const out = {};
  for (const line of (text || "").split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
async function openPage(url) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1600, height: 1000 });
  page.on("pageerror", (e) => console.log(`pageerror: ${e.message}`));
  const t0 = Date.now();
  await page.goto(url);
  return { page, t0 };
}
async function state(page) {
  return parse(await page.$eval("#uhop-state", (e) => e.textContent));
}
// Polls the page's state until done(state) or the timeout; returns the last state.
async function waitFor(page, what, done, seconds) {
  const until = Date.now() + seconds * 1000;
  let s = {};
  while (Date.now() < until) {
    s = await state(page);
    if (done(s)) return s;
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`${what}: not within ${seconds} s; last state: ${JSON.stringify(s).slice(0, 600)}`);
  return s;
}
const numbers = ["mhm_nearest", "uhop_nearest", "query_sum", "stage1_steps", "stage2_steps", "stage1_loss",
  "stage2_error", "query_margin_mhm", "query_margin_uhop", "memories", "target", "source"];
function print(prefix, s) {
  for (const k of numbers) console.log(`${prefix}.${k}=${s[k] ?? ""}`);
}

try {
  // 1. No input: the story plays to its verdict (step 4 of 5 done).
  const { page, t0 } = await openPage(base);
  const first = await waitFor(page, "first frame", (s) => Number(s.frames) > 0, 30);
  console.log(`first_frame_ms=${first.first_frame_ms}`);
  console.log(`load_to_state_ms=${Date.now() - t0}`);
  const verdict = await waitFor(page, "the story's verdict", (s) => (s.story_step === "4" || s.story_step === "5") && s.story_step_done === "1"
                                && s.busy === "0", 240);
  print("verdict", verdict);
  await page.screenshot({ path: `${outDir}/web_story_verdict.png` });
  console.log(`web_link=${verdict.link}`);

  // 2. A click on Stage I's Step button takes one step, and ends the story's autoplay: the first click counts (the
  //    story stops after the release, so its bar's going cannot move the button away mid-click; frame_loop.cpp).
  //    Later tries (a click lost to the browser) click where the latest state puts the button.
  const before = Number(verdict.stage1_steps);
  let stepped = null, clicks = 0;
  for (let attempt = 0; attempt < 5 && !stepped; ++attempt) {
    const s0 = await state(page);
    const [x, y, w, h] = s0["rect.widget.stage1_step"].split(",").map(Number);
    await page.mouse.click(x + w / 2, y + h / 2);
    const until = Date.now() + 15000;
    while (Date.now() < until) {
      const t = await state(page);
      if (Number(t.stage1_steps) === before + 1 && t.busy === "0") {
        stepped = t;
        break;
      }
      if (Number(t.stage1_steps) !== before || Number(t.frames) >= Number(s0.frames) + 60) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    clicks = attempt + 1;
    console.log(`click ${attempt + 1}: story=${(await state(page)).story} stage1_steps=${(await state(page)).stage1_steps}`);
  }
  if (stepped && (await state(page)).story !== "off") fail("the click on Step did not end the story");
  if (!stepped || clicks > 1) {
    fail(`a click on Step did not take one step at once (${clicks} clicks)`);
    stepped = await state(page);
  }
  print("after_step", stepped);
  await page.screenshot({ path: `${outDir}/web_after_step.png` });
  const linkAfterStep = (await state(page)).link;
  console.log(`after_step_link=${linkAfterStep}`);
  await page.close();

  // 3. The page's own link, opened in a fresh page, shows the same numbers.
  {
    const { page: p2 } = await openPage(`${base}${linkAfterStep}`);
    const s = await waitFor(p2, "the web link's state", (t) => t.stage1_steps === stepped.stage1_steps &&
                            t.busy === "0" && t.memories === stepped.memories, 240);
    print("opened_web_link", s);
    if (s.story !== "off" && s.story !== "") console.log(`note: story=${s.story} after opening a link`);
    await p2.close();
  }
  // 4. The desktop's link opens here.
  if (desktopLink) {
    const { page: p3 } = await openPage(`${base}${desktopLink.startsWith("#") ? desktopLink : "#" + desktopLink.split("#")[1]}`);
    const s = await waitFor(p3, "the desktop link's state", (t) => Number(t.stage1_steps) > 0 && t.busy === "0" &&
                            Number(t.memories) > 0, 240);
    print("opened_desktop_link", s);
    await p3.close();
  }
  // 5. Scripted work: the capacity lab (pumped between frames: no threads here) fills its rows, and exports (a
  //    plot as SVG, a session) arrive as downloads.
  {
    const { page: p5 } = await openPage(base);
    const downloads = `${outDir}/downloads`;
    fs.mkdirSync(downloads, { recursive: true });
    const cdp = await p5.createCDPSession();
    await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads });
    await waitFor(p5, "the page's first frames", (t) => Number(t.frames) > 0, 30);
    await p5.evaluate(() => Module.uhopRun("record start run.gif fps=5 panel=loss\nload builtin:glyphs\n" +
      "stage1 steps=5\nwait\nrecord stop\nexport-plot loss loss.svg\nsave-session s.json\ncapacity view=curves dim=10 alphas=0.2:0.8:4 betas=1 trials=20\n"));
    const cap = await waitFor(p5, "the capacity rows", (t) => t.capacity_rows === "4" && t.capacity_running === "0",
                              120);
    console.log(`capacity.rows=${cap.capacity_rows} capacity.error=${cap.capacity_error}`);
    // The phase diagram is drawn by core's routine into the window (no cairo here), and PNG exports are the SVG
    // drawn by the page on a canvas.
    await p5.evaluate(() => Module.uhopRun("capacity view=phase dim=8 alphas=0.2:0.8:3 betas=1,2 trials=4\nwait\n" +
      "export-plot capacity-phase phase.png\nexport-plot loss loss.png\n" +
      // A sweep on the packed Fashion-MNIST: consecutive blocks (pick=first) lie in the images the page holds.
      "load builtin:fashion-mnist count=20\nwait\n" +
      "sweep vary=M values=10,20 methods=mhm,uhop seeds=1 stage1_steps=5 pick=first out=sw\nwait\n" +
      "export-plot sweep sweep.svg\n"));
    const phase = await waitFor(p5, "the phase diagram", (t) => t.capacity_view === "phase" && t.capacity_rows === "6" &&
                                t.capacity_running === "0", 120);
    console.log(`capacity.phase_rows=${phase.capacity_rows}`);
    const until = Date.now() + 20000;
    const want = ["loss.svg", "s.json", "phase.png", "loss.png", "run.gif", "sweep.svg"];
    while (Date.now() < until && !want.every((f) => fs.existsSync(`${downloads}/${f}`))) {
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const f of want) {
      if (!fs.existsSync(`${downloads}/${f}`)) fail(`no download of ${f} (have: ${fs.readdirSync(downloads)})`);
    }
    if (fs.existsSync(`${downloads}/loss.svg`) && !fs.readFileSync(`${downloads}/loss.svg`, "utf8").includes("<svg"))
      fail("loss.svg is not an SVG");
    if (fs.existsSync(`${downloads}/run.gif`) && fs.readFileSync(`${downloads}/run.gif`).subarray(0, 3).toString() !== "GIF")
      fail("run.gif is not a GIF");
    for (const f of ["phase.png", "loss.png"]) {
      const p = `${downloads}/${f}`;
      if (fs.existsSync(p) && fs.readFileSync(p).subarray(1, 4).toString() !== "PNG") fail(`${f} is not a PNG`);
    }
    console.log(`downloads=${fs.readdirSync(downloads).join(",")}`);
    const after = await state(p5);
    if (after.errors !== "0") fail(`errors in the scripted part: ${after.last_error}`);
    await p5.screenshot({ path: `${outDir}/web_capacity.png` });
    await p5.close();
  }
  // 6. The user's own images, as a drop or the file picker hands them over: three PNGs made by a canvas, decoded by
  //    the page (no libpng in wasm) and loaded as a folder of memories.
  {
    const { page: p6 } = await openPage(base);
    await waitFor(p6, "the page's first frames", (t) => Number(t.frames) > 0, 30);
    await p6.evaluate(async () => {
      const files = [];
      for (let k = 0; k < 3; ++k) {
        const c = document.createElement("canvas");
        c.width = 12, c.height = 10;
        const g = c.getContext("2d");
        g.fillStyle = "#000";
        g.fillRect(0, 0, 12, 10);
        g.fillStyle = "#fff";
        g.fillRect(k * 4, 0, 4, 10);  // a white bar in a different place per image
        const blob = await new Promise((r) => c.toBlob(r, "image/png"));
        files.push(new File([blob], `bar ${k}.png`, { type: "image/png" }));
      }
      await Module.uhopReceive(files);
    });
    const s = await waitFor(p6, "the dropped images as memories", (t) => t.memories === "3" &&
                            (t.source || "").startsWith("/upload/") && t.busy === "0", 60);
    console.log(`dropped.source=${s.source} dropped.memories=${s.memories} dropped.errors=${s.errors}`);
    if (s.errors !== "0") fail(`the dropped images gave an error: ${s.last_error}`);
    await p6.screenshot({ path: `${outDir}/web_dropped_images.png` });
    // The session saved in part 5 (s.json and its side file s.w.csv, as downloaded), dropped together: it opens as
    // a session (5 Stage I steps on the glyphs), not as memories.
    const downloads = `${outDir}/downloads`;
    const session = ["s.json", "s.w.csv"].map((f) => [f, Array.from(fs.readFileSync(`${downloads}/${f}`))]);
    await p6.evaluate(async (files) => {
      await Module.uhopReceive(files.map(([name, bytes]) => new File([new Uint8Array(bytes)], name,
                                                                     { type: name.endsWith(".json") ? "application/json" : "text/csv" })));
    }, session);
    const opened = await waitFor(p6, "the dropped session", (t) => t.source === "builtin:glyphs" &&
                                 t.stage1_steps === "5" && t.busy === "0", 60);
    console.log(`dropped_session.source=${opened.source} stage1_steps=${opened.stage1_steps} errors=${opened.errors}`);
    if (opened.errors !== "0") fail(`the dropped session gave an error: ${opened.last_error}`);
    await p6.close();
  }
  // 7. A hostile link: refused with a message; the page keeps running.
  {
    const { page: p4 } = await openPage(`${base}#s=1.${"A".repeat(50000)}`);
    const s = await waitFor(p4, "a message for a hostile link", (t) => (t.last_error || "").length > 0, 60);
    console.log(`hostile.last_error=${s.last_error}`);
    const later = await waitFor(p4, "frames after the hostile link", (t) => Number(t.frames) > Number(s.frames), 20);
    console.log(`hostile.frames_after=${later.frames}`);
    await p4.screenshot({ path: `${outDir}/web_hostile_link.png` });
    await p4.close();
  }
} catch (e) {
  fail(`exception: ${e.stack || e}`);
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
