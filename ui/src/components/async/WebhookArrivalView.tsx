// How a webhook that reached the app's listener is shown: its signature check and, folded, its
// headers and body. Used by the async timeline and the v3 verification result.
import type { WebhookArrival, WebhookSignature } from '../../ipc';
import { Badge, JsonTree } from '../shared';

/** "Signature valid" (with its key), "Signature invalid" with the reason, or being checked. */
export function WebhookSignatureBadge({ signature }: { signature: WebhookSignature }) {
  switch (signature.kind) {
    case 'checking':
      return <Badge data-testid="async-signature">Checking signature…</Badge>;
    case 'valid':
      return (
        <Badge tone="success" dot title={`key ${signature.kid} from ${signature.jku}`} data-testid="async-signature">
          Signature valid
        </Badge>
      );
    case 'invalid':
      return (
        <>
          <Badge tone="danger" dot data-testid="async-signature">
            Signature invalid
          </Badge>
          <span className="async-reason" data-testid="async-signature-reason">
            {signature.reason}
          </span>
        </>
      );
  }
}

/** A webhook's headers and body, folded. */
export function WebhookDetails({ webhook }: { webhook: WebhookArrival }) {
  return (
    <details className="async-webhook">
      <summary>Headers and body</summary>
      <table className="kv-table">
        <tbody>
          {webhook.headers.map(([name, value], i) => (
            <tr key={i}>
              <th scope="row">{name}</th>
              <td className="mono">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <JsonTree value={webhook.body} />
    </details>
  );
}
