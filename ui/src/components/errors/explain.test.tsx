import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ErrorCause, IpcErrorPayload } from '../../ipc';
import { explainError } from './explain';
import { IpcErrorPanel } from './IpcErrorPanel';

const CAUSES: ErrorCause[] = [
  'code_expired',
  'code_already_used',
  'redirect_uri_mismatch',
  'pkce_mismatch',
  'wrong_client',
  'refresh_token_idle',
  'consent_ended',
  'connection_revoked',
  'historical_window',
];

const refused = (cause: ErrorCause): IpcErrorPayload => ({
  code: 'token_exchange_failed',
  message: 'm',
  detail: { status: 400, tlError: 'invalid_grant', cause },
});

describe('error explanations', () => {
  it('give each cause behind invalid_grant its own title and next step', () => {
    const explained = CAUSES.map((c) => explainError(refused(c)));
    expect(new Set(explained.map((e) => e.title)).size).toBe(CAUSES.length);
    expect(new Set(explained.map((e) => e.nextStep)).size).toBe(CAUSES.length);
    expect(explainError(refused('code_expired')).nextStep).toMatch(/5 minutes/);
    expect(explainError(refused('refresh_token_idle')).nextStep).toMatch(/Re-consent renews this same connection/);
  });

  it('say what the historical window is and what to ask for instead', () => {
    expect(explainError(refused('historical_window')).nextStep).toContain(
      'older than 90 days are only available for minutes after the user logs in; ask for the last 90 days or re-authenticate',
    );
  });

  it('fall back to the TrueLayer code, then to the contract code', () => {
    const bare: IpcErrorPayload = { code: 'token_exchange_failed', message: 'm', detail: { tlError: 'invalid_grant' } };
    expect(explainError(bare).title).toBe('The authorisation code or refresh token was refused');
    expect(explainError({ code: 'link_already_used', message: 'm' }).title).toBe('This redirect was already used');
  });

  it('keep the raw body one click away', async () => {
    render(
      <IpcErrorPanel
        error={{
          code: 'token_exchange_failed',
          message: 'The bank code could not be exchanged.',
          detail: { status: 400, tlError: 'invalid_grant', cause: 'code_expired', raw: { error: 'invalid_grant' } },
        }}
      />,
    );
    expect(screen.getByText('The bank’s code expired')).toBeInTheDocument();
    const raw = screen.getByTestId('error-raw');
    expect(raw).not.toHaveAttribute('open');
    await userEvent.click(screen.getByText('Raw response'));
    expect(raw).toHaveAttribute('open');
    expect(raw).toHaveTextContent('invalid_grant');
  });
});
