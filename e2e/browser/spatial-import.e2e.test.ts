import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserHarness, submitLogin, type BrowserHarness } from '../support/browser.ts';

// The upload page: a GeoJSON file with a duplicate code and a self-intersecting (bow-tie) polygon is validated in
// the browser; the progress bar ends in failure and the report names each bad feature by index and reason.
const square = (x: number, y: number, d: number) => [
  [
    [x, y],
    [x + d, y],
    [x + d, y + d],
    [x, y + d],
    [x, y],
  ],
];
const bowTie = [
  [
    [116.3505, 39.9215],
    [116.351, 39.922],
    [116.351, 39.9215],
    [116.3505, 39.922],
    [116.3505, 39.9215],
  ],
];
const feature = (code: string, name: string, coordinates: number[][][]) => ({
  type: 'Feature',
  properties: { code, name },
  geometry: { type: 'Polygon', coordinates },
});

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await openBrowserHarness();
}, 180_000);

afterAll(() => harness?.close());

describe('spatial import page', () => {
  it('validates an upload and shows the report with a progress bar', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zhizhi-upload-')), 'bad.geojson');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          feature('990102001001901', '甲', square(116.3505, 39.9205, 0.0005)),
          feature('990102001001901', '乙', square(116.3515, 39.9205, 0.0005)),
          feature('990102001001902', '丙', bowTie),
        ],
      }),
    );
    const page = await harness.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await submitLogin(page, harness.baseUrl, 'admin');
    await page.getByTestId('page-workbench').waitFor({ state: 'visible' });
    await page.goto(`${harness.baseUrl}/system/import`);
    await page.getByTestId('page-spatial-import').waitFor({ state: 'visible' });
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('spatial-validate').click();
    const failed = page.locator('.ant-progress-status-exception');
    await failed.waitFor({ state: 'visible', timeout: 60_000 });
    const rows = page.locator('.ant-table-tbody tr');
    await rows.first().waitFor({ state: 'visible' });
    const text = await rows.allInnerTexts();
    expect(text.some((r) => r.startsWith('1') && r.includes('编码重复'))).toBe(true);
    expect(text.some((r) => r.startsWith('2') && r.includes('多边形自相交'))).toBe(true);
    await page.close();
  }, 120_000);
});
