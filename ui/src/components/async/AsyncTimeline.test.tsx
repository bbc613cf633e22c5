import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import type { AsyncRun } from '../../ipc';
import { emit } from '../../test/ipcMock';
import { renderInApp } from '../../test/render';
import { AsyncModeSwitch } from './AsyncModeSwitch';
import { AsyncTimeline } from './AsyncTimeline';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const run: AsyncRun = {
  taskId: 'task-1',
  connectionId: 'conn-1',
  operation: 'accounts',
  path: '/data/v1/accounts',
  resultsUri: 'http://127.0.0.1:9/data/v1/results/task-1',
  steps: [
    { status: 'Queued', at: '2026-12-01T20:00:00.000Z' },
    { status: 'Running', at: '2026-12-01T20:00:01.000Z' },
    { status: 'Succeeded', at: '2026-12-01T20:00:03.500Z' },
  ],
  webhooks: [
    {
      receivedAt: '2026-12-01T20:00:03.100Z',
      headers: [['tl-signature', 'eyJhbGciOiJFUzUxMiJ9..sig']],
      body: { task_id: 'task-1', status: 'Succeeded' },
      signature: { kind: 'valid', kid: 'k1', jku: 'http://127.0.0.1:9/webhooks/jwks' },
    },
  ],
  resultsFetchedAt: '2026-12-01T20:00:03.500Z',
  resultsTraceId: 'trace-1',
  error: null,
};

describe('the async timeline', () => {
  beforeEach(() => {
    vi.mocked(ipc.listConnections).mockResolvedValue([]);
    vi.mocked(ipc.listAsyncRuns).mockResolvedValue([run]);
  });

  it('shows each step, the webhook with its valid signature and the results fetch in time order', async () => {
    const onOpenExchanges = vi.fn();
    renderInApp(<AsyncTimeline connectionId="conn-1" environmentId="builtin" onOpenExchanges={onOpenExchanges} />);
    const card = await screen.findByTestId('async-run');
    const labels = within(card)
      .getAllByRole('listitem')
      .map((li) => li.querySelector('.async-moment-label')?.textContent);
    expect(labels).toEqual(['Queued', 'Running', 'Webhook arrived', 'Succeeded', 'Results fetched from results_uri']);
    expect(within(card).getByTestId('async-signature')).toHaveTextContent('Signature valid');
    expect(card).toHaveTextContent('trace trace-1');
    await userEvent.click(within(card).getByText('Open in inspector'));
    expect(onOpenExchanges).toHaveBeenCalledWith('task-1');
  });

  it('follows core’s updates and shows an invalid signature with its reason', async () => {
    renderInApp(<AsyncTimeline connectionId="conn-1" environmentId="builtin" onOpenExchanges={vi.fn()} />);
    await screen.findByTestId('async-run');
    const tampered = {
      ...run,
      webhooks: [
        { ...run.webhooks[0]!, signature: { kind: 'invalid' as const, reason: 'the signature does not match' } },
      ],
    };
    act(() => emit('async://updated', { run: tampered }));
    expect(await screen.findByTestId('async-signature')).toHaveTextContent('Signature invalid');
    expect(screen.getByTestId('async-signature-reason')).toHaveTextContent('does not match');
    act(() => emit('async://updated', { run: { ...run, taskId: 'other', connectionId: 'conn-2' } }));
    expect(screen.getAllByTestId('async-run')).toHaveLength(1);
  });

  it('arms the sandbox to tamper with the next webhook and says so', async () => {
    vi.mocked(ipc.tamperNextWebhook).mockResolvedValue(true);
    renderInApp(<AsyncTimeline connectionId="conn-1" environmentId="builtin" onOpenExchanges={vi.fn()} />);
    await userEvent.click(await screen.findByTestId('async-tamper'));
    expect(await screen.findByTestId('async-tamper-armed')).toBeInTheDocument();
    expect(ipc.tamperNextWebhook).toHaveBeenCalledWith('builtin');
  });
});

describe('the async mode switch', () => {
  it('turns async mode on for the connection and names the webhook', async () => {
    vi.mocked(ipc.getAsyncMode).mockResolvedValue({ connectionId: 'conn-1', enabled: false, webhookUri: null });
    vi.mocked(ipc.setAsyncMode).mockResolvedValue({
      connectionId: 'conn-1',
      enabled: true,
      webhookUri: 'http://127.0.0.1:5555/webhooks/abc',
    });
    const onShowTimeline = vi.fn();
    renderInApp(<AsyncModeSwitch connectionId="conn-1" onShowTimeline={onShowTimeline} />);
    await userEvent.click(await screen.findByTestId('async-mode-switch'));
    expect(await screen.findByTestId('async-switch')).toHaveTextContent('http://127.0.0.1:5555/webhooks/abc');
    expect(ipc.setAsyncMode).toHaveBeenCalledWith('conn-1', true);
    await userEvent.click(screen.getByTestId('async-show-timeline'));
    expect(onShowTimeline).toHaveBeenCalled();
  });
});
