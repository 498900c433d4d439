// Takes screenshots of the editor's main states in a real headless Chromium, and checks the
// main flows on the way (a quick smoke test, not the project's end-to-end suite).
//
//   npm i --no-save playwright-core          # not a project dependency; `npm ci` removes it again
//   BASE=http://127.0.0.1:8080/ OUT=docs/screenshots node dev/screenshots.cjs
//
// Works against the real server (its sample data) and against dev/mock-server.mjs.
// CHROMIUM defaults to /usr/bin/chromium (Debian's package).

const { chromium } = require('playwright-core');
const fs = require('node:fs');

const BASE = process.env.BASE || 'http://127.0.0.1:8080/';
const OUT = process.env.OUT || 'docs/screenshots';
const ROWS_SQL = process.env.ROWS_SQL || 'SELECT * FROM events ORDER BY event_id;';
const LONG_SQL = process.env.LONG_SQL || 'SELECT sum(range % 7) FROM range(1000000000000)';

(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const tid = (id) => page.locator(`[data-testid="${id}"]`);
  const setSql = (sql) => page.evaluate((s) => window.sluice.setSql(s), sql);
  const shot = async (name) => {
    await page.screenshot({ path: `${OUT}/${name}.png` });
    console.log(`${OUT}/${name}.png`);
  };

  await page.goto(BASE);
  await page.waitForSelector('[data-testid=app][data-ready=true]');
  await tid('language-switch').selectOption('en');

  // editor with results, page 2
  await setSql(ROWS_SQL);
  await page.locator('[data-testid=editor] .cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Control+Enter');
  await tid('result-grid').waitFor();
  await tid('pager-next').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=pager-range]')?.textContent?.includes('101'));
  await shot('editor-results');

  // running with Cancel, then cancelled
  await setSql(LONG_SQL);
  await tid('run-button').click();
  await tid('cancel-button').waitFor({ state: 'visible' });
  await page.waitForTimeout(1500);
  await shot('running');
  const started = Date.now();
  await tid('cancel-button').click();
  await tid('notice-cancelled').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid=run-button]').disabled);
  console.log(`cancelled; Run usable again after ${Date.now() - started} ms`);
  await shot('cancelled');

  // failed
  await setSql('SELEC 1');
  await tid('run-button').click();
  await tid('notice-failed').waitFor();
  await shot('failed');

  // history
  await tid('side-tab-history').click();
  await tid('history-item').first().waitFor();
  await shot('history');

  // Chinese, schema browser
  await tid('language-switch').selectOption('zh-CN');
  await tid('side-tab-schema').click();
  const table = page.locator('[data-testid=schema-toggle][data-kind=table]').first();
  await table.click();
  await page.locator('[data-testid=schema-item][data-kind=column]').first().waitFor();
  await tid('editor-tab-select').first().click();
  await shot('zh-schema');

  // narrow window
  await page.setViewportSize({ width: 400, height: 900 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/narrow.png`, fullPage: true });
  console.log(`${OUT}/narrow.png`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 400) errors.push(`page is ${width} px wide in a 400 px window`);

  await browser.close();
  if (errors.length) {
    console.error('errors:', errors);
    process.exit(1);
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
