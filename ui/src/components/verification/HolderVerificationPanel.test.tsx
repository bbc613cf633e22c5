import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { builtinEnv as environment } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { HolderVerificationPanel } from './HolderVerificationPanel';
import { SigningKeyCard } from './SigningKeyCard';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

describe('account holder verification', () => {
  it('sends the name and sort code + account number and shows the result with its polls', async () => {
    vi.mocked(ipc.verifyAccountHolder).mockResolvedValue({
      id: 'v-1',
      idempotencyKey: 'idem-1',
      keyId: 'kid-1',
      status: 'completed',
      matchResult: { kind: 'partial_match', accountHolderName: 'John Doe', reason: null },
      failureReason: null,
      polls: [
        { at: '2026-12-01T00:00:00Z', status: 'pending' },
        { at: '2026-12-01T00:00:01Z', status: 'completed' },
      ],
      traceId: null,
    });
    renderInApp(<HolderVerificationPanel environment={environment} />);
    fireEvent.change(screen.getByTestId('holder-name-input'), { target: { value: 'Jon Doe' } });
    fireEvent.change(screen.getByTestId('holder-sort-code-input'), { target: { value: '01-21-31' } });
    fireEvent.change(screen.getByTestId('holder-account-number-input'), { target: { value: '10000000' } });
    fireEvent.click(screen.getByTestId('holder-verify'));
    expect(await screen.findByTestId('holder-match')).toHaveTextContent(/partial match/i);
    expect(screen.getByTestId('holder-result')).toHaveTextContent('John Doe');
    expect(screen.getByTestId('holder-polls')).toHaveTextContent(/pending[\s\S]*completed/);
    expect(ipc.verifyAccountHolder).toHaveBeenCalledWith({
      environmentId: environment.id,
      name: 'Jon Doe',
      account: { type: 'sort_code_account_number', sortCode: '01-21-31', accountNumber: '10000000' },
    });
  });

  it('the signing key card shows the stored key id, never the key', async () => {
    vi.mocked(ipc.getSigningKeyStatus).mockResolvedValue({ environmentId: environment.id, keyId: 'kid-1' });
    renderInApp(<SigningKeyCard environment={environment} />);
    expect(await screen.findByTestId('signing-key-status')).toHaveTextContent('kid-1');
    expect(screen.getByTestId('signing-key-save')).toBeDisabled();
  });
});
