import { Banner } from '../shared';
import { useAppData } from './useAppData';
import './app.css';

/** The live interlock's constant reminder: this environment reaches real banks. */
export function LiveBanner() {
  const { activeEnvironment } = useAppData();
  if (!activeEnvironment?.isLive) return null;
  return (
    <Banner tone="live" icon="shield" data-testid="live-banner">
      <strong>Live environment · {activeEnvironment.name}</strong> — links reach real banks and show real customers’
      data. Connections are read-only unless unlocked.
    </Banner>
  );
}
