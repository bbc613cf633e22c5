/**
 * Issue 12, end to end: the auth link builder's live preview and its linter (a custom providers
 * list without the provider_id, then fixed); an expired code (sandbox clock +6 minutes) explained
 * as such and the same redirect refused as already used; `/me` in the overview, re-read by its
 * button; and a re-consent of a john/doe connection whose refresh token died (clock +31 days)
 * that renews the same connection, with its history, and adds none.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { byTestId, launchApp, resetAppState, screenshot, type App } from '../support/app.ts';
import {
  authorizeHeadless,
  connectionIds,
  invoke,
  linkAs,
  openTab,
  startMockLink,
  textMatching,
} from '../support/flows.ts';

let app: App;
let john = '';

before(async () => {
  await resetAppState();
  app = await launchApp();
});
afterEach(async (t) => {
  if (t.passed === false) await screenshot(app, `failed-lifecycle-${t.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
after(async () => {
  await app?.deleteSession().catch(() => undefined);
});

/** Leaves the link screen (a new link starts from a fresh wizard). */
async function home() {
  await app.execute(() => {
    window.location.hash = '#/';
  });
  await byTestId(app, 'link-account-button');
}

/** Moves the built-in sandbox's clock (codes, tokens and consents age with it). */
async function advanceSandboxClock(seconds: number) {
  await invoke(app, 'advance_sandbox_clock', { environmentId: 'builtin', seconds });
}

/** The text of an element, read from the DOM (below the fold too). */
async function textOf(testId: string): Promise<string> {
  return app.execute((id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '', testId);
}

/** Replaces a text input's value the way a user does (select all, type), so React sees it. */
async function retype(testId: string, value: string) {
  await (await byTestId(app, testId)).click();
  await app.keys(['Control', 'a']);
  await app.keys(['Backspace']);
  await (await byTestId(app, testId)).addValue(value);
}

/** How many exchanges the inspector recorded for a connection (optionally on one endpoint). */
async function recorded(connectionId: string, endpoint: string | null = null): Promise<number> {
  const rows = await invoke<unknown[]>(app, 'list_requests', {
    filter: { connectionId, status: 'all', endpoint, text: null, limit: 1000 },
  });
  return rows.length;
}

test('a custom providers list without the provider_id is flagged live, and fixing it updates the link without a button', async () => {
  const first = await startMockLink(app, 'deep-link', '60-builder');
  assert.match(first, /provider_id=mock/, 'picking Mock sets provider_id');
  assert.equal(
    await app.$('[data-testid="scopes-continue"]').isExisting(),
    false,
    'there is no "Build the link" button',
  );

  await retype('providers-input', 'uk-ob-all');
  const flagged = await textMatching(app, 'link-findings', /provider_id_not_in_providers/);
  assert.match(flagged, /provider_id mock is not in providers/, 'the linter says why, before anything opens');
  const wrong = await textMatching(app, 'auth-link-url', /providers=uk-ob-all&/);
  await screenshot(app, '61-builder-provider-not-in-providers');

  await (await byTestId(app, 'provider-group-uk-cs-mock')).click();
  const fixed = await textMatching(app, 'auth-link-url', /providers=uk-ob-all%20uk-cs-mock&/);
  await app.waitUntil(async () => !(await textOf('link-findings')).includes('provider_id_not_in_providers'), {
    timeout: 10_000,
    timeoutMsg: 'the finding never cleared after uk-cs-mock was added',
  });
  assert.notEqual(fixed, wrong, 'the preview changed by itself');
  const state = (s: string) => new URL(s.trim()).searchParams.get('state');
  assert.equal(state(fixed), state(wrong), 'an unopened link keeps its state while it is edited');
  assert.equal(state(fixed), (await textOf('auth-link-state')).trim(), 'the state is shown');
  await screenshot(app, '62-builder-fixed');
  await home();
});

test('a code pasted after 6 minutes is explained as expired, and the same redirect again as already used', async () => {
  const before = await connectionIds(app);
  const url = await startMockLink(app, 'deep-link');
  await (await byTestId(app, 'wait-without-opening')).click();
  const redirect = await authorizeHeadless(app, url, 'john', 'doe');
  await advanceSandboxClock(6 * 60);

  await (await byTestId(app, 'paste-redirect-input')).setValue(redirect);
  await (await byTestId(app, 'paste-redirect-submit')).click();
  const expired = await textMatching(app, 'link-error', /The bank’s code expired/);
  assert.match(expired, /older than 5 minutes/, 'its own sentence');
  assert.match(expired, /code_expired/, 'the cause is named');
  await (await byTestId(app, 'error-raw')).click();
  await textMatching(app, 'error-raw', /invalid_grant/);
  await screenshot(app, '63-code-expired');

  await (await byTestId(app, 'paste-redirect-submit')).click();
  const used = await textMatching(app, 'link-error', /This redirect was already used/);
  assert.match(used, /Nothing was stored/);
  await screenshot(app, '64-code-already-used');
  assert.deepEqual(await connectionIds(app), before, 'nothing stored');
  assert.equal((await invoke<unknown[]>(app, 'list_connections')).length, before.length, 'core saved nothing');
  await home();
});

test('the overview shows /me with client_id and consent status, re-read by its button', async () => {
  john = await linkAs(app, 'john', 'doe');
  await openTab(app, john, 'overview');
  const me = await textMatching(app, 'overview-me', /Authorised/);
  assert.match(me, /client_id\s*sandbox-/, 'the client_id /me names');
  assert.match(me, /consent clock uses this date/, 'the clock uses /me’s expiry');
  await screenshot(app, '65-overview-me');
  const reads = await recorded(john, '/data/v1/me');
  await (await byTestId(app, 'me-reread')).click();
  await app.waitUntil(async () => (await recorded(john, '/data/v1/me')) > reads, {
    timeout: 15_000,
    timeoutMsg: 'the re-read button did not read /me again',
  });
  await textMatching(app, 'me-consent-status', /Authorised/);
});

test('a john/doe connection whose refresh token died is re-consented into the same connection', async () => {
  await openTab(app, john, 'overview');
  await textMatching(app, 'refresh-idle-clock', /unused for 0 days: refresh before/);
  await advanceSandboxClock(31 * 24 * 3600);
  const history = await recorded(john);
  const ids = await connectionIds(app);

  await (await byTestId(app, 'refresh-token-now')).click();
  await textMatching(app, 'connection-status', /re-?consent|reauth/i);
  await textMatching(app, 'overview-tokens', /not used for 30 days/);
  await screenshot(app, '66-refresh-token-dead');

  await (await byTestId(app, 'action-reconsent')).click();
  const url = (await textMatching(app, 'auth-link-url', /provider_id=mock/)).trim();
  await screenshot(app, '67-reconsent-link');
  await (await byTestId(app, 'wait-without-opening')).click();
  const redirect = await authorizeHeadless(app, url, 'john', 'doe');
  await (await byTestId(app, 'paste-redirect-input')).setValue(redirect);
  await (await byTestId(app, 'paste-redirect-submit')).click();

  await textMatching(app, 'accounts-list', /TRANSACTION ACCOUNT 1/);
  assert.match(await app.getUrl(), new RegExp(`#/connection/${john}/`), 'back on the same connection');
  await textMatching(app, 'connection-status', /active/i);
  assert.deepEqual((await connectionIds(app)).sort(), [...ids].sort(), 'no second connection');
  assert.ok((await recorded(john)) > history, 'the history kept its old exchanges and gained the new ones');
  await openTab(app, john, 'requests');
  await screenshot(app, '68-reconsent-same-history');
});
