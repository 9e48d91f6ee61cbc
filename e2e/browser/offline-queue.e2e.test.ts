import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generateDemoDistrict } from '../../src/domain/region/demo-district.ts';
import { DEMO_PASSWORD, openBrowserHarness, submitLogin, type BrowserHarness } from '../support/browser.ts';
import { API, login, type Client } from '../support/http.ts';

// A grid worker reports while offline: the reports wait on the phone with their Idempotency-Keys, are sent when
// the network returns, and replaying the queue (a stale copy, a reload) never creates a second case.
const demo = generateDemoDistrict();
const QUEUE_KEY = 'zhizhi.offline-reports';
const PREFIX = `离线上报${Date.now().toString(36)}`;

let harness: BrowserHarness;
let browser: Browser;
let baseUrl: string;
let api: Client;

beforeAll(async () => {
  harness = await openBrowserHarness();
  ({ browser, baseUrl } = harness);
  api = await login(baseUrl, 'gridworker', DEMO_PASSWORD);
}, 180_000);

afterAll(() => harness?.close());

/** The centre of the first grid of the grid worker's community. */
function homePoint(): [number, number] {
  const grid = demo.grids.find((g) => g.code.startsWith('990102001001'))!;
  const ring = grid.geometry.coordinates[0]!.slice(0, -1);
  const round = (n: number) => Math.round(n * 1e6) / 1e6;
  return [
    round(ring.reduce((s, p) => s + p[0], 0) / ring.length),
    round(ring.reduce((s, p) => s + p[1], 0) / ring.length),
  ];
}

async function casesWithPrefix(): Promise<{ title: string; channel?: string }[]> {
  const r = await api.get<{ items: { id: string; title: string }[]; total: number }>(
    `${API}/cases?q=${encodeURIComponent(PREFIX)}&pageSize=50`,
  );
  expect(r.status).toBe(200);
  return r.json.items;
}

async function pickCategory(page: Page, name: string): Promise<void> {
  await page.locator('#case-create_category').click();
  await page.locator('#case-create_category').fill(name);
  await page.locator('.ant-cascader-menu-item', { hasText: name }).first().click();
}

async function fillReport(page: Page, title: string, withCategory: boolean): Promise<void> {
  const [lng, lat] = homePoint();
  if (withCategory) await pickCategory(page, '暴露垃圾');
  await page.locator('#case-create_title').fill(title);
  await page.locator('#case-create_description').fill('巡查发现路边垃圾堆积');
  await page.locator('#case-create_lng').fill(String(lng));
  await page.locator('#case-create_lat').fill(String(lat));
  await page.locator('#case-create_lat').blur();
}

const queueLength = (page: Page) =>
  page.evaluate((key) => (JSON.parse(localStorage.getItem(key) ?? '[]') as unknown[]).length, QUEUE_KEY);

describe('offline reports', () => {
  let context: BrowserContext;
  let page: Page;

  it('queues two reports offline, syncs them once, and a replayed queue creates nothing new', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    page = await context.newPage();
    await submitLogin(page, baseUrl, 'gridworker');
    await page.getByTestId('page-workbench').waitFor({ state: 'visible' });
    await page.goto(`${baseUrl}/cases/new`);
    await page.getByTestId('page-case-create').waitFor({ state: 'visible' });
    // Everything the form needs is loaded before the network goes: the map chunk and the categories.
    await page
      .getByTestId('case-point-map')
      .or(page.getByText('当前浏览器无法显示地图'))
      .first()
      .waitFor({ state: 'visible' });
    await pickCategory(page, '暴露垃圾');
    expect(await casesWithPrefix()).toHaveLength(0);

    await context.setOffline(true);
    await fillReport(page, `${PREFIX}-1`, false);
    await page.getByTestId('case-create-submit').click();
    await page.getByTestId('offline-queue-count').filter({ hasText: '1 条待同步' }).waitFor();
    expect(await page.getByTestId('offline-indicator').isVisible()).toBe(true);
    await fillReport(page, `${PREFIX}-2`, true);
    await page.getByTestId('case-create-submit').click();
    await page.getByTestId('offline-queue-count').filter({ hasText: '2 条待同步' }).waitFor();
    expect(await page.getByTestId('offline-sync').isDisabled()).toBe(true);
    // Nothing reached the server; the queue holds both with their own keys.
    expect(await casesWithPrefix()).toHaveLength(0);
    const stored = await page.evaluate((key) => localStorage.getItem(key)!, QUEUE_KEY);
    const entries = JSON.parse(stored) as { idempotencyKey: string; body: { title: string } }[];
    expect(entries.map((e) => e.body.title)).toEqual([`${PREFIX}-1`, `${PREFIX}-2`]);
    expect(new Set(entries.map((e) => e.idempotencyKey)).size).toBe(2);

    // Back online, but the first automatic attempt is cut off: the entries stay, counted as attempted.
    await page.route('**/api/v1/cases', (route) =>
      route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue(),
    );
    await context.setOffline(false);
    await page.waitForFunction(
      (key) =>
        (JSON.parse(localStorage.getItem(key) ?? '[]') as { attempts: number }[]).some((e) => e.attempts > 0),
      QUEUE_KEY,
    );
    expect(await queueLength(page)).toBe(2);
    await page.unroute('**/api/v1/cases');

    // 立即同步 sends both; the bar goes away.
    await page.getByTestId('offline-sync').click();
    await page.getByTestId('offline-queue-bar').waitFor({ state: 'hidden' });
    expect(await queueLength(page)).toBe(0);
    const created = await casesWithPrefix();
    expect(created.map((c) => c.title).sort()).toEqual([`${PREFIX}-1`, `${PREFIX}-2`]);

    // A stale copy of the queue comes back (another tab, a restored backup) and the app restarts: it is sent
    // again with the same keys and bodies, the server answers with the same two cases, and the queue empties.
    await page.evaluate(([key, value]) => localStorage.setItem(key!, value!), [QUEUE_KEY, stored]);
    await page.reload();
    await page.getByTestId('page-case-create').waitFor({ state: 'visible' });
    await page.waitForFunction(
      (key) => (JSON.parse(localStorage.getItem(key) ?? '[]') as unknown[]).length === 0,
      QUEUE_KEY,
    );
    const after = await casesWithPrefix();
    expect(after.map((c) => c.title).sort()).toEqual([`${PREFIX}-1`, `${PREFIX}-2`]);

    // And the reports are what the worker filed: patrol reports in the home community, awaiting filing.
    for (const c of after as unknown as { id: string }[]) {
      const detail = await api.get<{ channel: string; state: string; gridCode: string }>(
        `${API}/cases/${c.id}`,
      );
      expect(detail.json).toMatchObject({ channel: 'patrol', state: 'pending_filing' });
      expect(detail.json.gridCode.startsWith('990102001001')).toBe(true);
    }
    await context.close();
  });
});
