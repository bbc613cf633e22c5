import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import type { RedirectGuide, RedirectSelfTest } from '../../ipc';
import { builtinEnv } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { RedirectHelperCard } from './RedirectHelperCard';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const guide: RedirectGuide = {
  environmentId: builtinEnv.id,
  environmentName: builtinEnv.name,
  environmentKind: 'builtin',
  clientId: 'demo',
  whereToRegister: 'Nothing to register.',
  paths: [
    { kind: 'deep_link', uri: 'linkscope-dev://callback', registered: true, note: 'Query only.', selfTested: true },
    {
      kind: 'loopback',
      uri: 'http://127.0.0.1:3947/callback',
      registered: false,
      note: 'Port 3947.',
      selfTested: true,
    },
  ],
};

const probe = (kind: 'deep_link' | 'loopback', url: string) => ({
  kind,
  url,
  status: 'waiting' as const,
  arrivedAfterMs: null,
  detail: null,
  nextStep: null,
});

const started: RedirectSelfTest = {
  testId: 't1',
  timeoutSeconds: 10,
  finished: false,
  probes: [
    probe('deep_link', 'linkscope-dev://callback?code=linkscope-self-test&state=n1'),
    probe('loopback', 'http://127.0.0.1:3947/callback?code=linkscope-self-test&state=n2'),
  ],
};

describe('the redirect URI helper', () => {
  beforeEach(() => {
    vi.mocked(ipc.listConnections).mockResolvedValue([]);
    vi.mocked(ipc.getRedirectGuide).mockResolvedValue(guide);
  });

  it('shows each capture path with its exact URI and whether the environment lists it', async () => {
    renderInApp(<RedirectHelperCard environment={builtinEnv} />);
    expect(await screen.findByTestId('redirect-uri-deep_link')).toHaveTextContent('linkscope-dev://callback');
    expect(screen.getByTestId('redirect-uri-loopback')).toHaveTextContent('http://127.0.0.1:3947/callback');
    expect(screen.getByTestId('redirect-path-deep_link')).toHaveTextContent('Listed for this environment');
    expect(screen.getByTestId('redirect-path-loopback')).toHaveTextContent('Not listed for this environment');
    expect(ipc.getRedirectGuide).toHaveBeenCalledWith(builtinEnv.id);
  });

  it('follows the self-test until every probe arrived or ran out of time, with the next step', async () => {
    vi.mocked(ipc.startRedirectSelfTest).mockResolvedValue(started);
    const [deep, loop] = started.probes as [RedirectSelfTest['probes'][0], RedirectSelfTest['probes'][0]];
    vi.mocked(ipc.getRedirectSelfTest).mockResolvedValue({
      ...started,
      finished: true,
      probes: [
        { ...deep, status: 'not_arrived', nextStep: 'Try gio open.' },
        { ...loop, status: 'arrived', arrivedAfterMs: 1200 },
      ],
    });
    renderInApp(<RedirectHelperCard environment={builtinEnv} />);
    await userEvent.click(await screen.findByTestId('redirect-self-test'));
    const loopback = await screen.findByText('Arrived after 1.2 s');
    expect(loopback).toBeInTheDocument();
    expect(screen.getByTestId('redirect-probe-deep_link')).toHaveTextContent('Did not arrive within 10 s');
    expect(screen.getByTestId('redirect-probe-next-deep_link')).toHaveTextContent('Try gio open.');
    expect(ipc.getRedirectSelfTest).toHaveBeenCalledWith('t1');
  });
});
