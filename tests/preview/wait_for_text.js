// Headless Chromium (Debian's) opens the preview and waits, without any action of its own,
// until the page shows TEXT: it only appears if the page reloads by itself after a save.
// usage: node wait_for_text.js URL TEXT TIMEOUT-MS   -> prints "reloaded N" or exits 1
const chromium = require("../chromium");

(async () => {
  const [url, text, timeout] = process.argv.slice(2);
  const browser = await chromium.launch();
  try {
    const page = await browser.newPage();
    let loads = 0;
    page.on("load", () => { loads += 1; });
    await page.goto(url, { waitUntil: "load" });
    console.log("opened");
    await page.waitForFunction((t) => document.body.innerText.includes(t), {
      timeout: Number(timeout), polling: 200 }, text);
    console.log(`reloaded ${loads - 1}`);
  } finally {
    await browser.close();
  }
})().catch((err) => { console.error(String(err)); process.exit(1); });
