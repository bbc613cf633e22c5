import { getIdentity, type Address, type Connection, type Identity } from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { formatDateTime, formatDay } from '../../lib/format';
import { FetchedPanel } from '../data/FetchedPanel';
import { hasScope, ScopeMissing } from '../data/ScopeMissing';
import { Sensitive } from '../presenter/Sensitive';
import { Card, DataList, EmptyState } from '../shared';

export function formatAddress(a: Address): string {
  return [a.address, a.city, a.state, a.zip, a.country].filter(Boolean).join(', ');
}

function isBlank(i: Identity): boolean {
  return !i.fullName && !i.dateOfBirth && i.emails.length === 0 && i.phones.length === 0 && i.addresses.length === 0;
}

/** `/info`: who holds the accounts (most banks only give the full name). */
export function IdentityPanel({ connection, onReconsent }: { connection: Connection; onReconsent: () => void }) {
  if (!hasScope(connection, 'info'))
    return <ScopeMissing connection={connection} scope="info" what="identity" onReconsent={onReconsent} />;
  return <IdentityView connection={connection} />;
}

function IdentityView({ connection }: { connection: Pick<Connection, 'id' | 'environmentId'> }) {
  const result = useIpcQuery(queryKeys.connectionView(connection.environmentId, connection.id, 'identity'), () =>
    getIdentity(connection.id),
  );
  return (
    <FetchedPanel
      result={result}
      testId="identity"
      loadingLabel="Loading identity…"
      isEmpty={(d) => d.length === 0 || d.every(isBlank)}
      empty={
        <EmptyState icon="user" title="No identity returned" compact>
          <p>The bank answered /info without any holder details.</p>
        </EmptyState>
      }
    >
      {(identities) => (
        <div className="stack">
          {identities.map((i, index) => (
            <Card
              key={index}
              title={<Sensitive kind="name" value={i.fullName} />}
              subtitle={i.updateTimestamp ? `Updated by the bank ${formatDateTime(i.updateTimestamp)}` : undefined}
            >
              <DataList
                items={[
                  { label: 'Full name', value: <Sensitive kind="name" value={i.fullName} /> },
                  {
                    label: 'Date of birth',
                    value: <Sensitive kind="dateOfBirth" value={i.dateOfBirth && formatDay(i.dateOfBirth)} />,
                  },
                  {
                    label: 'Emails',
                    value: i.emails.length
                      ? i.emails.map((e) => (
                          <div key={e}>
                            <Sensitive kind="email" value={e} />
                          </div>
                        ))
                      : '—',
                  },
                  {
                    label: 'Phones',
                    value: i.phones.length
                      ? i.phones.map((p) => (
                          <div key={p}>
                            <Sensitive kind="phone" value={p} />
                          </div>
                        ))
                      : '—',
                  },
                  {
                    label: 'Addresses',
                    value: i.addresses.length
                      ? i.addresses.map((a, k) => (
                          <div key={k}>
                            <Sensitive kind="address" value={formatAddress(a)} />
                          </div>
                        ))
                      : '—',
                  },
                ]}
              />
            </Card>
          ))}
        </div>
      )}
    </FetchedPanel>
  );
}
