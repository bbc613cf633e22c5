// DESIGN-REVIEW ONLY, on the Vite dev server only (`npm run dev:ui`, then
// http://localhost:1420/?preview; no built bundle contains it, see transport.ts). An in-browser
// stand-in for the Rust core, so the screens can be looked at and screenshotted without the app;
// it is not used by the app, the unit tests or the e2e tests. A command it has no answer for
// rejects, so a new command needs no entry here.
// `?preview&empty` starts with no connections; `?preview&nokeychain` shows the keychain banner.
import { IpcError } from './errors';
import type {
  Account,
  AccountWithBalance,
  Connection,
  Environment,
  EnvironmentInput,
  Provider,
  RequestSummary,
  ScopeInfo,
  Transaction,
} from './types';

const params = new URLSearchParams(window.location.search);
const listeners = new Map<string, Set<(payload: unknown) => void>>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = Date.now();
const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString();
const DAY = 86_400_000;

function emit(event: string, payload: unknown) {
  listeners.get(event)?.forEach((h) => h(payload));
}

export function previewListen<T>(event: string, handler: (payload: T) => void): () => void {
  const set = listeners.get(event) ?? new Set();
  const h = handler as (payload: unknown) => void;
  set.add(h);
  listeners.set(event, set);
  return () => set.delete(h);
}

function logo(name: string, colour: string): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="${colour}"/><text x="16" y="21" font-family="sans-serif" font-size="14" font-weight="700" fill="#fff" text-anchor="middle">${name.charAt(0)}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

let environments: Environment[] = [
  {
    id: 'builtin',
    name: 'Built-in sandbox',
    kind: 'builtin',
    authUrl: 'http://127.0.0.1:47123',
    apiUrl: 'http://127.0.0.1:47123',
    clientId: 'sandbox-linkscope-demo',
    hasClientSecret: true,
    redirectUris: ['linkscope-dev://callback', 'http://127.0.0.1:3947/callback'],
    isSandbox: true,
    isLive: false,
    markedLive: false,
    liveUnlocked: false,
    hasSandboxControlToken: false,
    active: true,
  },
  {
    id: 'tl-sandbox',
    name: 'TrueLayer sandbox',
    kind: 'truelayer_sandbox',
    authUrl: 'https://auth.truelayer-sandbox.com',
    apiUrl: 'https://api.truelayer-sandbox.com',
    clientId: 'sandbox-acme-16b583',
    hasClientSecret: true,
    redirectUris: ['https://console.truelayer.com/redirect-page'],
    isSandbox: true,
    isLive: false,
    markedLive: false,
    liveUnlocked: false,
    hasSandboxControlToken: false,
    active: false,
  },
  {
    id: 'tl-live',
    name: 'TrueLayer live',
    kind: 'truelayer_live',
    authUrl: 'https://auth.truelayer.com',
    apiUrl: 'https://api.truelayer.com',
    clientId: 'acme-9f31c2',
    hasClientSecret: false,
    redirectUris: ['linkscope://callback'],
    isSandbox: false,
    isLive: true,
    markedLive: false,
    liveUnlocked: false,
    hasSandboxControlToken: false,
    active: false,
  },
];

const BANKS: [string, string, string, string][] = [
  ['ob-barclays', 'Barclays', 'uk', '#00aeef'],
  ['ob-hsbc', 'HSBC', 'uk', '#db0011'],
  ['ob-lloyds', 'Lloyds Bank', 'uk', '#006a4d'],
  ['ob-monzo', 'Monzo', 'uk', '#ff4f40'],
  ['ob-natwest', 'NatWest', 'uk', '#5a287d'],
  ['ob-santander', 'Santander', 'uk', '#ec0000'],
  ['ob-starling', 'Starling Bank', 'uk', '#6935d3'],
  ['ob-nationwide', 'Nationwide', 'uk', '#1a1a6c'],
  ['ob-revolut', 'Revolut', 'uk', '#191c1f'],
  ['ob-transferwise', 'Wise', 'uk', '#9fe870'],
  ['xs2a-bnp', 'BNP Paribas', 'fr', '#008859'],
  ['xs2a-ing-de', 'ING', 'de', '#ff6200'],
  ['xs2a-santander-es', 'Santander España', 'es', '#ec0000'],
];
const ALL_SCOPES = [
  'info',
  'accounts',
  'balance',
  'cards',
  'transactions',
  'direct_debits',
  'standing_orders',
  'offline_access',
];
const providers: Provider[] = [
  {
    providerId: 'mock',
    displayName: 'Mock',
    country: 'uk',
    logoUrl: logo('Mock', '#4f46e5'),
    scopes: ALL_SCOPES,
    availability: 'healthy',
  },
  ...BANKS.map(([id, name, country, colour], i) => ({
    providerId: id,
    displayName: name,
    country,
    logoUrl: logo(name, colour),
    scopes: i % 4 === 3 ? ALL_SCOPES.filter((s) => s !== 'cards') : ALL_SCOPES,
    availability: i === 5 ? 'degraded' : 'healthy',
  })),
];

const catalog: ScopeInfo[] = [
  {
    scope: 'info',
    label: 'Identity',
    description: 'The account holder’s name and contact details (/info).',
    requires: [],
    standalone: false,
    defaultOn: true,
  },
  {
    scope: 'accounts',
    label: 'Accounts',
    description: 'Current and savings accounts with their identifiers.',
    requires: [],
    standalone: false,
    defaultOn: true,
  },
  {
    scope: 'balance',
    label: 'Balances',
    description: 'Current, available and overdraft balances.',
    requires: ['accounts', 'cards'],
    standalone: false,
    defaultOn: true,
  },
  {
    scope: 'cards',
    label: 'Cards',
    description: 'Credit and charge cards.',
    requires: [],
    standalone: false,
    defaultOn: true,
  },
  {
    scope: 'transactions',
    label: 'Transactions',
    description: 'Booked and pending transactions.',
    requires: ['accounts', 'cards'],
    standalone: false,
    defaultOn: true,
  },
  {
    scope: 'direct_debits',
    label: 'Direct debits',
    description: 'Mandates set up on the accounts.',
    requires: ['accounts'],
    standalone: false,
    defaultOn: true,
  },
  {
    scope: 'standing_orders',
    label: 'Standing orders',
    description: 'Scheduled payments out of the accounts.',
    requires: ['accounts'],
    standalone: false,
    defaultOn: true,
  },
  {
    scope: 'offline_access',
    label: 'Offline access',
    description: 'A refresh token, so data can be read for 90 days without the user.',
    requires: [],
    standalone: false,
    defaultOn: true,
  },
  {
    scope: 'signupplus',
    label: 'Signup+',
    description: 'Verified identity for onboarding (UK current accounts).',
    requires: [],
    standalone: false,
    defaultOn: false,
  },
  {
    scope: 'verification',
    label: 'Verification',
    description: 'Checks a name against the account holder.',
    requires: [],
    standalone: true,
    defaultOn: false,
  },
];

function makeConnection(id: string, label: string, p: Provider, extra: Partial<Connection> = {}): Connection {
  return {
    id,
    label,
    environmentId: 'builtin',
    environmentName: 'Built-in sandbox',
    providerId: p.providerId,
    providerName: p.displayName,
    providerLogoUrl: p.logoUrl,
    scopes: [...ALL_SCOPES, 'signupplus'],
    credentialsId: '6L7RxyPKX0THy1tw93PB4V+8DB+KjnX9Pxa451yXPu0=',
    status: 'active',
    consentCreatedAt: iso(-12 * DAY),
    consentExpiresAt: iso(78 * DAY),
    consentStatus: 'Authorised',
    accessTokenExpiresAt: iso(42 * 60_000),
    hasRefreshToken: true,
    saved: !params.has('nokeychain'),
    createdAt: iso(-12 * DAY),
    lastRefreshAt: iso(-18 * 60_000),
    ...extra,
  };
}

const mock = providers[0] as Provider;
// The fake's one pending link: a pasted redirect completes it, as core does by its state.
let lastSessionId = '';
let connections: Connection[] = params.has('empty')
  ? []
  : [
      makeConnection('conn-mock', 'John Doe · Mock', mock),
      makeConnection('conn-monzo', 'QA — Monzo joint', providers[4] as Provider, {
        status: 'reauth_required',
        consentExpiresAt: iso(5 * DAY),
      }),
    ];

const ACCOUNT_NAMES = [
  'TRANSACTION ACCOUNT 1',
  'SAVINGS ACCOUNT 1',
  'TRANSACTION ACCOUNT 2',
  'SAVINGS ACCOUNT 2',
  'TRANSACTION ACCOUNT 3',
];
const accounts: AccountWithBalance[] = ACCOUNT_NAMES.map((name, i) => {
  const account: Account = {
    accountId: `9cb3f1e0a5d84b7c9e2f${String(i).repeat(12)}`,
    accountType: name.startsWith('SAV') ? 'SAVINGS' : 'TRANSACTION',
    displayName: name,
    currency: 'GBP',
    number: `${i + 1}0000000`,
    sortCode: '01-21-31',
    iban: 'GB08CLRB04066800003435',
    swiftBic: 'CPBKGB00',
    providerId: 'mock',
    extra: {},
  };
  return {
    account,
    balance:
      i === 4
        ? null
        : {
            currency: 'GBP',
            available: 129 * (i + 1) + 0.5,
            current: 29 * (i + 1) + 1234.56,
            overdraft: name.startsWith('SAV') ? null : 100 * (i + 1),
            creditLimit: null,
            updateTimestamp: iso(-3 * 60_000),
          },
    balanceError:
      i === 4
        ? {
            code: 'truelayer',
            message: 'The provider service is unavailable.',
            detail: { status: 503, tlError: 'provider_error', traceId: '1f0c2a8e7b6d4c3a' },
          }
        : null,
  };
});

const rawFor = (endpoint: string, results: unknown) => ({
  [endpoint]: { results, status: 'Succeeded', unexpected_field: 'kept as is' },
});
const fetched = <T>(data: T, endpoint: string, raw: unknown) => ({
  data,
  raw: rawFor(endpoint, raw),
  traceIds: ['b7c1f0d2a9e84f3c'],
  fetchedAt: iso(0),
});

// Deterministic transactions for the preview table and chart.
const MERCHANTS = [
  'TESCO STORES',
  'EDF ENERGY',
  'REGENDA REDWING',
  'TFL TRAVEL',
  'AMAZON MARKETPLACE',
  'PRET A MANGER',
  'SALARY ACME LTD',
  'COUNCIL TAX',
  'SPOTIFY',
  'ATM WITHDRAWAL',
];
const fetches = new Map<string, Transaction[]>();
const PREVIEW_SOURCE = { source: 'account', accountId: 'preview-acc-1', displayName: '', currency: 'GBP' } as const;
const cancelled = new Set<string>();

function generate(from: string, to: string): Transaction[] {
  const rows: Transaction[] = [];
  let seed = 42;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  let balance = 2400;
  for (let t = new Date(from).getTime(); t <= new Date(to).getTime(); t += DAY / 3) {
    const m = MERCHANTS[Math.floor(rand() * MERCHANTS.length)] ?? 'OTHER';
    const credit = m.startsWith('SALARY');
    const amount = Math.round((credit ? 2100 + rand() * 300 : -(3 + rand() * 120)) * 100) / 100;
    balance = Math.round((balance + amount) * 100) / 100;
    rows.push({
      transactionId: `txn-${rows.length.toString(16).padStart(8, '0')}`,
      timestamp: new Date(t).toISOString(),
      description: m,
      merchantName: credit ? null : (m.split(' ')[0] ?? null),
      amount,
      currency: 'GBP',
      transactionType: credit ? 'CREDIT' : 'DEBIT',
      transactionCategory: credit ? 'CREDIT' : 'PURCHASE',
      classification: credit ? [] : ['Shopping'],
      runningBalance: balance,
      pending: false,
    });
  }
  return rows;
}

const requests: RequestSummary[] = Array.from({ length: 24 }, (_, i) => {
  const eps = [
    '/data/v1/accounts',
    '/data/v1/accounts/{id}/balance',
    '/data/v1/cards',
    '/data/v1/me',
    '/connect/token',
    '/data/v1/info',
  ];
  const endpoint = eps[i % eps.length] ?? '/data/v1/me';
  const failed = i === 3 || i === 10;
  return {
    id: `req-${i}`,
    connectionId: 'conn-mock',
    startedAt: iso(-i * 47_000),
    method: endpoint === '/connect/token' ? 'POST' : 'GET',
    url: `http://127.0.0.1:47123${endpoint.replace('{id}', '9cb3f1e0')}`,
    endpoint,
    status: failed ? 503 : 200,
    durationMs: 40 + ((i * 37) % 300),
    traceId: `trace-${(i * 7919).toString(16)}`,
    correlationId: `corr-${i}`,
    error: failed ? 'provider_error' : null,
  };
});

function arg<T>(args: Record<string, unknown>, key: string): T {
  return args[key] as T;
}

/** Answers one command the way core would, from the demo dataset. */
export async function previewInvoke<T>(command: string, args: Record<string, unknown>): Promise<T> {
  await sleep(250);
  return (await answer(command, args)) as T;
}

async function answer(command: string, args: Record<string, unknown>): Promise<unknown> {
  switch (command) {
    case 'get_app_info':
      return {
        version: '0.1.0',
        build: 'dev',
        deepLinkScheme: 'linkscope-dev',
        keychain: params.has('nokeychain')
          ? { available: false, detail: 'org.freedesktop.secrets was not provided by any .service files' }
          : { available: true, detail: null },
        dataDir: '/home/qa/.local/share/linkscope-dev',
      };
    case 'list_environments':
      return environments;
    case 'select_environment':
      environments = environments.map((e) => ({ ...e, active: e.id === arg<string>(args, 'id') }));
      return environments.find((e) => e.active);
    case 'save_environment': {
      const { clientSecret, sandboxControlToken, confirmSecretsReset, ...input } = arg<EnvironmentInput>(args, 'input');
      const existing = environments.find((e) => e.id === input.id);
      const moved =
        existing !== undefined &&
        (existing.kind !== input.kind || existing.authUrl !== input.authUrl || existing.apiUrl !== input.apiUrl);
      if (moved && !confirmSecretsReset)
        throw new IpcError(
          'confirmation_required',
          `Changing the kind or the server of "${input.name}" clears its client secret and signs out its connections: they are marked as needing re-consent and their tokens are deleted from the keychain, so nothing stored for the old server is sent to the new one. Confirm to save the change.`,
        );
      const live = input.kind === 'truelayer_live' || input.markedLive;
      const saved: Environment = {
        ...(existing ?? { active: false, liveUnlocked: false }),
        ...input,
        id: input.id ?? `env-${environments.length}`,
        hasClientSecret: Boolean(clientSecret) || (!moved && Boolean(existing?.hasClientSecret)),
        hasSandboxControlToken: Boolean(sandboxControlToken) || (!moved && Boolean(existing?.hasSandboxControlToken)),
        isSandbox: !live,
        isLive: live,
      } as Environment;
      environments = existing ? environments.map((e) => (e.id === saved.id ? saved : e)) : [...environments, saved];
      return saved;
    }
    case 'list_providers':
      return { fetchedAt: iso(arg<boolean>(args, 'refresh') ? 0 : -14 * 60_000), providers };
    case 'get_scope_catalog':
      return catalog;
    case 'start_link':
    case 'update_link': {
      const input = arg<{ scopes: string[]; providerId: string | null; redirect: string; responseMode: string }>(
        args,
        'input',
      );
      const redirectUri =
        input.redirect === 'loopback'
          ? 'http://127.0.0.1:3947/callback'
          : input.redirect === 'console'
            ? 'https://console.truelayer.com/redirect-page'
            : 'linkscope-dev://callback';
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: 'sandbox-linkscope-demo',
        redirect_uri: redirectUri,
        scope: input.scopes.join(' '),
        providers: 'uk-cs-mock uk-ob-all uk-oauth-all',
        state: 'k3J9xQ2vLr8Wm5Tz',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        tracking_id: 'preview-tracking-id',
      });
      if (input.providerId) q.set('provider_id', input.providerId);
      if (input.responseMode === 'form_post') q.set('response_mode', 'form_post');
      const findings = [];
      if (!input.scopes.includes('offline_access'))
        findings.push({
          severity: 'warning',
          code: 'no_offline_access',
          message: 'No offline_access: no refresh token will be issued.',
        });
      if (input.responseMode === 'form_post' && input.redirect !== 'loopback')
        findings.push({
          severity: 'error',
          code: 'form_post_needs_loopback',
          message: 'form_post cannot be delivered to a deep link or the console page.',
        });
      lastSessionId = `sess-${Date.now()}`;
      return {
        sessionId: lastSessionId,
        url: `http://127.0.0.1:47123/?${q.toString()}`,
        redirectUri,
        expiresAt: iso(10 * 60_000),
        findings,
        state: 'k3J9xQ2vLr8Wm5Tz',
        trackingId: 'preview-tracking-id',
        renews: null,
      };
    }
    case 'open_link': {
      const sessionId = arg<string>(args, 'sessionId');
      if (!params.has('stay')) {
        setTimeout(() => {
          const connection = makeConnection(`conn-${Date.now()}`, 'John Doe · Mock (new)', mock, { createdAt: iso(0) });
          connections = [...connections, connection];
          emit('link://completed', { sessionId, connection });
        }, 4000);
      }
      return null;
    }
    case 'cancel_link':
    case 'set_presenter_mode':
      return null;
    case 'complete_link': {
      const url = arg<string>(args, 'url');
      if (!/[?&]code=/.test(url)) throw new IpcError('invalid_callback', 'The URL has no code parameter.');
      const connection = makeConnection(`conn-${Date.now()}`, 'John Doe · Mock (pasted)', mock);
      connections = [...connections, connection];
      emit('link://completed', { sessionId: lastSessionId, connection });
      return null;
    }
    case 'list_connections':
      return connections;
    case 'get_connection': {
      const c = connections.find((x) => x.id === arg<string>(args, 'id'));
      if (!c) throw new IpcError('not_found', 'No such connection.');
      return {
        connection: c,
        tokenClaims: {
          iss: 'http://127.0.0.1:47123',
          aud: 'data_api',
          client_id: 'sandbox-linkscope-demo',
          sub: 'Qm9iYnk=',
          connector_id: 'mock',
          nbf: Math.floor(now / 1000) - 1000,
          exp: Math.floor(now / 1000) + 2520,
          scope: c.scopes,
          consent_id: '7e5a1c2b-0d3f-4e8a-9b1c-2d3e4f5a6b7c',
          amr: ['pwd'],
        },
      };
    }
    case 'rename_connection':
    case 'refresh_connection':
    case 'revoke_connection': {
      const id = arg<string>(args, 'id');
      connections = connections.map((c) =>
        c.id !== id
          ? c
          : command === 'rename_connection'
            ? { ...c, label: arg<string>(args, 'label') }
            : command === 'revoke_connection'
              ? { ...c, status: 'revoked' }
              : { ...c, accessTokenExpiresAt: iso(3600_000), lastRefreshAt: iso(0), status: 'active' },
      );
      return connections.find((c) => c.id === id);
    }
    case 'extend_connection':
      return {
        kind: 'user_input_needed',
        action: 'authentication_needed',
        preview: {
          sessionId: `sess-ext-${Date.now()}`,
          url: 'http://127.0.0.1:47123/mock-bank/extend?session=abc',
          redirectUri: 'linkscope-dev://callback',
          expiresAt: iso(10 * 60_000),
          findings: [],
        },
      };
    case 'set_live_unlocked':
      environments = environments.map((e) =>
        e.id === arg<string>(args, 'environmentId') ? { ...e, liveUnlocked: arg<boolean>(args, 'unlocked') } : e,
      );
      return null;
    case 'forget_connection':
      connections = connections.filter((c) => c.id !== arg<string>(args, 'id'));
      return null;
    case 'list_accounts':
      return fetched(
        accounts,
        '/data/v1/accounts',
        accounts.map((a) => ({
          account_id: a.account.accountId,
          display_name: a.account.displayName,
          account_type: a.account.accountType,
          currency: 'GBP',
          account_number: {
            number: a.account.number,
            sort_code: a.account.sortCode,
            iban: a.account.iban,
            swift_bic: a.account.swiftBic,
          },
          provider: { provider_id: 'mock' },
        })),
      );
    case 'list_cards': {
      const cards = [1, 2].map((n) => ({
        card: {
          accountId: `card-${n}000`,
          cardNetwork: n === 1 ? 'MASTERCARD' : 'VISA',
          cardType: 'CREDIT',
          currency: 'GBP',
          displayName: `CREDIT CARD ${n}`,
          partialCardNumber: `${n}000`,
          nameOnCard: 'John Doe',
          validFrom: '2023-01',
          validTo: '2028-01',
        },
        balance: {
          currency: 'GBP',
          available: 3000 - n * 420.5,
          current: n * 420.5,
          creditLimit: 3000,
          lastStatementBalance: n * 380.1,
          lastStatementDate: iso(-9 * DAY),
          paymentDue: n * 25,
          paymentDueDate: iso(12 * DAY),
          updateTimestamp: iso(-60_000),
        },
        balanceError: null,
      }));
      return fetched(
        cards,
        '/data/v1/cards',
        cards.map((c) => c.card),
      );
    }
    case 'fetch_transactions':
    case 'fetch_all_transactions': {
      const input = arg<{ fetchId: string; from: string; to: string }>(args, 'input');
      const rows = generate(input.from, input.to);
      const windows = Math.max(
        1,
        Math.ceil((new Date(input.to).getTime() - new Date(input.from).getTime()) / (91 * DAY)),
      );
      for (let w = 1; w <= windows; w++) {
        await sleep(Math.min(300, 2000 / windows));
        if (cancelled.has(input.fetchId)) throw new IpcError('cancelled', 'The fetch was cancelled.');
        emit('transactions://progress', {
          fetchId: input.fetchId,
          windowsDone: w,
          windowsTotal: windows,
          rows: Math.round((rows.length * w) / windows),
        });
      }
      fetches.set(input.fetchId, rows);
      const byDay = new Map<string, number>();
      rows.forEach((r) => byDay.set(r.timestamp.slice(0, 10), r.runningBalance ?? 0));
      const pending = [
        {
          ...(rows[rows.length - 1] as Transaction),
          transactionId: 'pending-1',
          description: 'CARD PAYMENT PENDING — COSTA',
          amount: -3.45,
          pending: true,
          runningBalance: null,
        },
      ];
      return {
        fetchId: input.fetchId,
        total: rows.length,
        currency: 'GBP',
        windows,
        pending,
        balanceSeries: [...byDay].map(([date, balance]) => ({ date, balance })),
        sources: [PREVIEW_SOURCE],
        sourceSeries: [],
        traceIds: ['c0ffee01', 'c0ffee02'],
        fetchedAt: iso(0),
      };
    }
    case 'query_transactions': {
      const q = arg<{
        fetchId: string;
        offset: number;
        limit: number;
        search: string | null;
        sort: 'timestamp' | 'amount' | 'description';
        descending: boolean;
      }>(args, 'query');
      const needle = q.search?.toLowerCase() ?? '';
      const rows = (fetches.get(q.fetchId) ?? []).filter(
        (r) =>
          needle === '' ||
          r.description.toLowerCase().includes(needle) ||
          (r.merchantName ?? '').toLowerCase().includes(needle),
      );
      const sorted = [...rows].sort((a, b) => {
        const d =
          q.sort === 'amount'
            ? a.amount - b.amount
            : q.sort === 'description'
              ? a.description.localeCompare(b.description)
              : a.timestamp.localeCompare(b.timestamp);
        return q.descending ? -d : d;
      });
      const page = sorted.slice(q.offset, q.offset + q.limit);
      const all = fetches.get(q.fetchId) ?? [];
      return {
        total: sorted.length,
        offset: q.offset,
        sources: [PREVIEW_SOURCE],
        partial: false,
        rows: {
          index: page.map((r) => all.indexOf(r)),
          timestamp: page.map((r) => r.timestamp),
          description: page.map((r) => r.description),
          merchantName: page.map((r) => r.merchantName),
          amount: page.map((r) => r.amount),
          runningBalance: page.map((r) => r.runningBalance),
          transactionCategory: page.map((r) => r.transactionCategory),
          source: page.map(() => 0),
        },
      };
    }
    case 'get_transaction': {
      const r = (fetches.get(arg<string>(args, 'fetchId')) ?? [])[arg<number>(args, 'index')];
      if (!r) throw new IpcError('not_found', 'No such transaction.');
      return {
        transaction: r,
        source: PREVIEW_SOURCE,
        raw: {
          transaction_id: r.transactionId,
          timestamp: r.timestamp,
          description: r.description,
          amount: r.amount,
          currency: 'GBP',
          meta: { provider_transaction_category: 'DEB' },
        },
      };
    }
    case 'cancel_fetch':
      cancelled.add(arg<string>(args, 'fetchId'));
      return null;
    case 'list_standing_orders':
      return fetched(
        [
          {
            frequency: 'IntrvlMnthDay:01:15',
            status: 'Active',
            timestamp: iso(0),
            currency: 'GBP',
            payee: 'Jane Landlord',
            reference: 'RENT FLAT 2',
            nextPaymentDate: iso(9 * DAY),
            nextPaymentAmount: 950,
            firstPaymentDate: iso(-400 * DAY),
            firstPaymentAmount: 950,
            finalPaymentDate: null,
            finalPaymentAmount: null,
          },
          {
            frequency: 'EvryWorkgDay',
            status: 'Inactive',
            timestamp: iso(0),
            currency: 'GBP',
            payee: 'Savings Pot',
            reference: 'DAILY SAVE',
            nextPaymentDate: null,
            nextPaymentAmount: 5,
            firstPaymentDate: iso(-90 * DAY),
            firstPaymentAmount: 5,
            finalPaymentDate: iso(-10 * DAY),
            finalPaymentAmount: 5,
          },
        ],
        '/data/v1/accounts/{id}/standing_orders',
        [],
      );
    case 'list_direct_debits':
      return fetched(
        [
          {
            directDebitId: 'dd-1',
            name: 'EDF ENERGY',
            status: 'Active',
            timestamp: iso(0),
            previousPaymentTimestamp: iso(-20 * DAY),
            previousPaymentAmount: 84.2,
            currency: 'GBP',
          },
          {
            directDebitId: 'dd-2',
            name: 'COUNCIL TAX',
            status: 'Active',
            timestamp: iso(0),
            previousPaymentTimestamp: iso(-3 * DAY),
            previousPaymentAmount: 162,
            currency: 'GBP',
          },
        ],
        '/data/v1/accounts/{id}/direct_debits',
        [],
      );
    case 'get_identity':
      return fetched(
        [
          {
            fullName: 'John Doe',
            dateOfBirth: '1980-04-01',
            emails: ['john@example.com'],
            phones: ['+447700900123'],
            addresses: [{ address: '1 Market Street', city: 'London', state: null, zip: 'SW1A 1AA', country: 'GB' }],
            updateTimestamp: iso(-DAY),
          },
        ],
        '/data/v1/info',
        [{ full_name: 'John Doe' }],
      );
    case 'get_signup_plus':
      if (arg<string | null>(args, 'accountId') === null) {
        return fetched(
          {
            kind: 'multiple_accounts',
            detail: 'Multiple valid accounts linked, please resend the request specifying an account_id.',
            accounts: accounts.slice(0, 3).map((a) => ({
              accountId: a.account.accountId,
              displayName: a.account.displayName,
              accountType: a.account.accountType,
              currency: 'GBP',
              accountNumber: a.account.number,
              sortCode: a.account.sortCode,
              iban: null,
            })),
          },
          '/signup-plus/accounts',
          {},
        );
      }
      return fetched(
        {
          kind: 'identity',
          identity: {
            title: 'Mr',
            firstName: 'John',
            lastName: 'Doe',
            dateOfBirth: '1980-04-01',
            address: {
              address: '1 Market Street',
              city: 'London',
              state: 'Greater London',
              zip: 'SW1A 1AA',
              country: 'GB',
            },
            accountNumber: '10000000',
            sortCode: '01-21-31',
            iban: 'GB08CLRB04066800003435',
            providerId: 'mock',
          },
        },
        '/signup-plus/accounts',
        {},
      );
    case 'verify_name': {
      const name = arg<string>(args, 'name');
      const ok = name.trim().toLowerCase() === 'john doe';
      return fetched(
        {
          verified: ok,
          accountHolderName: 'John Doe',
          matchScore: ok ? 100 : 30,
          failureCode: null,
          failureDescription: null,
          report: accounts.slice(0, 2).map((a) => ({
            verifiable: true,
            failureCode: null,
            failureDescription: null,
            displayName: a.account.displayName,
            accountType: 'CURRENT',
            currency: 'GBP',
            providerId: 'mock',
            accountNumber: a.account.number,
            sortCode: a.account.sortCode,
            iban: a.account.iban,
            accountHolders: [{ name: 'John Doe', verified: ok, matchScore: ok ? 100 : 30 }],
          })),
        },
        '/verification/v1/verify',
        {},
      );
    }
    case 'list_requests': {
      const f = arg<{ status: string; text: string | null; connectionId: string | null }>(args, 'filter');
      return requests.filter(
        (r) =>
          (f.status === 'all' || (f.status === 'failure') === (r.error !== null)) &&
          (!f.text || r.url.includes(f.text) || (r.traceId ?? '').includes(f.text)),
      );
    }
    case 'get_request': {
      const summary = requests.find((r) => r.id === arg<string>(args, 'id'));
      if (!summary) throw new IpcError('not_found', 'No such request.');
      return {
        summary,
        requestHeaders: [
          ['Authorization', 'Bearer [redacted]'],
          ['Accept', 'application/json'],
        ],
        requestBody: null,
        responseHeaders: [
          ['Content-Type', 'application/json; charset=utf-8'],
          ['X-TL-Correlation-Id', summary.correlationId ?? ''],
        ],
        responseBody: summary.error
          ? { error: 'provider_error', error_description: 'The provider service is unavailable.', error_details: {} }
          : { results: [{ account_id: '9cb3f1e0' }], status: 'Succeeded' },
        curl: `curl -X ${summary.method} '${summary.url}' \\\n  -H 'Authorization: Bearer $ACCESS_TOKEN'`,
      };
    }
    case 'export_transactions':
      return '/home/qa/Downloads/transactions.csv';
    case 'export_har':
      return '/home/qa/Downloads/linkscope-requests.har';
    case 'export_support_bundle':
      return '/home/qa/Downloads/linkscope-support-bundle.md';
    default:
      throw new IpcError('internal', `The preview has no answer for ${command}.`);
  }
}
