/** The app starts into a real window, its UI talks to the Rust core, a control responds, and the window keeps its size. */
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { APP_ID, byTestId, launchApp, resetAppState, screenshot, type App } from '../support/app.ts';
import { invoke } from '../support/flows.ts';

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

test('moving an environment to another server asks first and says its secret and tokens are cleared', async () => {
  await (await byTestId(app, 'nav-settings')).click();
  await (await byTestId(app, 'env-add')).click();
  await (await byTestId(app, 'env-name')).setValue('Staging proxy');
  await (await byTestId(app, 'env-kind')).selectByAttribute('value', 'custom');
  await (await byTestId(app, 'env-auth-url')).setValue('http://127.0.0.1:9');
  await (await byTestId(app, 'env-api-url')).setValue('http://127.0.0.1:9');
  await (await byTestId(app, 'env-client-id')).setValue('staging-client');
  await (await byTestId(app, 'env-client-secret')).setValue('e2e-not-a-real-secret');
  await (await byTestId(app, 'env-save')).click();
  await app.waitUntil(
    async () => /Stored in keychain/.test(await (await byTestId(app, 'environment-form')).getText()),
    {
      timeout: 10_000,
      timeoutMsg: 'the new environment was not saved with its secret',
    },
  );

  await (await byTestId(app, 'env-auth-url')).setValue('http://localhost:9');
  await (await byTestId(app, 'env-save')).click();
  const dialog = await byTestId(app, 'env-reset-confirm');
  assert.match(await dialog.getText(), /clears its client secret/, 'core’s words say what saving does');
  await screenshot(app, '04-shell-env-reset-confirm');
  await (await byTestId(app, 'env-reset-confirm-accept')).click();
  await app.waitUntil(
    async () =>
      /Paste the client secret/.test(
        (await (await byTestId(app, 'env-client-secret')).getAttribute('placeholder')) ?? '',
      ),
    { timeout: 10_000, timeoutMsg: 'the saved environment still claims a stored secret' },
  );
  await screenshot(app, '05-shell-env-reset-saved');
});

test('the webview refuses images from a local port (the loopback listener, a sandbox’s GET routes)', async () => {
  const blocked = await app.executeAsync((done: (v: string) => void) => {
    document.addEventListener('securitypolicyviolation', (e) => done(e.violatedDirective), { once: true });
    const img = new Image();
    img.onload = () => done('loaded');
    img.onerror = () => setTimeout(() => done('error-without-violation'), 500);
    img.src = 'http://127.0.0.1:3947/callback?code=x&state=y';
  });
  assert.match(blocked, /img-src/, `the CSP blocked it (${blocked})`);
});

test('the data and log dirs are the owner’s only (0700) and so is every file Linkscope writes there (0600)', async () => {
  const { dataDir } = await invoke<{ dataDir: string }>(app, 'get_app_info');
  assert.equal((await stat(dataDir)).mode & 0o777, 0o700, `${dataDir} is 0700`);
  // The webview keeps files of its own here too (WebKit's hsts-storage.sqlite): the 0700 dir covers them.
  const ours = (await readdir(dataDir, { withFileTypes: true })).filter(
    (e) => e.isFile() && (e.name.startsWith('linkscope.') || e.name.startsWith('sandbox-state')),
  );
  const names = ours.map((e) => e.name);
  for (const expected of ['linkscope.sqlite3', 'linkscope.sqlite3-wal', 'sandbox-state.json'])
    assert.ok(names.includes(expected), `${expected} is there: ${names.join(', ')}`);
  for (const entry of ours) {
    const file = path.join(dataDir, entry.name);
    assert.equal((await stat(file)).mode & 0o777, 0o600, `${file} is 0600`);
  }
  // tauri-plugin-log writes to the platform's log dir: <XDG_DATA_HOME>/<identifier>/logs.
  const logDir = path.join(process.env.XDG_DATA_HOME ?? '', APP_ID, 'logs');
  assert.equal((await stat(logDir)).mode & 0o777, 0o700, `${logDir} is 0700 (rotated logs too)`);
  const log = path.join(logDir, 'linkscope.log');
  assert.equal((await stat(log)).mode & 0o777, 0o600, `${log} is 0600`);
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
