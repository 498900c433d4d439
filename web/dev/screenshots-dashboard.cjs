// Takes the dashboard and lint screenshots (dashboard.png, lint-warning.png) in headless Chromium
// and checks the flows on the way. Against dev/mock-server.mjs (its made-up usage) or a real server
// with usage, budgets and lint (DashboardUiTest takes the same pictures there).
//
//   npm i --no-save playwright-core
//   node dev/mock-server.mjs --static target/classes/sluice-web &   # after npm run build
//   BASE=http://127.0.0.1:8091/ OUT=../docs/screenshots node dev/screenshots-dashboard.cjs

const { chromium } = require('playwright-core');
const fs = require('node:fs');

const BASE = process.env.BASE || 'http://127.0.0.1:8091/';
const OUT = process.env.OUT || '../docs/screenshots';

(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 1400 }, locale: 'en-US', timezoneId: 'UTC' });
  await context.addInitScript(() => window.localStorage.setItem('sluice.locale', 'en'));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const tid = (id) => page.locator(`[data-testid="${id}"]`);
  const shot = async (name) => {
    await page.screenshot({ path: `${OUT}/${name}.png` });
    console.log(`${OUT}/${name}.png`);
  };

  await page.goto(`${BASE}#dashboard`);
  await page.waitForSelector('[data-testid=app][data-ready=true]');
  await page.waitForSelector('[data-testid=dashboard][data-loaded=true]');
  await page.waitForSelector('[data-testid=chart-daily-canvas] svg path', { state: 'attached' });
  const box = await tid('chart-monthly-canvas').locator('svg').boundingBox();
  if (!box || box.width < 100 || box.height < 100) throw new Error(`monthly chart not drawn: ${JSON.stringify(box)}`);
  console.log(`budgets ${await tid('budget-card').count()}, warnings ${await tid('budget-warning').count()}, `
    + `top ${await tid('top-query').count()}, users ${await tid('usage-user').count()}`);
  await shot('dashboard');

  await page.setViewportSize({ width: 1280, height: 800 });
  await tid('nav-editor').click();
  await tid('engine-select').selectOption('athena');
  await page.evaluate(() => window.sluice.setSql('SELECT *\nFROM cloudfront_logs'));
  await tid('max-scan-input').fill('5');
  await tid('run-button').click();
  await tid('confirm-dialog').waitFor({ state: 'visible' });
  console.log('lint:', await tid('confirm-item').allInnerTexts());
  await shot('lint-warning');
  await tid('confirm-cancel').click();

  if (errors.length) throw new Error(errors.join('\n'));
  await browser.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
