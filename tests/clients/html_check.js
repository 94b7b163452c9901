// Open each HTML edition in one headless Chromium (Debian's), measure sideways scrolling at
// phone widths and run axe-core with every rule enabled (experimental ones too).
// Usage: node html_check.js USER_DATA_DIR FILE.html...  Prints one JSON object keyed by file.
'use strict';
const path = require('path');
const chromium = require('../chromium');
const axeSource = require('fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const WIDTHS = [320, 390, 1280];

(async () => {
  const [userDataDir, ...files] = process.argv.slice(2);
  const browser = await chromium.launch({ userDataDir });
  const out = {};
  try {
    const page = await browser.newPage();
    // Nothing but the file itself may load: the edition is self-contained.
    await page.setRequestInterception(true);
    const requests = [];
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('file://') || url.startsWith('data:')) return request.continue();
      requests.push(url.slice(0, 80));
      return request.abort();
    });
    await page.setBypassCSP(true);  // axe-core is injected by the test, not by the edition
    for (const file of files) {
      const url = 'file://' + path.resolve(file);
      const result = {overflow: {}, requests};
      for (const width of WIDTHS) {
        await page.setViewport({width, height: 800});
        await page.goto(url, {waitUntil: 'load'});
        result.overflow[width] = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      }
      await page.evaluate(axeSource);
      const found = await page.evaluate(async () => {
        const every = axe.getRules().map((rule) => rule.ruleId);
        const run = await axe.run(document, {
          runOnly: {type: 'rule', values: every}, resultTypes: ['violations'],
        });
        return {rules: every.length, violations: run.violations.map((v) => ({
          id: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
        }))};
      });
      result.rules = found.rules;
      result.violations = found.violations;
      result.landmarks = await page.evaluate(() => ({
        main: document.querySelectorAll('main').length,
        skip: (document.querySelector('a.skip-link') || {}).hash || null,
      }));
      out[file] = result;
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
})().catch((error) => { console.error(String(error)); process.exit(1); });
