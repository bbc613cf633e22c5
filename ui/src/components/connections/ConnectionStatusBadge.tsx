import type { Connection, ConnectionStatus } from '../../ipc';
import { Badge, type Tone } from '../shared';
import './connections.css';

const STATUS: Record<ConnectionStatus, { label: string; short: string; tone: Tone; hint: string }> = {
  active: { label: 'Active', short: 'Active', tone: 'success', hint: 'Tokens are valid; data can be fetched.' },
  reauth_required: {
    label: 'Re-consent needed',
    short: 'Re-consent',
    tone: 'warning',
    hint: 'The refresh was refused: the user must consent again.',
  },
  revoked: {
    label: 'Revoked',
    short: 'Revoked',
    tone: 'neutral',
    hint: 'Access was revoked; data can no longer be fetched.',
  },
  expired: { label: 'Expired', short: 'Expired', tone: 'danger', hint: 'The consent has expired.' },
};

export interface ConnectionStatusBadgeProps {
  connection: Pick<Connection, 'status' | 'saved'>;
  /** Short labels for the sidebar. */
  compact?: boolean;
}

export function ConnectionStatusBadge({ connection, compact = false }: ConnectionStatusBadgeProps) {
  const s = STATUS[connection.status];
  return (
    <span className={compact ? 'status-badges status-badges-compact' : 'status-badges'}>
      <Badge tone={s.tone} dot title={s.hint} data-testid="connection-status">
        {compact ? s.short : s.label}
      </Badge>
      {!connection.saved && (
        <Badge
          tone="warning"
          title="The keychain is unavailable: this connection’s tokens are only in memory and will be lost when Linkscope closes."
        >
          Not saved
        </Badge>
      )}
    </span>
  );
}
