import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import type { ScenarioRun } from '../../ipc';
import { builtinEnv } from '../../test/fixtures';
import { emit } from '../../test/ipcMock';
import { renderInApp } from '../../test/render';
import { ScenarioRunner } from './ScenarioRunner';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const base: ScenarioRun = {
  id: 'run-1',
  environmentId: builtinEnv.id,
  status: 'running',
  startedAt: '2026-12-01T20:00:00.000Z',
  durationMs: 0,
  appVersion: '0.1.0',
  sandboxSeed: 7,
  personas: [],
  total: 0,
  failures: 0,
};
const failed: ScenarioRun = {
  ...base,
  status: 'failed',
  durationMs: 1200,
  total: 2,
  failures: 1,
  changedSincePrevious: 1,
  personas: [
    {
      personaKey: 'john:doe',
      label: 'John Doe · Mock',
      passed: false,
      durationMs: 1200,
      cases: [
        {
          check: 'me',
          endpoint: 'GET /data/v1/me',
          expected: { kind: 'ok', text: 'ok' },
          actual: { kind: 'ok', text: 'ok' },
          passed: true,
          durationMs: 3,
          traceIds: [],
        },
        {
          check: 'accounts',
          endpoint: 'GET /data/v1/accounts',
          expected: { kind: 'ok', text: 'ok' },
          actual: { kind: 'error', status: 503, code: 'temporarily_unavailable', text: '503 temporarily_unavailable' },
          passed: false,
          durationMs: 9,
          traceIds: ['tr-9'],
        },
      ],
    },
  ],
};

describe('the scenario runner', () => {
  beforeEach(() => {
    vi.mocked(ipc.listConnections).mockResolvedValue([]);
    vi.mocked(ipc.listScenarioRuns).mockResolvedValue([]);
    vi.mocked(ipc.listPersonas).mockResolvedValue({
      automated: true,
      groups: [
        {
          id: 'happy_path',
          label: 'Happy path',
          personas: [{ key: 'john:doe', username: 'john', password: 'doe', purpose: 'x', expected: [] }],
        },
      ],
    });
  });

  it('starts a run, follows its progress and shows expected against actual for the failure', async () => {
    vi.mocked(ipc.startScenarioRun).mockResolvedValue(base);
    vi.mocked(ipc.getScenarioRun).mockResolvedValue(failed);
    renderInApp(<ScenarioRunner environment={builtinEnv} />);
    await userEvent.click(await screen.findByTestId('scenario-run'));
    expect(ipc.startScenarioRun).toHaveBeenCalledWith({ environmentId: builtinEnv.id, personaKeys: [] });
    expect(await screen.findByTestId('scenario-cancel')).toBeInTheDocument();
    emit('scenarios://progress', { runId: 'run-1', done: 1, total: 1, personaKey: '', status: 'failed' });
    const failure = await screen.findByTestId('case-john:doe-accounts');
    expect(failure).toHaveTextContent('ok');
    expect(failure).toHaveTextContent('503 temporarily_unavailable');
    expect(screen.getByTestId('scenario-totals')).toHaveTextContent('1 of 2 checks passed');
    expect(screen.getByTestId('scenario-changed')).toHaveTextContent('1 changed since the previous run');
  });

  it('exports the shown run as JUnit', async () => {
    vi.mocked(ipc.listScenarioRuns).mockResolvedValue([failed]);
    vi.mocked(ipc.exportScenarioRun).mockResolvedValue('/tmp/scenarios.xml');
    renderInApp(<ScenarioRunner environment={builtinEnv} />);
    await userEvent.click(await screen.findByTestId('scenario-export-junit'));
    expect(ipc.exportScenarioRun).toHaveBeenCalledWith('run-1', 'junit');
    expect(await screen.findByTestId('scenario-saved')).toHaveTextContent('/tmp/scenarios.xml');
  });
});

describe('the scenario runner’s scope', () => {
  beforeEach(() => {
    vi.mocked(ipc.listConnections).mockResolvedValue([]);
    vi.mocked(ipc.listScenarioRuns).mockResolvedValue([]);
    vi.mocked(ipc.listPersonas).mockResolvedValue({
      automated: true,
      groups: [
        {
          id: 'happy_path',
          label: 'Happy path',
          personas: [{ key: 'john:doe', username: 'john', password: 'doe', purpose: 'x', expected: [] }],
        },
      ],
    });
  });

  it('runs one persona when one is chosen', async () => {
    vi.mocked(ipc.startScenarioRun).mockResolvedValue(base);
    renderInApp(<ScenarioRunner environment={builtinEnv} />);
    await screen.findByText('Only john/doe');
    await userEvent.selectOptions(screen.getByTestId('scenario-scope'), 'john:doe');
    await userEvent.click(screen.getByTestId('scenario-run'));
    expect(ipc.startScenarioRun).toHaveBeenCalledWith({ environmentId: builtinEnv.id, personaKeys: ['john:doe'] });
  });
});
