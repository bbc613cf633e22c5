import { Badge, Card, DataList, LoadingPanel } from '../shared';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { useAppData } from './useAppData';

export function AboutCard() {
  const { appInfo } = useAppData();
  const info = appInfo.data;
  return (
    <Card title="About this build">
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
