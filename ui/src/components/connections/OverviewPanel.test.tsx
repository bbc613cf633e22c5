import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { connection } from '../../test/fixtures';
import { renderInApp, renderWithQueries } from '../../test/render';
import { MePanel } from './MePanel';
import { OverviewPanel } from './OverviewPanel';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

describe('the overview', () => {
  beforeEach(() => vi.mocked(ipc.listConnections).mockResolvedValue([]));

  it('shows scopes, credentials_id, tokens, and the decoded claims (never a token)', async () => {
    vi.mocked(ipc.getConnection).mockResolvedValue({
      connection,
      tokenClaims: { iss: 'http://127.0.0.1', exp: 4_102_444_800, connector_id: 'mock' },
    });
    renderInApp(<OverviewPanel connection={connection} />);
    expect(screen.getByTestId('overview-scopes')).toHaveTextContent('offline_access');
    expect(screen.getByText('cred-abc=')).toBeInTheDocument();
    expect(screen.getByTestId('overview-tokens')).toHaveTextContent('Stored in keychain');
    const claims = await screen.findByTestId('overview-claims');
    await waitFor(() => expect(claims).toHaveTextContent('"mock"'));
    expect(claims).toHaveTextContent('exp');
  });

  it('warns from seven days before the consent expires', () => {
    renderInApp(
      <OverviewPanel connection={{ ...connection, consentCreatedAt: inDays(-85), consentExpiresAt: inDays(5.5) }} />,
    );
    expect(screen.getByTestId('overview-consent')).toHaveTextContent('Consent expires in 5 days');
  });

  it('counts 90 days from linking when the bank gives no expiry', () => {
    renderInApp(
      <OverviewPanel connection={{ ...connection, consentCreatedAt: inDays(-10.5), consentExpiresAt: null }} />,
    );
    expect(screen.getByTestId('overview-consent')).toHaveTextContent('Day 10 of 90');
    expect(screen.getByTestId('overview-consent')).toHaveTextContent('the bank gave no date: created + 90 days');
  });

  it('shows /me with its client_id and consent status, and re-reads it on demand', async () => {
    const me = {
      clientId: 'sandbox-linkscope-demo',
      credentialsId: 'cred-abc=',
      consentStatus: 'Authorised',
      consentStatusUpdatedAt: '2026-01-01T10:00:00Z',
      consentCreatedAt: '2026-01-01T10:00:00Z',
      consentExpiresAt: '2026-04-01T10:00:00Z',
      consentEndsAt: '2026-04-01T10:00:00Z',
      consentEndIsFallback: false,
      providerId: 'mock',
      providerName: 'Mock',
      scopes: ['info'],
      readAt: '2026-01-02T10:00:00Z',
    };
    vi.mocked(ipc.readMe)
      .mockResolvedValueOnce(me)
      .mockResolvedValueOnce({ ...me, consentStatus: 'Revoked' });
    renderInApp(<OverviewPanel connection={connection} />);
    expect(await screen.findByTestId('me-client-id')).toHaveTextContent('sandbox-linkscope-demo');
    expect(screen.getByTestId('me-consent-status')).toHaveTextContent('Authorised');
    expect(screen.getByTestId('me-consent-expires')).toHaveTextContent('the consent clock uses this date');
    await userEvent.click(screen.getByTestId('me-reread'));
    expect(await screen.findByText('Revoked')).toBeInTheDocument();
    expect(ipc.readMe).toHaveBeenCalledTimes(2);
  });

  it('says when /me gives no consent end and the clock falls back to created + 90 days', async () => {
    vi.mocked(ipc.readMe).mockResolvedValue({
      clientId: 'c',
      credentialsId: null,
      consentStatus: null,
      consentStatusUpdatedAt: null,
      consentCreatedAt: '2026-01-01T10:00:00Z',
      consentExpiresAt: null,
      consentEndsAt: '2026-04-01T10:00:00Z',
      consentEndIsFallback: true,
      providerId: null,
      providerName: null,
      scopes: [],
      readAt: '2026-01-02T10:00:00Z',
    });
    renderInApp(<OverviewPanel connection={connection} />);
    expect(await screen.findByTestId('me-consent-expires')).toHaveTextContent(
      'not given by the bank: the clock uses created + 90 days',
    );
  });

  it('re-reads /me after a refresh moves the connection', async () => {
    // The first read settles (here, failing) before the refresh: a read still in flight is shared.
    vi.mocked(ipc.readMe).mockRejectedValue(new Error('offline'));
    const { rerender } = renderWithQueries(<MePanel connection={connection} />);
    expect(await screen.findByRole('alert')).toBeInTheDocument();
    expect(ipc.readMe).toHaveBeenCalledTimes(1);
    rerender(<MePanel connection={{ ...connection, lastRefreshAt: new Date().toISOString() }} />);
    await waitFor(() => expect(ipc.readMe).toHaveBeenCalledTimes(2));
  });

  it('shows the refresh token’s 30-day idle clock with a refresh button', async () => {
    vi.mocked(ipc.refreshConnection).mockResolvedValue(connection);
    renderInApp(<OverviewPanel connection={{ ...connection, lastRefreshAt: inDays(-12.2), createdAt: inDays(-20) }} />);
    const clock = screen.getByTestId('refresh-idle-clock');
    expect(clock).toHaveTextContent(/^unused for 12 days: refresh before .+ or the user must re-consent$/);
    await userEvent.click(screen.getByTestId('refresh-token-now'));
    expect(ipc.refreshConnection).toHaveBeenCalledWith(connection.id);
  });

  it('says the refresh token expired after 30 days unused', () => {
    renderInApp(<OverviewPanel connection={{ ...connection, lastRefreshAt: null, createdAt: inDays(-31) }} />);
    expect(screen.getByTestId('refresh-idle-clock')).toHaveTextContent(/unused for 31 days: it expired/);
  });

  it('explains when the claims cannot be read', async () => {
    vi.mocked(ipc.getConnection).mockRejectedValue({ code: 'not_found', message: 'No such connection.' });
    renderInApp(<OverviewPanel connection={connection} />);
    expect(await screen.findByText('No such connection.')).toBeInTheDocument();
  });
});
