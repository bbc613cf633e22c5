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
    });
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
