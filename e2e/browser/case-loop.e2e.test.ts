import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openBrowserHarness, submitLogin, type BrowserHarness } from '../support/browser.ts';
import { anonymous, API } from '../support/http.ts';
import { tinyPng } from '../../test/support/test-images.ts';
import { generateDemoDistrict } from '../../src/domain/region/demo-district.ts';

// One case through the whole closed loop in Chromium, every step in the role's own pages: a citizen reports with a
// photo → the intake operator accepts it (受理) and the shift lead files it (立案) → the dispatcher dispatches it to the
// suggested department → the handler returns it once → it is re-dispatched, accepted and handled with an
// after-photo → the grid worker's check fails → rework → the check passes → the shift lead closes it → the citizen
// rates it 满意 on the tracking page. E2E_SCREENSHOT_DIR=<dir> keeps screenshots of each page.

const demo = generateDemoDistrict();
/** The grid worker's community: the inspector's check must be in their scope. */
const HOME = '990102001001';

let harness: BrowserHarness;
let browser: Browser;
let baseUrl: string;
/** One API session for the checks, signed in once: sign-ins are rate limited per address (LOGIN_RATE_PER_MINUTE). */
let adminSession: Promise<ReturnType<typeof anonymous>> | null = null;
const admin = () => {
  adminSession ??= (async () => {
    const c = anonymous(baseUrl);
    const r = await c.login('admin', 'Zhizhi@2026');
    if (r.status !== 200) throw new Error(`admin sign-in: HTTP ${r.status} ${r.text}`);
    return c;
  })();
  return adminSession;
};

beforeAll(async () => {
  harness = await openBrowserHarness();
  ({ browser, baseUrl } = harness);
}, 180_000);

afterAll(() => harness?.close());

function homePoint(): [number, number] {
  const grid = demo.grids.find((g) => g.communityCode === HOME)!;
  const ring = grid.geometry.coordinates[0]!.slice(0, -1);
  const lng = ring.reduce((s, p) => s + p[0], 0) / ring.length;
  const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
  return [Math.round(lng * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
}

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name), fullPage: true });
}

function photo(name: string, rgb: [number, number, number]) {
  return { name, mimeType: 'image/png', buffer: tinyPng(64, 48, rgb) };
}

async function staffPage(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await submitLogin(page, baseUrl, username);
  await page.getByTestId('page-workbench').waitFor({ state: 'visible' });
  return page;
}

interface CaseFacts {
  state: string;
  version: number;
  attachments?: { purpose: string }[];
  suggestedDepartment: { id: string; name: string } | null;
}

async function facts(id: string): Promise<CaseFacts> {
  const res = await (await admin()).get<CaseFacts>(`${API}/cases/${id}`);
  expect(res.status).toBe(200);
  return res.json;
}

/** Opens the case, runs one action through its modal, and waits until the server has the expected state. */
async function act(
  page: Page,
  id: string,
  event: string,
  expectState: string,
  fill?: (page: Page) => Promise<void>,
): Promise<void> {
  await page.goto(`${baseUrl}/cases/${id}`);
  await page.getByTestId('case-detail').waitFor({ state: 'visible' });
  await page.getByTestId(`case-action-${event}`).click();
  const modal = page.locator('.ant-modal').last();
  await modal.waitFor({ state: 'visible' });
  if (fill) await fill(page);
  await page.getByTestId('case-action-confirm').click();
  await modal.waitFor({ state: 'hidden', timeout: 30_000 });
  await expect.poll(async () => (await facts(id)).state, { timeout: 15_000 }).toBe(expectState);
}

const reason = (text: string) => async (page: Page) => {
  await page.locator('.ant-modal #case-action_reason').fill(text);
};

const evidence = (name: string, rgb: [number, number, number]) => async (page: Page) => {
  const upload = page.getByTestId('case-action-evidence');
  await upload.locator('input[type=file]').setInputFiles(photo(name, rgb));
  await upload.locator('.ant-upload-list-item-done, .ant-upload-list-item-container img').first().waitFor();
};

describe('the case closed loop, end to end in the browser', () => {
  it('citizen → intake → shift lead → dispatcher → handler (return, handle) → inspector (fail, pass) → close → rating', async () => {
    // 1. A citizen reports a problem with a photo on the public form, without an account.
    const citizen = await (
      await browser.newContext({ viewport: { width: 412, height: 915 }, locale: 'zh-CN', isMobile: true })
    ).newPage();
    await citizen.goto(`${baseUrl}/report`);
    await citizen.getByTestId('page-report').waitFor({ state: 'visible' });
    await citizen.getByTestId('report-category').click();
    await citizen.keyboard.type('小城镇建设');
    await citizen.locator('.ant-cascader-menu-item').filter({ hasText: '小城镇建设' }).first().click();
    await citizen.getByTestId('report-title').fill('小区门口路面塌陷');
    await citizen.getByTestId('report-description').fill('人行道塌了一个坑，老人经过很危险');
    const [lng, lat] = homePoint();
    await citizen
      .getByTestId('report-lng')
      .locator('input')
      .or(citizen.getByTestId('report-lng'))
      .first()
      .fill(String(lng));
    await citizen
      .getByTestId('report-lat')
      .locator('input')
      .or(citizen.getByTestId('report-lat'))
      .first()
      .fill(String(lat));
    await citizen.getByTestId('report-address').fill('示范路 18 号');
    await citizen.getByTestId('report-phone').fill('13912345678');
    await citizen
      .getByTestId('report-photos')
      .locator('input[type=file]')
      .setInputFiles(photo('before.png', [180, 60, 40]));
    await citizen.getByTestId('report-photos').locator('.ant-upload-list-item-done, img').first().waitFor();
    await screenshot(citizen, 'loop-1-report.png');
    await citizen.getByTestId('report-submit').click();
    const code = (await citizen.getByTestId('report-code').innerText({ timeout: 30_000 })).trim();
    expect(code).toMatch(/^\d{13}$/);
    const trackHref = await citizen
      .getByTestId('report-track-link')
      .evaluate((a) => (a instanceof HTMLAnchorElement ? a.href : (a.textContent ?? '')));
    expect(trackHref).toMatch(/\/track\/[A-Za-z0-9_-]{20,}/);
    await screenshot(citizen, 'loop-2-receipt.png');

    const found = await (
      await admin()
    ).get<{ items: { id: string; code: string }[] }>(`${API}/cases?q=${code}`);
    const id = found.json.items.find((c) => c.code === code)!.id;
    let f = await facts(id);
    expect(f.state).toBe('reported');
    expect(f.attachments?.filter((a) => a.purpose === 'report')).toHaveLength(1);

    // 2. The intake operator accepts it (受理); the shift lead files it (立案).
    const intake = await staffPage('intake');
    await act(intake, id, 'register', 'pending_filing');
    const shiftlead = await staffPage('shiftlead');
    await act(shiftlead, id, 'file', 'filed');

    // 3. The dispatcher dispatches it: the suggested department is preselected.
    f = await facts(id);
    expect(f.suggestedDepartment?.name).toBe('区城市管理委员会');
    const dispatcher = await staffPage('dispatcher');
    await act(dispatcher, id, 'dispatch', 'dispatched', async (page) => {
      const selected = page.locator('.ant-modal .ant-select').first();
      await expect.poll(() => selected.innerText()).toContain('区城市管理委员会');
      await screenshot(page, 'loop-3-dispatch.png');
    });

    // 4. The handler returns it once (回退); the dispatcher re-dispatches it.
    const handler = await staffPage('handler');
    await act(handler, id, 'return', 'returned', reason('不属于本部门职责，请核实权属'));
    await act(dispatcher, id, 'dispatch', 'dispatched');

    // 5. The handler accepts it and handles it with an after-photo.
    await act(handler, id, 'accept', 'in_progress');
    await act(handler, id, 'handle', 'pending_check', evidence('after-1.png', [90, 90, 90]));

    // 6. The inspector's check fails → rework; handled again; the check passes with a photo.
    const gridworker = await staffPage('gridworker');
    await act(gridworker, id, 'check_fail', 'rework', reason('坑已填但未压实，仍有积水'));
    await act(handler, id, 'handle', 'pending_check', evidence('after-2.png', [120, 120, 120]));
    await act(gridworker, id, 'check_pass', 'pending_close', evidence('check.png', [60, 160, 60]));

    // 7. The shift lead closes it (结案).
    await act(shiftlead, id, 'close', 'closed');
    await shiftlead.goto(`${baseUrl}/cases/${id}`);
    await shiftlead.getByTestId('case-timeline').waitFor({ state: 'visible' });
    await screenshot(shiftlead, 'loop-4-detail.png');
    f = await facts(id);
    expect(f.attachments?.filter((a) => a.purpose === 'evidence').length).toBe(3);

    // 8. The citizen opens the tracking link and rates it 满意.
    await citizen.goto(trackHref);
    await citizen.getByTestId('track-steps').waitFor({ state: 'visible' });
    expect(await citizen.getByTestId('track-code-value').innerText()).toContain(code);
    await citizen.getByTestId('rate-resolved-yes').click();
    await citizen.getByTestId('rate-satisfied').click();
    await citizen.getByTestId('rate-submit').click();
    await citizen.getByTestId('track-reply').waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(citizen, 'loop-5-rated.png');

    const done = await (
      await admin()
    ).get<{
      state: string;
      timeline: { event: string }[];
    }>(`${API}/cases/${id}`);
    expect(done.json.state).toBe('replied');
    // The scheduler may add 超时 escalations between steps; the loop's own events are what this test checks.
    const events = done.json.timeline.map((e) => e.event).filter((e) => e !== 'escalate');
    expect(events).toEqual([
      'create',
      'register',
      'file',
      'dispatch',
      'return',
      'dispatch',
      'accept',
      'handle',
      'check_fail',
      'handle',
      'check_pass',
      'close',
      'reply',
    ]);
  });
});
