import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import type { CoverageReport } from '../../ipc';
import { connection } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { CoverageMatrix } from './CoverageMatrix';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const report: CoverageReport = {
  connectionId: 'conn-1',
  connectionLabel: 'John Doe · Mock',
  providerId: 'mock',
  scopes: ['info', 'accounts'],
  startedAt: '2026-12-01T20:00:00Z',
  durationMs: 42,
  rows: [
    {
      check: 'accounts',
      endpoint: 'GET /data/v1/accounts',
      scopes: ['accounts'],
      status: 'supported',
      cells: [{ status: 'supported', count: 5, durationMs: 3 }],
    },
    {
      check: 'cards',
      endpoint: 'GET /data/v1/cards',
      scopes: ['cards'],
      status: 'scope_missing',
      cells: [{ status: 'scope_missing', durationMs: 0 }],
    },
    {
      check: 'info',
      endpoint: 'GET /data/v1/info',
      scopes: ['info'],
      status: 'error',
      cells: [{ status: 'error', httpStatus: 503, errorCode: 'provider_error', traceId: 'tr-1', durationMs: 4 }],
    },
  ],
};

describe('the coverage matrix', () => {
  beforeEach(() => vi.mocked(ipc.listConnections).mockResolvedValue([]));

  it('shows each endpoint’s status, count, missing scope and error with a link to its exchange', async () => {
    vi.mocked(ipc.runCoverage).mockResolvedValue(report);
    const onOpenExchange = vi.fn();
    renderInApp(<CoverageMatrix connection={connection} onOpenExchange={onOpenExchange} />);
    await userEvent.click(screen.getByTestId('coverage-run'));
    expect(await screen.findByTestId('coverage-row-accounts')).toHaveTextContent('5 items');
    expect(screen.getByTestId('coverage-row-cards')).toHaveTextContent('scope missing');
    expect(screen.getByTestId('coverage-row-info')).toHaveTextContent('503 provider_error');
    await userEvent.click(screen.getByText('tr-1'));
    expect(onOpenExchange).toHaveBeenCalledWith('tr-1');
    expect(ipc.runCoverage).toHaveBeenCalledWith('conn-1');
  });

  it('exports the matrix it showed', async () => {
    vi.mocked(ipc.runCoverage).mockResolvedValue(report);
    vi.mocked(ipc.exportCoverage).mockResolvedValue('/tmp/coverage.md');
    renderInApp(<CoverageMatrix connection={connection} onOpenExchange={vi.fn()} />);
    await userEvent.click(screen.getByTestId('coverage-run'));
    await userEvent.click(await screen.findByTestId('coverage-export-md'));
    expect(ipc.exportCoverage).toHaveBeenCalledWith('conn-1', 'markdown');
    expect(await screen.findByText('Saved to /tmp/coverage.md')).toBeInTheDocument();
  });
});
