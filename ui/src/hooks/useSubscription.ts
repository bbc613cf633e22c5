import { useEffect, useEffectEvent } from 'react';
import type { Unsubscribe } from '../ipc';

/**
 * Listens to one core → UI event for as long as the component is mounted. `subscribe` is one of
 * the ipc module's `onXxx` functions; `handler` may change on every render.
 */
export function useSubscription<E>(
  subscribe: (handler: (event: E) => void) => Promise<Unsubscribe>,
  handler: (event: E) => void,
): void {
  const onEvent = useEffectEvent(handler);
  useEffect(() => {
    let active = true;
    let unsubscribe: Unsubscribe | null = null;
    subscribe((event) => onEvent(event)).then(
      (u) => {
        if (active) unsubscribe = u;
        else u();
      },
      () => undefined,
    );
    return () => {
      active = false;
      unsubscribe?.();
    };
  }, [subscribe]);
}
