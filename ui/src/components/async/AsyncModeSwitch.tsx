import { Button, Switch } from '../shared';
import { useAsyncMode } from './useAsyncMode';
import './async.css';

export interface AsyncModeSwitchProps {
  connectionId: string;
  onShowTimeline: () => void;
}

/** The connection-wide "Async mode" switch every data view and the coverage matrix read through. */
export function AsyncModeSwitch({ connectionId, onShowTimeline }: AsyncModeSwitchProps) {
  const mode = useAsyncMode(connectionId);
  return (
    <div className="async-switch" data-testid="async-switch">
      <Switch
        checked={mode.enabled}
        disabled={mode.pending}
        onChange={mode.setEnabled}
        label="Async mode"
        description={
          mode.enabled
            ? `Data calls use async=true; webhooks come to ${mode.webhookUri ?? 'the loopback listener'}.`
            : 'Make every data call with async=true and a loopback webhook (not /me or /info).'
        }
        data-testid="async-mode-switch"
      />
      {mode.enabled && (
        <Button variant="ghost" size="sm" icon="clock" onClick={onShowTimeline} data-testid="async-show-timeline">
          Show the async timeline
        </Button>
      )}
      {mode.error && (
        <p className="async-error" role="alert">
          {mode.error.message}
        </p>
      )}
    </div>
  );
}
