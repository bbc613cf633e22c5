import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { renderWithQueries } from '../../test/render';
import { emit } from '../../test/ipcMock';
import { builtinEnv, catalog, connection, preview, providers } from '../../test/fixtures';
import { LinkWizard } from './LinkWizard';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const linkCatalog = {
  providerGroups: [
    { token: 'uk-ob-all', label: 'UK Open Banking banks', country: 'uk' },
    { token: 'uk-oauth-all', label: 'UK OAuth banks', country: 'uk' },
    { token: 'uk-cs-mock', label: 'Mock bank (sandbox)', country: 'uk' },
    { token: 'de-xs2a-all', label: 'German banks (XS2A)', country: 'de' },
  ],
  languages: [
    { id: 'en', name: 'English' },
    { id: 'fr', name: 'French' },
  ],
  defaultProviders: ['uk-cs-mock', 'uk-ob-all', 'uk-oauth-all'],
  registeredRedirects: [] as string[],
};

/** The builder's screen for Mock: the link appears by itself, no button to press. */
async function toAuthLink(onConnected = vi.fn()) {
  renderWithQueries(<LinkWizard environment={builtinEnv} deepLinkScheme="linkscope-dev" onConnected={onConnected} />);
  await userEvent.click(await screen.findByTestId('provider-mock'));
  await screen.findByTestId('auth-link-url');
  return onConnected;
}

/** The request core was last asked to build the link for (start or update). */
function lastRequest() {
  const updates = vi.mocked(ipc.updateLink).mock.calls;
  const starts = vi.mocked(ipc.startLink).mock.calls;
  return updates.length > 0 ? updates[updates.length - 1]?.[1] : starts[starts.length - 1]?.[0];
}

describe('the link wizard', () => {
  beforeEach(() => {
    vi.mocked(ipc.listProviders).mockResolvedValue({ fetchedAt: new Date().toISOString(), providers });
    vi.mocked(ipc.getScopeCatalog).mockResolvedValue(catalog);
    vi.mocked(ipc.startLink).mockResolvedValue(preview);
    vi.mocked(ipc.updateLink).mockImplementation(async (_id, input) => ({
      ...preview,
      url: `${preview.url}&providers=${encodeURIComponent(input.providers.join(' '))}`,
    }));
    vi.mocked(ipc.getLinkCatalog).mockResolvedValue(linkCatalog);
    vi.mocked(ipc.openLink).mockResolvedValue(undefined);
    vi.mocked(ipc.cancelLink).mockResolvedValue(undefined);
  });

  it('starts a link for Mock with the default scopes (Signup+ included in a sandbox) and a deep-link redirect', async () => {
    await toAuthLink();
    expect(ipc.startLink).toHaveBeenCalledWith({
      environmentId: 'builtin',
      providerId: 'mock',
      scopes: [
        'info',
        'accounts',
        'balance',
        'cards',
        'transactions',
        'direct_debits',
        'standing_orders',
        'offline_access',
        'signupplus',
      ],
      redirect: 'deep_link',
      responseMode: 'query',
      languageId: null,
      countryId: null,
      userEmail: null,
      providers: [],
      disableProviders: [],
      redirectUri: null,
      trackingId: null,
      renews: null,
    });
  });

  it('shows scope violations live and shows no link while the rules are broken', async () => {
    await toAuthLink();
    await userEvent.click(screen.getByTestId('scope-accounts'));
    expect(screen.getByText('Direct debits needs Accounts as well.')).toBeInTheDocument();
    expect(screen.getByTestId('auth-link-blocked')).toBeInTheDocument();
    expect(screen.queryByTestId('auth-link-url')).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId('scope-accounts'));
    expect(screen.queryByText('Direct debits needs Accounts as well.')).not.toBeInTheDocument();
    expect(await screen.findByTestId('auth-link-url')).toBeInTheDocument();
  });

  it('rebuilds the unopened link as the choices change, without a button, keeping its session', async () => {
    await toAuthLink();
    await userEvent.click(screen.getByTestId('redirect-mode-loopback'));
    await userEvent.click(screen.getByTestId('response-mode-form_post'));
    await waitFor(() =>
      expect(lastRequest()).toEqual(expect.objectContaining({ redirect: 'loopback', responseMode: 'form_post' })),
    );
    expect(ipc.startLink).toHaveBeenCalledTimes(1);
    expect(vi.mocked(ipc.updateLink).mock.calls.every(([id]) => id === 'sess-1')).toBe(true);
  });

  it('sends each builder parameter: providers, provider_id, disable_providers, language, country, email, tracking_id', async () => {
    await toAuthLink();
    await userEvent.click(screen.getByTestId('provider-group-uk-oauth-all'));
    await waitFor(() => expect(lastRequest()?.providers).toEqual(['uk-cs-mock', 'uk-ob-all']));
    await userEvent.click(screen.getByTestId('provider-group-de-xs2a-all'));
    await userEvent.clear(screen.getByTestId('provider-id-input'));
    await userEvent.type(screen.getByTestId('provider-id-input'), 'xs2a-n26');
    await userEvent.type(screen.getByTestId('disable-providers-input'), 'ob-monzo');
    await userEvent.selectOptions(screen.getByLabelText('Language'), 'fr');
    await userEvent.type(screen.getByLabelText('Country'), 'de');
    await userEvent.type(screen.getByLabelText('User email'), 'qa@example.com');
    await userEvent.click(screen.getByTestId('tracking-id-generate'));
    await waitFor(() =>
      expect(lastRequest()).toEqual(
        expect.objectContaining({
          providers: ['uk-cs-mock', 'uk-ob-all', 'de-xs2a-all'],
          providerId: 'xs2a-n26',
          disableProviders: ['ob-monzo'],
          languageId: 'fr',
          countryId: 'DE',
          userEmail: 'qa@example.com',
          trackingId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        }),
      ),
    );
    expect(screen.getByRole('option', { name: 'French (fr)' })).toBeInTheDocument();
  });

  it('offers the environment’s registered redirect URIs and sends the chosen one', async () => {
    vi.mocked(ipc.getLinkCatalog).mockResolvedValue({
      ...linkCatalog,
      registeredRedirects: ['https://app.example/cb', 'https://other.example/cb'],
    });
    renderWithQueries(<LinkWizard environment={builtinEnv} deepLinkScheme="linkscope-dev" onConnected={vi.fn()} />);
    await userEvent.click(await screen.findByTestId('provider-mock'));
    await userEvent.click(await screen.findByTestId('redirect-mode-registered'));
    await waitFor(() =>
      expect(lastRequest()).toEqual(
        expect.objectContaining({ redirect: 'registered', redirectUri: 'https://app.example/cb' }),
      ),
    );
    await userEvent.selectOptions(screen.getByTestId('redirect-uri-select'), 'https://other.example/cb');
    await waitFor(() =>
      expect(lastRequest()).toEqual(
        expect.objectContaining({ redirect: 'registered', redirectUri: 'https://other.example/cb' }),
      ),
    );
  });

  it('shows the link’s state', async () => {
    await toAuthLink();
    expect(screen.getByTestId('auth-link-state')).toHaveTextContent('abc');
  });

  it('shows the link, its QR code and the linter’s findings (errors first) before anything opens', async () => {
    await toAuthLink();
    expect(screen.getByTestId('auth-link-url')).toHaveTextContent(preview.url);
    expect(screen.getByTestId('auth-link-qr')).toBeInTheDocument();
    const findings = within(screen.getByTestId('link-findings')).getAllByRole('listitem');
    expect(findings.map((f) => f.textContent)).toEqual([
      'Error: provider_id is not in providers.provider_not_listed',
      'Warning: No offline_access: no refresh token.no_offline_access',
    ]);
    expect(ipc.openLink).not.toHaveBeenCalled();
  });

  it('opens the link through core, waits, and finishes when core reports the deep link arrived', async () => {
    const onConnected = await toAuthLink();
    await userEvent.click(screen.getByTestId('open-in-browser'));
    expect(ipc.openLink).toHaveBeenCalledWith('sess-1');
    expect(await screen.findByTestId('waiting-panel')).toHaveTextContent('Waiting for the bank…');
    act(() => emit('link://completed', { sessionId: 'another-session', connection: { ...connection, id: 'other' } }));
    expect(onConnected).not.toHaveBeenCalled();
    act(() => emit('link://completed', { sessionId: 'sess-1', connection }));
    expect(onConnected).toHaveBeenCalledWith(connection);
  });

  it('shows a failure reported by core with a way to build a new link', async () => {
    await toAuthLink();
    await userEvent.click(screen.getByTestId('open-in-browser'));
    await screen.findByTestId('waiting-panel');
    act(() =>
      emit('link://failed', {
        sessionId: 'sess-1',
        error: { code: 'access_denied_by_user', message: 'The user cancelled at the bank.' },
      }),
    );
    const error = await screen.findByTestId('link-error');
    expect(error).toHaveTextContent('Access was refused');
    expect(error).toHaveTextContent('The user cancelled at the bank.');
    await userEvent.click(screen.getByTestId('link-error-new-link'));
    expect(ipc.startLink).toHaveBeenCalledTimes(2);
  });

  it('completes with a pasted redirect URL, and explains a bad paste without leaving the screen', async () => {
    const onConnected = await toAuthLink();
    await userEvent.click(screen.getByTestId('open-in-browser'));
    vi.mocked(ipc.completeLink).mockRejectedValueOnce({
      code: 'invalid_callback',
      message: 'The URL has no state parameter.',
    });
    await userEvent.type(await screen.findByTestId('paste-redirect-input'), 'linkscope-dev://callback?code=abc');
    await userEvent.click(screen.getByTestId('paste-redirect-submit'));
    expect(await screen.findByTestId('link-error')).toHaveTextContent('The URL has no state parameter.');
    expect(screen.getByTestId('waiting-panel')).toBeInTheDocument();
    // Core answers a pasted redirect the way it answers every redirect: with link://completed.
    vi.mocked(ipc.completeLink).mockImplementationOnce(async () => {
      emit('link://completed', { sessionId: 'sess-1', connection });
    });
    await userEvent.clear(screen.getByTestId('paste-redirect-input'));
    await userEvent.type(screen.getByTestId('paste-redirect-input'), 'linkscope-dev://callback?code=abc&state=abc');
    await userEvent.click(screen.getByTestId('paste-redirect-submit'));
    expect(ipc.completeLink).toHaveBeenLastCalledWith('linkscope-dev://callback?code=abc&state=abc');
    expect(onConnected).toHaveBeenCalledWith(connection);
  });

  it('cancels the waiting link through core and goes back to the choices with a fresh link', async () => {
    await toAuthLink();
    await userEvent.click(screen.getByTestId('open-in-browser'));
    await userEvent.click(await screen.findByTestId('cancel-link'));
    expect(ipc.cancelLink).toHaveBeenCalledWith('sess-1');
    expect(await screen.findByText(/Link cancelled/)).toBeInTheDocument();
    await waitFor(() => expect(ipc.startLink).toHaveBeenCalledTimes(2));
  });

  it('ends a wait whose link expired: no spinner, a fresh link on request', async () => {
    vi.mocked(ipc.startLink).mockResolvedValueOnce({
      ...preview,
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    await toAuthLink();
    await userEvent.click(screen.getByTestId('open-in-browser'));
    expect(await screen.findByTestId('link-expired', {}, { timeout: 4000 })).toHaveTextContent('This link expired');
    expect(screen.queryByLabelText('Waiting for the bank')).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId('link-expired-new-link'));
    await waitFor(() => expect(ipc.startLink).toHaveBeenCalledTimes(2));
    expect(ipc.updateLink).not.toHaveBeenCalled();
  });

  it('offers to keep a re-consent that came back with another bank as a new connection', async () => {
    vi.mocked(ipc.keepLinkAsNew).mockImplementation(async () => {
      emit('link://completed', { sessionId: 'sess-1', connection });
      return connection;
    });
    const onConnected = await toAuthLink();
    await userEvent.click(screen.getByTestId('open-in-browser'));
    act(() =>
      emit('link://failed', {
        sessionId: 'sess-1',
        error: { code: 'different_connection', message: 'The bank linked (ob-monzo) is not this connection’s bank.' },
      }),
    );
    expect(await screen.findByTestId('link-error')).toHaveTextContent('The re-consent came back with another bank');
    await userEvent.click(screen.getByTestId('keep-as-new'));
    expect(ipc.keepLinkAsNew).toHaveBeenCalledWith('sess-1');
    expect(onConnected).toHaveBeenCalledWith(connection);
  });

  it('explains why core refused to build the link', async () => {
    vi.mocked(ipc.startLink).mockRejectedValueOnce({
      code: 'validation',
      message: 'This environment has no client secret.',
    });
    renderWithQueries(<LinkWizard environment={builtinEnv} deepLinkScheme="linkscope-dev" onConnected={vi.fn()} />);
    await userEvent.click(await screen.findByTestId('provider-mock'));
    expect(await screen.findByTestId('link-error')).toHaveTextContent('This environment has no client secret.');
  });

  it('keeps the user on the link when the browser cannot be opened', async () => {
    await toAuthLink();
    vi.mocked(ipc.openLink).mockRejectedValueOnce({ code: 'internal', message: 'No browser found.' });
    await userEvent.click(screen.getByTestId('open-in-browser'));
    expect(await screen.findByTestId('link-error')).toHaveTextContent('No browser found.');
    expect(screen.getByTestId('auth-link-url')).toBeInTheDocument();
  });

  it('starts at the permissions for a re-consent, with the bank chosen and the connection it renews', async () => {
    renderWithQueries(
      <LinkWizard
        environment={builtinEnv}
        deepLinkScheme="linkscope-dev"
        initialProvider={{ providerId: 'ob-monzo', displayName: 'Monzo', logoUrl: null, scopes: null }}
        initialScopes={['accounts', 'balance', 'offline_access']}
        renews="conn-1"
        onConnected={vi.fn()}
      />,
    );
    await screen.findByTestId('auth-link-url');
    expect(ipc.listProviders).not.toHaveBeenCalled();
    expect(ipc.startLink).toHaveBeenCalledWith(
      expect.objectContaining({
        providerId: 'ob-monzo',
        scopes: ['accounts', 'balance', 'offline_access'],
        renews: 'conn-1',
      }),
    );
  });
});
