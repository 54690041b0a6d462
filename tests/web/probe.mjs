// A look at the page by hand: node tests/web/probe.mjs URL SECONDS SCREENSHOT -> prints the state and console.
import puppeteer from "puppeteer-core";
const [url, seconds, shot] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--window-size=1600,1000"],
});
const page = await browser.newPage();
await page.setViewport({ width: 1600, height: 1000 });
page.on("console", (m) => console.log("console:", m.text()));
page.on("pageerror", (e) => console.log("pageerror:", e.message));
await page.goto(url);
await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
console.log(await page.$eval("#uhop-state", (e) => e.textContent));
await page.screenshot({ path: shot });
await browser.close();
