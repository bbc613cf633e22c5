import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { connection, fetchedOf, tlError } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { CardsPanel } from './CardsPanel';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const card = {
  card: {
    accountId: 'card-1',
    cardNetwork: 'VISA',
    cardType: 'CREDIT',
    currency: 'GBP',
    displayName: 'CREDIT CARD 1',
    partialCardNumber: '1000',
    nameOnCard: 'John Doe ',
    validFrom: '2023-01',
    validTo: '2028-01',
  },
  balance: {
    currency: 'GBP',
    available: 2579.5,
    current: 420.5,
    creditLimit: 3000,
    lastStatementBalance: null,
    lastStatementDate: null,
    paymentDue: null,
    paymentDueDate: null,
    updateTimestamp: null,
  },
  balanceError: null,
};

describe('the cards view', () => {
  beforeEach(() => vi.mocked(ipc.listConnections).mockResolvedValue([]));

  it('does not call the API when the cards scope was not granted, and offers a re-consent', async () => {
    const onReconsent = vi.fn();
    renderInApp(
      <CardsPanel
        connection={{ ...connection, scopes: ['accounts'] }}
        onShowTransactions={vi.fn()}
        onReconsent={onReconsent}
      />,
    );
    await userEvent.click(screen.getByTestId('scope-missing-reconsent'));
    expect(onReconsent).toHaveBeenCalled();
    expect(ipc.listCards).not.toHaveBeenCalled();
  });

  it('shows loading, then each card with its balance in its currency', async () => {
    let resolve: (v: ReturnType<typeof fetchedOf<(typeof card)[]>>) => void = () => undefined;
    vi.mocked(ipc.listCards).mockReturnValue(new Promise((r) => (resolve = r)));
    renderInApp(<CardsPanel connection={connection} onShowTransactions={vi.fn()} onReconsent={vi.fn()} />);
    expect(screen.getByTestId('cards-loading')).toBeInTheDocument();
    resolve(fetchedOf([card]));
    const tile = await screen.findByTestId('card-card-1');
    expect(tile).toHaveTextContent('VISA');
    expect(tile).toHaveTextContent('•••• 1000');
    expect(screen.getByTestId('card-balance-card-1')).toHaveTextContent('Current balance£420.50');
    expect(screen.getByTestId('card-balance-card-1')).toHaveTextContent('Credit limit£3,000.00');
  });

  it('opens the card’s transactions', async () => {
    vi.mocked(ipc.listCards).mockResolvedValue(fetchedOf([card]));
    const onShow = vi.fn();
    renderInApp(<CardsPanel connection={connection} onShowTransactions={onShow} onReconsent={vi.fn()} />);
    await userEvent.click(await screen.findByTestId('card-transactions-card-1'));
    expect(onShow).toHaveBeenCalledWith('card-1');
  });

  it('says so when there are no cards', async () => {
    vi.mocked(ipc.listCards).mockResolvedValue(fetchedOf([]));
    renderInApp(<CardsPanel connection={connection} onShowTransactions={vi.fn()} onReconsent={vi.fn()} />);
    expect(await screen.findByTestId('cards-empty')).toHaveTextContent('No cards');
  });

  it('explains a TrueLayer error with its trace id', async () => {
    vi.mocked(ipc.listCards).mockRejectedValue(tlError('provider_error', 'The provider service is unavailable.'));
    renderInApp(<CardsPanel connection={connection} onShowTransactions={vi.fn()} onReconsent={vi.fn()} />);
    const error = await screen.findByTestId('cards-error');
    expect(error).toHaveTextContent('The bank’s service is unavailable');
    expect(error).toHaveTextContent('trace-provider_error');
  });
});
