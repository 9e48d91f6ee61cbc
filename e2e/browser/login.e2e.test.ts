import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, openBrowserHarness, submitLogin, type BrowserHarness } from '../support/browser.ts';

const demoPassword = DEMO_PASSWORD;
let harness: BrowserHarness;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  harness = await openBrowserHarness();
  ({ browser, baseUrl } = harness);
}, 120_000);

afterAll(() => harness?.close());

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  return context.newPage();
}

function login(page: Page, username: string, password: string): Promise<void> {
  return submitLogin(page, baseUrl, username, password);
}

describe('login and shell', () => {
  it('shows the server error for a wrong password', async () => {
    const page = await newPage();
    await login(page, 'admin', 'definitely-wrong');
    const alert = page.getByTestId('login-error');
    await alert.waitFor({ state: 'visible' });
    expect((await alert.innerText()).trim().length).toBeGreaterThan(0);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.context().close();
  }, 60_000);

  it('lands an admin on the workbench in Chinese; English survives a reload', async () => {
    const page = await newPage();
    await login(page, 'admin', demoPassword);
    const title = page.getByTestId('page-workbench');
    await title.waitFor({ state: 'visible' });
    expect(new URL(page.url()).pathname).toBe('/workbench');
    expect(await title.innerText()).toBe('工作台');
    expect(await page.getByTestId('nav-system').isVisible()).toBe(true);

    await page.getByTestId('lang-switch').getByText('English').click();
    await expect.poll(() => title.innerText()).toBe('Workbench');
    expect(await page.getByTestId('nav-workbench').innerText()).toContain('Workbench');

    await page.reload();
    await title.waitFor({ state: 'visible' });
    expect(await title.innerText()).toBe('Workbench');
    expect(await page.evaluate(() => localStorage.getItem('zhizhi.lang'))).toBe('en');
    await page.context().close();
  }, 60_000);

  it('hides system administration from a grid worker and answers 403 on a direct visit', async () => {
    const page = await newPage();
    await login(page, 'gridworker', demoPassword);
    await page.getByTestId('page-workbench').waitFor({ state: 'visible' });
    await page.getByTestId('nav-workbench').waitFor({ state: 'visible' });
    expect(await page.getByTestId('nav-system').count()).toBe(0);

    await page.goto(`${baseUrl}/system/users`);
    const forbidden = page.getByTestId('page-403');
    await forbidden.waitFor({ state: 'visible' });
    expect(await forbidden.innerText()).toContain('403');

    // The server refuses the same calls, whatever the UI shows: the session's own API requests get 403.
    const statuses = await page.evaluate(async () => {
      const me = await fetch('/api/v1/auth/me').then((r) => r.json());
      const headers = { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken };
      return [
        (await fetch('/api/v1/users')).status,
        (await fetch('/api/v1/audit-log')).status,
        (await fetch('/api/v1/tokens')).status,
        (
          await fetch('/api/v1/departments', {
            method: 'POST',
            headers,
            body: JSON.stringify({ code: 'X1', name: 'x', regionCode: '990102000000' }),
          })
        ).status,
      ];
    });
    expect(statuses).toEqual([403, 403, 403, 403]);
    await page.context().close();
  }, 60_000);
});
