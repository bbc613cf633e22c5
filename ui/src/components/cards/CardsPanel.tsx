import { listCards, type CardWithBalance, type Connection } from '../../ipc';
import { queryKeys, useIpcQuery } from '../../query';
import { formatDate, formatMoney, humanize } from '../../lib/format';
import { FetchedPanel } from '../data/FetchedPanel';
import { hasScope, ScopeMissing } from '../data/ScopeMissing';
import { explainError } from '../errors/explain';
import { Sensitive } from '../presenter/Sensitive';
import { Badge, Button, EmptyState, Icon } from '../shared';
import '../accounts/accounts.css';
import './cards.css';

export interface CardsPanelProps {
  connection: Connection;
  onShowTransactions: (cardAccountId: string) => void;
  onReconsent: () => void;
}

/** Credit and charge cards with their balances; their transactions open in the Transactions tab. */
export function CardsPanel({ connection, onShowTransactions, onReconsent }: CardsPanelProps) {
  if (!hasScope(connection, 'cards'))
    return <ScopeMissing connection={connection} scope="cards" what="cards" onReconsent={onReconsent} />;
  return <CardsList connection={connection} onShowTransactions={onShowTransactions} />;
}

function CardsList({
  connection,
  onShowTransactions,
}: {
  connection: Pick<Connection, 'id' | 'environmentId'>;
  onShowTransactions: (id: string) => void;
}) {
  const cards = useIpcQuery(queryKeys.connectionView(connection.environmentId, connection.id, 'cards'), () =>
    listCards(connection.id),
  );
  return (
    <FetchedPanel
      result={cards}
      testId="cards"
      loadingLabel="Loading cards…"
      isEmpty={(d) => d.length === 0}
      empty={
        <EmptyState icon="card" title="No cards">
          <p>The bank returned no credit or charge cards for this user.</p>
        </EmptyState>
      }
    >
      {(items) => (
        <div className="account-grid">
          {items.map((item) => (
            <CardTile key={item.card.accountId} item={item} onShowTransactions={onShowTransactions} />
          ))}
        </div>
      )}
    </FetchedPanel>
  );
}

function CardTile({ item, onShowTransactions }: { item: CardWithBalance; onShowTransactions: (id: string) => void }) {
  const { card, balance, balanceError } = item;
  return (
    <article className="account-card" data-testid={`card-${card.accountId}`} aria-label={card.displayName}>
      <header className="card-visual">
        <span className="card-network">{card.cardNetwork ?? 'Card'}</span>
        <span className="card-number mono">
          •••• <Sensitive kind="number" value={card.partialCardNumber} />
        </span>
        <span className="card-holder">
          <Sensitive kind="name" value={card.nameOnCard?.trim()} />
        </span>
      </header>
      <div className="account-card-title">
        <h3>{card.displayName}</h3>
        <div className="row wrap">
          {card.cardType && <Badge>{humanize(card.cardType)}</Badge>}
          <Badge>{card.currency}</Badge>
          {card.validTo && <span className="muted">valid to {card.validTo}</span>}
        </div>
      </div>
      <section className="account-balance" data-testid={`card-balance-${card.accountId}`}>
        {balance ? (
          <>
            <div className="balance-main">
              <span className="balance-label">Current balance</span>
              <span className="balance-amount num">{formatMoney(balance.current, balance.currency)}</span>
            </div>
            <dl className="balance-others">
              {balance.available !== null && (
                <div>
                  <dt>Available</dt>
                  <dd className="num">{formatMoney(balance.available, balance.currency)}</dd>
                </div>
              )}
              {balance.creditLimit !== null && (
                <div>
                  <dt>Credit limit</dt>
                  <dd className="num">{formatMoney(balance.creditLimit, balance.currency)}</dd>
                </div>
              )}
              {balance.paymentDue !== null && (
                <div>
                  <dt>Payment due</dt>
                  <dd className="num">
                    {formatMoney(balance.paymentDue, balance.currency)}
                    {balance.paymentDueDate && <span className="muted"> by {formatDate(balance.paymentDueDate)}</span>}
                  </dd>
                </div>
              )}
            </dl>
            {balance.lastStatementBalance !== null && (
              <p className="balance-updated muted">
                Last statement {formatMoney(balance.lastStatementBalance, balance.currency)}
                {balance.lastStatementDate && ` on ${formatDate(balance.lastStatementDate)}`}
              </p>
            )}
          </>
        ) : balanceError ? (
          <div className="balance-error" role="alert">
            <Icon name="error" size={14} />
            <p>
              <strong>{explainError(balanceError).title}.</strong> {balanceError.message}
              {balanceError.detail?.traceId && (
                <span className="muted mono"> trace id {balanceError.detail.traceId}</span>
              )}
            </p>
          </div>
        ) : (
          <p className="muted">No balance: this connection was not granted the balance scope.</p>
        )}
      </section>
      <Button
        size="sm"
        variant="secondary"
        icon="list"
        onClick={() => onShowTransactions(card.accountId)}
        data-testid={`card-transactions-${card.accountId}`}
      >
        Transactions
      </Button>
    </article>
  );
}
