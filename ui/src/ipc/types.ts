// IPC types. The ones the contract defines are GENERATED from Rust by ts-rs into ui/src/bindings/
// and re-exported here, so the rest of the UI imports from the ipc module only. The issue-6 types
// below are still the UI's hand-written proposal for commands the contract only names; they move
// to bindings/ when core exports them.
import type { ApiError, Connection, LinkPreview } from '../bindings';

export type * from '../bindings';

/** The `{code, message, detail?}` every rejected command carries (the contract's ApiError). */
export type IpcErrorPayload = ApiError;

// ================================================================ issue 6 (UI proposal)

export interface Card {
  accountId: string;
  cardNetwork: string | null;
  cardType: string | null;
  currency: string;
  displayName: string;
  partialCardNumber: string | null;
  nameOnCard: string | null;
  validFrom: string | null;
  validTo: string | null;
}

export interface CardBalance {
  currency: string;
  available: number | null;
  current: number;
  creditLimit: number | null;
  lastStatementBalance: number | null;
  lastStatementDate: string | null;
  paymentDue: number | null;
  paymentDueDate: string | null;
  updateTimestamp: string | null;
}

export interface CardWithBalance {
  card: Card;
  balance: CardBalance | null;
  balanceError: ApiError | null;
}

export type TransactionSource = 'account' | 'card';

/** Starts fetching a range; the UI picks `fetchId` so it can cancel and follow progress. */
export interface FetchTransactionsInput {
  fetchId: string;
  connectionId: string;
  source: TransactionSource;
  accountId: string;
  /** YYYY-MM-DD, inclusive. */
  from: string;
  /** YYYY-MM-DD, inclusive. */
  to: string;
}

export interface Transaction {
  transactionId: string;
  timestamp: string;
  description: string;
  merchantName: string | null;
  amount: number;
  currency: string;
  transactionType: string;
  transactionCategory: string;
  classification: string[];
  /** From TrueLayer when given, else derived by core from the current balance. */
  runningBalance: number | null;
  pending: boolean;
}

export interface BalancePoint {
  /** YYYY-MM-DD */
  date: string;
  balance: number;
}

export interface TransactionFetchSummary {
  fetchId: string;
  total: number;
  currency: string;
  windows: number;
  pending: Transaction[];
  /** One point per day, for the balance-over-time chart. */
  balanceSeries: BalancePoint[];
  traceIds: string[];
  fetchedAt: string;
}

export type TransactionSortField = 'timestamp' | 'amount' | 'description';

export interface TransactionQuery {
  fetchId: string;
  offset: number;
  limit: number;
  search: string | null;
  sort: TransactionSortField;
  descending: boolean;
}

export interface TransactionPage {
  /** Rows matching the search, not only this page. */
  total: number;
  offset: number;
  rows: Transaction[];
  /** The raw TrueLayer item of each row, in the same order (for the raw JSON toggle). */
  raw: unknown[];
}

export interface FetchProgressEvent {
  fetchId: string;
  windowsDone: number;
  windowsTotal: number;
  rows: number;
}

export interface StandingOrder {
  frequency: string;
  status: string | null;
  timestamp: string;
  currency: string | null;
  payee: string | null;
  reference: string | null;
  nextPaymentDate: string | null;
  nextPaymentAmount: number | null;
  firstPaymentDate: string | null;
  firstPaymentAmount: number | null;
  finalPaymentDate: string | null;
  finalPaymentAmount: number | null;
}

export interface DirectDebit {
  directDebitId: string;
  name: string;
  status: string | null;
  timestamp: string;
  previousPaymentTimestamp: string | null;
  previousPaymentAmount: number | null;
  currency: string | null;
}

export interface Address {
  address: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  country: string | null;
}

export interface Identity {
  fullName: string | null;
  dateOfBirth: string | null;
  emails: string[];
  phones: string[];
  addresses: Address[];
  updateTimestamp: string | null;
}

export interface SignupPlusIdentity {
  title: string | null;
  firstName: string | null;
  lastName: string | null;
  dateOfBirth: string | null;
  address: Address | null;
  accountNumber: string | null;
  sortCode: string | null;
  iban: string | null;
  providerId: string | null;
}

export interface SignupPlusAccount {
  accountId: string;
  displayName: string | null;
  accountType: string | null;
  currency: string | null;
  accountNumber: string | null;
  sortCode: string | null;
  iban: string | null;
}

export type SignupPlusResult =
  | { kind: 'identity'; identity: SignupPlusIdentity }
  | { kind: 'multiple_accounts'; detail: string; accounts: SignupPlusAccount[] };

export interface AccountHolderMatch {
  name: string;
  verified: boolean;
  matchScore: number | null;
}

export interface VerificationReportItem {
  verifiable: boolean;
  failureCode: string | null;
  failureDescription: string | null;
  displayName: string | null;
  accountType: string | null;
  currency: string | null;
  providerId: string | null;
  accountNumber: string | null;
  sortCode: string | null;
  iban: string | null;
  accountHolders: AccountHolderMatch[];
}

export interface VerificationResult {
  verified: boolean;
  accountHolderName: string | null;
  matchScore: number | null;
  failureCode: string | null;
  failureDescription: string | null;
  report: VerificationReportItem[];
}

export type ExtendOutcome =
  | { kind: 'renewed'; connection: Connection }
  | {
      kind: 'user_input_needed';
      action: 'reconfirmation_of_consent_needed' | 'authentication_needed';
      /** The user_input_link wrapped as a link session, captured like a new link. */
      preview: LinkPreview;
    };

export type RequestStatusFilter = 'all' | 'success' | 'failure';

export interface RequestFilter {
  connectionId: string | null;
  status: RequestStatusFilter;
  endpoint: string | null;
  text: string | null;
  limit: number;
}

export interface RequestSummary {
  id: string;
  connectionId: string | null;
  startedAt: string;
  method: string;
  url: string;
  endpoint: string;
  status: number | null;
  durationMs: number;
  traceId: string | null;
  correlationId: string | null;
  error: string | null;
}

export interface RequestDetail {
  summary: RequestSummary;
  /** Redacted by core before it was stored. */
  requestHeaders: [string, string][];
  requestBody: unknown;
  responseHeaders: [string, string][];
  responseBody: unknown;
  /** Built by core with $ACCESS_TOKEN / $CLIENT_SECRET placeholders. */
  curl: string;
}

export type ExportFormat = 'csv' | 'json';
