import type { ReactNode } from 'react';
import type { Fetched } from '../../ipc';
import type { AsyncResult } from '../../query';
import { useNow } from '../../hooks/useNow';
import { formatAgo } from '../../lib/format';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { usePresenter } from '../presenter/usePresenter';
import { Button, LoadingPanel, RawJson } from '../shared';

export interface FetchedPanelProps<T> {
  result: AsyncResult<Fetched<T>>;
  /** Prefix of the state test ids: `<id>-loading`, `<id>-error`, `<id>-empty`, `<id>-data`. */
  testId: string;
  loadingLabel: string;
  isEmpty: (data: T) => boolean;
  empty: ReactNode;
  children: (data: T, fetched: Fetched<T>) => ReactNode;
  toolbar?: ReactNode;
}

/**
 * The four states every data view has: loading, a TrueLayer error explained with its trace id,
 * empty, and the data, with when it was fetched, its trace ids and the raw JSON toggle.
 */
export function FetchedPanel<T>({
  result,
  testId,
  loadingLabel,
  isEmpty,
  empty,
  children,
  toolbar,
}: FetchedPanelProps<T>) {
  const { maskJson } = usePresenter();
  const now = useNow(30_000);

  if (result.status === 'loading') {
    return (
      <div data-testid={`${testId}-loading`}>
        <LoadingPanel label={loadingLabel} />
      </div>
    );
  }
  if (result.status === 'error' && result.error) {
    return <IpcErrorPanel error={result.error.toPayload()} onRetry={result.reload} data-testid={`${testId}-error`} />;
  }
  const fetched = result.data;
  if (!fetched) return null;

  return (
    <div className="stack">
      <div className="panel-toolbar">
        <span className="muted">
          Fetched {formatAgo(fetched.fetchedAt, now)}
          {fetched.traceIds.length > 0 && (
            <>
              {' '}
              · trace <span className="mono">{fetched.traceIds[0]}</span>
              {fetched.traceIds.length > 1 && ` +${fetched.traceIds.length - 1}`}
            </>
          )}
        </span>
        <span className="row">
          {toolbar}
          <Button
            size="sm"
            variant="ghost"
            icon="refresh"
            loading={result.reloading}
            onClick={result.reload}
            data-testid={`${testId}-refresh`}
          >
            Refresh
          </Button>
        </span>
      </div>
      {isEmpty(fetched.data) ? (
        <div data-testid={`${testId}-empty`}>{empty}</div>
      ) : (
        <div data-testid={`${testId}-data`}>{children(fetched.data, fetched)}</div>
      )}
      <RawJson value={fetched.raw} mapString={maskJson} />
    </div>
  );
}
