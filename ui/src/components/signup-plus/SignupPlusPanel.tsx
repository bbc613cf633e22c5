import { useState } from 'react';
import { getSignupPlus, type Connection, type SignupPlusAccount, type SignupPlusIdentity } from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { FetchedPanel } from '../data/FetchedPanel';
import { hasScope, ScopeMissing } from '../data/ScopeMissing';
import { formatAddress } from '../identity/IdentityPanel';
import { formatDay } from '../../lib/format';
import { Sensitive } from '../presenter/Sensitive';
import { Badge, Button, Card, DataList, EmptyState, Icon } from '../shared';
import './signup-plus.css';

/**
 * Signup+ (`GET /signup-plus/accounts`): a verified identity. With several accounts linked, core
 * answers `multiple_accounts`; the user picks one and it is asked again with that account_id.
 */
export function SignupPlusPanel({ connection, onReconsent }: { connection: Connection; onReconsent: () => void }) {
  const [accountId, setAccountId] = useState<string | null>(null);
  if (!hasScope(connection, 'signupplus'))
    return (
      <ScopeMissing connection={connection} scope="signupplus" what="Signup+ identity" onReconsent={onReconsent} />
    );
  return (
    <SignupPlusView key={accountId ?? 'all'} connection={connection} accountId={accountId} onChoose={setAccountId} />
  );
}

interface ViewProps {
  connection: Pick<Connection, 'id' | 'environmentId'>;
  accountId: string | null;
  onChoose: (accountId: string | null) => void;
}

function SignupPlusView({ connection, accountId, onChoose }: ViewProps) {
  const result = useIpcQuery(
    queryKeys.connectionView(connection.environmentId, connection.id, 'signup-plus', accountId),
    () => getSignupPlus(connection.id, accountId),
  );
  return (
    <FetchedPanel
      result={result}
      testId="signup-plus"
      loadingLabel="Asking Signup+…"
      isEmpty={(d) => d.kind === 'multiple_accounts' && d.accounts.length === 0}
      empty={
        <EmptyState icon="user" title="No account to choose" compact>
          <p>Signup+ said several accounts are linked but listed none.</p>
        </EmptyState>
      }
    >
      {(answer) =>
        answer.kind === 'identity' ? (
          <div className="stack">
            {accountId && (
              <div className="row">
                <Badge tone="accent">For account {accountId}</Badge>
                <Button
                  size="sm"
                  variant="ghost"
                  icon="arrowLeft"
                  onClick={() => onChoose(null)}
                  data-testid="signup-plus-choose-again"
                >
                  Choose another account
                </Button>
              </div>
            )}
            <IdentityCard identity={answer.identity} />
          </div>
        ) : (
          <AccountChoice detail={answer.detail} accounts={answer.accounts} onChoose={onChoose} />
        )
      }
    </FetchedPanel>
  );
}

function IdentityCard({ identity: i }: { identity: SignupPlusIdentity }) {
  const name = [i.title, i.firstName, i.lastName].filter(Boolean).join(' ');
  return (
    <Card
      title={
        <span className="row">
          <Icon name="shield" size={16} /> <Sensitive kind="name" value={name} />
        </span>
      }
      subtitle="Verified by the bank through Signup+"
      data-testid="signup-plus-identity"
    >
      <DataList
        items={[
          { label: 'Name', value: <Sensitive kind="name" value={name} /> },
          {
            label: 'Date of birth',
            value: <Sensitive kind="dateOfBirth" value={i.dateOfBirth && formatDay(i.dateOfBirth)} />,
          },
          { label: 'Address', value: i.address ? <Sensitive kind="address" value={formatAddress(i.address)} /> : '—' },
          { label: 'Sort code', value: <Sensitive kind="sortCode" value={i.sortCode} />, mono: true },
          { label: 'Account number', value: <Sensitive kind="number" value={i.accountNumber} />, mono: true },
          { label: 'IBAN', value: <Sensitive kind="number" value={i.iban} />, mono: true },
          { label: 'Provider', value: i.providerId ?? '—', mono: true },
        ]}
      />
    </Card>
  );
}

function AccountChoice({
  detail,
  accounts,
  onChoose,
}: {
  detail: string;
  accounts: SignupPlusAccount[];
  onChoose: (id: string) => void;
}) {
  return (
    <Card title="Several accounts are linked" subtitle={detail} data-testid="signup-plus-accounts">
      <ul className="choice-list">
        {accounts.map((a) => (
          <li key={a.accountId}>
            <button
              type="button"
              className="choice"
              onClick={() => onChoose(a.accountId)}
              data-testid={`signup-plus-account-${a.accountId}`}
            >
              <span className="choice-text">
                <span className="choice-title">{a.displayName ?? a.accountId}</span>
                <span className="muted mono">
                  {a.sortCode && <Sensitive kind="sortCode" value={a.sortCode} />}{' '}
                  {a.accountNumber && <Sensitive kind="number" value={a.accountNumber} />}
                  {a.iban && <Sensitive kind="number" value={a.iban} />}
                </span>
              </span>
              {a.accountType && <Badge>{a.accountType}</Badge>}
              <Icon name="chevronRight" />
            </button>
          </li>
        ))}
      </ul>
    </Card>
  );
}
