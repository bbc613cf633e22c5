import type { AccountWithBalance } from '../../ipc';
import { formatDateTime, formatMoney, humanize } from '../../lib/format';
import { explainError } from '../errors/explain';
import { Sensitive } from '../presenter/Sensitive';
import { usePresenter } from '../presenter/usePresenter';
import { Badge, CopyButton, Icon } from '../shared';
import './accounts.css';

/** "GB08CLRB04066800003435" → "GB08 CLRB 0406 6800 0034 35" */
export function groupIban(iban: string): string {
  return iban
    .replace(/\s+/g, '')
    .replace(/(.{4})/g, '$1 ')
    .trim();
}

/** One account: its identifiers (maskable) and its balances. */
export function AccountCard({ item }: { item: AccountWithBalance }) {
  const { account, balance, balanceError } = item;
  const { mask } = usePresenter();
  const id = account.accountId;
  const ukDetails = account.sortCode && account.number ? `${account.sortCode} ${account.number}` : null;

  return (
    <article className="account-card" data-testid={`account-card-${id}`} aria-label={account.displayName}>
      <header className="account-card-header">
        <div className="account-card-title">
          <h3>{account.displayName}</h3>
          <div className="row wrap">
            <Badge>{humanize(account.accountType)}</Badge>
            <Badge tone="neutral">{account.currency}</Badge>
          </div>
        </div>
      </header>

      <dl className="account-ids">
        {account.sortCode && (
          <div>
            <dt>Sort code</dt>
            <dd className="mono">
              <Sensitive kind="sortCode" value={account.sortCode} />
            </dd>
          </div>
        )}
        {account.number && (
          <div>
            <dt>Account number</dt>
            <dd className="mono">
              <Sensitive kind="number" value={account.number} />
            </dd>
          </div>
        )}
        {account.iban && (
          <div className="account-ids-wide">
            <dt>IBAN</dt>
            <dd className="mono">
              <Sensitive kind="number" value={groupIban(account.iban)} />
            </dd>
          </div>
        )}
        {account.swiftBic && (
          <div>
            <dt>BIC</dt>
            <dd className="mono">{account.swiftBic}</dd>
          </div>
        )}
        {!account.sortCode && !account.number && !account.iban && (
          <p className="muted">The bank returned no account identifiers.</p>
        )}
      </dl>
      {(ukDetails || account.iban) && (
        <div className="account-copy row">
          {ukDetails && (
            <CopyButton
              variant="ghost"
              label="Copy sort code & number"
              value={() => `${mask('sortCode', account.sortCode ?? '')} ${mask('number', account.number ?? '')}`}
              data-testid={`copy-account-number-${id}`}
            />
          )}
          {account.iban && (
            <CopyButton variant="ghost" label="Copy IBAN" value={() => mask('number', account.iban ?? '')} />
          )}
        </div>
      )}

      <section className="account-balance" data-testid={`account-balance-${id}`} aria-label="Balance">
        {balance ? (
          <>
            <div className="balance-main">
              <span className="balance-label">Current</span>
              <span className={balance.current < 0 ? 'balance-amount num negative' : 'balance-amount num'}>
                {formatMoney(balance.current, balance.currency)}
              </span>
            </div>
            <dl className="balance-others">
              <div>
                <dt>Available</dt>
                <dd className="num">
                  {balance.available !== null ? formatMoney(balance.available, balance.currency) : '—'}
                </dd>
              </div>
              {balance.overdraft !== null && (
                <div>
                  <dt>Overdraft</dt>
                  <dd className="num">{formatMoney(balance.overdraft, balance.currency)}</dd>
                </div>
              )}
              {balance.creditLimit !== null && (
                <div>
                  <dt>Credit limit</dt>
                  <dd className="num">{formatMoney(balance.creditLimit, balance.currency)}</dd>
                </div>
              )}
            </dl>
            {balance.updateTimestamp && (
              <p className="balance-updated muted">Updated by the bank {formatDateTime(balance.updateTimestamp)}</p>
            )}
          </>
        ) : balanceError ? (
          <div className="balance-error" role="alert">
            <Icon name="error" size={14} />
            <div>
              <p>
                <strong>{explainError(balanceError).title}.</strong> {balanceError.message}
              </p>
              {balanceError.detail?.traceId && <p className="muted mono">trace id {balanceError.detail.traceId}</p>}
            </div>
          </div>
        ) : (
          <p className="muted">No balance: this connection was not granted the balance scope.</p>
        )}
      </section>
    </article>
  );
}
