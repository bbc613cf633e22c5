import { useState } from 'react';
import {
  linkAsPersona,
  listPersonas,
  toIpcError,
  type Connection,
  type Environment,
  type IpcErrorPayload,
  type PersonaInfo,
} from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Badge, Button, Card, CopyButton } from '../shared';
import './workbench.css';

export interface PersonaListProps {
  environment: Environment;
  /** The permissions chosen in the wizard; empty = every scope the workbench checks. */
  scopes: string[];
  onConnected: (connection: Connection) => void;
}

/**
 * The sandbox's mock users, grouped, each with what it should produce. In a Linkscope sandbox
 * "Link as this user" completes the dialog without a browser; in TrueLayer's sandbox the logins
 * are there to copy. Hidden where there are no mock users (live).
 */
export function PersonaList({ environment, scopes, onConnected }: PersonaListProps) {
  const catalog = useIpcQuery(queryKeys.environmentView(environment.id, 'personas'), () =>
    listPersonas(environment.id),
  );
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<IpcErrorPayload | null>(null);

  if (catalog.status !== 'success' || !catalog.data) return null;
  const { automated, groups } = catalog.data;

  async function link(persona: PersonaInfo) {
    setBusy(persona.key);
    setError(null);
    try {
      onConnected(await linkAsPersona({ environmentId: environment.id, personaKey: persona.key, scopes }));
    } catch (reason) {
      setError(toIpcError(reason).toPayload());
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card
      title="Mock users"
      subtitle={
        automated
          ? '“Link as this user” completes the bank dialog without a browser, through the sandbox’s own control, with the permissions above. The browser path stays the real journey.'
          : 'TrueLayer’s sandbox: copy a login into the bank page when the browser opens.'
      }
      data-testid="persona-list"
    >
      {error && <IpcErrorPanel error={error} />}
      {groups.map((group) => (
        <section key={group.id} className="persona-group" aria-label={group.label}>
          <h3 className="persona-group-title">{group.label}</h3>
          <ul className="persona-rows">
            {group.personas.map((p) => (
              <li key={p.key} className="persona-row" data-testid={`persona-${p.key}`}>
                <div className="persona-login">
                  <code>{p.username}</code>
                  <span className="muted">/</span>
                  <code>{p.password}</code>
                </div>
                <div className="persona-purpose">
                  <span>{p.purpose}</span>
                  <ExpectedSummary persona={p} />
                </div>
                <div className="persona-actions">
                  {automated ? (
                    <Button
                      size="sm"
                      variant="primary"
                      loading={busy === p.key}
                      disabled={busy !== null}
                      onClick={() => void link(p)}
                      data-testid={`link-as-${p.key}`}
                    >
                      Link as this user
                    </Button>
                  ) : (
                    <>
                      <CopyButton value={p.username} label="Copy username" />
                      <CopyButton value={p.password} label="Copy password" />
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Card>
  );
}

/** The outcomes that differ from a plain "ok", as small badges (the sandbox's expected table). */
function ExpectedSummary({ persona }: { persona: PersonaInfo }) {
  const notable = persona.expected.filter((e) => e.outcome.kind !== 'ok' && e.outcome.kind !== 'not_run');
  if (notable.length === 0) return null;
  // One badge per distinct outcome, named by the first check that has it.
  const unique = notable.filter((e, i) => notable.findIndex((f) => f.outcome.text === e.outcome.text) === i);
  return (
    <span className="persona-expected">
      {unique.map((e) => (
        <Badge
          key={e.check}
          tone={e.outcome.kind === 'error' ? 'danger' : 'accent'}
          title={`${e.endpoint} → ${e.outcome.text}`}
        >
          {e.check}: {e.outcome.text}
        </Badge>
      ))}
    </span>
  );
}
