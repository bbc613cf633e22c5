import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { connection, fetchedOf } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { VerificationPanel } from './VerificationPanel';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const result = {
  verified: true,
  accountHolderName: 'John Doe',
  matchScore: 89,
  failureCode: null,
  failureDescription: null,
  report: [
    {
      verifiable: true,
      failureCode: null,
      failureDescription: null,
      displayName: 'Current',
      accountType: 'CURRENT',
      currency: 'GBP',
      providerId: 'mock',
      accountNumber: '10000000',
      sortCode: '01-21-31',
      iban: null,
      accountHolders: [{ name: 'John Doe', verified: true, matchScore: 89 }],
    },
  ],
};

describe('the verification view', () => {
  beforeEach(() => vi.mocked(ipc.listConnections).mockResolvedValue([]));

  it('starts empty and waits for a name', () => {
    renderInApp(<VerificationPanel connection={connection} />);
    expect(screen.getByText('No check yet')).toBeInTheDocument();
    expect(screen.getByTestId('verify-submit')).toBeDisabled();
  });

  it('verifies a name and shows the score and the per-account report', async () => {
    vi.mocked(ipc.verifyName).mockResolvedValue(fetchedOf(result));
    renderInApp(<VerificationPanel connection={connection} />);
    await userEvent.type(screen.getByTestId('verify-name-input'), 'John Doe');
    await userEvent.click(screen.getByTestId('verify-submit'));
    const report = await screen.findByTestId('verification-result');
    expect(ipc.verifyName).toHaveBeenCalledWith('conn-1', 'John Doe');
    expect(report).toHaveTextContent('Verified');
    expect(screen.getByTestId('verification-score')).toHaveTextContent('89');
    expect(report).toHaveTextContent('match');
  });

  it('shows a busy button while core verifies', async () => {
    vi.mocked(ipc.verifyName).mockReturnValue(new Promise(() => undefined));
    renderInApp(<VerificationPanel connection={connection} />);
    await userEvent.type(screen.getByTestId('verify-name-input'), 'Jane');
    await userEvent.click(screen.getByTestId('verify-submit'));
    expect(screen.getByTestId('verify-submit')).toHaveAttribute('aria-busy', 'true');
  });

  it('explains a refusal with its trace id', async () => {
    vi.mocked(ipc.verifyName).mockRejectedValue({
      code: 'truelayer',
      message: 'Client not allowed.',
      detail: { status: 403, traceId: 'tr-403' },
    });
    renderInApp(<VerificationPanel connection={connection} />);
    await userEvent.type(screen.getByTestId('verify-name-input'), 'John Doe');
    await userEvent.click(screen.getByTestId('verify-submit'));
    const error = await screen.findByTestId('verification-error');
    expect(error).toHaveTextContent('Client not allowed.');
    expect(error).toHaveTextContent('tr-403');
  });
});
