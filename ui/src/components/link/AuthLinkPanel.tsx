import { useMemo } from 'react';
import type { IpcErrorPayload, LinkPreview } from '../../ipc';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Button, Card, CopyButton, Countdown } from '../shared';
import { LinkFindings } from './LinkFindings';
import { QrCode } from './QrCode';
import './link.css';

export interface AuthLinkPanelProps {
  preview: LinkPreview;
  opening: boolean;
  openError: IpcErrorPayload | null;
  onOpen: () => void;
  onWaitWithoutOpening: () => void;
  /** Shown as a back button when given (the wizard has none: its choices sit above the link). */
  onBack?: () => void;
  backLabel?: string;
}

/**
 * The link before it opens: the URL (rebuilt live as the choices change), its state, a copy
 * button, a QR code, and the linter's findings.
 */
export function AuthLinkPanel({
  preview,
  opening,
  openError,
  onOpen,
  onWaitWithoutOpening,
  onBack,
  backLabel = 'Change choices',
}: AuthLinkPanelProps) {
  const params = useMemo(() => {
    try {
      return [...new URL(preview.url).searchParams.entries()];
    } catch {
      return [];
    }
  }, [preview.url]);
  const blocking = preview.findings.some((f) => f.severity === 'error');

  return (
    <div className="stack">
      <Card
        data-testid="auth-link-card"
        title="Auth link"
        subtitle={
          <>
            Single use · expires <Countdown to={preview.expiresAt} /> · redirects to <code>{preview.redirectUri}</code>{' '}
            · state <code data-testid="auth-link-state">{preview.state}</code>
          </>
        }
      >
        <div className="auth-link-layout">
          <div className="stack grow">
            <div className="url-box">
              <code className="url-box-text" data-testid="auth-link-url">
                {preview.url}
              </code>
              <div className="url-box-actions">
                <CopyButton value={preview.url} label="Copy link" data-testid="auth-link-copy" />
              </div>
            </div>
            <div className="stack-sm">
              <h3>Linter</h3>
              <LinkFindings findings={preview.findings} />
            </div>
            {params.length > 0 && (
              <details className="params">
                <summary>Parameters ({params.length})</summary>
                <table className="kv-table">
                  <tbody>
                    {params.map(([k, v], i) => (
                      <tr key={`${k}-${i}`}>
                        <th scope="row" className="mono">
                          {k}
                        </th>
                        <td className="mono">{v}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            )}
          </div>
          <div className="qr-wrap">
            <QrCode value={preview.url} label="QR code of the auth link" />
            <span className="muted qr-caption">Scan to open on a phone</span>
          </div>
        </div>
      </Card>

      {openError && (
        <IpcErrorPanel error={openError} onRetry={onOpen} retryLabel="Open again" data-testid="link-error" />
      )}

      <div className="wizard-actions">
        {onBack && (
          <Button variant="ghost" icon="arrowLeft" onClick={onBack}>
            {backLabel}
          </Button>
        )}
        <span className="grow" />
        <Button variant="secondary" onClick={onWaitWithoutOpening} data-testid="wait-without-opening">
          I’ll open it myself
        </Button>
        <Button
          variant="primary"
          icon="external"
          loading={opening}
          onClick={onOpen}
          data-testid="open-in-browser"
          title={blocking ? 'The linter found errors; the bank will probably refuse this link.' : undefined}
        >
          Open in browser
        </Button>
      </div>
    </div>
  );
}
