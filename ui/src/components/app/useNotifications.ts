/**
 * Sends the OS notifications `notifications.ts` decides on: consent clocks of the connections
 * (checked when the list changes and every ten minutes) and long jobs that finished while the
 * window was unfocused. Each notice is sent once per app session.
 */
import { useEffect, useRef } from 'react';
import { onActivityEnded } from '../../activity';
import { notifyUser } from '../../ipc';
import { useNow } from '../../hooks/useNow';
import { usePresenter } from '../presenter/usePresenter';
import { consentNotices, finishedNotice, type Notice } from './notifications';
import { useAppData } from './useAppData';

export function useNotifications(): void {
  const { connections } = useAppData();
  const { mask } = usePresenter();
  const now = useNow(10 * 60_000);
  const sent = useRef(new Set<string>());

  useEffect(() => {
    const send = (notice: Notice) => {
      sent.current.add(notice.key);
      notifyUser(notice.title, notice.body).catch(() => undefined);
    };
    consentNotices(connections.data ?? [], now, sent.current, (c) => mask('name', c.label)).forEach(send);
  }, [connections.data, now, mask]);

  useEffect(
    () =>
      onActivityEnded((job) => {
        const notice = finishedNotice(job, document.hasFocus());
        if (notice) notifyUser(notice.title, notice.body).catch(() => undefined);
      }),
    [],
  );
}
