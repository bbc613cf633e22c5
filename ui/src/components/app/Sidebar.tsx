import type { Route } from '../../hooks/useRoute';
import { ConnectionsList } from '../connections/ConnectionsList';
import { EnvironmentSwitcher } from '../environments/EnvironmentSwitcher';
import { Button, Icon } from '../shared';
import { LogoMark } from './LogoMark';
import { PresenterToggle } from './PresenterToggle';
import { ThemeToggle } from './ThemeToggle';
import { useAppData } from './useAppData';
import './app.css';

export interface SidebarProps {
  route: Route;
  navigate: (route: Route) => void;
}

export function Sidebar({ route, navigate }: SidebarProps) {
  const { appInfo, connections } = useAppData();
  const count = connections.data?.length ?? 0;
  const info = appInfo.data;

  return (
    <aside className="sidebar" aria-label="Linkscope">
      <div className="sidebar-brand">
        <LogoMark />
        <span className="sidebar-brand-name">Linkscope</span>
      </div>

      <EnvironmentSwitcher />

      <Button
        variant="primary"
        icon="plus"
        className="sidebar-link-button"
        onClick={() => navigate({ view: 'link', providerId: null })}
        data-testid="link-account-button"
      >
        Link an account
      </Button>

      <div className="sidebar-section">
        <div className="sidebar-section-title">
          <span>Connections</span>
          {count > 0 && <span className="sidebar-count">{count}</span>}
        </div>
        <ConnectionsList
          selectedId={route.view === 'connection' ? route.id : null}
          onSelect={(c) => navigate({ view: 'connection', id: c.id, tab: 'accounts', sub: null })}
        />
      </div>

      <nav className="sidebar-nav" aria-label="App">
        <button
          type="button"
          className={route.view === 'workbench' ? 'nav-item nav-item-active' : 'nav-item'}
          onClick={() => navigate({ view: 'workbench' })}
          data-testid="nav-workbench"
        >
          <Icon name="check" /> QA workbench
        </button>
        <button
          type="button"
          className={route.view === 'holder' ? 'nav-item nav-item-active' : 'nav-item'}
          onClick={() => navigate({ view: 'holder' })}
          data-testid="nav-holder"
        >
          <Icon name="shield" /> Verify account holder
        </button>
        <button
          type="button"
          className={route.view === 'requests' ? 'nav-item nav-item-active' : 'nav-item'}
          onClick={() => navigate({ view: 'requests' })}
          data-testid="nav-requests"
        >
          <Icon name="list" /> Request inspector
        </button>
        <button
          type="button"
          className={route.view === 'settings' ? 'nav-item nav-item-active' : 'nav-item'}
          onClick={() => navigate({ view: 'settings' })}
          data-testid="nav-settings"
        >
          <Icon name="settings" /> Settings
        </button>
      </nav>

      <footer className="sidebar-footer">
        <span
          className="sidebar-version"
          data-testid="app-info-version"
          title={info ? `${info.build} build` : undefined}
        >
          {info
            ? `v${info.version}${info.build === 'dev' ? ' · dev' : ''}`
            : appInfo.status === 'error'
              ? 'core unreachable'
              : '…'}
        </span>
        <span className="row">
          <PresenterToggle />
          <ThemeToggle />
        </span>
      </footer>
    </aside>
  );
}
