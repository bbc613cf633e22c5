import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  addSandboxFault,
  advanceSandboxClock,
  clearSandboxFaults,
  getSandboxClock,
  getSandboxJournal,
  listSandboxFaults,
  toIpcError,
  type Environment,
  type IpcErrorPayload,
  type SandboxJournal,
} from '../../ipc';
import { invalidateEnvironmentConnections, queryKeys, useIpcQuery } from '../../query';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Button, Card, Field, TextInput } from '../shared';
import { movedSandboxClock, sawSandboxClock } from './sandboxClock';
import './workbench.css';

export interface SandboxControlsProps {
  environment: Environment;
}

const MINUTE = 60;
const DAY = 24 * 60 * MINUTE;

/** Each preset says what it will expire before it is pressed. */
const PRESETS = [
  { id: '6m', seconds: 6 * MINUTE, label: '+6 min', effect: 'Authorisation codes expire (valid 5 minutes).' },
  {
    id: '61m',
    seconds: 61 * MINUTE,
    label: '+61 min',
    effect: 'Access tokens expire (1 hour): the next call refreshes once.',
  },
  {
    id: '1d',
    seconds: DAY,
    label: '+1 day',
    effect: 'A new day of settled transactions and balances (compare a snapshot with now); access tokens expire too.',
  },
  { id: '31d', seconds: 31 * DAY, label: '+31 days', effect: 'Unused refresh tokens expire (30 days).' },
  {
    id: '91d',
    seconds: 91 * DAY,
    label: '+91 days',
    effect: 'Consent expires (90 days): data calls get 403 access_denied.',
  },
] as const;

interface FaultForm {
  path: string;
  status: string;
  error: string;
  retryAfter: string;
  times: string;
  latencyMs: string;
}

const number = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/** The sandbox's clock, fault injection and request journal (built-in or standalone sandbox). */
export function SandboxControls({ environment }: SandboxControlsProps) {
  const id = environment.id;
  const client = useQueryClient();
  const clock = useIpcQuery(queryKeys.environmentView(id, 'sandbox-clock'), async () => {
    const clock = await getSandboxClock(id);
    sawSandboxClock(id, clock.offsetSeconds);
    return clock;
  });
  const faults = useIpcQuery(queryKeys.environmentView(id, 'sandbox-faults'), () => listSandboxFaults(id));
  const [journal, setJournal] = useState<SandboxJournal | null>(null);
  const [error, setError] = useState<IpcErrorPayload | null>(null);
  const [form, setForm] = useState<FaultForm>({
    path: '/data/v1/accounts',
    status: '503',
    error: '',
    retryAfter: '',
    times: '1',
    latencyMs: '',
  });

  async function attempt(action: () => Promise<void>) {
    setError(null);
    try {
      await action();
    } catch (reason) {
      setError(toIpcError(reason).toPayload());
    }
  }

  const advance = (seconds: number) =>
    attempt(async () => {
      const before = clock.data?.offsetSeconds ?? (await getSandboxClock(id)).offsetSeconds;
      const next = await advanceSandboxClock(id, seconds);
      movedSandboxClock(id, before, next.offsetSeconds);
      clock.setData(() => next);
      // The sandbox's data moved with its clock (new transactions, consents nearer expiry).
      void invalidateEnvironmentConnections(client, id);
    });

  const arm = () =>
    attempt(async () => {
      const next = await addSandboxFault(id, {
        path: form.path,
        status: number(form.status),
        error: form.error.trim() || undefined,
        retryAfter: number(form.retryAfter),
        times: number(form.times),
        latencyMs: number(form.latencyMs),
      });
      faults.setData(() => next);
    });

  const clear = () =>
    attempt(async () => {
      const next = await clearSandboxFaults(id);
      faults.setData(() => next);
    });

  const status = number(form.status);
  const what =
    form.path.trim() === ''
      ? form.latencyMs
        ? `Every call will be slowed by ${form.latencyMs} ms.`
        : 'Give a path to fail, or a latency.'
      : `The next ${form.times || '1'} call(s) under ${form.path} will answer ${status ?? 'an error'}${form.error ? ` ${form.error}` : ''}${form.retryAfter ? ` with Retry-After: ${form.retryAfter}` : ''}.`;

  return (
    <div className="stack" data-testid="sandbox-controls">
      {error && <IpcErrorPanel error={error} />}
      <Card
        title="Clock"
        subtitle="The sandbox’s clock only moves forward. The app’s token and consent countdowns follow it."
      >
        <p data-testid="sandbox-clock">
          Sandbox now: <strong className="mono">{clock.data?.now ?? '…'}</strong>{' '}
          <span className="muted">({Math.round((clock.data?.offsetSeconds ?? 0) / 60)} min ahead)</span>
        </p>
        <ul className="control-presets">
          {PRESETS.map((p) => (
            <li key={p.id}>
              <Button
                size="sm"
                variant="secondary"
                onClick={() => void advance(p.seconds)}
                data-testid={`clock-${p.id}`}
              >
                {p.label}
              </Button>
              <span className="muted">{p.effect}</span>
            </li>
          ))}
          <li>
            <Button size="sm" variant="ghost" onClick={() => clock.reload()}>
              Now
            </Button>
            <span className="muted">Reads the sandbox’s clock again; changes nothing.</span>
          </li>
        </ul>
      </Card>

      <Card
        title="Faults"
        subtitle="Fail the next calls under a path with any status and documented error code (429 with Retry-After, 500, 503, …), or slow every call down."
      >
        <div className="fault-form">
          <FormInput
            label="Path prefix"
            value={form.path}
            onChange={(path) => setForm({ ...form, path })}
            testId="fault-path"
          />
          <FormInput
            label="Status"
            value={form.status}
            onChange={(status) => setForm({ ...form, status })}
            testId="fault-status"
          />
          <FormInput
            label="Error code"
            value={form.error}
            placeholder="the status’s usual code"
            onChange={(error) => setForm({ ...form, error })}
            testId="fault-error"
          />
          <FormInput
            label="Retry-After (s)"
            value={form.retryAfter}
            onChange={(retryAfter) => setForm({ ...form, retryAfter })}
            testId="fault-retry-after"
          />
          <FormInput
            label="Times"
            value={form.times}
            onChange={(times) => setForm({ ...form, times })}
            testId="fault-times"
          />
          <FormInput
            label="Latency (ms)"
            value={form.latencyMs}
            onChange={(latencyMs) => setForm({ ...form, latencyMs })}
            testId="fault-latency"
          />
        </div>
        <p className="muted" data-testid="fault-preview">
          {what}
        </p>
        <span className="row">
          <Button variant="primary" onClick={() => void arm()} data-testid="fault-arm">
            Arm fault
          </Button>
          <Button variant="secondary" onClick={() => void clear()} data-testid="fault-clear">
            Clear all faults
          </Button>
        </span>
        <ul className="fault-list" data-testid="fault-list">
          {(faults.data?.faults ?? []).map((f, i) => (
            <li key={`${f.path}-${i}`}>
              <code>{f.path}</code> → {f.status} {f.error}
              {f.retryAfter !== undefined && ` · Retry-After ${f.retryAfter}s`} · {f.times} left
            </li>
          ))}
          {faults.data && faults.data.latencyMs > 0 && <li>Every call +{faults.data.latencyMs} ms</li>}
          {faults.data && faults.data.faults.length === 0 && faults.data.latencyMs === 0 && (
            <li className="muted">Nothing armed.</li>
          )}
        </ul>
      </Card>

      <Card
        title="Journal"
        subtitle="What the sandbox received, in its own redacted record."
        actions={
          <Button
            size="sm"
            variant="secondary"
            onClick={() => void attempt(async () => setJournal(await getSandboxJournal(id)))}
            data-testid="journal-load"
          >
            {journal ? 'Reload' : 'Show journal'}
          </Button>
        }
      >
        {journal && (
          <table className="data-table" data-testid="journal">
            <thead>
              <tr>
                <th>#</th>
                <th>Time</th>
                <th>Request</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {journal.requests
                .slice(-50)
                .reverse()
                .map((r) => (
                  <tr key={String(r.id)}>
                    <td className="num">{String(r.id)}</td>
                    <td className="mono muted">{String(r.time)}</td>
                    <td className="mono">
                      {String(r.method)} {String(r.path)}
                    </td>
                    <td className="num">{String(r.status)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}

interface FormInputProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  placeholder?: string;
}

function FormInput({ label, value, onChange, testId, placeholder }: FormInputProps) {
  return (
    <Field label={label}>
      {(fieldId, describedBy) => (
        <TextInput
          id={fieldId}
          aria-describedby={describedBy}
          value={value}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testId}
        />
      )}
    </Field>
  );
}
