// Debian's Chromium, headless, as every browser test starts it: no sandbox (tests run as root),
// no GPU, and none of its own background traffic (updates, sync, QUIC), so that a test sees
// only the requests the page makes. $CHROMIUM names another binary.
'use strict';
const puppeteer = require('puppeteer-core');

function launch(options = {}) {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...options,
  });
}

module.exports = { launch };
