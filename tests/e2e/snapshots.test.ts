/**
 * Issue 17, end to end: snapshots in the real window. john/doe linked; a snapshot of the last
 * 30 days taken from the Snapshots tab; compared with now, nothing changed; the sandbox clock
 * moved one day from the workbench's controls (the sandbox's history then reaches today, so
 * today's transactions settle); compared with now again, the new rows are listed under
 * "Transactions added" exactly as core counted them, with the moved balances; a second snapshot
 * compared with the first sees the same rows; presenter mode masks the account numbers; a
 * snapshot deleted; neither token of the connection in any file of the data dir (the database
 * the snapshots live in, its WAL, the log).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { APP_ID, byTestId, launchApp, resetAppState, screenshot, type App } from '../support/app.ts';
import { filesUnder, invoke, keychainSecret, linkAs, openTab, textMatching } from '../support/flows.ts';

let app: App;
let john = '';

before(async () => {
  await resetAppState();
  app = await launchApp();
});
afterEach(async (t) => {
  if (t.passed === false) await screenshot(app, `failed-snapshots-${t.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
after(async () => {
  await app?.deleteSession().catch(() => undefined);
});

/** The ids of the listed snapshots, newest first. */
async function listedSnapshots(): Promise<string[]> {
  return app.execute(() =>
    [...document.querySelectorAll('[data-testid^="snapshot-row-"]')].map(
      (row) => row.getAttribute('data-testid')?.replace('snapshot-row-', '') ?? '',
    ),
  );
}

async function takeSnapshot(label: string): Promise<string> {
  const before = new Set(await listedSnapshots());
  await (await byTestId(app, 'snapshot-label')).setValue(label);
  await (await byTestId(app, 'snapshot-take')).click();
  let id: string | undefined;
  await app.waitUntil(async () => (id = (await listedSnapshots()).find((s) => !before.has(s))) !== undefined, {
    timeout: 60_000,
    timeoutMsg: `the snapshot "${label}" never appeared in the list`,
  });
  return id as string;
}

/** The rows of one section of the diff on screen, as text. */
async function sectionRows(testId: string): Promise<string[]> {
  return app.execute(
    (id: string) =>
      [...document.querySelectorAll(`[data-testid="${id}"] [data-testid="diff-transaction-row"]`)].map(
        (row) => row.textContent ?? '',
      ),
    testId,
  );
}

test('a snapshot, a day on the sandbox clock, and compare shows the new transactions', async () => {
  john = await linkAs(app, 'john', 'doe');
  await openTab(app, john, 'snapshots');
  await byTestId(app, 'snapshots-panel');
  const base = await takeSnapshot('Before the day');
  await textMatching(app, `snapshot-row-${base}`, /Before the day/);
  await screenshot(app, 'snap-1-snapshot-taken');

  await (await byTestId(app, `snapshot-compare-now-${base}`)).click();
  const same = await byTestId(app, 'snapshot-diff', 60_000);
  assert.equal(await same.getAttribute('data-identical'), 'true', await textMatching(app, 'diff-counts', /./));
  await textMatching(app, 'snapshot-diff', /Nothing changed/);

  await (await byTestId(app, 'nav-workbench')).click();
  await (await byTestId(app, 'clock-1d')).click();
  await textMatching(app, 'sandbox-clock', /\b14[45]\d min ahead/);

  await openTab(app, john, 'snapshots');
  await (await byTestId(app, `snapshot-compare-now-${base}`)).click();
  await byTestId(app, 'diff-transactions-added', 60_000);
  const added = await sectionRows('diff-transactions-added');
  assert.ok(added.length > 0, 'the new day brought settled transactions');
  const counted = await invoke<{ counts: { transactionsAdded: number; transactionsRemoved: number } }>(
    app,
    'compare_snapshots',
    { input: { baseId: base } },
  );
  assert.equal(added.length, counted.counts.transactionsAdded, 'every added row core found is listed');
  assert.equal(counted.counts.transactionsRemoved, 0, 'a day later nothing settled is gone');
  await textMatching(app, 'diff-counts', new RegExp(`${added.length}\\s*transactions added`));
  await byTestId(app, 'diff-balances');
  await app.execute(() => document.querySelector('[data-testid="snapshot-diff"]')?.scrollIntoView({ block: 'start' }));
  await screenshot(app, 'snap-2-compare-with-now');

  const later = await takeSnapshot('After the day');
  await (await byTestId(app, 'compare-base')).selectByAttribute('value', base);
  await (await byTestId(app, 'compare-against')).selectByAttribute('value', later);
  await (await byTestId(app, 'compare-run')).click();
  await textMatching(app, 'snapshot-diff', /After the day/);
  await byTestId(app, 'diff-transactions-added', 60_000);
  assert.deepEqual(await sectionRows('diff-transactions-added'), added, 'two snapshots show the same new rows');

  const numbers = await textMatching(app, 'diff-balances', /\d{4}/);
  await (await byTestId(app, 'presenter-toggle')).click();
  await app.waitUntil(async () => (await textMatching(app, 'diff-balances', /./)) !== numbers, {
    timeout: 10_000,
    timeoutMsg: 'presenter mode never masked the balances section',
  });
  assert.ok(!/\d{6,}/.test(await textMatching(app, 'diff-balances', /./)), 'no account number is left whole');
  await app.execute(() => document.querySelector('[data-testid="diff-balances"]')?.scrollIntoView({ block: 'start' }));
  await screenshot(app, 'snap-3-compare-presenter');
  await (await byTestId(app, 'presenter-toggle')).click();
});

test('a deleted snapshot leaves the list, and no token is in the database that keeps them', async () => {
  const ids = await listedSnapshots();
  assert.equal(ids.length, 2);
  await (await byTestId(app, `snapshot-delete-${ids[0]}`)).click();
  await app.waitUntil(async () => (await listedSnapshots()).length === 1, {
    timeout: 15_000,
    timeoutMsg: 'the deleted snapshot stayed in the list',
  });
  await screenshot(app, 'snap-4-after-delete');

  const dataHome = process.env.XDG_DATA_HOME ?? '';
  const tokens: string[] = [];
  for (const kind of ['access_token', 'refresh_token']) {
    const token = await keychainSecret(APP_ID, `conn/${john}/${kind}`);
    assert.ok(token, `the connection has its ${kind} in the keychain`);
    tokens.push(token.trim());
  }
  for (const { file, bytes } of await filesUnder(path.join(dataHome, APP_ID))) {
    for (const token of tokens) assert.ok(!bytes.includes(token), `a token is in ${file}`);
  }
});
