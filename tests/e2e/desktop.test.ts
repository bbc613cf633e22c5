/**
 * Issue 17, the desktop app people keep open all day, end to end: a connection's tabs show their
 * cached data on return with no new request in the inspector; the log is tauri-plugin-log's, in
 * the platform's log dir, and holds the webview's console errors and every notification asked
 * for (Xvfb shows none: the log line is the test hook); a native menu accelerator reaches the UI
 * through `menu://action`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, afterEach, before, test } from 'node:test';
import { APP_ID, byTestId, launchApp, resetAppState, screenshot, type App } from '../support/app.ts';
import { invoke, linkAs, openTab, textMatching } from '../support/flows.ts';

let app: App;
let john = '';

const logFile = () => path.join(process.env.XDG_DATA_HOME ?? '', APP_ID, 'logs', 'linkscope.log');

before(async () => {
  await resetAppState();
  app = await launchApp();
  john = await linkAs(app, 'john', 'doe');
});
afterEach(async (t) => {
  if (t.passed === false) await screenshot(app, `failed-desktop-${t.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
after(async () => {
  await app?.deleteSession().catch(() => undefined);
});

/** How many exchanges core recorded for the connection (what the inspector lists). */
async function recorded(connectionId: string): Promise<number> {
  const filter = { connectionId, status: 'all', endpoint: null, text: null, limit: 500 };
  return (await invoke<unknown[]>(app, 'list_requests', { filter })).length;
}

/** Waits until the app's log contains `text`, and returns the log. */
async function logContaining(text: string): Promise<string> {
  let log = '';
  await app.waitUntil(async () => (log = await readFile(logFile(), 'utf8').catch(() => '')).includes(text), {
    timeout: 10_000,
    timeoutMsg: `the log never said "${text}"`,
  });
  return log;
}

test('Accounts → Cards → Accounts → Cards shows cached data at once with 0 new requests in the inspector', async () => {
  await openTab(app, john, 'accounts');
  await textMatching(app, 'accounts-list', /TRANSACTION ACCOUNT 1/);
  await (await byTestId(app, 'tab-cards')).click();
  await textMatching(app, 'cards-data', /CREDIT CARD 1/);
  const before = await recorded(john);
  assert.ok(before > 0, 'reading the accounts and cards recorded requests');

  await (await byTestId(app, 'tab-accounts')).click();
  await textMatching(app, 'accounts-list', /TRANSACTION ACCOUNT 1/, 2_000);
  await (await byTestId(app, 'tab-cards')).click();
  await textMatching(app, 'cards-data', /CREDIT CARD 1/, 2_000);
  assert.equal(await recorded(john), before, 'the tab switches asked the bank nothing');

  await (await byTestId(app, 'tab-requests')).click();
  await byTestId(app, 'requests-list');
  await app.waitUntil(
    async () => (await app.execute(() => document.querySelectorAll('[data-testid^="request-row-"]').length)) === before,
    { timeout: 10_000, timeoutMsg: `the inspector did not list the ${before} recorded requests` },
  );
  await screenshot(app, '90-inspector-after-tab-switches');
});

test('the log is in the platform log dir and holds the webview’s errors and the notifications asked for', async () => {
  await app.execute(() => console.error('e2e console probe 4711'));
  const log = await logContaining('e2e console probe 4711');
  assert.match(log, /webview.*e2e console probe 4711/, 'the webview’s error is logged under its target');

  await invoke(app, 'notify_user', { title: 'e2e probe', body: 'finished while you were away' });
  await logContaining('notification requested: e2e probe: finished while you were away');
});

test('a native menu accelerator (Ctrl+Shift+K) opens the request inspector through menu://action', async () => {
  await (await byTestId(app, 'nav-settings')).click();
  const run = promisify(execFile);
  const { stdout } = await run('xdotool', ['search', '--sync', '--onlyvisible', '--name', 'Linkscope']);
  const window = stdout.trim().split('\n').pop() ?? '';
  await run('xdotool', ['windowfocus', '--sync', window, 'key', '--clearmodifiers', 'ctrl+shift+k']);
  await logContaining('menu action: requests');
  await app.waitUntil(
    async () => (await (await byTestId(app, 'nav-requests')).getAttribute('aria-current')) === 'page',
    { timeout: 5_000, timeoutMsg: 'the request inspector did not open' },
  );
  await screenshot(app, '91-menu-opened-requests');
});

test('a scenario run shows in the activity indicator from another view, and leaves it when cancelled', async () => {
  await (await byTestId(app, 'nav-workbench')).click();
  await (await byTestId(app, 'scenario-scope')).selectByAttribute('value', '');
  await (await byTestId(app, 'scenario-run')).click();
  await (await byTestId(app, 'nav-settings')).click();
  await textMatching(app, 'activity-indicator', /Scenario run/, 20_000);
  assert.equal(await (await byTestId(app, 'activity-indicator')).getAttribute('role'), 'status');
  await screenshot(app, '92-activity-scenario-run-from-settings');
  await (await byTestId(app, 'nav-workbench')).click();
  await (await byTestId(app, 'scenario-cancel')).click();
  await textMatching(app, 'activity-indicator', /^(?![\s\S]*Scenario run)/, 60_000);
});

test('every screen at the minimum (960×600) and a large (1920×1080) window size', async () => {
  const views = ['home', 'link', 'workbench', 'holder', 'requests', 'settings'];
  const tabs = ['overview', 'accounts', 'cards', 'identity', 'requests', 'coverage'];
  for (const [width, height] of [
    [960, 600],
    [1920, 1080],
  ] as const) {
    await app.setWindowSize(width, height);
    await app.waitUntil(async () => (await app.getWindowSize()).width === width, {
      timeout: 5_000,
      timeoutMsg: `the window did not become ${width} wide`,
    });
    for (const view of views) {
      await app.execute((v: string) => {
        window.location.hash = `#/${v}`;
      }, view);
      await app.pause(300);
      await screenshot(app, `95-${width}-${view}`);
    }
    for (const tab of tabs) {
      await openTab(app, john, tab);
      await app.pause(300);
      await screenshot(app, `96-${width}-connection-${tab}`);
    }
  }
  await app.setWindowSize(1280, 820);
});
