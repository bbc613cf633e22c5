import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { setPresenterMode } from '../../ipc';
import { useHotkey } from '../../hooks/useHotkey';
import { mask as maskValue, maskJsonString, type MaskKind } from '../../lib/mask';
import { useToast } from '../shared';
import { PresenterContext } from './PresenterContext';

export const PRESENTER_HOTKEY = { key: 'p', mod: true, shift: true } as const;

/**
 * Presenter mode: masks names, account identifiers, addresses, dates of birth, emails and phones on
 * screen and in copies; core is told too, so exports made meanwhile are masked as well.
 */
export function PresenterProvider({ children }: { children: ReactNode }) {
  const [on, setOn] = useState(false);
  const toast = useToast();

  const toggle = useCallback(() => {
    const next = !on;
    setOn(next);
    setPresenterMode(next).catch(() =>
      toast.show('Core could not switch presenter mode: exports may not be masked.', 'danger'),
    );
  }, [on, toast]);

  useHotkey(PRESENTER_HOTKEY, toggle);

  const api = useMemo(
    () => ({
      on,
      toggle,
      mask: (kind: MaskKind, value: string) => (on ? maskValue(kind, value) : value),
      maskJson: on ? maskJsonString : undefined,
    }),
    [on, toggle],
  );

  return <PresenterContext.Provider value={api}>{children}</PresenterContext.Provider>;
}
