// Small, typed sample DTOs for component tests (shaped like the contract, values from the sandbox).
import type { AccountWithBalance, AppInfo, Connection, Environment, LinkPreview, Provider, ScopeInfo } from '../ipc';

export const appInfo: AppInfo = {
  version: '0.1.0',
  build: 'dev',
  deepLinkScheme: 'linkscope-dev',
  keychain: { available: true, detail: null },
  dataDir: '/tmp/linkscope',
};

export const builtinEnv: Environment = {
  id: 'builtin',
  name: 'Built-in sandbox',
  kind: 'builtin',
  authUrl: 'http://127.0.0.1:40000',
  apiUrl: 'http://127.0.0.1:40000',
  clientId: 'sandbox-linkscope-demo',
  hasClientSecret: true,
  redirectUris: ['linkscope-dev://callback'],
  isSandbox: true,
  isLive: false,
  markedLive: false,
  liveUnlocked: false,
  hasSandboxControlToken: false,
  active: true,
};

export const liveEnv: Environment = {
  ...builtinEnv,
  id: 'live',
  name: 'TrueLayer live',
  kind: 'truelayer_live',
  authUrl: 'https://auth.truelayer.com',
  apiUrl: 'https://api.truelayer.com',
  clientId: 'acme-123',
  hasClientSecret: false,
  isSandbox: false,
  isLive: true,
  active: false,
};

export const providers: Provider[] = [
  {
    providerId: 'ob-barclays',
    displayName: 'Barclays',
    country: 'uk',
    logoUrl: '',
    scopes: ['info', 'accounts', 'balance', 'transactions'],
    availability: 'healthy',
  },
  {
    providerId: 'xs2a-ing-de',
    displayName: 'ING',
    country: 'de',
    logoUrl: '',
    scopes: ['accounts', 'balance', 'cards'],
    availability: null,
  },
  {
    providerId: 'mock',
    displayName: 'Mock',
    country: 'uk',
    logoUrl: '',
    scopes: ['info', 'accounts', 'balance', 'cards', 'transactions', 'offline_access'],
    availability: 'healthy',
  },
];

export const catalog: ScopeInfo[] = [
  {
    scope: 'info',
    label: 'Identity',
    description: 'Name and contact details.',
    requires: [],
    standalone: false,
    defaultOn: true,
  },
  { scope: 'accounts', label: 'Accounts', description: 'Accounts.', requires: [], standalone: false, defaultOn: true },
  {
    scope: 'balance',
    label: 'Balances',
    description: 'Balances.',
    requires: ['accounts', 'cards'],
    standalone: false,
    defaultOn: true,
  },
  { scope: 'cards', label: 'Cards', description: 'Cards.', requires: [], standalone: false, defaultOn: true },
  {
    scope: 'transactions',
    label: 'Transactions',
    description: 'Transactions.',
    requires: ['accounts', 'cards'],
    standalone: false,
    defaultOn: true,
  },
  {
    scope: 'direct_debits',
    label: 'Direct debits',
    description: 'Direct debits.',
    requires: ['accounts'],
    standalone: false,
    defaultOn: true,
  },
  {
    scope: 'standing_orders',
    label: 'Standing orders',
    description: 'Standing orders.',
    requires: ['accounts'],
    standalone: false,
    defaultOn: true,
  },
  {
    scope: 'offline_access',
    label: 'Offline access',
    description: 'Refresh token.',
    requires: [],
    standalone: false,
    defaultOn: true,
  },
  { scope: 'signupplus', label: 'Signup+', description: 'Signup+.', requires: [], standalone: false, defaultOn: false },
  {
    scope: 'verification',
    label: 'Verification',
    description: 'Name check.',
    requires: [],
    standalone: true,
    defaultOn: false,
  },
];

export const connection: Connection = {
  id: 'conn-1',
  label: 'John Doe · Mock',
  environmentId: 'builtin',
  environmentName: 'Built-in sandbox',
  providerId: 'mock',
  providerName: 'Mock',
  providerLogoUrl: '',
  scopes: ['info', 'accounts', 'balance', 'cards', 'transactions', 'offline_access'],
  credentialsId: 'cred-abc=',
  status: 'active',
  consentCreatedAt: '2026-01-01T10:00:00Z',
  consentExpiresAt: '2099-04-01T10:00:00Z',
  consentStatus: 'Authorised',
  accessTokenExpiresAt: '2099-01-01T11:00:00Z',
  hasRefreshToken: true,
  saved: true,
  createdAt: '2026-01-01T10:00:00Z',
  lastRefreshAt: null,
};

export const preview: LinkPreview = {
  sessionId: 'sess-1',
  url: 'http://127.0.0.1:40000/?response_type=code&client_id=sandbox-linkscope-demo&scope=info%20accounts&state=abc',
  redirectUri: 'linkscope-dev://callback',
  expiresAt: '2099-01-01T00:10:00Z',
  findings: [
    { severity: 'warning', code: 'no_offline_access', message: 'No offline_access: no refresh token.' },
    { severity: 'error', code: 'provider_not_listed', message: 'provider_id is not in providers.' },
  ],
  state: 'abc',
  trackingId: 'track-1',
  renews: null,
};

export const accounts: AccountWithBalance[] = [
  {
    account: {
      accountId: 'acc-1',
      accountType: 'TRANSACTION',
      displayName: 'TRANSACTION ACCOUNT 1',
      currency: 'GBP',
      number: '10000000',
      sortCode: '01-21-31',
      iban: 'GB08CLRB04066800003435',
      swiftBic: 'CPBKGB00',
      providerId: 'mock',
      extra: {},
    },
    balance: { currency: 'GBP', available: 129, current: 29, overdraft: 100, creditLimit: null, updateTimestamp: null },
    balanceError: null,
  },
  {
    account: {
      accountId: 'acc-2',
      accountType: 'SAVINGS',
      displayName: 'SAVINGS ACCOUNT 1',
      currency: 'EUR',
      number: null,
      sortCode: null,
      iban: 'DE89370400440532013000',
      swiftBic: null,
      providerId: 'mock',
      extra: {},
    },
    balance: null,
    balanceError: {
      code: 'truelayer',
      message: 'The provider service is unavailable.',
      detail: { status: 503, tlError: 'provider_error', traceId: 'trace-503' },
    },
  },
];

export function fetchedOf<T>(data: T, raw: unknown = { '/endpoint': { results: [], status: 'Succeeded' } }) {
  return { data, raw, traceIds: ['trace-ok'], fetchedAt: new Date().toISOString() };
}

export const tlError = (tlErrorCode: string, message: string, status = 503) => ({
  code: 'truelayer' as const,
  message,
  detail: { status, tlError: tlErrorCode, traceId: `trace-${tlErrorCode}` },
});
