import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openBrowserHarness, submitLogin, type BrowserHarness } from '../support/browser.ts';
import { generateDemoDistrict } from '../../src/domain/region/demo-district.ts';

// The map page against a real server with the demo district: grids drawn by MapLibre (WebGL in SwiftShader),
// labels as HTML overlays, search, and a click on a grid that opens its info panel.
// E2E_SCREENSHOT_DIR=<dir> keeps the screenshots (docs/screenshots/map.png comes from here).
const demo = generateDemoDistrict();

let harness: BrowserHarness;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  harness = await openBrowserHarness({ webgl: true });
  ({ browser, baseUrl } = harness);
}, 120_000);

afterAll(() => harness?.close());

async function openMap(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  await submitLogin(page, baseUrl, 'admin');
  await page.getByTestId('page-workbench').waitFor({ state: 'visible' });
  await page.goto(`${baseUrl}/map`);
  await page.getByTestId('map-ready').waitFor({ state: 'attached', timeout: 120_000 });
  return page;
}

/** Resolves once the camera has stopped and the map has drawn everything it has. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.__zhizhiMap!;
        const done = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
        if (!map.isMoving() && map.loaded()) done();
        else map.once('idle', done);
      }),
  );
}

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name) });
}

function centroid(code: string): [number, number] {
  const ring = demo.grids.find((g) => g.code === code)!.geometry.coordinates[0]!.slice(0, -1);
  return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
}

/** Clicks the first of `codes` whose centre lies in the open part of the map (not under the legend or drawer). */
async function clickGrid(page: Page, codes: string[]): Promise<string> {
  const box = (await page.getByTestId('map-canvas').boundingBox())!;
  const legend = (await page.getByTestId('map-legend').boundingBox())!;
  const drawer = await page.locator('.ant-drawer-content-wrapper').boundingBox();
  for (const code of codes) {
    const [lng, lat] = centroid(code);
    const p = await page.evaluate(([x, y]) => window.__zhizhiMap!.project([x!, y!]), [lng, lat]);
    const x = box.x + p.x;
    const y = box.y + p.y;
    const inside = (r: { x: number; y: number; width: number; height: number } | null) =>
      !!r && x > r.x - 8 && x < r.x + r.width + 8 && y > r.y - 8 && y < r.y + r.height + 8;
    if (x < box.x + 10 || x > box.x + box.width - 60 || y < box.y + 60 || y > box.y + box.height - 60)
      continue;
    if (x < legend.x + legend.width + 16 || inside(drawer)) continue;
    await page.mouse.click(x, y);
    return code;
  }
  throw new Error(`none of ${codes.join(', ')} is clickable`);
}

describe('map page', () => {
  it('draws the demo district with labels, finds a grid by code and opens a clicked grid', async () => {
    const page = await openMap({ width: 1280, height: 800 });

    // All grids of the district are loaded and drawn (at the overview zoom tiling may drop a few slivers of a
    // square metre or two), with street and community names.
    expect(await page.getByTestId('map-toggle-grids').innerText()).toContain(String(demo.grids.length));
    const drawn = await page.evaluate(() => {
      const codes = new Set(window.__zhizhiMap!.querySourceFeatures('grids').map((f) => f.properties.code));
      return codes.size;
    });
    expect(drawn).toBeGreaterThan(demo.grids.length * 0.98);
    expect(await page.getByTestId('map-label-street').count()).toBe(4);
    expect(await page.getByTestId('map-label-community').count()).toBeGreaterThanOrEqual(12);
    expect(await page.getByTestId('map-label-grid').count()).toBe(0);
    await screenshot(page, 'map.png');

    // Search by code flies to the grid, where the grid codes are labelled, and opens its panel.
    const target = demo.grids[40]!;
    await page.getByTestId('map-search').locator('input').fill(target.code);
    await page.locator(`[data-testid="map-search-option"][data-code="${target.code}"]`).click();
    await page.locator(`[data-testid="grid-info"][data-code="${target.code}"]`).waitFor({ state: 'visible' });
    await settle(page);
    const label = page.locator(`[data-testid="map-label-grid"][data-code="${target.code}"]`);
    await label.waitFor({ state: 'visible' });
    expect(await label.innerText()).toMatch(/^\d{15}/);
    expect(await page.getByTestId('map-label-grid').count()).toBeGreaterThan(4);
    await screenshot(page, 'map-grid.png');

    // Click a neighbouring grid: the panel switches to it, with its details.
    const [tx, ty] = centroid(target.code);
    const neighbours = demo.grids
      .filter((g) => g.code !== target.code)
      .map((g) => ({ code: g.code, d: Math.hypot(centroid(g.code)[0] - tx, centroid(g.code)[1] - ty) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 8)
      .map((g) => g.code);
    const clicked = await clickGrid(page, neighbours);
    const info = page.locator(`[data-testid="grid-info"][data-code="${clicked}"]`);
    await info.waitFor({ state: 'visible' });
    expect(await page.getByTestId('grid-info-code').innerText()).toContain(clicked);
    const grid = demo.grids.find((g) => g.code === clicked)!;
    await expect.poll(() => page.getByTestId('grid-info-name').innerText()).toBe(grid.name);
    expect(await page.getByTestId('grid-info-area').innerText()).toMatch(/^[\d,]+ m²/);
    await page.getByTestId('grid-info-workers').waitFor({ state: 'visible' });
    await page.getByTestId('grid-info-departments').waitFor({ state: 'visible' });
    await page.context().close();
  }, 180_000);

  it('on a phone the info panel is a bottom sheet', async () => {
    const page = await openMap({ width: 375, height: 800 });
    const target = demo.grids[100]!;
    await page.getByTestId('map-search').locator('input').fill(target.code);
    await page.locator(`[data-testid="map-search-option"][data-code="${target.code}"]`).click();
    const info = page.locator(`[data-testid="grid-info"][data-code="${target.code}"]`);
    await info.waitFor({ state: 'visible' });
    const box = (await info.boundingBox())!;
    expect(box.y).toBeGreaterThan(800 / 3);
    expect(box.width).toBeGreaterThan(300);
    await settle(page);
    await screenshot(page, 'map-phone.png');
    await page.context().close();
  }, 180_000);
});
