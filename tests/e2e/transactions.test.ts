/**
 * Issues 16 and 17 in the Transactions tab, end to end: the dense user's "All accounts and cards"
 * source (seven years, ~97k rows from its accounts and cards, streamed into the table as windows
 * arrive, searchable, scrolled to the end), and a five-year fetch that keeps running while the user is on another tab
 * and is there on return, with no new request in the inspector.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { byTestId, launchApp, resetAppState, screenshot, type App } from '../support/app.ts';
import { invoke, linkAs, openTab, textMatching } from '../support/flows.ts';

let app: App;
let dense = '';

before(async () => {
  await resetAppState();
  app = await launchApp();
  dense = await linkAs(app, 'john.dense', 'dense');
});
afterEach(async (t) => {
  await invoke(app, 'clear_sandbox_faults', { environmentId: 'builtin' }).catch(() => undefined);
  if (t.passed === false) await screenshot(app, `failed-transactions-${t.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
after(async () => {
  await app?.deleteSession().catch(() => undefined);
});

/** Every sandbox call slowed by `ms` (a round trip's worth of latency). */
async function latency(ms: number) {
  await invoke(app, 'add_sandbox_fault', { environmentId: 'builtin', fault: { path: '', latencyMs: ms } });
}

/** The inspector's rows for the dense connection. */
async function requests(): Promise<Array<{ url: string }>> {
  return invoke(app, 'list_requests', {
    filter: { connectionId: dense, status: 'all', endpoint: null, text: null, limit: 1000 },
  });
}

/** The number in the table's count line ("96,598 transactions"). */
async function shownCount(pattern: RegExp, timeout?: number): Promise<number> {
  const text = await textMatching(app, 'transactions-count', pattern, timeout);
  return Number((/[\d,]+/.exec(text)?.[0] ?? '0').replace(/,/g, ''));
}

async function scrollToTheEnd(total: number) {
  const viewport = await byTestId(app, 'transactions-table-viewport');
  await app.execute((el: HTMLElement) => el.scrollTo(0, el.scrollHeight), viewport as unknown as HTMLElement);
  await app.waitUntil(
    async () => {
      const last = await app.execute(() => {
        const rows = [
          ...document.querySelectorAll('[data-testid="transactions-table"] .vt-row:not(.vt-row-placeholder)'),
        ];
        return Math.max(0, ...rows.map((r) => Number(r.getAttribute('aria-rowindex'))));
      });
      return last - 1 === total;
    },
    { timeout: 30_000, timeoutMsg: `the last of ${total} rows never rendered` },
  );
}

test('the All source of the dense connection streams its ~97k rows in, and they are searchable and scroll to the end', async () => {
  await openTab(app, dense, 'transactions');
  await (await byTestId(app, 'transactions-source')).selectByAttribute('value', 'all');
  await (await byTestId(app, 'transactions-range-7y')).click();
  await latency(50);
  const started = Date.now();
  await (await byTestId(app, 'transactions-fetch')).click();
  const early = await shownCount(/[1-9][\d,]* transactions? so far/, 60_000);
  const firstRows = Date.now() - started;
  await screenshot(app, '80-all-accounts-streaming');
  const summary = await textMatching(app, 'transactions-summary', /Accounts and cards\s*\d+/, 180_000);
  const allRows = Date.now() - started;
  const total = await shownCount(/^[\d,]+ transactions$/);
  console.log(`All accounts, 7 years at +50 ms: first rows after ${firstRows} ms, all ${total} after ${allRows} ms`);
  assert.ok(early < total, `rows were shown before the last window arrived (${early} of ${total})`);
  assert.ok(total > 90_000, `the dense user's ~97k transactions: ${total} (${summary})`);
  const table = await textMatching(app, 'transactions-table', /Account/);
  assert.match(table, /£[\d,]+\.\d\d/, 'amounts in the account currency');
  await screenshot(app, '81-all-accounts-loaded');

  await (await byTestId(app, 'transactions-search')).setValue('tesco');
  const found = await shownCount(/transactions? match/);
  assert.ok(found > 0 && found < total, `search narrows ${total} rows to ${found}`);
  await textMatching(app, 'transactions-table', /TESCO/i);
  await screenshot(app, '82-all-accounts-searched');
  await (await byTestId(app, 'transactions-search')).click();
  await app.keys(['Control', 'a']);
  await app.keys(['Backspace']);
  assert.equal(await shownCount(/^[\d,]+ transactions$/), total);
  await scrollToTheEnd(total);
  await screenshot(app, '83-all-accounts-scrolled-to-end');
});

test('a five-year fetch keeps running while another tab is open, and is there on return with no new request', async () => {
  await openTab(app, dense, 'transactions');
  const source = await byTestId(app, 'transactions-source');
  const firstAccount = await app.execute(
    (el: HTMLSelectElement) => [...el.options].map((o) => o.value).find((v) => v.startsWith('account:')) ?? '',
    source as unknown as HTMLSelectElement,
  );
  await source.selectByAttribute('value', firstAccount);
  await (await byTestId(app, 'transactions-range-5y')).click();
  await latency(300);
  const before = (await requests()).length;
  await (await byTestId(app, 'transactions-fetch')).click();
  await textMatching(app, 'transactions-progress', /Fetched \d+ of \d+ windows/, 30_000);
  await (await byTestId(app, 'tab-accounts')).click();
  await byTestId(app, 'accounts-list');

  // The fetch goes on without its tab: its requests keep arriving until every window is in.
  let settled = -1;
  await app.waitUntil(
    async () => {
      const now = (await requests()).length;
      const done = now === settled && now - before >= 21;
      settled = now;
      return done;
    },
    { timeout: 120_000, interval: 2_000, timeoutMsg: 'the fetch stopped when its tab was left' },
  );
  await screenshot(app, '84-fetch-running-elsewhere');

  await (await byTestId(app, 'tab-transactions')).click();
  const summary = await textMatching(app, 'transactions-summary', /Windows fetched\s*\d+/, 5_000);
  const windows = Number(/Windows fetched\s*(\d+)/.exec(summary)?.[1] ?? '0');
  const total = await shownCount(/^[\d,]+ transactions$/);
  assert.ok(total > 10_000, `five dense years are shown: ${total}`);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const after = await requests();
  assert.equal(after.length, settled, 'returning to the tab asked the bank for nothing');
  const windowCalls = after.slice(0, after.length - before).filter((r) => /\/transactions\?/.test(r.url)).length;
  assert.equal(windowCalls, windows, 'each window was asked for once: nothing was cancelled and fetched again');
  await screenshot(app, '85-fetch-there-on-return');
});
