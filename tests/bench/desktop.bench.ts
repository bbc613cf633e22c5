/**
 * `npm run bench`'s desktop half (scripts/bench runs it inside tests/run-e2e's Xvfb + D-Bus +
 * keyring session, against release builds): what a user feels, each figure as a ratio to a floor
 * measured in the same run.
 *
 * - start to interactive: WebDriver session asked → first screen shown, the app vs the empty Tauri
 *   2 window of bench/empty-window (5 alternating runs each, medians);
 * - PSS of the app and every process under it (WebKit's web and network processes), idle with
 *   john/doe linked and its balances shown, vs the empty window idle; then with the dense user's
 *   ~97k transactions (seven years) loaded in the All view (added MiB);
 * - compositor idle: CPU seconds the app's processes burn in the 3 s after a screen is shown (the
 *   first screen, the bank picker, the permissions screen, the accounts), vs the empty window's;
 * - the All view at 50 ms injected per request: Fetch → first rows on screen, and → all rows,
 *   vs the windows' network floor (/accounts, then ⌈windows / 4⌉ rounds);
 * - scrolling the 97k rows top to bottom: frame times from requestAnimationFrame, p50 and p95,
 *   vs the 16.7 ms frame budget;
 * - Transactions → Accounts → Transactions on the loaded connection: requests to the bank (0) and
 *   time until the table shows again.
 *
 * Writes `$LINKSCOPE_BENCH_OUT/results.json` (`[{name, value, unit, floor, ratio, goal}]`, the
 * flows of crates/core/benches/flows.rs first when their file is there) and prints the table.
 */
import { readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { appExited, byTestId, launchApp, type App } from '../support/app.ts';
import { authorizeHeadless, connectionIds, invoke, openTab, startMockLink, textMatching } from '../support/flows.ts';

interface Figure {
  name: string;
  value: number;
  unit: string;
  floor: number;
  ratio: number;
  goal: string;
}

const RUNS = 5;
const LATENCY_MS = 50;
const WINDOW_CONCURRENCY = 4;
const FRAME_BUDGET_MS = 1000 / 60;
const SETTLE_MS = 3_000;
const TICKS_PER_SECOND = 100;

const appBin = process.env.LINKSCOPE_APP_BIN ?? '';
const emptyBin = process.env.LINKSCOPE_EMPTY_WINDOW_BIN ?? '';
const out = process.env.LINKSCOPE_BENCH_OUT ?? path.resolve('target/bench');
const figures: Figure[] = [];

function figure(name: string, value: number, unit: string, floor: number, goal: string) {
  const ratio = floor > 0 ? Math.round((value / floor) * 100) / 100 : 0;
  // CPU seconds near zero keep two decimals, so a floor of 0.01 is not printed as 0.
  const places = unit === 'CPU-s' ? 100 : 10;
  const round = (x: number) => Math.round(x * places) / places;
  figures.push({ name, value: round(value), unit, floor: round(floor), ratio, goal });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every process (pid, parent) on the machine. */
async function processes(): Promise<Array<{ pid: number; ppid: number }>> {
  const all: Array<{ pid: number; ppid: number }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    all.push({ pid: Number(entry), ppid: Number(fields[1]) });
  }
  return all;
}

/** The running binary's process and every process under it (WebKit's helpers). */
async function tree(binary: string): Promise<number[]> {
  const all = await processes();
  const roots: number[] = [];
  for (const p of all) {
    if ((await readlink(`/proc/${p.pid}/exe`).catch(() => '')) === binary) roots.push(p.pid);
  }
  const found = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/** PSS in MiB, summed over the processes. */
async function pss(pids: number[]): Promise<number> {
  let kib = 0;
  for (const pid of pids) {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
    kib += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
  }
  return kib / 1024;
}

/** CPU seconds (user + system) used so far, summed over the processes. */
async function cpu(pids: number[]): Promise<number> {
  let ticks = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / TICKS_PER_SECOND;
}

/** CPU seconds the processes burn over the next SETTLE_MS. */
async function idleCpu(pids: number[]): Promise<number> {
  const before = await cpu(pids);
  await sleep(SETTLE_MS);
  return (await cpu(pids)) - before;
}

/** ms from asking for a WebDriver session until `marker` is shown; the session is ended. */
async function startToInteractive(binary: string, marker: string): Promise<number> {
  await appExited(binary);
  const started = Date.now();
  const app = await launchApp(binary);
  await byTestId(app, marker, 60_000);
  const elapsed = Date.now() - started;
  await app.deleteSession();
  await sleep(500);
  return elapsed;
}

/** In the page: clicks `click`, then waits (frame by frame) for `selector`; ms between. */
async function clickUntil(app: App, click: string, selector: string): Promise<number> {
  return app.executeAsync(
    (clickSel: string, waitSel: string, done: (ms: number) => void) => {
      const t0 = performance.now();
      (document.querySelector(clickSel) as HTMLElement | null)?.click();
      const poll = () => (document.querySelector(waitSel) ? done(performance.now() - t0) : requestAnimationFrame(poll));
      requestAnimationFrame(poll);
    },
    click,
    selector,
  );
}

async function requestCount(app: App, connectionId: string): Promise<number> {
  const rows = await invoke<unknown[]>(app, 'list_requests', {
    filter: { connectionId, status: 'all', endpoint: null, text: null, limit: 1000 },
  });
  return rows.length;
}

/**
 * Links a mock user as flows.ts's linkAs does, with the loopback redirect (the release flavour's
 * deep link is linkscope://, which linkAs does not expect) and the redirect pasted back.
 */
async function link(app: App, username: string, password: string, fromAuthLink = false): Promise<string> {
  const before = new Set(await connectionIds(app));
  let url: string;
  if (fromAuthLink) {
    await (await byTestId(app, 'redirect-mode-loopback')).click();
    url = (await textMatching(app, 'auth-link-url', /redirect_uri=http%3A%2F%2F127/)).trim();
  } else {
    url = await startMockLink(app, 'loopback');
  }
  await (await byTestId(app, 'wait-without-opening')).click();
  await (await byTestId(app, 'paste-redirect-input')).setValue(await authorizeHeadless(app, url, username, password));
  await (await byTestId(app, 'paste-redirect-submit')).click();
  let id: string | undefined;
  await app.waitUntil(async () => (id = (await connectionIds(app)).find((c) => !before.has(c))) !== undefined, {
    timeout: 60_000,
  });
  return id as string;
}

function print() {
  const rows = figures.map((f) => [
    f.name,
    `${f.value} ${f.unit}`,
    `${f.floor} ${f.unit}`,
    f.ratio ? f.ratio.toFixed(2) : '—',
    f.goal,
  ]);
  const header = ['figure', 'value', 'floor', 'ratio', 'goal'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(['', line(header), ...rows.map(line), ''].join('\n'));
}

test('the desktop figures, each against its floor', { timeout: 30 * 60_000 }, async () => {
  if (!appBin || !emptyBin)
    throw new Error('LINKSCOPE_APP_BIN and LINKSCOPE_EMPTY_WINDOW_BIN must name release builds');

  // Start to interactive, alternating so both see the same machine load.
  const appStarts: number[] = [];
  const emptyStarts: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    appStarts.push(await startToInteractive(appBin, 'link-account-button'));
    emptyStarts.push(await startToInteractive(emptyBin, 'empty-window-ready'));
  }
  figure(
    'start to interactive (first screen shown)',
    median(appStarts),
    'ms',
    median(emptyStarts),
    '≤ 1.2× the empty window',
  );

  // The empty window idle: PSS and the compositor's CPU once it has settled.
  const empty = await launchApp(emptyBin);
  await byTestId(empty, 'empty-window-ready');
  const emptyPids = await tree(emptyBin);
  const emptyCpu = await idleCpu(emptyPids);
  const emptyPss = await pss(emptyPids);
  await empty.deleteSession();
  await sleep(500);

  const app = await launchApp(appBin);
  await app.setTimeout({ script: 10 * 60_000 });
  await byTestId(app, 'link-account-button');
  const pids = await tree(appBin);
  figure('CPU in the 3 s after the first screen', await idleCpu(pids), 'CPU-s', emptyCpu, '≈ 0 (the empty window’s)');

  await (await byTestId(app, 'link-account-button')).click();
  await byTestId(app, 'provider-mock');
  figure(
    'CPU in the 3 s after the bank picker shows',
    await idleCpu(pids),
    'CPU-s',
    emptyCpu,
    '≈ 0 (the empty window’s)',
  );
  await (await byTestId(app, 'provider-mock')).click();
  await byTestId(app, 'auth-link-url');
  figure(
    'CPU in the 3 s after the permissions screen shows',
    await idleCpu(pids),
    'CPU-s',
    emptyCpu,
    '≈ 0 (the empty window’s)',
  );
  await link(app, 'john', 'doe', true);
  await textMatching(app, 'accounts-list', /TRANSACTION ACCOUNT 1[\s\S]*£\s?[\d,]+\.\d\d/);
  const appPids = await tree(appBin);
  figure(
    'CPU in the 3 s after john/doe’s accounts show',
    await idleCpu(appPids),
    'CPU-s',
    emptyCpu,
    '≈ 0 (the empty window’s)',
  );
  const idlePss = await pss(appPids);
  figure('PSS idle, john/doe linked, balances shown', idlePss, 'MiB', emptyPss, '≤ 1.25× the empty window');

  // The dense user's every account and card, seven years (its whole history), at +50 ms a request.
  const dense = await link(app, 'john.dense', 'dense');
  await openTab(app, dense, 'transactions');
  await (await byTestId(app, 'transactions-source')).selectByAttribute('value', 'all');
  await (await byTestId(app, 'transactions-range-7y')).click();
  await invoke(app, 'add_sandbox_fault', { environmentId: 'builtin', fault: { path: '', latencyMs: LATENCY_MS } });
  const firstRows = await clickUntil(
    app,
    '[data-testid="transactions-fetch"]',
    '[data-testid="transactions-table"] .vt-row:not(.vt-row-placeholder)',
  );
  const allRows = await app.executeAsync((done: (ms: number) => void) => {
    const t0 = performance.now();
    const poll = () =>
      /Accounts and cards/.test(document.querySelector('[data-testid="transactions-summary"]')?.textContent ?? '')
        ? done(performance.now() - t0)
        : requestAnimationFrame(poll);
    requestAnimationFrame(poll);
  });
  await invoke(app, 'clear_sandbox_faults', { environmentId: 'builtin' });
  const summary = await textMatching(app, 'transactions-summary', /Windows fetched\s*\d+/);
  const windows = Number(/Windows fetched\s*(\d+)/.exec(summary)?.[1] ?? '0');
  const total = Number(/Transactions\s*([\d,]+)/.exec(summary)?.[1]?.replace(/,/g, '') ?? '0');
  const rounds = Math.ceil(windows / WINDOW_CONCURRENCY);
  figure('All view +50 ms: Fetch → first rows shown', firstRows, 'ms', 2 * LATENCY_MS, '≤ 2000 ms');
  figure(
    `All view +50 ms: Fetch → all ${total} rows (${windows} windows)`,
    firstRows + allRows,
    'ms',
    (rounds + 1) * LATENCY_MS,
    '≤ 1.1× the network floor',
  );
  await sleep(SETTLE_MS);
  const densePss = await pss(await tree(appBin));
  figure(
    `PSS with the All view’s ${total} rows loaded`,
    densePss,
    'MiB',
    idlePss,
    `≤ idle + 120 MiB (${Math.round(idlePss + 120)})`,
  );

  // Scroll top to bottom, a 600th of the table per frame.
  const frames = await app.executeAsync((done: (deltas: number[]) => void) => {
    const viewport = document.querySelector('[data-testid="transactions-table-viewport"]') as HTMLElement;
    const steps = 600;
    const step = (viewport.scrollHeight - viewport.clientHeight) / steps;
    const deltas: number[] = [];
    let last = performance.now();
    let n = 0;
    const frame = (now: number) => {
      deltas.push(now - last);
      last = now;
      if (n++ >= steps) return done(deltas.slice(1));
      viewport.scrollTop = n * step;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  figure(`scroll ${total} rows: frame time p50`, median(frames), 'ms', FRAME_BUDGET_MS, '≤ 16.7 ms');
  figure(`scroll ${total} rows: frame time p95`, percentile(frames, 95), 'ms', FRAME_BUDGET_MS, '≤ 16.7 ms');

  // Transactions → Accounts → Transactions: nothing asked of the bank, the table back at once.
  await (await byTestId(app, 'tab-accounts')).click();
  await byTestId(app, 'accounts-list');
  const before = await requestCount(app, dense);
  const back = await clickUntil(app, '[data-testid="tab-transactions"]', '[data-testid="transactions-count"]');
  await sleep(1_000);
  const asked = (await requestCount(app, dense)) - before;
  figure('tab switch and back: requests to the bank', asked, 'requests', 0, '0');
  figure('tab switch and back: time to show the table', back, 'ms', FRAME_BUDGET_MS, 'one frame or so');
  await app.deleteSession();

  const flows = JSON.parse(await readFile(path.join(out, 'flows.json'), 'utf8').catch(() => '[]')) as Figure[];
  figures.unshift(...flows);
  await writeFile(path.join(out, 'results.json'), `${JSON.stringify(figures, null, 2)}\n`);
  print();
  console.log(`written to ${path.join(out, 'results.json')}`);
});
