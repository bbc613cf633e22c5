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
      webhooks: [],
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

  it('sends verification webhooks to the app once asked, and shows each with its signature check', async () => {
    vi.mocked(ipc.registerConsoleWebhook).mockResolvedValue('http://127.0.0.1:5555/webhooks/abc');
    vi.mocked(ipc.verifyAccountHolder).mockResolvedValue({
      id: 'v-2',
      idempotencyKey: 'idem-2',
      keyId: 'kid-1',
      status: 'completed',
      matchResult: { kind: 'match', accountHolderName: null, reason: null },
      failureReason: null,
      polls: [{ at: '2026-12-01T00:00:01Z', status: 'completed' }],
      traceId: null,
      webhooks: [
        {
          receivedAt: '2026-12-01T00:00:01Z',
          headers: [['tl-signature', 'h..s']],
          body: { type: 'account_holder_verification_completed' },
          signature: { kind: 'valid', kid: 'k', jku: 'http://127.0.0.1:9/webhooks/jwks' },
        },
      ],
    });
    renderInApp(<HolderVerificationPanel environment={environment} />);
    fireEvent.click(screen.getByTestId('holder-console-webhook'));
    expect(await screen.findByTestId('holder-console-webhook-uri')).toHaveTextContent('127.0.0.1:5555');
    expect(ipc.registerConsoleWebhook).toHaveBeenCalledWith(environment.id);
    fireEvent.change(screen.getByTestId('holder-name-input'), { target: { value: 'John Doe' } });
    fireEvent.change(screen.getByTestId('holder-sort-code-input'), { target: { value: '012131' } });
    fireEvent.change(screen.getByTestId('holder-account-number-input'), { target: { value: '10000000' } });
    fireEvent.click(screen.getByTestId('holder-verify'));
    const webhooks = await screen.findByTestId('holder-webhooks');
    expect(webhooks).toHaveTextContent('account_holder_verification_completed');
    expect(webhooks).toHaveTextContent('Signature valid');
  });

  it('the signing key card shows the stored key id, never the key', async () => {
    vi.mocked(ipc.getSigningKeyStatus).mockResolvedValue({ environmentId: environment.id, keyId: 'kid-1' });
    renderInApp(<SigningKeyCard environment={environment} />);
    expect(await screen.findByTestId('signing-key-status')).toHaveTextContent('kid-1');
    expect(screen.getByTestId('signing-key-save')).toBeDisabled();
  });
});
