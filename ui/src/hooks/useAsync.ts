import { useCallback, useEffect, useState } from 'react';
import { toIpcError, type IpcError } from '../ipc';

export type AsyncStatus = 'loading' | 'error' | 'success';

export interface AsyncResult<T> {
  status: AsyncStatus;
  /** The latest data for the current loader; kept while a reload runs. */
  data: T | undefined;
  error: IpcError | null;
  /** True while a reload runs over data already shown. */
  reloading: boolean;
  reload: () => void;
  /** Replaces the data locally (after a mutation answered with the new value). */
  setData: (update: (previous: T | undefined) => T) => void;
}

interface Snapshot<T> {
  load: () => Promise<T>;
  version: number;
  status: AsyncStatus;
  data: T | undefined;
  error: IpcError | null;
}

/**
 * Runs `load` (memoise it with useCallback: a new function means new data) and tracks its
 * loading / error / success state. Late answers from an older loader are dropped.
 */
export function useAsync<T>(load: () => Promise<T>): AsyncResult<T> {
  const [version, setVersion] = useState(0);
  const [snap, setSnap] = useState<Snapshot<T> | null>(null);

  useEffect(() => {
    let live = true;
    load().then(
      (data) => {
        if (live) setSnap({ load, version, status: 'success', data, error: null });
      },
      (reason: unknown) => {
        if (live)
          setSnap((prev) => ({
            load,
            version,
            status: 'error',
            data: prev?.load === load ? prev.data : undefined,
            error: toIpcError(reason),
          }));
      },
    );
    return () => {
      live = false;
    };
  }, [load, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const setData = useCallback(
    (update: (previous: T | undefined) => T) =>
      setSnap((prev) => (prev ? { ...prev, status: 'success', error: null, data: update(prev.data) } : prev)),
    [],
  );

  const sameLoader = snap !== null && snap.load === load;
  if (!sameLoader) {
    return { status: 'loading', data: undefined, error: null, reloading: false, reload, setData };
  }
  const current = snap.version === version;
  if (!current && snap.data === undefined) {
    return { status: 'loading', data: undefined, error: null, reloading: false, reload, setData };
  }
  if (!current) {
    return { status: 'success', data: snap.data, error: null, reloading: true, reload, setData };
  }
  return { status: snap.status, data: snap.data, error: snap.error, reloading: false, reload, setData };
}
