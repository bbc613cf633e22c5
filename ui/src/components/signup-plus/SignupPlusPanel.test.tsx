import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import type { SignupPlusResult } from '../../ipc';
import { connection, fetchedOf } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { SignupPlusPanel } from './SignupPlusPanel';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const withSignup = { ...connection, scopes: [...connection.scopes, 'signupplus'] };
const identity: SignupPlusResult = {
  kind: 'identity',
  identity: {
    title: 'Mr',
    firstName: 'Sherlock',
    lastName: 'Holmes',
    dateOfBirth: '1854-01-06',
    address: { address: '221B Baker St', city: 'London', state: null, zip: 'NW1 6XE', country: 'GB' },
    accountNumber: '41921234',
    sortCode: '04-01-02',
    iban: null,
    providerId: 'ob-monzo',
  },
};
const several: SignupPlusResult = {
  kind: 'multiple_accounts',
  detail: 'Multiple valid accounts linked, please resend the request specifying an account_id.',
  accounts: [
    {
      accountId: 'acc-123',
      displayName: '1st Account',
      accountType: 'CURRENT',
      currency: 'GBP',
      accountNumber: '12345678',
      sortCode: '00-11-22',
      iban: null,
    },
    {
      accountId: 'acc-456',
      displayName: '2nd Account',
      accountType: 'CURRENT',
      currency: 'GBP',
      accountNumber: '87654321',
      sortCode: '00-11-22',
      iban: null,
    },
  ],
};

describe('the Signup+ view', () => {
  beforeEach(() => vi.mocked(ipc.listConnections).mockResolvedValue([]));

  it('shows the verified identity when one account is linked', async () => {
    vi.mocked(ipc.getSignupPlus).mockResolvedValue(fetchedOf(identity));
    renderInApp(<SignupPlusPanel connection={withSignup} onReconsent={vi.fn()} />);
    expect(screen.getByTestId('signup-plus-loading')).toBeInTheDocument();
    const card = await screen.findByTestId('signup-plus-identity');
    expect(card).toHaveTextContent('Mr Sherlock Holmes');
    expect(card).toHaveTextContent('221B Baker St');
    expect(ipc.getSignupPlus).toHaveBeenCalledWith('conn-1', null);
  });

  it('lets the user pick an account when several are linked, then asks again with it', async () => {
    vi.mocked(ipc.getSignupPlus).mockResolvedValueOnce(fetchedOf(several)).mockResolvedValueOnce(fetchedOf(identity));
    renderInApp(<SignupPlusPanel connection={withSignup} onReconsent={vi.fn()} />);
    expect(await screen.findByTestId('signup-plus-accounts')).toHaveTextContent(
      'please resend the request specifying an account_id',
    );
    await userEvent.click(screen.getByTestId('signup-plus-account-acc-456'));
    expect(await screen.findByTestId('signup-plus-identity')).toHaveTextContent('Sherlock Holmes');
    expect(ipc.getSignupPlus).toHaveBeenLastCalledWith('conn-1', 'acc-456');
  });

  it('explains Signup+’s refusal', async () => {
    vi.mocked(ipc.getSignupPlus).mockRejectedValue({
      code: 'truelayer',
      message: 'No valid accounts linked, could not process request.',
      detail: { status: 422, tlError: 'no-valid-accounts', traceId: 'tr-422' },
    });
    renderInApp(<SignupPlusPanel connection={withSignup} onReconsent={vi.fn()} />);
    const error = await screen.findByTestId('signup-plus-error');
    expect(error).toHaveTextContent('No valid accounts linked');
    expect(error).toHaveTextContent('tr-422');
  });

  it('says an empty account choice is empty', async () => {
    vi.mocked(ipc.getSignupPlus).mockResolvedValue(fetchedOf({ ...several, accounts: [] }));
    renderInApp(<SignupPlusPanel connection={withSignup} onReconsent={vi.fn()} />);
    expect(await screen.findByTestId('signup-plus-empty')).toBeInTheDocument();
  });

  it('needs the signupplus scope', () => {
    renderInApp(<SignupPlusPanel connection={connection} onReconsent={vi.fn()} />);
    expect(screen.getByText('No Signup+ identity for this connection')).toBeInTheDocument();
    expect(ipc.getSignupPlus).not.toHaveBeenCalled();
  });
});
