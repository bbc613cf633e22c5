import { act, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { endActivity, reportActivity } from '../../activity';
import * as ipc from '../../ipc';
import { connection } from '../../test/fixtures';
import { emit } from '../../test/ipcMock';
import { renderInApp } from '../../test/render';
import { useNotifications } from './useNotifications';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

function Notifier() {
  useNotifications();
  return null;
}

describe('the notifications', () => {
  beforeEach(() => {
    vi.mocked(ipc.notifyUser).mockClear();
  });

  it('asks the OS once for a connection whose consent ends within seven days', async () => {
    const soon = { ...connection, consentExpiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString() };
    vi.mocked(ipc.listConnections).mockResolvedValue([soon]);
    renderInApp(<Notifier />);
    await waitFor(() =>
      expect(ipc.notifyUser).toHaveBeenCalledWith('Consent ends soon: John Doe · Mock', expect.any(String)),
    );
    // The connection changes (a token refresh): the list is new, the news is not.
    act(() => emit('connection://updated', { connection: { ...soon, lastRefreshAt: new Date().toISOString() } }));
    expect(ipc.notifyUser).toHaveBeenCalledTimes(1);
  });

  it('tells of a long job that finished while the window was unfocused', async () => {
    vi.mocked(ipc.listConnections).mockResolvedValue([]);
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    const clock = vi.spyOn(Date, 'now').mockReturnValue(1_000);
    renderInApp(<Notifier />);
    act(() => reportActivity('scenario:r1', 'Scenario run'));
    clock.mockReturnValue(61_000);
    act(() => endActivity('scenario:r1'));
    expect(ipc.notifyUser).toHaveBeenCalledWith('Scenario run finished', 'It took 60 s.');
    clock.mockRestore();
  });
});
