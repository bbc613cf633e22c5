/**
 * Starts and stops the real Linkscope binary through tauri-driver (WebDriver on 127.0.0.1:$LINKSCOPE_E2E_DRIVER_PORT,
 * backed by WebKitWebDriver), and saves what the user sees. Used by every e2e test.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readlink, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { remote } from 'webdriverio';
import { seriousViolations } from './a11y.ts';

export type App = WebdriverIO.Browser;

const artifacts = process.env.LINKSCOPE_E2E_ARTIFACTS ?? path.resolve('tests/artifacts');

/** The dev build's identifier: its data dir name and its keychain service. */
export const APP_ID = 'app.linkscope.desktop.dev';

/**
 * Forgets everything a previous test file left (the app's data dir, its saved window size and its
 * keychain entries), so each file starts from a first launch. Call it before launchApp.
 */
export async function resetAppState(): Promise<void> {
  const dataHome = process.env.XDG_DATA_HOME;
  const configHome = process.env.XDG_CONFIG_HOME;
  if (!dataHome || !configHome)
    throw new Error('XDG_DATA_HOME and XDG_CONFIG_HOME must be set: run the suite with tests/run-e2e');
  // The previous file's app may still be closing (and writing its data dir).
  if (process.env.LINKSCOPE_APP_BIN) await appExited(process.env.LINKSCOPE_APP_BIN);
  await rm(path.join(dataHome, APP_ID), { recursive: true, force: true });
  await rm(path.join(configHome, APP_ID), { recursive: true, force: true });
  await promisify(execFile)('secret-tool', ['clear', 'service', APP_ID]).catch(() => undefined);
}

/** True while some process runs `binary`. */
async function running(binary: string): Promise<boolean> {
  const target = await realpath(binary).catch(() => binary);
  for (const entry of await readdir('/proc')) {
    if (/^\d+$/.test(entry) && (await readlink(`/proc/${entry}/exe`).catch(() => '')) === target) return true;
  }
  return false;
}

/**
 * Waits until no process runs `binary` (up to 20 s). An instance still closing after its session
 * ended holds the single-instance name, so a new one hands its arguments over to it and exits:
 * the relaunch test's new session then timed out after 120 s, once, on a loaded machine.
 */
export async function appExited(binary: string, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (await running(binary)) {
    if (Date.now() > deadline) throw new Error(`${binary} still ran ${timeout / 1000} s after its session ended`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts the app (the dev build by default; the package test passes the installed binary), once
 * any earlier instance of it has exited.
 */
export async function launchApp(application = process.env.LINKSCOPE_APP_BIN): Promise<App> {
  if (!application) throw new Error('LINKSCOPE_APP_BIN is not set: run the suite with tests/run-e2e');
  await appExited(application);
  const port = Number(process.env.LINKSCOPE_E2E_DRIVER_PORT);
  if (!port) throw new Error('LINKSCOPE_E2E_DRIVER_PORT is not set: run the suite with tests/run-e2e');
  const capabilities = { 'tauri:options': { application } } as unknown as WebdriverIO.Capabilities;
  const app = await remote({ hostname: '127.0.0.1', port, logLevel: 'warn', capabilities });
  await app.setTimeout({ implicit: 0 });
  return app;
}

/**
 * Finds an element by its `data-testid`, waiting for it to be shown. React may replace the element
 * between WebDriver finding it and asking about it ("stale element", seen once on a loaded
 * machine while the transactions count re-rendered): then it is looked up again.
 */
export async function byTestId(app: App, id: string, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      const el = app.$(`[data-testid="${id}"]`);
      await el.waitForDisplayed({
        timeout: Math.max(1, deadline - Date.now()),
        timeoutMsg: `[data-testid="${id}"] never appeared`,
      });
      return el;
    } catch (error) {
      if (!/stale element/i.test(String(error)) || Date.now() > deadline) throw error;
    }
  }
}

/**
 * Saves the webview (WebDriver) and the whole X screen (ImageMagick) under tests/artifacts/, after
 * two animation frames: WebKit under Xvfb otherwise hands over the frame before the last scroll or
 * message was painted. Every screen photographed is also checked by axe-core (`a11y.ts`).
 */
export async function screenshot(app: App, name: string): Promise<string> {
  await mkdir(artifacts, { recursive: true });
  await app.executeAsync((done: () => void) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  const file = path.join(artifacts, `${name}.png`);
  await app.saveScreenshot(file);
  await promisify(execFile)('import', ['-window', 'root', path.join(artifacts, `${name}.screen.png`)]);
  if (name.startsWith('failed-')) return file; // the picture of a failure is not a screen to judge
  const serious = await seriousViolations(app, path.join(artifacts, `${name}.axe.json`));
  if (serious.length > 0 && process.env.LINKSCOPE_E2E_AXE !== 'report') {
    throw new Error(
      `axe found ${serious.length} serious accessibility problem(s) on ${name}: ` +
        serious.map((v) => `${v.id} (${v.help}) at ${v.nodes.slice(0, 3).join(', ')}`).join('; '),
    );
  }
  return file;
}
