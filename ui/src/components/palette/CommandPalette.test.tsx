import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import type { Route } from '../../hooks/useRoute';
import { connection } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { CommandPalette } from './CommandPalette';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

describe('the command palette', () => {
  beforeEach(() => vi.mocked(ipc.listConnections).mockResolvedValue([connection]));

  it('filters by every word typed and runs the highlighted command with Enter', async () => {
    const navigate = vi.fn();
    const onClose = vi.fn();
    const route: Route = { view: 'connection', id: connection.id, tab: 'accounts', sub: null };
    renderInApp(<CommandPalette open onClose={onClose} route={route} navigate={navigate} />);
    expect(await screen.findByTestId(`palette-connection-${connection.id}`)).toBeInTheDocument();
    const input = screen.getByTestId('palette-input');
    expect(document.activeElement).toBe(input);
    await userEvent.type(input, 'direct tab');
    expect(screen.getAllByRole('option')).toHaveLength(1);
    await userEvent.keyboard('{Enter}');
    expect(onClose).toHaveBeenCalled();
    expect(navigate).toHaveBeenCalledWith({ view: 'connection', id: connection.id, tab: 'direct-debits', sub: null });
  });

  it('moves with the arrows, wraps around, and says so when nothing matches', async () => {
    const navigate = vi.fn();
    renderInApp(<CommandPalette open onClose={() => undefined} route={{ view: 'home' }} navigate={navigate} />);
    const input = await screen.findByTestId('palette-input');
    expect(screen.queryByText('Direct debits')).toBeNull(); // tabs only while a connection is open
    await userEvent.type(input, 'go to');
    await userEvent.keyboard('{ArrowUp}');
    expect(screen.getByTestId('palette-settings')).toHaveAttribute('aria-selected', 'true');
    expect(input).toHaveAttribute('aria-activedescendant', screen.getByTestId('palette-settings').id);
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(navigate).toHaveBeenCalledWith({ view: 'home' });
    await userEvent.clear(input);
    await userEvent.type(input, 'zzz');
    expect(screen.getByText('Nothing matches “zzz”.')).toBeInTheDocument();
  });
});
