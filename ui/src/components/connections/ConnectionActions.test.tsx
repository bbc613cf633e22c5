import { act, screen } from '@testing-library/react';
import { useState } from 'react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { emit } from '../../test/ipcMock';
import { connection, preview } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { ConnectionActions } from './ConnectionActions';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

function setup(isLive = false, c = connection, liveUnlocked = false) {
  const props = { onUpdated: vi.fn(), onForgotten: vi.fn(), onReconsent: vi.fn(), onLiveLockChanged: vi.fn() };
  renderInApp(<ConnectionActions connection={c} isLive={isLive} liveUnlocked={liveUnlocked} {...props} />);
  return props;
}

describe('the lifecycle actions', () => {
  beforeEach(() => vi.mocked(ipc.listConnections).mockResolvedValue([]));

  it('refreshes the tokens now', async () => {
    vi.mocked(ipc.refreshConnection).mockResolvedValue({ ...connection, lastRefreshAt: '2026-01-02T00:00:00Z' });
    const props = setup();
    await userEvent.click(screen.getByTestId('action-refresh'));
    expect(ipc.refreshConnection).toHaveBeenCalledWith('conn-1');
    expect(props.onUpdated).toHaveBeenCalledWith(expect.objectContaining({ lastRefreshAt: '2026-01-02T00:00:00Z' }));
  });

  it('explains a refused refresh', async () => {
    vi.mocked(ipc.refreshConnection).mockRejectedValue({
      code: 'reauth_required',
      message: 'invalid_grant on refresh',
    });
    setup();
    await userEvent.click(screen.getByTestId('action-refresh'));
    expect(
      await screen.findByText(/The bank needs the user to consent again: invalid_grant on refresh/),
    ).toBeInTheDocument();
  });

  it('revokes only after confirmation', async () => {
    vi.mocked(ipc.revokeConnection).mockResolvedValue({ ...connection, status: 'revoked' });
    const props = setup();
    await userEvent.click(screen.getByTestId('action-more'));
    await userEvent.click(screen.getByTestId('action-revoke'));
    expect(ipc.revokeConnection).not.toHaveBeenCalled();
    await userEvent.click(screen.getByTestId('revoke-confirm'));
    expect(ipc.revokeConnection).toHaveBeenCalledWith('conn-1');
    expect(props.onUpdated).toHaveBeenCalledWith(expect.objectContaining({ status: 'revoked' }));
  });

  it('forgets after confirmation', async () => {
    vi.mocked(ipc.forgetConnection).mockResolvedValue(undefined);
    const props = setup();
    await userEvent.click(screen.getByTestId('action-more'));
    await userEvent.click(screen.getByTestId('action-forget'));
    await userEvent.click(screen.getByTestId('forget-confirm'));
    expect(props.onForgotten).toHaveBeenCalledWith('conn-1');
  });

  it('extends straight away when the bank needs nothing more', async () => {
    vi.mocked(ipc.extendConnection).mockResolvedValue({
      kind: 'renewed',
      connection: { ...connection, consentExpiresAt: '2099-07-01T00:00:00Z' },
    });
    const props = setup();
    await userEvent.click(screen.getByTestId('action-more'));
    await userEvent.click(screen.getByTestId('action-extend'));
    expect(props.onUpdated).toHaveBeenCalledWith(expect.objectContaining({ consentExpiresAt: '2099-07-01T00:00:00Z' }));
    expect(await screen.findByText(/No action needed/)).toBeInTheDocument();
  });

  it('sends the user to the bank’s link when extending needs them, and finishes on the redirect', async () => {
    vi.mocked(ipc.extendConnection).mockResolvedValue({
      kind: 'user_input_needed',
      action: 'authentication_needed',
      preview,
    });
    vi.mocked(ipc.openLink).mockResolvedValue(undefined);
    const props = setup();
    await userEvent.click(screen.getByTestId('action-more'));
    await userEvent.click(screen.getByTestId('action-extend'));
    expect(await screen.findByTestId('extend-modal')).toHaveTextContent('authentication_needed');
    await userEvent.click(screen.getByTestId('open-in-browser'));
    expect(ipc.openLink).toHaveBeenCalledWith('sess-1');
    await screen.findByTestId('waiting-panel');
    act(() => emit('link://completed', { sessionId: 'sess-1', connection: { ...connection, label: 'renewed' } }));
    expect(props.onUpdated).toHaveBeenCalledWith(expect.objectContaining({ label: 'renewed' }));
    expect(screen.queryByTestId('extend-modal')).not.toBeInTheDocument();
  });

  it('finishes a pasted extend redirect once, from the link://completed event', async () => {
    vi.mocked(ipc.extendConnection).mockResolvedValue({
      kind: 'user_input_needed',
      action: 'authentication_needed',
      preview,
    });
    const renewed = { ...connection, label: 'renewed' };
    vi.mocked(ipc.completeLink).mockImplementation(async () => {
      emit('link://completed', { sessionId: 'sess-1', connection: renewed });
    });
    const props = setup();
    await userEvent.click(screen.getByTestId('action-more'));
    await userEvent.click(screen.getByTestId('action-extend'));
    await userEvent.click(await screen.findByTestId('wait-without-opening'));
    await userEvent.type(screen.getByTestId('paste-redirect-input'), 'linkscope-dev://callback?code=c&state=s');
    await userEvent.click(screen.getByTestId('paste-redirect-submit'));
    await vi.waitFor(() => expect(props.onUpdated).toHaveBeenCalled());
    expect(props.onUpdated).toHaveBeenCalledTimes(1);
    expect(screen.getAllByText(/Consent extended/)).toHaveLength(1);
  });

  it('keeps extend and revoke locked in a live environment until core says they are unlocked', async () => {
    vi.mocked(ipc.setLiveUnlocked).mockResolvedValue(undefined);
    const props = setup(true);
    await userEvent.click(screen.getByTestId('action-more'));
    expect(screen.getByTestId('action-extend')).toBeDisabled();
    expect(screen.getByTestId('action-revoke')).toBeDisabled();
    await userEvent.click(screen.getByTestId('action-live-unlock'));
    expect(ipc.setLiveUnlocked).toHaveBeenCalledWith(connection.environmentId, true);
    expect(props.onLiveLockChanged).toHaveBeenCalled();
  });

  it('shows core’s lock after switching to another connection of the unlocked environment', async () => {
    const other = { ...connection, id: 'conn-2', label: 'Mock (2)' };
    function Switcher() {
      const [shown, setShown] = useState(connection);
      return (
        <>
          <button type="button" onClick={() => setShown(other)} data-testid="switch-connection">
            switch
          </button>
          {/* As ConnectionView renders it: one instance per connection. */}
          <ConnectionActions
            key={shown.id}
            connection={shown}
            isLive
            liveUnlocked
            onLiveLockChanged={vi.fn()}
            onUpdated={vi.fn()}
            onForgotten={vi.fn()}
            onReconsent={vi.fn()}
          />
        </>
      );
    }
    renderInApp(<Switcher />);
    await userEvent.click(screen.getByTestId('switch-connection'));
    await userEvent.click(screen.getByTestId('action-more'));
    expect(screen.getByTestId('action-extend')).toBeEnabled();
    expect(screen.getByTestId('action-revoke')).toBeEnabled();
    expect(screen.getByTestId('action-live-unlock')).toHaveTextContent('Lock extend and revoke');
  });

  it('says the keychain is unavailable and retries when asked', async () => {
    vi.mocked(ipc.refreshConnection)
      .mockRejectedValueOnce({
        code: 'keychain_unavailable',
        message: 'The keychain is unavailable (no answer within 10s), so nothing was changed.',
      })
      .mockResolvedValueOnce(connection);
    const props = setup();
    await userEvent.click(screen.getByTestId('action-refresh'));
    const dialog = await screen.findByTestId('keychain-unavailable');
    expect(dialog).toHaveTextContent('The keychain is unavailable');
    expect(dialog).toHaveTextContent('no secret was lost');
    await userEvent.click(screen.getByRole('button', { name: /Retry/ }));
    await vi.waitFor(() => expect(props.onUpdated).toHaveBeenCalledWith(connection));
    expect(ipc.refreshConnection).toHaveBeenCalledTimes(2);
  });

  it('cannot refresh without a refresh token', () => {
    setup(false, { ...connection, hasRefreshToken: false });
    expect(screen.getByTestId('action-refresh')).toBeDisabled();
  });
});
