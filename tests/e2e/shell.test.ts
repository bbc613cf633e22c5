/** The app starts into a real window, its UI talks to the Rust core, a control responds, and the window keeps its size. */
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { byTestId, launchApp, resetAppState, screenshot, type App } from '../support/app.ts';

let app: App;
before(async () => {
  await resetAppState();
  app = await launchApp();
});
afterEach(async (t) => {
  if (t.passed === false) await screenshot(app, `failed-${t.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
after(async () => {
  await app?.deleteSession();
});

test('the first screen shows the empty state and the version answered by the Rust core', async () => {
  const version = await byTestId(app, 'app-info-version');
  await app.waitUntil(async () => /\d+\.\d+\.\d+/.test(await version.getText()), {
    timeout: 10_000,
    timeoutMsg: 'get_app_info never answered',
  });
  assert.match(await version.getText(), /0\.1\.0/, 'the version comes from the Rust package info');
  const cta = await byTestId(app, 'link-account-button');
  assert.match(await cta.getText(), /link an account/i);
  await screenshot(app, '01-shell-empty');
});

test('the theme toggle switches between light and dark', async () => {
  const theme = () => app.execute(() => document.documentElement.dataset.theme ?? '');
  const before = await theme();
  await (await byTestId(app, 'theme-toggle')).click();
  await app.waitUntil(async () => (await theme()) !== before, { timeout: 5_000 });
  assert.notEqual(await theme(), before, 'the document theme changed');
  await screenshot(app, '02-shell-theme-toggled');
});

test('the UI runs with Object.prototype frozen (Tauri freezePrototype), so no script can pollute it', async () => {
  const frozen = await app.execute(() => Object.isFrozen(Object.prototype));
  assert.equal(frozen, true, 'tauri.conf.json sets app.security.freezePrototype');
  const polluted = await app.execute(() => {
    try {
      (Object.prototype as Record<string, unknown>).polluted = 'yes';
    } catch {
      // strict-mode code throws; either way nothing may land on the prototype
    }
    return ({} as Record<string, unknown>).polluted ?? null;
  });
  assert.equal(polluted, null, 'a write to Object.prototype does not reach other objects');
  await byTestId(app, 'link-account-button'); // and the app still rendered
});

test('the window reopens at the size it was closed at', async () => {
  await app.setWindowSize(1100, 720);
  await app.waitUntil(async () => (await app.getWindowSize()).width === 1100, {
    timeout: 5_000,
    timeoutMsg: 'the window was not resized',
  });
  await app.pause(1_500); // the app saves once a resize has settled (400 ms)
  await app.deleteSession();
  app = await launchApp();
  await byTestId(app, 'link-account-button');
  const size = await app.getWindowSize();
  assert.deepEqual({ width: size.width, height: size.height }, { width: 1100, height: 720 });
});
