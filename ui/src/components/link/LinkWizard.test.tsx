import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { emit } from '../../test/ipcMock';
import { builtinEnv, catalog, connection, preview, providers } from '../../test/fixtures';
import { LinkWizard } from './LinkWizard';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

async function toAuthLink(onConnected = vi.fn()) {
  render(<LinkWizard environment={builtinEnv} deepLinkScheme="linkscope-dev" onConnected={onConnected} />);
  await userEvent.click(await screen.findByTestId('provider-mock'));
  await userEvent.click(await screen.findByTestId('scopes-continue'));
  await screen.findByTestId('auth-link-url');
  return onConnected;
}

describe('the link wizard', () => {
  beforeEach(() => {
    vi.mocked(ipc.listProviders).mockResolvedValue({ fetchedAt: new Date().toISOString(), providers });
    vi.mocked(ipc.getScopeCatalog).mockResolvedValue(catalog);
    vi.mocked(ipc.startLink).mockResolvedValue(preview);
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
    });
  });

  it('shows scope violations live and will not build a link that breaks the rules', async () => {
    render(<LinkWizard environment={builtinEnv} deepLinkScheme="linkscope-dev" onConnected={vi.fn()} />);
    await userEvent.click(await screen.findByTestId('provider-mock'));
    await screen.findByTestId('scope-accounts');
    await userEvent.click(screen.getByTestId('scope-accounts'));
    expect(screen.getByText('Direct debits needs Accounts as well.')).toBeInTheDocument();
    expect(screen.getByTestId('scopes-continue')).toBeDisabled();
    await userEvent.click(screen.getByTestId('scope-accounts'));
    expect(screen.queryByText('Direct debits needs Accounts as well.')).not.toBeInTheDocument();
    expect(screen.getByTestId('scopes-continue')).toBeEnabled();
  });

  it('passes the chosen redirect mode and response mode to core', async () => {
    render(<LinkWizard environment={builtinEnv} deepLinkScheme="linkscope-dev" onConnected={vi.fn()} />);
    await userEvent.click(await screen.findByTestId('provider-mock'));
    await userEvent.click(await screen.findByTestId('redirect-mode-loopback'));
    await userEvent.click(screen.getByTestId('response-mode-form_post'));
    await userEvent.click(screen.getByTestId('scopes-continue'));
    await screen.findByTestId('auth-link-url');
    expect(ipc.startLink).toHaveBeenCalledWith(
      expect.objectContaining({ redirect: 'loopback', responseMode: 'form_post' }),
    );
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

  it('cancels the waiting link through core and goes back to the choices', async () => {
    await toAuthLink();
    await userEvent.click(screen.getByTestId('open-in-browser'));
    await userEvent.click(await screen.findByTestId('cancel-link'));
    expect(ipc.cancelLink).toHaveBeenCalledWith('sess-1');
    expect(await screen.findByText(/Link cancelled/)).toBeInTheDocument();
    expect(screen.getByTestId('scopes-continue')).toBeInTheDocument();
  });

  it('explains why core refused to build the link', async () => {
    vi.mocked(ipc.startLink).mockRejectedValueOnce({
      code: 'validation',
      message: 'This environment has no client secret.',
    });
    render(<LinkWizard environment={builtinEnv} deepLinkScheme="linkscope-dev" onConnected={vi.fn()} />);
    await userEvent.click(await screen.findByTestId('provider-mock'));
    await userEvent.click(await screen.findByTestId('scopes-continue'));
    expect(await screen.findByTestId('link-error')).toHaveTextContent('This environment has no client secret.');
  });

  it('keeps the user on the link when the browser cannot be opened', async () => {
    await toAuthLink();
    vi.mocked(ipc.openLink).mockRejectedValueOnce({ code: 'internal', message: 'No browser found.' });
    await userEvent.click(screen.getByTestId('open-in-browser'));
    expect(await screen.findByTestId('link-error')).toHaveTextContent('No browser found.');
    expect(screen.getByTestId('auth-link-url')).toBeInTheDocument();
  });

  it('starts at the permissions for a re-consent, with the bank already chosen', async () => {
    render(
      <LinkWizard
        environment={builtinEnv}
        deepLinkScheme="linkscope-dev"
        initialProvider={{ providerId: 'ob-monzo', displayName: 'Monzo', logoUrl: null, scopes: null }}
        initialScopes={['accounts', 'balance', 'offline_access']}
        onConnected={vi.fn()}
      />,
    );
    await userEvent.click(await screen.findByTestId('scopes-continue'));
    expect(ipc.listProviders).not.toHaveBeenCalled();
    expect(ipc.startLink).toHaveBeenCalledWith(
      expect.objectContaining({ providerId: 'ob-monzo', scopes: ['accounts', 'balance', 'offline_access'] }),
    );
  });
});
