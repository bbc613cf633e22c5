import { useState, type FormEvent } from 'react';
import {
  bankLookup,
  registerConsoleWebhook,
  toIpcError,
  verifyAccountHolder,
  type AccountInput,
  type BankLookupResult,
  type Environment,
  type HolderVerificationResult,
  type IpcErrorPayload,
} from '../../ipc';
import { formatDateTime, humanize } from '../../lib/format';
import { WebhookDetails, WebhookSignatureBadge } from '../async/WebhookArrivalView';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Sensitive } from '../presenter/Sensitive';
import { Badge, Button, Card, DataList, Field, SegmentedControl, TextInput, type Tone } from '../shared';
import './verification.css';

type Kind = 'scan' | 'iban';

const RESULT_TONE: Record<string, Tone> = {
  match: 'success',
  partial_match: 'warning',
  no_match: 'danger',
  match_not_possible: 'neutral',
};

/**
 * Account holder verification v3: a name checked against a UK sort code + account number or an
 * IBAN, without the holder logging in. Core signs the request with the environment's key, polls
 * it until it ends, and returns every poll; bank lookup names the account's bank beside it.
 */
export function HolderVerificationPanel({ environment }: { environment: Environment }) {
  const [kind, setKind] = useState<Kind>('scan');
  const [name, setName] = useState('');
  const [sortCode, setSortCode] = useState('');
  const [accountNumber, setAccountNumber] = useState('');
  const [iban, setIban] = useState('');
  const [busy, setBusy] = useState<'verify' | 'lookup' | null>(null);
  const [error, setError] = useState<IpcErrorPayload | null>(null);
  const [result, setResult] = useState<HolderVerificationResult | null>(null);
  const [consoleWebhook, setConsoleWebhook] = useState<string | null>(null);
  const registerWebhook = () =>
    registerConsoleWebhook(environment.id).then(setConsoleWebhook, (e: unknown) => setError(toIpcError(e).toPayload()));
  const [bank, setBank] = useState<BankLookupResult | null>(null);

  const account = (): AccountInput =>
    kind === 'scan' ? { type: 'sort_code_account_number', sortCode, accountNumber } : { type: 'iban', iban };

  async function run(what: 'verify' | 'lookup') {
    setBusy(what);
    setError(null);
    try {
      if (what === 'verify') {
        setResult(await verifyAccountHolder({ environmentId: environment.id, name, account: account() }));
      } else {
        setBank(await bankLookup(environment.id, account()));
      }
    } catch (reason) {
      setError(toIpcError(reason).toPayload());
    } finally {
      setBusy(null);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void run('verify');
  }

  const accountGiven = kind === 'scan' ? sortCode.trim() !== '' && accountNumber.trim() !== '' : iban.trim() !== '';
  const match = result?.matchResult ?? null;
  return (
    <div className="stack">
      <Card
        title="Check a name against an account"
        subtitle="No login by the account holder: a client token with the verification scope, signed requests."
      >
        <form className="stack-sm" onSubmit={submit}>
          <SegmentedControl<Kind>
            name="holder-account-kind"
            label="Account identifier"
            value={kind}
            onChange={setKind}
            options={[
              { value: 'scan', label: 'Sort code + account number', testId: 'holder-kind-scan' },
              { value: 'iban', label: 'IBAN', testId: 'holder-kind-iban' },
            ]}
          />
          <div className="holder-fields">
            <Field label="Account holder's name">
              {(id) => (
                <TextInput
                  id={id}
                  value={name}
                  maxLength={200}
                  placeholder="John Doe"
                  onChange={(e) => setName(e.target.value)}
                  data-testid="holder-name-input"
                />
              )}
            </Field>
            {kind === 'scan' ? (
              <>
                <Field label="Sort code">
                  {(id) => (
                    <TextInput
                      id={id}
                      mono
                      value={sortCode}
                      placeholder="01-21-31"
                      onChange={(e) => setSortCode(e.target.value)}
                      data-testid="holder-sort-code-input"
                    />
                  )}
                </Field>
                <Field label="Account number">
                  {(id) => (
                    <TextInput
                      id={id}
                      mono
                      value={accountNumber}
                      placeholder="10000000"
                      onChange={(e) => setAccountNumber(e.target.value)}
                      data-testid="holder-account-number-input"
                    />
                  )}
                </Field>
              </>
            ) : (
              <Field label="IBAN">
                {(id) => (
                  <TextInput
                    id={id}
                    mono
                    value={iban}
                    onChange={(e) => setIban(e.target.value)}
                    data-testid="holder-iban-input"
                  />
                )}
              </Field>
            )}
          </div>
          <div className="row">
            <Button
              type="submit"
              variant="primary"
              loading={busy === 'verify'}
              disabled={busy !== null || name.trim() === '' || !accountGiven}
              data-testid="holder-verify"
            >
              Verify
            </Button>
            <Button
              loading={busy === 'lookup'}
              disabled={busy !== null || !accountGiven}
              onClick={() => void run('lookup')}
              data-testid="holder-bank-lookup"
            >
              Look up the bank
            </Button>
            <Button
              variant="ghost"
              disabled={consoleWebhook !== null}
              onClick={() => void registerWebhook()}
              data-testid="holder-console-webhook"
            >
              {consoleWebhook === null ? 'Send verification webhooks to this app' : 'Webhooks come to this app'}
            </Button>
          </div>
          {consoleWebhook !== null && (
            <p className="muted" data-testid="holder-console-webhook-uri">
              The sandbox notifies each verification to <span className="mono">{consoleWebhook}</span>, as to a webhook
              URI registered in TrueLayer's Console.
            </p>
          )}
        </form>
      </Card>
      {error && <IpcErrorPanel error={error} data-testid="holder-error" />}
      {bank && (
        <Card title="Bank" data-testid="holder-bank">
          <DataList
            columns={2}
            items={[
              { label: 'Name', value: bank.name },
              { label: 'BIC', value: <span className="mono">{bank.bic}</span> },
            ]}
          />
        </Card>
      )}
      {result && (
        <Card title="Result" subtitle={`Verification ${result.id}`} data-testid="holder-result">
          <div className="stack-sm">
            <div className="row wrap">
              {match ? (
                <Badge tone={RESULT_TONE[match.kind] ?? 'neutral'} dot data-testid="holder-match">
                  {humanize(match.kind)}
                </Badge>
              ) : (
                <Badge tone={result.status === 'failed' ? 'danger' : 'warning'} dot data-testid="holder-match">
                  {humanize(result.status)}
                </Badge>
              )}
              {match?.accountHolderName && (
                <span>
                  Name on file: <Sensitive kind="name" value={match.accountHolderName} />
                </span>
              )}
              {match?.reason && <span className="muted">{match.reason}</span>}
              {result.failureReason && <span className="muted">{result.failureReason}</span>}
            </div>
            <ol className="holder-polls" data-testid="holder-polls">
              {result.polls.map((poll, i) => (
                <li key={i}>
                  <Badge tone={poll.status === 'pending' ? 'neutral' : 'accent'}>{poll.status}</Badge>{' '}
                  <span className="muted">{formatDateTime(poll.at)}</span>
                </li>
              ))}
            </ol>
            {result.webhooks.length > 0 && (
              <ol className="holder-polls" data-testid="holder-webhooks">
                {result.webhooks.map((webhook, i) => (
                  <li key={i}>
                    Webhook <span className="mono">{String((webhook.body as { type?: unknown }).type ?? '')}</span>{' '}
                    <span className="muted">{formatDateTime(webhook.receivedAt)}</span>{' '}
                    <WebhookSignatureBadge signature={webhook.signature} />
                    <WebhookDetails webhook={webhook} />
                  </li>
                ))}
              </ol>
            )}
            <DataList
              columns={2}
              items={[
                { label: 'Idempotency-Key', value: <span className="mono">{result.idempotencyKey}</span> },
                { label: 'Signed with key', value: <span className="mono">{result.keyId}</span> },
                { label: 'Trace id', value: <span className="mono">{result.traceId ?? '—'}</span> },
              ]}
            />
          </div>
        </Card>
      )}
    </div>
  );
}
