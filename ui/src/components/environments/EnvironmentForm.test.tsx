import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { builtinEnv, liveEnv } from '../../test/fixtures';
import { EnvironmentForm } from './EnvironmentForm';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const sandbox = {
  ...builtinEnv,
  id: 'tl',
  name: 'TrueLayer sandbox',
  kind: 'truelayer_sandbox' as const,
  authUrl: 'https://auth.truelayer-sandbox.com',
  apiUrl: 'https://api.truelayer-sandbox.com',
  clientId: 'sandbox-acme-1',
};

describe('the environment form', () => {
  beforeEach(() => {
    vi.mocked(ipc.saveEnvironment).mockImplementation((input) =>
      Promise.resolve({ ...sandbox, ...input, id: input.id ?? 'new', hasClientSecret: true }),
    );
  });

  it('never shows a stored secret, says it is in the keychain, and keeps it when left empty', async () => {
    const onSaved = vi.fn();
    render(<EnvironmentForm environment={sandbox} onSaved={onSaved} onCancel={vi.fn()} />);
    const secret = screen.getByTestId('env-client-secret');
    expect(secret).toHaveValue('');
    expect(secret).toHaveAttribute('type', 'password');
    expect(screen.getByText(/Stored in keychain/)).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('env-save'));
    expect(ipc.saveEnvironment).toHaveBeenCalledWith(expect.objectContaining({ id: 'tl', clientSecret: null }));
    expect(onSaved).toHaveBeenCalled();
  });

  it('sends a new secret once and clears the field afterwards', async () => {
    render(<EnvironmentForm environment={sandbox} onSaved={vi.fn()} onCancel={vi.fn()} />);
    await userEvent.type(screen.getByTestId('env-client-secret'), 's3cr3t');
    await userEvent.click(screen.getByTestId('env-save'));
    expect(ipc.saveEnvironment).toHaveBeenCalledWith(expect.objectContaining({ clientSecret: 's3cr3t' }));
    expect(screen.getByTestId('env-client-secret')).toHaveValue('');
  });

  it('refuses bad URLs and a missing client_id before calling core', async () => {
    render(<EnvironmentForm environment={null} onSaved={vi.fn()} onCancel={vi.fn()} />);
    await userEvent.type(screen.getByTestId('env-name'), 'Proxy');
    await userEvent.selectOptions(screen.getByTestId('env-kind'), 'custom');
    await userEvent.clear(screen.getByTestId('env-auth-url'));
    await userEvent.type(screen.getByTestId('env-auth-url'), 'ftp://nope');
    await userEvent.click(screen.getByTestId('env-save'));
    expect(screen.getByText(/An http\(s\) URL/)).toBeInTheDocument();
    expect(screen.getByText('The client_id from TrueLayer Console.')).toBeInTheDocument();
    expect(ipc.saveEnvironment).not.toHaveBeenCalled();
  });

  it('fills TrueLayer’s hosts when a TrueLayer kind is chosen, and splits redirect URIs by line', async () => {
    render(<EnvironmentForm environment={null} onSaved={vi.fn()} onCancel={vi.fn()} />);
    await userEvent.type(screen.getByTestId('env-name'), 'Prod');
    await userEvent.selectOptions(screen.getByTestId('env-kind'), 'truelayer_sandbox');
    await userEvent.type(screen.getByTestId('env-client-id'), 'sandbox-x');
    await userEvent.type(
      screen.getByTestId('env-redirect-uris'),
      'linkscope://callback{enter}{enter}https://console.truelayer.com/redirect-page',
    );
    await userEvent.click(screen.getByTestId('env-save'));
    expect(ipc.saveEnvironment).toHaveBeenCalledWith({
      id: null,
      name: 'Prod',
      kind: 'truelayer_sandbox',
      authUrl: 'https://auth.truelayer-sandbox.com',
      apiUrl: 'https://api.truelayer-sandbox.com',
      clientId: 'sandbox-x',
      clientSecret: null,
      redirectUris: ['linkscope://callback', 'https://console.truelayer.com/redirect-page'],
      markedLive: false,
      sandboxControlToken: null,
      confirmSecretsReset: false,
    });
  });

  it('asks before a change of server clears the secrets, in core’s words, and resends once confirmed', async () => {
    const words =
      'Changing the kind or the server of "TrueLayer sandbox" clears its client secret and signs out its 2 connections: they are marked as needing re-consent and their tokens are deleted from the keychain, so nothing stored for the old server is sent to the new one. Confirm to save the change.';
    vi.mocked(ipc.saveEnvironment).mockRejectedValueOnce({ code: 'confirmation_required', message: words });
    const onSaved = vi.fn();
    render(<EnvironmentForm environment={sandbox} onSaved={onSaved} onCancel={vi.fn()} />);
    await userEvent.selectOptions(screen.getByTestId('env-kind'), 'custom');
    await userEvent.clear(screen.getByTestId('env-auth-url'));
    await userEvent.type(screen.getByTestId('env-auth-url'), 'https://proxy.example.com');
    await userEvent.click(screen.getByTestId('env-save'));
    const dialog = await screen.findByTestId('env-reset-confirm');
    expect(dialog).toHaveTextContent(words);
    expect(onSaved).not.toHaveBeenCalled();
    expect(ipc.saveEnvironment).toHaveBeenLastCalledWith(expect.objectContaining({ confirmSecretsReset: false }));
    await userEvent.click(screen.getByTestId('env-reset-confirm-accept'));
    expect(ipc.saveEnvironment).toHaveBeenLastCalledWith(
      expect.objectContaining({ confirmSecretsReset: true, authUrl: 'https://proxy.example.com' }),
    );
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
  });

  it('sends a custom environment’s control token and live mark, after the live question', async () => {
    render(<EnvironmentForm environment={null} onSaved={vi.fn()} onCancel={vi.fn()} />);
    await userEvent.type(screen.getByTestId('env-name'), 'Standalone');
    await userEvent.selectOptions(screen.getByTestId('env-kind'), 'custom');
    await userEvent.clear(screen.getByTestId('env-auth-url'));
    await userEvent.type(screen.getByTestId('env-auth-url'), 'http://127.0.0.1:4001');
    await userEvent.clear(screen.getByTestId('env-api-url'));
    await userEvent.type(screen.getByTestId('env-api-url'), 'http://127.0.0.1:4002');
    await userEvent.type(screen.getByTestId('env-client-id'), 'sandbox-linkscope-demo');
    await userEvent.type(screen.getByTestId('env-control-token'), 'tok-0123456789abcdef');
    await userEvent.click(screen.getByTestId('env-marked-live'));
    await userEvent.click(screen.getByTestId('env-save'));
    await userEvent.click(await screen.findByTestId('live-confirm-accept'));
    expect(ipc.saveEnvironment).toHaveBeenCalledWith(
      expect.objectContaining({ markedLive: true, sandboxControlToken: 'tok-0123456789abcdef' }),
    );
  });

  it('asks for confirmation before saving a live environment', async () => {
    render(<EnvironmentForm environment={liveEnv} onSaved={vi.fn()} onCancel={vi.fn()} />);
    await userEvent.click(screen.getByTestId('env-save'));
    expect(screen.getByTestId('live-confirm')).toBeInTheDocument();
    expect(ipc.saveEnvironment).not.toHaveBeenCalled();
    await userEvent.click(screen.getByTestId('live-confirm-accept'));
    expect(ipc.saveEnvironment).toHaveBeenCalledWith(expect.objectContaining({ kind: 'truelayer_live' }));
  });

  it('shows the built-in sandbox as managed by the app', () => {
    render(<EnvironmentForm environment={builtinEnv} onSaved={vi.fn()} onCancel={vi.fn()} />);
    expect(screen.getByText(/nothing to configure/)).toBeInTheDocument();
    expect(screen.getByTestId('env-client-id')).toHaveAttribute('readonly');
  });
});
