import { useState, type FormEvent } from 'react';
import {
  toIpcError,
  verifyName,
  type Connection,
  type Fetched,
  type IpcErrorPayload,
  type VerificationResult,
} from '../../ipc';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { usePresenter } from '../presenter/usePresenter';
import { Sensitive } from '../presenter/Sensitive';
import { Badge, Button, Card, EmptyState, Field, RawJson, TextInput } from '../shared';
import './verification.css';

/** Verification (`POST /verification/v1/verify`): does a name match the account holder? */
export function VerificationPanel({ connection }: { connection: Connection }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcErrorPayload | null>(null);
  const [result, setResult] = useState<Fetched<VerificationResult> | null>(null);
  const { maskJson } = usePresenter();
  const granted =
    connection.scopes.includes('verification') ||
    (connection.scopes.includes('info') && connection.scopes.includes('accounts'));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (name.trim() === '') return;
    setBusy(true);
    setError(null);
    try {
      setResult(await verifyName(connection.id, name.trim()));
    } catch (reason) {
      setResult(null);
      setError(toIpcError(reason).toPayload());
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <Card title="Verify a name" subtitle="TrueLayer compares it with the account holder names the bank knows.">
        <form className="verify-form" onSubmit={submit}>
          <Field
            label="Name to check"
            hint={
              granted
                ? 'Up to 200 characters.'
                : 'This consent has neither the verification scope nor info + accounts; TrueLayer will probably refuse.'
            }
          >
            {(id, d) => (
              <TextInput
                id={id}
                aria-describedby={d}
                value={name}
                maxLength={200}
                placeholder="John Doe"
                onChange={(e) => setName(e.target.value)}
                data-testid="verify-name-input"
              />
            )}
          </Field>
          <Button
            type="submit"
            variant="primary"
            loading={busy}
            disabled={name.trim() === ''}
            data-testid="verify-submit"
          >
            Verify
          </Button>
        </form>
      </Card>
      {error && <IpcErrorPanel error={error} data-testid="verification-error" />}
      {!result && !error && !busy && (
        <EmptyState icon="shield" title="No check yet" compact>
          <p>Enter a name and verify it to see the match score and the per-account report.</p>
        </EmptyState>
      )}
      {result && <VerificationReport fetched={result} />}
      {result && <RawJson value={result.raw} mapString={maskJson} />}
    </div>
  );
}

function Score({ value }: { value: number | null }) {
  if (value === null) return <span className="muted">—</span>;
  const tone = value >= 80 ? 'success' : value >= 50 ? 'warning' : 'danger';
  return (
    <span className={`score score-${tone}`} data-testid="verification-score">
      <span className="score-bar">
        <span style={{ width: `${Math.max(0, Math.min(100, value))}%` }} />
      </span>
      <span className="num">{value}</span>
    </span>
  );
}

function VerificationReport({ fetched }: { fetched: Fetched<VerificationResult> }) {
  const r = fetched.data;
  return (
    <Card
      title={
        <span className="row">
          {r.verified ? (
            <Badge tone="success" dot>
              Verified
            </Badge>
          ) : (
            <Badge tone="danger" dot>
              Not verified
            </Badge>
          )}
          <span>
            Account holder: <Sensitive kind="name" value={r.accountHolderName} />
          </span>
        </span>
      }
      subtitle={r.failureDescription ?? undefined}
      actions={<Score value={r.matchScore} />}
      data-testid="verification-result"
    >
      {r.report.length === 0 ? (
        <p className="muted">No per-account report.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th>Account</th>
                <th>Identifiers</th>
                <th>Holders</th>
                <th>Verifiable</th>
              </tr>
            </thead>
            <tbody>
              {r.report.map((item, i) => (
                <tr key={i}>
                  <td>
                    {item.displayName ?? '—'}
                    <div className="muted">
                      {[item.accountType, item.currency, item.providerId].filter(Boolean).join(' · ')}
                    </div>
                  </td>
                  <td className="mono">
                    {item.sortCode && <Sensitive kind="sortCode" value={item.sortCode} />}{' '}
                    {item.accountNumber && <Sensitive kind="number" value={item.accountNumber} />}
                    {item.iban && (
                      <div>
                        <Sensitive kind="number" value={item.iban} />
                      </div>
                    )}
                  </td>
                  <td>
                    {item.accountHolders.map((h, k) => (
                      <div key={k} className="row">
                        <Sensitive kind="name" value={h.name} />{' '}
                        {h.verified ? <Badge tone="success">match</Badge> : <Badge>no match</Badge>}
                        {h.matchScore !== null && <span className="muted num">{h.matchScore}</span>}
                      </div>
                    ))}
                  </td>
                  <td>
                    {item.verifiable ? (
                      'Yes'
                    ) : (
                      <span title={item.failureDescription ?? undefined}>
                        No{item.failureCode ? ` (${item.failureCode})` : ''}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
