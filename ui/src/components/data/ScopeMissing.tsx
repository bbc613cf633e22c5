import type { Connection } from '../../ipc';
import { Button, EmptyState } from '../shared';

export interface ScopeMissingProps {
  connection: Connection;
  scope: string;
  what: string;
  onReconsent: () => void;
}

/** Shown instead of a call that would fail: the connection was not granted this scope. */
export function ScopeMissing({ connection, scope, what, onReconsent }: ScopeMissingProps) {
  return (
    <EmptyState
      icon="lock"
      title={`No ${what} for this connection`}
      action={
        <Button onClick={onReconsent} icon="refresh" data-testid="scope-missing-reconsent">
          Re-consent with {scope}
        </Button>
      }
    >
      <p>
        The consent for <strong>{connection.label}</strong> did not include the <code>{scope}</code> scope. A new
        consent that asks for it is needed.
      </p>
    </EmptyState>
  );
}

export function hasScope(connection: Pick<Connection, 'scopes'>, scope: string): boolean {
  return connection.scopes.includes(scope);
}
