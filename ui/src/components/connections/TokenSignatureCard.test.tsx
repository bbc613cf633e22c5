import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { connection } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { TokenSignatureCard } from './TokenSignatureCard';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const header = { alg: 'RS256', typ: 'at+jwt', kid: 'kid-1' };

describe('the access token signature card', () => {
  it('shows the header and "Signature verified" when core verified it', async () => {
    vi.mocked(ipc.inspectAccessToken).mockResolvedValue({
      header,
      claims: { sub: 'u1' },
      signature: { status: 'verified', kid: 'kid-1' },
    });
    renderInApp(<TokenSignatureCard connection={connection} />);
    expect(await screen.findByTestId('token-signature-status')).toHaveTextContent('Signature verified');
    expect(screen.getByTestId('overview-token-signature')).toHaveTextContent('RS256');
    expect(screen.getByTestId('overview-token-signature')).toHaveTextContent('kid-1');
  });

  it('says why a signature does not verify', async () => {
    vi.mocked(ipc.inspectAccessToken).mockResolvedValue({
      header,
      claims: {},
      signature: { status: 'not_verified', reason: 'the JWKS has no key with kid "kid-1"' },
    });
    renderInApp(<TokenSignatureCard connection={connection} />);
    expect(await screen.findByTestId('token-signature-status')).toHaveTextContent('Signature not verified');
    expect(screen.getByText('the JWKS has no key with kid "kid-1"')).toBeInTheDocument();
  });

  it('says so when the token is not a JWT', async () => {
    vi.mocked(ipc.inspectAccessToken).mockResolvedValue(null);
    renderInApp(<TokenSignatureCard connection={connection} />);
    expect(await screen.findByText(/no access token in JWT form/)).toBeInTheDocument();
  });
});
