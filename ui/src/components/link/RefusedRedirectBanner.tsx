import { useState } from 'react';
import { onLinkFailed, type IpcErrorPayload } from '../../ipc';
import { useSubscription } from '../../hooks/useSubscription';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Button } from '../shared';
import { isOwnSession } from './sessions';

/**
 * A redirect reached Linkscope (deep link or loopback) that no open link was waiting for, and core
 * refused it. Say so wherever the user is, since nothing else on screen is expecting it.
 */
export function RefusedRedirectBanner() {
  const [refused, setRefused] = useState<IpcErrorPayload | null>(null);
  useSubscription(onLinkFailed, (e) => {
    if (!isOwnSession(e.sessionId)) setRefused(e.error);
  });
  if (!refused) return null;
  return (
    <IpcErrorPanel
      error={refused}
      data-testid="link-error"
      nextStep="Nothing was saved. If you were linking an account, start again from “Link an account”."
      actions={
        <Button size="sm" variant="ghost" onClick={() => setRefused(null)} data-testid="link-error-dismiss">
          Dismiss
        </Button>
      }
    />
  );
}
