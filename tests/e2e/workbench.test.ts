/**
 * Issue 11, end to end: the QA workbench in the real window. Personas linked in one click and
 * labelled by who they are; the coverage matrix (all scopes, and without `cards`); the full
 * scenario suite passing with its JUnit export checked; an injected 503 failing a scenario with
 * expected vs actual shown, cleared, rerun, passing; the sandbox clock moved 61 minutes so the
 * access-token countdown expires and the next call refreshes exactly once.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { byTestId, launchApp, resetAppState, screenshot, type App } from '../support/app.ts';
import { connectionIds, invoke, openTab, textMatching } from '../support/flows.ts';

const exportDir = process.env.LINKSCOPE_EXPORT_DIR ?? '';
const CHECKS = 16; // linkscope_sandbox::workbench::Check::ALL

let app: App;
let john = '';

before(async () => {
  await resetAppState();
  app = await launchApp();
});
afterEach(async (t) => {
  if (t.passed === false) await screenshot(app, `failed-workbench-${t.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
after(async () => {
  await app?.deleteSession().catch(() => undefined);
});

/** Link an account → Mock → (untick scopes) → "Link as this user"; returns the new connection. */
async function linkPersona(key: string, untick: string[] = [], shot?: string): Promise<string> {
  const before = new Set(await connectionIds(app));
  const mock = app.$('[data-testid="provider-mock"]');
  for (let attempt = 0; attempt < 4 && !(await mock.isDisplayed().catch(() => false)); attempt++) {
    await (await byTestId(app, 'link-account-button')).click();
    await mock.waitForDisplayed({ timeout: 5_000 }).catch(() => undefined);
  }
  await mock.click();
  for (const scope of untick) await (await byTestId(app, `scope-${scope}`)).click();
  const button = await byTestId(app, `link-as-${key}`);
  if (shot) {
    await reveal('persona-list');
    await screenshot(app, shot);
  }
  await button.click();
  let id: string | undefined;
  await app.waitUntil(async () => (id = (await connectionIds(app)).find((c) => !before.has(c))) !== undefined, {
    timeout: 30_000,
    timeoutMsg: `linking ${key} never produced a connection`,
  });
  // The sidebar learns of the connection from link://completed, which can come before the
  // persona's own answer that opens it: wait for that too, or it lands after the next click.
  await app.waitUntil(async () => (await app.getUrl()).includes(`#/connection/${id}/`), {
    timeout: 30_000,
    timeoutMsg: `linking ${key} never opened the new connection`,
  });
  return id as string;
}

/** Scrolls an element into view inside the app's scrolling main area (in the page, not through WebDriver). */
async function reveal(testId: string) {
  await byTestId(app, testId);
  await app.execute(
    (id: string) => document.querySelector(`[data-testid="${id}"]`)?.scrollIntoView({ block: 'start' }),
    testId,
  );
}

/** The sandbox journal's entries after entry `afterId` (the journal is bounded: count by id). */
async function journalSince(afterId: number): Promise<{ id: number; path: string }[]> {
  const journal = await invoke<{ requests: { id: number; path: string }[] }>(app, 'get_sandbox_journal', {
    environmentId: 'builtin',
  });
  return journal.requests.filter((r) => r.id > afterId);
}

async function runSuite(expected: 'passed' | 'failed', only = ''): Promise<string> {
  await (await byTestId(app, 'nav-workbench')).click();
  await (await byTestId(app, 'scenario-scope')).selectByAttribute('value', only);
  await (await byTestId(app, 'scenario-run')).click();
  await app.waitUntil(
    async () => (await (await byTestId(app, 'scenario-run-view')).getAttribute('data-status')) !== 'running',
    { timeout: 180_000, timeoutMsg: 'the scenario run never finished' },
  );
  const view = await byTestId(app, 'scenario-run-view');
  assert.equal(await view.getAttribute('data-status'), expected, await textMatching(app, 'scenario-totals', /./));
  return textMatching(app, 'scenario-totals', /checks passed/);
}

test('three personas link in one click each and are labelled by who they are', async () => {
  john = await linkPersona('john:doe', [], '90-persona-list');
  assert.equal(await textMatching(app, 'connection-label', /· Mock/), 'John Doe · Mock');
  await linkPersona('error.provider_error:error');
  assert.equal(await textMatching(app, 'connection-label', /· Mock/), 'error.provider_error · Mock');
  await linkPersona('john.dense:dense');
  const dense = await textMatching(app, 'connection-label', /· Mock/);
  assert.notEqual(dense, 'john.dense · Mock', 'the dense user has an account holder name from /info');
  const automated = await invoke<{ endpoint: string }[]>(app, 'list_requests', {
    filter: { connectionId: null, status: 'all', endpoint: '/__sandbox/authorize', text: null, limit: 50 },
  });
  assert.equal(automated.length, 3, 'each automated dialog is recorded in the inspector');
});

test('the coverage matrix covers john/doe and shows "scope missing" without the cards scope', async () => {
  await openTab(app, john, 'coverage');
  await (await byTestId(app, 'coverage-run')).click();
  await textMatching(app, 'coverage-row-card_pending_transactions', /supported/);
  for (const check of ['me', 'info', 'accounts', 'balance', 'transactions', 'cards', 'card_balance', 'signup_plus']) {
    const row = await byTestId(app, `coverage-row-${check}`);
    assert.equal(await row.getAttribute('data-status'), 'supported', check);
  }
  await textMatching(app, 'coverage-row-signup_plus', /multiple_accounts_linked/);
  await screenshot(app, '91-coverage-matrix');

  const noCards = await linkPersona('john:doe', ['cards']);
  await openTab(app, noCards, 'coverage');
  await (await byTestId(app, 'coverage-run')).click();
  await textMatching(app, 'coverage-row-cards', /scope missing/);
  for (const check of ['card_balance', 'card_transactions', 'card_pending_transactions']) {
    await textMatching(app, `coverage-row-${check}`, /scope missing/);
  }
  assert.equal(await (await byTestId(app, 'coverage-row-accounts')).getAttribute('data-status'), 'supported');
  await screenshot(app, '92-coverage-no-cards');
});

test('the full scenario suite passes and its JUnit export has personas × checks cases, 0 failures', async () => {
  const catalog = await invoke<{ groups: { personas: unknown[] }[] }>(app, 'list_personas', {
    environmentId: 'builtin',
  });
  const personas = catalog.groups.reduce((n, g) => n + g.personas.length, 0);
  const started = Date.now();
  const totals = await runSuite('passed');
  console.log(`scenario suite (UI, ${personas} personas): ${totals}; ${Date.now() - started} ms from click to result`);
  assert.match(totals, new RegExp(`${personas * CHECKS} of ${personas * CHECKS} checks passed`));

  await (await byTestId(app, 'scenario-export-junit')).click();
  const saved = await textMatching(app, 'scenario-saved', /\.xml/);
  const file = path.join(exportDir, path.basename(saved.replace(/^Saved to /, '').trim()));
  const junit = await readFile(file, 'utf8');
  assert.match(junit, new RegExp(`<testsuites name="Linkscope scenarios" tests="${personas * CHECKS}" failures="0"`));
  assert.equal(junit.match(/<testcase /g)?.length, personas * CHECKS, 'one test case per persona and check');
  assert.equal(junit.match(/<testsuite /g)?.length, personas, 'one suite per persona');
  assert.doesNotMatch(junit, /<failure/);
  assert.ok((await readdir(exportDir)).some((f) => f.endsWith('.xml')));
});

test('an injected 503 on /data/v1/accounts fails that scenario with expected vs actual; cleared, a rerun passes', async () => {
  await (await byTestId(app, 'nav-workbench')).click();
  const times = await byTestId(app, 'fault-times');
  await times.clearValue();
  // The client retries a 503 three times: enough hits for every attempt of the listing.
  await times.setValue('20');
  await textMatching(app, 'fault-preview', /The next 20 call\(s\) under \/data\/v1\/accounts will answer 503\./);
  await (await byTestId(app, 'fault-arm')).click();
  await textMatching(app, 'fault-list', /\/data\/v1\/accounts → 503 temporarily_unavailable · 20 left/);
  await screenshot(app, '93-controls-fault-armed');

  await runSuite('failed', 'john:doe');
  const john = await byTestId(app, 'scenario-john:doe');
  assert.equal(await john.getAttribute('data-passed'), 'false');
  const row = await textMatching(app, 'case-john:doe-accounts', /503/);
  assert.match(row, /^accounts\s*ok\s*503 temporarily_unavailable/, 'expected ok, actual 503');
  await textMatching(app, 'scenario-totals', new RegExp(`of ${CHECKS} checks passed`));
  await reveal('case-john:doe-accounts');
  await screenshot(app, '94-run-with-one-failure');

  await (await byTestId(app, 'fault-clear')).click();
  await textMatching(app, 'fault-list', /Nothing armed/);
  await runSuite('passed', 'john:doe');
  await textMatching(app, 'scenario-changed', /[1-9]\d* changed since the previous run/);
});

test('the clock moved 61 minutes expires the access-token countdown and the next call refreshes once', async () => {
  const fresh = await linkPersona('john:doe');
  await openTab(app, fresh, 'overview');
  await textMatching(app, 'overview-tokens', /expires in (59m|1h 00m)/);

  // Slow every sandbox call down, so the countdown is seen expired before the refresh lands.
  await (await byTestId(app, 'nav-workbench')).click();
  // Empty the path as a user does (WebDriver's clearValue sends no input event to React).
  await (await byTestId(app, 'fault-path')).click();
  await app.keys(['Control', 'a']);
  await app.keys(['Backspace']);
  await (await byTestId(app, 'fault-latency')).setValue('3000');
  await textMatching(app, 'fault-preview', /Every call will be slowed by 3000 ms\./);
  await (await byTestId(app, 'fault-arm')).click();
  await textMatching(app, 'fault-list', /Every call \+3000 ms/);
  await (await byTestId(app, 'clock-61m')).click();
  await textMatching(app, 'sandbox-clock', /\b(6[01]|1\d\d) min ahead/);
  await (await byTestId(app, 'journal-load')).click();
  await byTestId(app, 'journal', 30_000);
  await reveal('sandbox-controls');
  await screenshot(app, '95-controls-panel');
  const lastId = Math.max(0, ...(await journalSince(0)).map((r) => r.id));

  // Opening the connection reads its accounts: the next call, answered 401, refreshes once.
  await openTab(app, fresh, 'overview');
  await textMatching(app, 'overview-tokens', /expired/);
  await screenshot(app, '96-overview-token-expired');
  await textMatching(app, 'overview-tokens', /expires in (59m|1h 00m)/, 60_000);
  const since = await journalSince(lastId);
  assert.equal(since.filter((r) => r.path === '/connect/token').length, 1, 'one refresh after the clock moved');
  assert.ok(
    since.some((r) => r.path === '/data/v1/accounts'),
    'the accounts call was the one that needed it',
  );
  await screenshot(app, '97-overview-after-refresh');
  await invoke(app, 'clear_sandbox_faults', { environmentId: 'builtin' });
});
