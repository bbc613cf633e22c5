import { screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { connection } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
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
    expect(claims).toHaveTextContent('"mock"');
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
    expect(screen.getByTestId('overview-consent')).toHaveTextContent('90 days from linking');
  });

  it('explains when the claims cannot be read', async () => {
    vi.mocked(ipc.getConnection).mockRejectedValue({ code: 'not_found', message: 'No such connection.' });
    renderInApp(<OverviewPanel connection={connection} />);
    expect(await screen.findByText('No such connection.')).toBeInTheDocument();
  });
});
