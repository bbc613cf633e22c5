import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import type { AuthTrail, LinkAttempt, TrailEvent } from '../../ipc';
import { renderInApp } from '../../test/render';
import { AuthTrailCard } from './AuthTrailCard';
import { LinkAttempts } from './LinkAttempts';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const attempt: LinkAttempt = {
  id: 'sess-1',
  environmentId: 'builtin',
  trackingId: 'track-1',
  providerId: 'mock',
  scopes: ['accounts'],
  renews: null,
  createdAt: '2026-01-01T10:00:00Z',
  expiresAt: '2026-01-01T10:10:00Z',
  openedAt: '2026-01-01T10:00:01Z',
  outcome: 'expired',
  endedAt: null,
  connectionId: null,
  errorCode: null,
};

const event = (step: TrailEvent['step'], second: number): TrailEvent => ({
  step,
  time: `2026-01-01T10:00:${String(second).padStart(2, '0')}.000Z`,
  flowId: 'auth-1',
  providerId: step === 'dialog_started' ? null : 'mock',
  credentialsId: null,
  consentId: null,
  reauth: false,
});

const partial: AuthTrail = {
  attempt,
  fetchedAt: '2026-01-01T10:05:00Z',
  events: [
    event('dialog_started', 1),
    event('consent_granted', 2),
    event('provider_selected', 3),
    event('provider_auth_started', 3),
  ],
  stoppedAt: 'provider_auth_started',
  complete: false,
};

describe('the auth-journey trail', () => {
  beforeEach(() => {
    vi.mocked(ipc.getAuthTrail).mockReset();
  });

  it('asks again each time it is shown, so a trail first read while waiting is not shown as it was', async () => {
    const complete: AuthTrail = {
      ...partial,
      events: [...partial.events, event('provider_authorized', 4), event('code_exchanged', 5)],
      stoppedAt: 'code_exchanged',
      complete: true,
    };
    vi.mocked(ipc.getAuthTrail).mockResolvedValueOnce(partial).mockResolvedValueOnce(complete);
    function Toggle() {
      const [shown, setShown] = useState(true);
      return (
        <>
          <button onClick={() => setShown(!shown)}>toggle</button>
          {shown && <AuthTrailCard attemptId="sess-1" />}
        </>
      );
    }
    renderInApp(<Toggle />);
    expect(await screen.findByTestId('auth-trail-summary')).toHaveTextContent('Stopped after');
    await userEvent.click(screen.getByRole('button', { name: 'toggle' }));
    await userEvent.click(screen.getByRole('button', { name: 'toggle' }));
    expect(await screen.findByText(/Complete: a code came back/)).toBeInTheDocument();
    expect(ipc.getAuthTrail).toHaveBeenCalledTimes(2);
  });

  it('shows where an abandoned link stopped, and the steps it never reached', async () => {
    vi.mocked(ipc.getAuthTrail).mockResolvedValue(partial);
    renderInApp(<AuthTrailCard attemptId="sess-1" />);
    expect(await screen.findByTestId('auth-trail-summary')).toHaveTextContent("Stopped after: Bank's login shown");
    const reached = screen.getAllByTestId('auth-trail-step');
    expect(reached.map((li) => li.dataset.step)).toEqual([
      'dialog_started',
      'consent_granted',
      'provider_selected',
      'provider_auth_started',
    ]);
    expect(within(reached[3]!).getByText('stopped here')).toBeInTheDocument();
    expect(screen.getAllByTestId('auth-trail-missing').map((li) => li.dataset.step)).toEqual([
      'provider_authorized',
      'code_exchanged',
    ]);
    expect(ipc.getAuthTrail).toHaveBeenCalledWith('sess-1');
  });

  it('shows a completed link as complete, with nothing missing', async () => {
    vi.mocked(ipc.getAuthTrail).mockResolvedValue({
      ...partial,
      events: [...partial.events, event('provider_authorized', 9), event('code_exchanged', 10)],
      stoppedAt: 'code_exchanged',
      complete: true,
    });
    renderInApp(<AuthTrailCard attemptId="sess-1" />);
    expect(await screen.findByTestId('auth-trail-summary')).toHaveTextContent('Complete: a code came back');
    expect(screen.getAllByTestId('auth-trail-step')).toHaveLength(6);
    expect(screen.queryByTestId('auth-trail-missing')).toBeNull();
    expect(screen.queryByText('stopped here')).toBeNull();
  });

  it('explains a tracking answer core could not read, and asks again on refresh', async () => {
    vi.mocked(ipc.getAuthTrail).mockRejectedValue(
      new ipc.IpcError(
        'truelayer',
        'TrueLayer answered with a body this client does not understand; open the raw response in the inspector and report it.',
      ),
    );
    renderInApp(<AuthTrailCard attemptId="sess-1" />);
    expect(await screen.findByTestId('auth-trail-error')).toHaveTextContent('does not understand');
    vi.mocked(ipc.getAuthTrail).mockResolvedValue(partial);
    await userEvent.click(screen.getByTestId('auth-trail-refresh'));
    expect(await screen.findByTestId('auth-trail-summary')).toHaveTextContent('Stopped after');
  });

  it('lists link attempts with how they ended and fetches a trail only when asked', async () => {
    vi.mocked(ipc.listLinkAttempts).mockResolvedValue([
      { ...attempt, id: 'sess-4', trackingId: 'track-4', outcome: 'waiting', openedAt: null },
      { ...attempt, id: 'sess-3', trackingId: 'track-3', outcome: 'cancelled', openedAt: null },
      { ...attempt, id: 'sess-2', trackingId: 'track-2', outcome: 'completed', connectionId: 'c1' },
      attempt,
    ]);
    vi.mocked(ipc.getAuthTrail).mockResolvedValue(partial);
    renderInApp(<LinkAttempts environmentId="builtin" />);
    const rows = await screen.findAllByTestId('link-attempt');
    expect(rows.map((r) => within(r).getByTestId('link-attempt-outcome').textContent)).toEqual([
      'Not opened yet',
      'Never opened',
      'Completed',
      'Abandoned',
    ]);
    expect(ipc.listLinkAttempts).toHaveBeenCalledWith('builtin');
    expect(ipc.getAuthTrail).not.toHaveBeenCalled();
    await userEvent.click(within(rows[3]!).getByTestId('link-attempt-trail'));
    expect(await within(rows[3]!).findByTestId('auth-trail-summary')).toHaveTextContent('Stopped after');
    expect(ipc.getAuthTrail).toHaveBeenCalledWith('sess-1');
  });
});
