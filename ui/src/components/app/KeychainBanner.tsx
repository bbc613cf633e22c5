import { Banner } from '../shared';
import { useAppData } from './useAppData';
import './app.css';

/** Says so when secrets cannot be saved in the system keychain. */
export function KeychainBanner() {
  const { appInfo } = useAppData();
  const keychain = appInfo.data?.keychain;
  if (!keychain || keychain.available) return null;
  return (
    <Banner tone="warning" icon="key" data-testid="keychain-banner">
      <strong>Keychain unavailable</strong> — secrets are kept in memory for this session and connections are marked not
      saved.
      {keychain.detail && <span className="banner-detail"> {keychain.detail}</span>}
    </Banner>
  );
}
