// Headless Chromium (Debian's) opens a deployment's Run form in the Prefect UI and prints what
// an editor can choose: each <select> (its options, whether several can be chosen) and the
// page text (field names and descriptions), as JSON. Optional 3rd argument: a screenshot path.
// usage: node run_form.js UI-URL DEPLOYMENT-ID [SCREENSHOT.png]
const chromium = require("../chromium");

(async () => {
  const [ui, deployment, screenshot] = process.argv.slice(2);
  const browser = await chromium.launch();
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1400 });
    await page.goto(`${ui}/deployments/deployment/${deployment}/run`, { waitUntil: "load" });
    await page.waitForFunction(() => document.querySelectorAll("select").length > 0,
                               { timeout: 60000, polling: 250 });
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    const selects = await page.$$eval("select", (all) => all.map((s) => ({
      multiple: s.multiple, options: [...s.options].map((o) => o.value).filter((v) => v) })));
    const text = await page.evaluate(() => document.body.innerText);
    console.log(JSON.stringify({ selects, text }));
  } finally {
    await browser.close();
  }
})().catch((err) => { console.error(String(err)); process.exit(1); });
