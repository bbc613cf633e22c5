import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { renderWithQueries } from '../../test/render';
import { builtinEnv, liveEnv, providers } from '../../test/fixtures';
import { ProviderPicker } from './ProviderPicker';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const tileIds = () =>
  within(screen.getByRole('list', { name: 'Banks' }))
    .getAllByRole('button')
    .map((b) => b.dataset.testid);

describe('the bank picker', () => {
  beforeEach(() => {
    vi.mocked(ipc.listProviders).mockResolvedValue({
      fetchedAt: new Date(Date.now() - 14 * 60_000).toISOString(),
      providers,
    });
  });

  it('shows a loading state while providers are fetched', () => {
    vi.mocked(ipc.listProviders).mockReturnValue(new Promise(() => undefined));
    renderWithQueries(<ProviderPicker environment={builtinEnv} onPick={vi.fn()} />);
    expect(screen.getByTestId('providers-loading')).toBeInTheDocument();
  });

  it('pins Mock first in a sandbox, then sorts by name, and says when the list was fetched', async () => {
    renderWithQueries(<ProviderPicker environment={builtinEnv} onPick={vi.fn()} />);
    await screen.findByTestId('provider-mock');
    expect(tileIds()).toEqual(['provider-mock', 'provider-ob-barclays', 'provider-xs2a-ing-de']);
    expect(screen.getByTestId('providers-fetched-at')).toHaveTextContent('3 banks · fetched 14 min ago');
  });

  it('does not pin Mock outside sandboxes', async () => {
    renderWithQueries(<ProviderPicker environment={{ ...liveEnv, active: true }} onPick={vi.fn()} />);
    await screen.findByTestId('provider-mock');
    expect(tileIds()).toEqual(['provider-ob-barclays', 'provider-xs2a-ing-de', 'provider-mock']);
  });

  it('filters by search text, country and supported scopes', async () => {
    renderWithQueries(<ProviderPicker environment={builtinEnv} onPick={vi.fn()} />);
    await screen.findByTestId('provider-mock');
    await userEvent.type(screen.getByTestId('provider-search'), 'bar');
    expect(tileIds()).toEqual(['provider-ob-barclays']);
    await userEvent.clear(screen.getByTestId('provider-search'));
    await userEvent.selectOptions(screen.getByTestId('provider-country'), 'de');
    expect(tileIds()).toEqual(['provider-xs2a-ing-de']);
    await userEvent.selectOptions(screen.getByTestId('provider-country'), 'all');
    await userEvent.click(screen.getByTestId('scope-filter-cards'));
    expect(tileIds()).toEqual(['provider-mock', 'provider-xs2a-ing-de']);
    await userEvent.click(screen.getByTestId('scope-filter-transactions'));
    expect(tileIds()).toEqual(['provider-mock']);
  });

  it('says so when nothing matches, and clears the filters on request', async () => {
    renderWithQueries(<ProviderPicker environment={builtinEnv} onPick={vi.fn()} />);
    await userEvent.type(await screen.findByTestId('provider-search'), 'zzz');
    expect(screen.getByText('No bank matches')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(tileIds()).toHaveLength(3);
  });

  it('explains an empty provider list', async () => {
    vi.mocked(ipc.listProviders).mockResolvedValue({ fetchedAt: new Date().toISOString(), providers: [] });
    renderWithQueries(<ProviderPicker environment={builtinEnv} onPick={vi.fn()} />);
    expect(await screen.findByText('This environment lists no banks')).toBeInTheDocument();
  });

  it('shows a fetch error with its next step, and refetches bypassing the cache', async () => {
    vi.mocked(ipc.listProviders).mockRejectedValueOnce({ code: 'network', message: 'connection refused' });
    renderWithQueries(<ProviderPicker environment={builtinEnv} onPick={vi.fn()} />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Linkscope could not reach the server');
    expect(alert).toHaveTextContent('connection refused');
    await userEvent.click(within(alert).getByRole('button', { name: 'Fetch again' }));
    expect(await screen.findByTestId('provider-mock')).toBeInTheDocument();
    expect(vi.mocked(ipc.listProviders).mock.calls).toEqual([
      ['builtin', false],
      ['builtin', true],
    ]);
  });

  it('refresh asks core to bypass its cache', async () => {
    renderWithQueries(<ProviderPicker environment={builtinEnv} onPick={vi.fn()} />);
    await screen.findByTestId('provider-mock');
    await userEvent.click(screen.getByTestId('providers-refresh'));
    await screen.findByTestId('provider-mock');
    expect(ipc.listProviders).toHaveBeenLastCalledWith('builtin', true);
  });

  it('hands the chosen provider (or none, for TrueLayer’s own dialog) to its owner', async () => {
    const onPick = vi.fn();
    renderWithQueries(<ProviderPicker environment={builtinEnv} onPick={onPick} />);
    await userEvent.click(await screen.findByTestId('provider-mock'));
    expect(onPick).toHaveBeenLastCalledWith(providers[2]);
    await userEvent.click(screen.getByTestId('provider-any'));
    expect(onPick).toHaveBeenLastCalledWith(null);
  });
});
