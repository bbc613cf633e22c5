import { revealLog, toIpcError } from '../../ipc';
import { Badge, Button, Card, DataList, LoadingPanel, useToast } from '../shared';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { useAppData } from './useAppData';

/** What this build is and where it keeps things, with "Reveal log" for support tickets. */
export function AboutCard() {
  const { appInfo } = useAppData();
  const toast = useToast();
  const info = appInfo.data;
  const reveal = () => revealLog().catch((reason: unknown) => toast.show(toIpcError(reason).message, 'danger'));
  return (
    <Card
      title="About this build"
      actions={
        <Button size="sm" variant="secondary" icon="external" onClick={() => void reveal()} data-testid="reveal-log">
          Reveal log
        </Button>
      }
    >
      {appInfo.status === 'loading' ? (
        <LoadingPanel />
      ) : appInfo.status === 'error' && appInfo.error ? (
        <IpcErrorPanel error={appInfo.error.toPayload()} onRetry={appInfo.reload} />
      ) : info ? (
        <DataList
          columns={1}
          items={[
            { label: 'Version', value: `${info.version} (${info.build})` },
            { label: 'Deep-link scheme', value: `${info.deepLinkScheme}://`, mono: true },
            {
              label: 'Keychain',
              value: info.keychain.available ? (
                <Badge tone="success">Available</Badge>
              ) : (
                <span className="row wrap">
                  <Badge tone="warning">Unavailable</Badge> <span className="muted">{info.keychain.detail}</span>
                </span>
              ),
            },
            { label: 'Data directory', value: info.dataDir, mono: true },
          ]}
        />
      ) : null}
    </Card>
  );
}
