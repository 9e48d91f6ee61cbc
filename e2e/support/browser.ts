import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer } from './server.ts';

/** Every demo account's password. */
export const DEMO_PASSWORD = 'Zhizhi@2026';

export interface BrowserHarness {
  browser: Browser;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Debian's Chromium against a real server: `E2E_BASE_URL` when given, otherwise a fresh server on a temp PGlite
 * directory with the demo district. `webgl` turns on SwiftShader, which MapLibre needs in headless Chromium.
 */
export async function openBrowserHarness(opts: { webgl?: boolean } = {}): Promise<BrowserHarness> {
  let baseUrl: string;
  let stopServer: (() => Promise<unknown>) | undefined;
  if (process.env.E2E_BASE_URL) {
    baseUrl = process.env.E2E_BASE_URL.replace(/\/$/, '');
  } else {
    const server = await startServer();
    baseUrl = server.url.replace(/\/$/, '');
    stopServer = () => server.stop();
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      ...(opts.webgl ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : []),
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    baseUrl,
    close: async () => {
      await browser.close();
      await stopServer?.();
    },
  };
}

/** Fills the login form; the caller waits for what it expects next (the workbench, or an error). */
export async function submitLogin(page: Page, baseUrl: string, username: string, password = DEMO_PASSWORD) {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByTestId('login-submit').click();
}
