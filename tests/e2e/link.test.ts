/**
 * Issue 5, end to end: link Mock as john/doe through the user's own browser and back into the
 * running app three ways (deep link through the real xdg-open and single-instance, the loopback
 * listener, a pasted URL); refuse a forged callback; prove where the secrets are and are not;
 * restart and load the saved connection with its stored tokens.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { APP_ID as SERVICE, byTestId, launchApp, resetAppState, screenshot, type App } from '../support/app.ts';
import { captureSchemeRedirect, osOpen, UserBrowser } from '../support/browser.ts';
import {
  accountsShown,
  connectionIds,
  filesUnder,
  invoke,
  ipcReceived,
  keychainSecret,
  sandboxControlToken,
  startMockLink,
  walkBank,
} from '../support/flows.ts';

const SCHEME = 'linkscope-dev';

let app: App;
let user: UserBrowser;
let dataDir = '';
let ipcSeen = '';

before(async () => {
  await resetAppState();
  user = await UserBrowser.start();
  app = await launchApp();
  dataDir = (await invoke<{ dataDir: string }>(app, 'get_app_info')).dataDir;
});
afterEach(async (t) => {
  if (t.passed === false) await screenshot(app, `failed-link-${t.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
after(async () => {
  await app?.deleteSession().catch(() => undefined);
  await user?.close();
});

test('a deep-link redirect goes through xdg-open and single-instance into the running app', async () => {
  const shownUrl = await startMockLink(app, 'deep-link', '10-deeplink');
  assert.match(shownUrl, /code_challenge_method=S256/, 'the link uses PKCE S256');
  await (await byTestId(app, 'open-in-browser')).click();

  const opened = await user.nextOpenedUrl();
  assert.equal(opened, shownUrl, 'the browser received exactly the link the app showed');
  await byTestId(app, 'waiting-panel');
  await screenshot(app, '13-deeplink-waiting');

  const page = await user.newPage();
  const redirect = captureSchemeRedirect(page, SCHEME);
  await page.goto(opened);
  await walkBank(page, 'john', 'doe', '14-deeplink', redirect);
  const callback = await redirect;
  assert.match(callback, /^linkscope-dev:\/\/callback\?/, 'the bank redirected to the app scheme');
  console.log(`callback: ${callback.replace(/code=[^&]+/, 'code=…')}`);
  await page.context().close();

  await osOpen(callback);
  const accounts = await accountsShown(app);
  assert.match(accounts, /SAVINGS ACCOUNT 1/);
  await screenshot(app, '15-deeplink-accounts');
  assert.equal((await connectionIds(app)).length, 1, 'one connection saved');
});

test('the loopback listener captures the redirect (the browser lands on a "return to Linkscope" page)', async () => {
  await startMockLink(app, 'loopback', '20-loopback');
  await (await byTestId(app, 'open-in-browser')).click();
  const opened = await user.nextOpenedUrl();
  assert.match(decodeURIComponent(opened), /redirect_uri=http:\/\/127\.0\.0\.1:3947\/callback/);

  const page = await user.newPage();
  await page.goto(opened);
  await walkBank(page, 'john', 'doe', '21-loopback');
  await page.waitForURL(/127\.0\.0\.1:3947\/callback/, { timeout: 20_000 });
  await page.screenshot({
    path: path.join(process.env.LINKSCOPE_E2E_ARTIFACTS ?? 'tests/artifacts', '22-loopback-done.png'),
  });
  assert.match((await page.textContent('body')) ?? '', /Linkscope/i, 'the loopback page tells the user where to go');
  await page.context().close();

  await accountsShown(app);
  await screenshot(app, '23-loopback-accounts');
  assert.equal((await connectionIds(app)).length, 2, 'a second connection saved');
});

test('a redirect URL pasted into the waiting screen completes the link', async () => {
  await startMockLink(app, 'deep-link');
  await (await byTestId(app, 'open-in-browser')).click();
  const opened = await user.nextOpenedUrl();
  const page = await user.newPage();
  const redirect = captureSchemeRedirect(page, SCHEME);
  await page.goto(opened);
  await walkBank(page, 'john', 'doe', undefined, redirect);
  const callback = await redirect;
  await page.context().close();

  await (await byTestId(app, 'paste-redirect-input')).setValue(callback);
  await screenshot(app, '30-paste-filled');
  await (await byTestId(app, 'paste-redirect-submit')).click();
  await accountsShown(app);
  await screenshot(app, '31-paste-accounts');
  assert.equal((await connectionIds(app)).length, 3, 'a third connection saved');
});

test('a forged callback with an unknown state is refused with a message and nothing is saved', async () => {
  const before = await connectionIds(app);
  await osOpen(`${SCHEME}://callback?code=forged-code-123&state=forged-state-456`);
  const error = await byTestId(app, 'link-error', 20_000);
  assert.match(await error.getText(), /state|not.*waiting|unknown/i, 'the message says why');
  await screenshot(app, '40-forged-refused');
  assert.deepEqual(await connectionIds(app), before, 'no connection was added');
  const saved = await invoke<unknown[]>(app, 'list_connections');
  assert.equal(saved.length, before.length, 'core saved nothing either');
});

test('tokens are in the keychain and nowhere else: not in SQLite, the logs, or any IPC payload', async () => {
  ipcSeen = await ipcReceived(app);
  const ids = await connectionIds(app);
  assert.equal(ids.length, 3, 'three connections were linked');
  const values: Array<[string, string]> = [];
  for (const id of ids) {
    const access = await keychainSecret(SERVICE, `conn/${id}/access_token`);
    const refresh = await keychainSecret(SERVICE, `conn/${id}/refresh_token`);
    assert.ok(access && access.split('.').length === 3, `connection ${id} has its access token in the keychain`);
    assert.ok(refresh && refresh.length >= 32, `connection ${id} has its refresh token in the keychain`);
    values.push([`access token of ${id}`, access], [`refresh token of ${id}`, refresh]);
  }
  const clientSecret = await keychainSecret(SERVICE, 'env/builtin/client_secret');
  assert.ok(clientSecret, "the built-in sandbox's client secret is in the keychain");
  values.push(['client secret', clientSecret]);
  values.push(["the built-in sandbox's control token", sandboxControlToken()]);

  const files = await filesUnder(dataDir);
  const searched = (name: string) => files.some((f) => path.basename(f.file) === name);
  assert.ok(searched('linkscope.sqlite3'), `the database was searched: ${files.map((f) => f.file).join(', ')}`);
  assert.ok(searched('linkscope.sqlite3-wal'), 'its write-ahead log was searched (the app holds it open)');
  assert.ok(
    files.some((f) => f.file.endsWith('linkscope.log')),
    'the app log was searched',
  );
  const driverLog = await readFile(
    path.join(process.env.LINKSCOPE_E2E_ARTIFACTS ?? 'tests/artifacts', 'tauri-driver.log'),
  );
  for (const [what, value] of values) {
    for (const { file, bytes } of files) {
      assert.ok(!bytes.includes(value), `${what} must not be in ${file}`);
    }
    assert.ok(!driverLog.includes(value), `${what} must not be in the app's stderr`);
    assert.ok(!ipcSeen.includes(value), `${what} must not be in any IPC payload the UI received`);
  }
  assert.ok(ipcSeen.length > 1000, 'the IPC audit saw real traffic');
});

test('after a restart the saved connections are listed and their data loads with the stored tokens', async () => {
  const before = await connectionIds(app);
  await app.deleteSession();
  app = await launchApp();
  await app.waitUntil(async () => (await connectionIds(app)).length === before.length, {
    timeout: 20_000,
    timeoutMsg: 'the saved connections were not listed after a restart',
  });
  assert.deepEqual((await connectionIds(app)).sort(), [...before].sort());
  await (await byTestId(app, `connection-item-${before[0]}`)).click();
  await accountsShown(app);
  await screenshot(app, '50-restart-accounts');
});
