import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { builtinEnv } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { SandboxControls } from './SandboxControls';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const none = { faults: [], latencyMs: 0 };

describe('the sandbox controls', () => {
  beforeEach(() => {
    vi.mocked(ipc.listConnections).mockResolvedValue([]);
    vi.mocked(ipc.getSandboxClock).mockResolvedValue({ now: '2026-12-01T20:00:00.000Z', offsetSeconds: 0 });
    vi.mocked(ipc.listSandboxFaults).mockResolvedValue(none);
  });

  it('says what each clock preset expires and moves the clock by it', async () => {
    vi.mocked(ipc.advanceSandboxClock).mockResolvedValue({ now: '2026-12-01T21:01:00.000Z', offsetSeconds: 3660 });
    renderInApp(<SandboxControls environment={builtinEnv} />);
    expect(screen.getByText(/Access tokens expire \(1 hour\)/)).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('clock-61m'));
    expect(ipc.advanceSandboxClock).toHaveBeenCalledWith(builtinEnv.id, 3660);
    expect(await screen.findByTestId('sandbox-clock')).toHaveTextContent('61 min ahead');
  });

  it('previews a fault before arming it, lists it, and clears it', async () => {
    const armed = {
      faults: [
        { path: '/data/v1/accounts', status: 503, error: 'temporarily_unavailable', errorDescription: 'x', times: 3 },
      ],
      latencyMs: 0,
    };
    vi.mocked(ipc.addSandboxFault).mockResolvedValue(armed);
    vi.mocked(ipc.clearSandboxFaults).mockResolvedValue(none);
    renderInApp(<SandboxControls environment={builtinEnv} />);
    const times = screen.getByTestId('fault-times');
    await userEvent.clear(times);
    await userEvent.type(times, '3');
    expect(screen.getByTestId('fault-preview')).toHaveTextContent(
      'The next 3 call(s) under /data/v1/accounts will answer 503.',
    );
    await userEvent.click(screen.getByTestId('fault-arm'));
    expect(ipc.addSandboxFault).toHaveBeenCalledWith(builtinEnv.id, {
      path: '/data/v1/accounts',
      status: 503,
      error: undefined,
      retryAfter: undefined,
      times: 3,
      latencyMs: undefined,
    });
    expect(await screen.findByTestId('fault-list')).toHaveTextContent(
      '/data/v1/accounts → 503 temporarily_unavailable · 3 left',
    );
    await userEvent.click(screen.getByTestId('fault-clear'));
    expect(await screen.findByText('Nothing armed.')).toBeInTheDocument();
  });
});
