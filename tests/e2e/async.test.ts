/**
 * Issue 14, end to end: the overview shows the sandbox's RS256 access token (header, claims,
 * "Signature verified" against the environment's JWKS); extend for the reconfirmation persona
 * (john/reconfirm) completes on the same connection; account holder verification v3 gives each of
 * the four match results for the inputs the sandbox README lists, signed with the demo key; an
 * async accounts + transactions fetch shows each task's timeline with its webhook verified by
 * `Tl-Signature`, linked to its exchanges in the inspector, and a webhook the sandbox tampered
 * with is shown as invalid with the reason.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { APP_ID as SERVICE, byTestId, launchApp, resetAppState, screenshot, type App } from '../support/app.ts';
import { authorizeHeadless, invoke, keychainSecret, linkAs, openTab, textMatching } from '../support/flows.ts';

let app: App;

before(async () => {
  await resetAppState();
  app = await launchApp();
});
afterEach(async (t) => {
  if (t.passed === false) await screenshot(app, `failed-async-${t.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
after(async () => {
  await app?.deleteSession().catch(() => undefined);
});

/** Scrolls a part of the screen into view and waits two frames (WebKit under Xvfb), then saves it. */
async function shoot(testId: string, name: string) {
  await app.execute((id: string) => document.querySelector(`[data-testid="${id}"]`)?.scrollIntoView(), testId);
  await app.executeAsync((done: () => void) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  await screenshot(app, name);
}

test('the overview shows the RS256 token header and claims with "signature verified"', async () => {
  const john = await linkAs(app, 'john', 'doe');
  await openTab(app, john, 'overview');
  await textMatching(app, 'token-signature-status', /Signature verified/);
  await textMatching(app, 'overview-token-signature', /alg[\s\S]*RS256[\s\S]*kid/);
  await textMatching(app, 'overview-claims', /connector_id[\s\S]*mock/);
  await shoot('overview-token-signature', '140-token-signature');
});

test('extend for john/reconfirm asks the user to reconfirm and the redirect renews the same connection', async () => {
  const id = await linkAs(app, 'john', 'reconfirm');
  await (await byTestId(app, `connection-item-${id}`)).click();
  const before = await keychainSecret(SERVICE, `conn/${id}/access_token`);
  const connectionsBefore = (await invoke<unknown[]>(app, 'list_connections')).length;
  await (await byTestId(app, 'action-more')).click();
  await (await byTestId(app, 'action-extend')).click();
  await textMatching(app, 'extend-modal', /reconfirm the consent[\s\S]*reconfirmation_of_consent_needed/);
  const userInputLink = await (await byTestId(app, 'auth-link-url')).getText();
  await shoot('extend-modal', '141-extend-reconfirmation');
  await (await byTestId(app, 'wait-without-opening')).click();
  const redirect = await authorizeHeadless(app, userInputLink, 'john', 'reconfirm');
  await (await byTestId(app, 'paste-redirect-input')).setValue(redirect);
  await (await byTestId(app, 'paste-redirect-submit')).click();
  await app.waitUntil(async () => (await keychainSecret(SERVICE, `conn/${id}/access_token`)) !== before, {
    timeout: 20_000,
    timeoutMsg: 'the reconfirmation did not renew the connection',
  });
  assert.equal((await invoke<unknown[]>(app, 'list_connections')).length, connectionsBefore, 'no new connection');
});

test('account holder verification v3 returns each of the four match results for the documented inputs', async () => {
  await (await byTestId(app, 'nav-settings')).click();
  await (await byTestId(app, 'environment-builtin')).click();
  await textMatching(app, 'signing-key-status', /Key stored[\s\S]*linkscope-demo-/);
  await shoot('signing-key-card', '142-signing-key');

  await (await byTestId(app, 'nav-holder')).click();
  const cases: Array<[string, string, RegExp]> = [
    ['John Doe', '10000000', /^\s*Match\s*$/i],
    ['Jon Doe', '10000000', /Partial match/i],
    ['John Smith', '10000000', /No match/i],
    ['John Doe', '99999999', /Match not possible/i],
  ];
  await (await byTestId(app, 'holder-sort-code-input')).setValue('01-21-31');
  for (const [name, number, expected] of cases) {
    await (await byTestId(app, 'holder-name-input')).clearValue();
    await (await byTestId(app, 'holder-name-input')).setValue(name);
    await (await byTestId(app, 'holder-account-number-input')).clearValue();
    await (await byTestId(app, 'holder-account-number-input')).setValue(number);
    const before = await app.execute(() => document.querySelector('[data-testid="holder-result"]')?.textContent ?? '');
    await (await byTestId(app, 'holder-verify')).click();
    await app.waitUntil(
      async () =>
        (await app.execute(() => document.querySelector('[data-testid="holder-result"]')?.textContent ?? '')) !==
        before,
      { timeout: 20_000, timeoutMsg: `no new result for ${name} / ${number}` },
    );
    await textMatching(app, 'holder-match', expected);
    await textMatching(app, 'holder-polls', /pending[\s\S]*completed/);
  }
  await textMatching(app, 'holder-result', /linkscope-demo-/);
  await (await byTestId(app, 'holder-bank-lookup')).click();
  await textMatching(app, 'holder-bank', /MOCK BANK LIMITED/);
  await shoot('holder-result', '143-holder-verification');
});

/** Waits until every task of the async timeline has ended and every webhook's check is done. */
async function timelineSettled() {
  await app.waitUntil(
    async () =>
      app.execute(() => {
        const texts = (id: string) =>
          Array.from(document.querySelectorAll(`[data-testid="${id}"]`)).map((e) => e.textContent ?? '');
        return (
          texts('async-run-status').every((s) => s === 'Succeeded' || s === 'Failed') &&
          texts('async-signature').every((s) => !s.startsWith('Checking'))
        );
      }),
    { timeout: 60_000, timeoutMsg: 'the async tasks never all ended' },
  );
}

/** The texts of every signature badge of the async timeline. */
async function signatureBadges(): Promise<string[]> {
  return app.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="async-signature"]')).map((e) => e.textContent ?? ''),
  );
}

test('an async accounts + transactions fetch shows its timeline with a verified webhook; a tampered one is invalid', async () => {
  const id = await linkAs(app, 'john', 'doe');
  await (await byTestId(app, `connection-item-${id}`)).click();
  await (await byTestId(app, 'async-mode-switch')).click();
  await textMatching(app, 'async-switch', /webhooks come to http:\/\/127\.0\.0\.1:\d+\/webhooks\//);
  await (await byTestId(app, 'tab-accounts')).click();
  await byTestId(app, 'accounts-list', 60_000);
  await (await byTestId(app, 'tab-transactions')).click();
  await (await byTestId(app, 'transactions-fetch')).click();
  await byTestId(app, 'transactions-summary', 90_000);

  await (await byTestId(app, 'tab-async')).click();
  await textMatching(app, 'async-timeline', /account_transactions/);
  await textMatching(
    app,
    'async-timeline',
    /accounts[\s\S]*Queued[\s\S]*Succeeded[\s\S]*Webhook arrived[\s\S]*Signature valid[\s\S]*Results fetched/,
  );
  await app.waitUntil(
    async () => {
      const badges = await signatureBadges();
      return badges.length >= 3 && badges.every((b) => b === 'Signature valid');
    },
    { timeout: 30_000, timeoutMsg: 'not every webhook was verified' },
  );
  await timelineSettled();
  await (await byTestId(app, 'async-timeline')).$('details summary').click();
  await textMatching(app, 'async-timeline', /tl-signature[\s\S]*x-tl-webhook-timestamp/i);
  await shoot('async-timeline', '144-async-timeline');

  await (await byTestId(app, 'async-timeline')).$('button=Open in inspector').click();
  await textMatching(app, 'requests-list', /POST[\s\S]*webhooks[\s\S]*200/);
  await textMatching(app, 'requests-list', /results/);

  await (await byTestId(app, 'tab-async')).click();
  await (await byTestId(app, 'async-tamper')).click();
  await byTestId(app, 'async-tamper-armed');
  await (await byTestId(app, 'tab-accounts')).click();
  await (await byTestId(app, 'accounts-refresh')).click();
  await byTestId(app, 'accounts-list', 60_000);
  await (await byTestId(app, 'tab-async')).click();
  await textMatching(app, 'async-timeline', /Signature invalid[\s\S]*does not match/, 60_000);
  await timelineSettled();
  await shoot('async-signature-reason', '145-async-tampered-webhook');
});

test("a v3 verification notifies the app's webhook once it is the Console webhook URI, verified by its signature", async () => {
  await (await byTestId(app, 'nav-holder')).click();
  await (await byTestId(app, 'holder-console-webhook')).click();
  await textMatching(app, 'holder-console-webhook-uri', /http:\/\/127\.0\.0\.1:\d+\/webhooks\//);
  await (await byTestId(app, 'holder-name-input')).clearValue();
  await (await byTestId(app, 'holder-name-input')).setValue('John Doe');
  await (await byTestId(app, 'holder-sort-code-input')).clearValue();
  await (await byTestId(app, 'holder-sort-code-input')).setValue('01-21-31');
  await (await byTestId(app, 'holder-account-number-input')).clearValue();
  await (await byTestId(app, 'holder-account-number-input')).setValue('10000000');
  await (await byTestId(app, 'holder-verify')).click();
  await textMatching(app, 'holder-webhooks', /account_holder_verification_completed[\s\S]*Signature valid/);
  await shoot('holder-webhooks', '146-holder-webhook');
});
