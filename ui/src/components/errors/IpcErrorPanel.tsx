import type { ReactNode } from 'react';
import type { IpcErrorPayload } from '../../ipc';
import { Button, CopyButton, ErrorPanel, JsonTree } from '../shared';
import { explainError } from './explain';
import './errors.css';

export interface IpcErrorPanelProps {
  error: IpcErrorPayload;
  onRetry?: () => void;
  retryLabel?: string;
  actions?: ReactNode;
  /** Overrides the generic next step when the screen knows better. */
  nextStep?: ReactNode;
  'data-testid'?: string;
}

/** An error from core, explained: what happened, what to do next, and its TrueLayer trace id. */
export function IpcErrorPanel({
  error,
  onRetry,
  retryLabel = 'Try again',
  actions,
  nextStep,
  ...rest
}: IpcErrorPanelProps) {
  const explanation = explainError(error);
  const detail = error.detail;
  const facts: { label: string; value: string; mono?: boolean }[] = [];
  if (detail?.status) facts.push({ label: 'HTTP status', value: String(detail.status), mono: true });
  if (detail?.tlError) facts.push({ label: 'TrueLayer error', value: detail.tlError, mono: true });
  if (detail?.traceId) facts.push({ label: 'Trace id', value: detail.traceId, mono: true });
  if (detail?.cause) facts.push({ label: 'Cause', value: detail.cause, mono: true });
  facts.push({ label: 'Code', value: error.code, mono: true });
  const raw = detail?.raw;

  return (
    <ErrorPanel
      title={explanation.title}
      message={error.message}
      nextStep={nextStep ?? explanation.nextStep}
      facts={facts}
      data-testid={rest['data-testid']}
      actions={
        onRetry || actions || detail?.traceId ? (
          <>
            {onRetry && (
              <Button size="sm" variant="secondary" icon="refresh" onClick={onRetry}>
                {retryLabel}
              </Button>
            )}
            {detail?.traceId && <CopyButton value={detail.traceId} label="Copy trace id" variant="ghost" />}
            {actions}
          </>
        ) : undefined
      }
    >
      {raw !== undefined && raw !== null && (
        <details className="error-raw" data-testid="error-raw">
          <summary>Raw response</summary>
          <JsonTree value={raw} expandDepth={3} />
        </details>
      )}
    </ErrorPanel>
  );
}
