import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import type { PersonaCatalog } from '../../ipc';
import { builtinEnv, connection } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { PersonaList } from './PersonaList';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const catalog = (automated: boolean): PersonaCatalog => ({
  automated,
  groups: [
    {
      id: 'error_scenario',
      label: 'Error scenarios',
      personas: [
        {
          key: 'error.provider_error:error',
          username: 'error.provider_error',
          password: 'error',
          purpose: 'Data calls fail 503 provider_error: the bank is down.',
          expected: [
            {
              check: 'accounts',
              endpoint: 'GET /data/v1/accounts',
              outcome: { kind: 'error', status: 503, code: 'provider_error', text: '503 provider_error' },
            },
          ],
        },
      ],
    },
  ],
});

describe('the persona list', () => {
  beforeEach(() => vi.mocked(ipc.listConnections).mockResolvedValue([]));

  it('links a persona in one click with the chosen permissions and shows what it should produce', async () => {
    vi.mocked(ipc.listPersonas).mockResolvedValue(catalog(true));
    vi.mocked(ipc.linkAsPersona).mockResolvedValue(connection);
    const onConnected = vi.fn();
    renderInApp(<PersonaList environment={builtinEnv} scopes={['info', 'accounts']} onConnected={onConnected} />);
    const row = await screen.findByTestId('persona-error.provider_error:error');
    expect(row).toHaveTextContent('accounts: 503 provider_error');
    await userEvent.click(screen.getByTestId('link-as-error.provider_error:error'));
    expect(ipc.linkAsPersona).toHaveBeenCalledWith({
      environmentId: builtinEnv.id,
      personaKey: 'error.provider_error:error',
      scopes: ['info', 'accounts'],
    });
    expect(onConnected).toHaveBeenCalledWith(connection);
  });

  it('offers copy buttons instead of automation in TrueLayer’s sandbox', async () => {
    vi.mocked(ipc.listPersonas).mockResolvedValue(catalog(false));
    renderInApp(<PersonaList environment={builtinEnv} scopes={[]} onConnected={vi.fn()} />);
    await screen.findByTestId('persona-list');
    expect(screen.queryByText('Link as this user')).not.toBeInTheDocument();
    expect(screen.getByText('Copy username')).toBeInTheDocument();
  });

  it('explains a refused link and stays usable', async () => {
    vi.mocked(ipc.listPersonas).mockResolvedValue(catalog(true));
    vi.mocked(ipc.linkAsPersona).mockRejectedValue({
      code: 'validation',
      message: 'The sandbox refused the control (400): nope',
    });
    renderInApp(<PersonaList environment={builtinEnv} scopes={[]} onConnected={vi.fn()} />);
    await userEvent.click(await screen.findByTestId('link-as-error.provider_error:error'));
    expect(await screen.findByText(/The sandbox refused the control/)).toBeInTheDocument();
    expect(screen.getByTestId('link-as-error.provider_error:error')).toBeEnabled();
  });
});
