import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import type { RequestSummary } from '../../ipc';
import { renderInApp } from '../../test/render';
import { RequestInspector } from './RequestInspector';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const summary = (id: string, status: number | null, extra: Partial<RequestSummary> = {}): RequestSummary => ({
  id,
  connectionId: 'conn-1',
  startedAt: '2026-01-01T10:00:00Z',
  method: 'GET',
  url: `http://127.0.0.1:4000/data/v1/accounts?${id}`,
  endpoint: '/data/v1/accounts',
  status,
  durationMs: 42,
  traceId: `trace-${id}`,
  correlationId: null,
  error: status && status >= 400 ? 'provider_error' : null,
  ...extra,
});

describe('the request inspector', () => {
  beforeEach(() => vi.mocked(ipc.listConnections).mockResolvedValue([]));

  it('lists the connection’s exchanges with status and trace id', async () => {
    vi.mocked(ipc.listRequests).mockResolvedValue([summary('a', 200), summary('b', 503)]);
    renderInApp(<RequestInspector connectionId="conn-1" />);
    expect(screen.getByText('Loading requests…')).toBeInTheDocument();
    expect(await screen.findByTestId('request-row-b')).toHaveTextContent('503');
    expect(screen.getByTestId('request-row-a')).toHaveTextContent('trace trace-a');
    expect(ipc.listRequests).toHaveBeenCalledWith({
      connectionId: 'conn-1',
      status: 'all',
      endpoint: null,
      text: null,
      limit: 500,
    });
  });

  it('walks the rows with the keyboard and exports the ones shown, or the selected one, as HAR', async () => {
    vi.mocked(ipc.listRequests).mockResolvedValue([summary('c', 200), summary('b', 503), summary('a', 200)]);
    vi.mocked(ipc.getRequest).mockReturnValue(new Promise(() => undefined));
    vi.mocked(ipc.exportHar).mockResolvedValue('/tmp/linkscope-conn-1.har');
    renderInApp(<RequestInspector connectionId="conn-1" />);
    const first = await screen.findByTestId('request-row-c');
    expect(first).toHaveAttribute('tabindex', '0');
    first.focus();
    await userEvent.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(screen.getByTestId('request-row-b'));
    expect(screen.getByTestId('request-row-b')).toHaveAttribute('aria-current', 'true');
    expect(ipc.getRequest).toHaveBeenLastCalledWith('b');

    await userEvent.click(screen.getByTestId('requests-export-har'));
    await userEvent.click(screen.getByTestId('action-har-shown'));
    expect(ipc.exportHar).toHaveBeenLastCalledWith({
      ids: ['c', 'b', 'a'],
      connectionId: 'conn-1',
      since: null,
      until: null,
    });
    expect(
      await screen.findByText(/HAR of the requests shown saved to \/tmp\/linkscope-conn-1.har/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('requests-export-har'));
    await userEvent.click(screen.getByTestId('action-har-selected'));
    expect(ipc.exportHar).toHaveBeenLastCalledWith({ ids: ['b'], connectionId: 'conn-1', since: null, until: null });
  });

  it('filters by status, endpoint and text through core', async () => {
    vi.mocked(ipc.listRequests).mockResolvedValue([]);
    renderInApp(<RequestInspector connectionId={null} />);
    expect(await screen.findByText('No requests')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('requests-status-failure'));
    await userEvent.type(screen.getByTestId('requests-endpoint'), '/connect/token');
    await userEvent.type(screen.getByTestId('requests-search'), 'trace-9');
    await screen.findByText('Nothing matches these filters.');
    expect(ipc.listRequests).toHaveBeenLastCalledWith({
      connectionId: null,
      status: 'failure',
      endpoint: '/connect/token',
      text: 'trace-9',
      limit: 500,
    });
  });

  it('shows one exchange in full: trace id, headers, bodies and copy as curl', async () => {
    vi.mocked(ipc.listRequests).mockResolvedValue([summary('b', 503)]);
    vi.mocked(ipc.getRequest).mockResolvedValue({
      summary: summary('b', 503),
      requestHeaders: [['Authorization', 'Bearer [redacted]']],
      requestBody: null,
      responseHeaders: [['Tl-Trace-Id', 'trace-b']],
      responseBody: { error: 'provider_error', error_description: 'The provider service is unavailable.' },
      curl: "curl 'http://127.0.0.1:4000/data/v1/accounts' -H 'Authorization: Bearer $ACCESS_TOKEN'",
    });
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderInApp(<RequestInspector connectionId="conn-1" />);
    await userEvent.click(await screen.findByTestId('request-row-b'));
    const detail = await screen.findByTestId('request-detail');
    expect(screen.getByTestId('request-trace-id')).toHaveTextContent('trace-b');
    expect(detail).toHaveTextContent('Bearer [redacted]');
    expect(detail).toHaveTextContent('"provider_error"');
    await userEvent.click(screen.getByTestId('request-copy-curl'));
    expect(writeText).toHaveBeenCalledWith(expect.stringContaining('$ACCESS_TOKEN'));
  });

  it('explains when the log cannot be read', async () => {
    vi.mocked(ipc.listRequests).mockRejectedValue({ code: 'internal', message: 'database is locked' });
    renderInApp(<RequestInspector connectionId="conn-1" />);
    expect(await screen.findByTestId('requests-error')).toHaveTextContent('database is locked');
  });
});
