/**
 * The user's steps, shared by the e2e tests: start a link in the app, walk the built-in sandbox's
 * bank pages in Chromium, and read what the app shows and keeps (keychain, database, logs).
 */
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { byTestId, screenshot, type App } from './app.ts';

const artifacts = process.env.LINKSCOPE_E2E_ARTIFACTS ?? path.resolve('tests/artifacts');

export type RedirectMode = 'deep-link' | 'loopback';

/** The redirect_uri (as the link encodes it) each mode's link carries. */
const REDIRECT_IN_LINK: Record<RedirectMode, RegExp> = {
  'deep-link': /redirect_uri=linkscope-dev%3A%2F%2Fcallback/,
  loopback: /redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fcallback/,
};

/**
 * From anywhere in the app: Link an account → Mock → default scopes; the auth link is shown live
 * beside the choices, so this waits until it carries the chosen redirect and returns it.
 */
export async function startMockLink(app: App, mode: RedirectMode, shotPrefix?: string): Promise<string> {
  // Right after start-up the first click can land while the shell is still re-rendering; retry
  // until the bank picker is really there.
  const mock = app.$('[data-testid="provider-mock"]');
  for (let attempt = 0; attempt < 4 && !(await mock.isDisplayed().catch(() => false)); attempt++) {
    await (await byTestId(app, 'link-account-button')).click();
    await mock.waitForDisplayed({ timeout: 5_000 }).catch(() => undefined);
  }
  await (await byTestId(app, 'provider-mock')).click();
  if (shotPrefix) await screenshot(app, `${shotPrefix}-permissions`);
  await (await byTestId(app, `redirect-mode-${mode}`)).click();
  const url = (await textMatching(app, 'auth-link-url', REDIRECT_IN_LINK[mode])).trim();
  if (shotPrefix) await screenshot(app, `${shotPrefix}-auth-link`);
  return url;
}

/** The bank's pages in the built-in sandbox: consent, (provider,) login, account selection. */
export async function walkBank(
  page: Page,
  username: string,
  password: string,
  shotPrefix?: string,
  redirected?: Promise<unknown>,
) {
  let done = false;
  void redirected?.then(
    () => (done = true),
    () => undefined,
  );
  for (let step = 0; step < 8; step++) {
    if (done) return;
    await page.waitForLoadState('domcontentloaded').catch(() => undefined);
    const shot = shotPrefix ? `${shotPrefix}-bank-${step}` : null;
    if (shot) await page.screenshot({ path: path.join(artifacts, `${shot}.png`) }).catch(() => undefined);
    if (
      await page
        .locator('#username')
        .isVisible()
        .catch(() => false)
    ) {
      await page.fill('#username', username);
      await page.fill('#password', password);
      await page.click('#login');
    } else if (
      await page
        .locator('[data-provider-id="mock"]')
        .isVisible()
        .catch(() => false)
    ) {
      await page.click('[data-provider-id="mock"]');
    } else if (
      await page
        .locator('#allow')
        .isVisible()
        .catch(() => false)
    ) {
      await page.click('#allow');
    } else if (
      await page
        .locator('#continue')
        .isVisible()
        .catch(() => false)
    ) {
      await page.click('#continue');
    } else {
      return; // left the bank: redirected back
    }
    await page.waitForTimeout(300);
  }
  throw new Error('the bank pages never redirected back');
}

/** Waits until the app shows a connection's accounts, and returns their text. */
export async function accountsShown(app: App): Promise<string> {
  const list = await byTestId(app, 'accounts-list', 30_000);
  await app.waitUntil(async () => /TRANSACTION ACCOUNT 1/.test(await list.getText()), {
    timeout: 30_000,
    timeoutMsg: 'the accounts never appeared',
  });
  await app.waitUntil(async () => /£\s?[\d,]+\.\d\d/.test(await list.getText()), {
    timeout: 30_000,
    timeoutMsg: 'the balances never appeared',
  });
  return list.getText();
}

export async function connectionIds(app: App): Promise<string[]> {
  const items = await app.$$('[data-testid^="connection-item-"]');
  const ids: string[] = [];
  for (const item of items) {
    const id = await item.getAttribute('data-testid');
    if (id) ids.push(id.replace('connection-item-', ''));
  }
  return ids;
}

/** Calls a Rust command from the page, as the UI does. */
export async function invoke<T>(app: App, command: string, args: Record<string, unknown> = {}): Promise<T> {
  const json = await app.executeAsync(
    (cmd: string, a: Record<string, unknown>, done: (v: string) => void) => {
      const w = window as unknown as {
        __TAURI_INTERNALS__: { invoke: (c: string, a: unknown) => Promise<unknown> };
      };
      w.__TAURI_INTERNALS__.invoke(cmd, a).then(
        (v) => done(JSON.stringify({ ok: v })),
        (e: unknown) => done(JSON.stringify({ err: e })),
      );
    },
    command,
    args,
  );
  const parsed = JSON.parse(json) as { ok?: T; err?: unknown };
  if ('err' in parsed) throw new Error(`${command} failed: ${JSON.stringify(parsed.err)}`);
  return parsed.ok as T;
}

/**
 * Everything the UI received over IPC so far (ui/src/ipc/audit.ts). Only a test build of the UI
 * (`vite build --mode test`, as the dev flavour's build does: tauri.dev.conf.json) keeps it: a release build has none, and a search
 * of nothing would prove nothing, so that fails here.
 */
export async function ipcReceived(app: App): Promise<string> {
  const received = await app.execute(
    () => (globalThis as { __LINKSCOPE_IPC_RECEIVED__?: string[] }).__LINKSCOPE_IPC_RECEIVED__?.join('\n') ?? null,
  );
  if (received === null) {
    throw new Error('the UI keeps no IPC audit: build it with `npx vite build --config ui/vite.config.ts --mode test`');
  }
  return received;
}

/** One secret the app keeps in the Secret Service (`conn/<id>/access_token`, …), or null. */
export async function keychainSecret(service: string, key: string): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)('secret-tool', ['lookup', 'service', service, 'username', key]);
    return stdout.length > 0 ? stdout : null;
  } catch {
    return null; // secret-tool exits 1 when there is no such entry
  }
}

/** Every file under a directory, as raw bytes (the database, its WAL, logs). */
export async function filesUnder(dir: string): Promise<Array<{ file: string; bytes: Buffer }>> {
  const out: Array<{ file: string; bytes: Buffer }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ file, bytes: await readFile(file) });
  }
  return out;
}

/** The built-in sandbox's auth URL (where its `/__sandbox/` controls live). */
export async function sandboxAuthUrl(app: App): Promise<string> {
  const envs = await invoke<Array<{ kind: string; authUrl: string }>>(app, 'list_environments');
  const builtin = envs.find((e) => e.kind === 'builtin');
  if (!builtin) throw new Error('no built-in sandbox environment');
  return builtin.authUrl;
}

/**
 * The built-in sandbox's control token (its `X-Sandbox-Token`): tests/e2e-session draws one per
 * run and hands it to the app through LINKSCOPE_SANDBOX_CONTROL_TOKEN.
 */
export function sandboxControlToken(): string {
  const token = process.env.LINKSCOPE_SANDBOX_CONTROL_TOKEN;
  if (!token) throw new Error('LINKSCOPE_SANDBOX_CONTROL_TOKEN is not set: run the suite with tests/run-e2e');
  return token;
}

/**
 * The bank's side without a browser: the sandbox's headless authorize control logs in as the
 * mock user on the given auth link (or extend user_input_link) and returns the redirect.
 */
export async function authorizeHeadless(app: App, link: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${await sandboxAuthUrl(app)}/__sandbox/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sandbox-token': sandboxControlToken() },
    body: JSON.stringify({ auth_link: link, username, password }),
  });
  const body = (await res.json()) as { redirect?: string };
  if (!res.ok || !body.redirect) throw new Error(`authorize refused: ${JSON.stringify(body)}`);
  return body.redirect;
}

/**
 * Links Mock through the app's own screens, as a user who opens the link themselves and pastes
 * the redirect back (the bank's pages are walked headlessly; link.test.ts walks them in Chromium).
 * Resolves with the new connection's id, once its accounts view is shown.
 */
export async function linkAs(app: App, username: string, password: string): Promise<string> {
  const before = new Set(await connectionIds(app));
  const url = await startMockLink(app, 'deep-link');
  await (await byTestId(app, 'wait-without-opening')).click();
  const redirect = await authorizeHeadless(app, url, username, password);
  await (await byTestId(app, 'paste-redirect-input')).setValue(redirect);
  await (await byTestId(app, 'paste-redirect-submit')).click();
  let id: string | undefined;
  await app.waitUntil(async () => (id = (await connectionIds(app)).find((c) => !before.has(c))) !== undefined, {
    timeout: 30_000,
    timeoutMsg: `linking ${username} never produced a connection`,
  });
  return id as string;
}

/** Opens a connection's tab (overview, accounts, transactions, cards, …). */
export async function openTab(app: App, connectionId: string, tab: string) {
  await (await byTestId(app, `connection-item-${connectionId}`)).click();
  await (await byTestId(app, `tab-${tab}`)).click();
}

/**
 * Waits until an element's text matches, and returns the text. Reads `textContent`: WebDriver's
 * getText only returns what is inside the viewport, and tables and badges may be below the fold.
 */
export async function textMatching(app: App, testId: string, pattern: RegExp, timeout = 30_000): Promise<string> {
  await byTestId(app, testId, timeout);
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await app.execute(
      (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '',
      testId,
    );
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) {
      throw new Error(`[data-testid="${testId}"] never matched ${pattern}; last text: "${text.slice(0, 300)}"`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
