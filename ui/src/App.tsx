import { useState } from 'react';
import './App.css';
import { AppDataProvider } from './components/app/AppDataProvider';
import { KeychainBanner } from './components/app/KeychainBanner';
import { LiveBanner } from './components/app/LiveBanner';
import { CommandPalette } from './components/palette/CommandPalette';
import { Sidebar } from './components/app/Sidebar';
import { useActivityEvents } from './components/app/useActivityEvents';
import { useMenuActions } from './components/app/useMenuActions';
import { useNotifications } from './components/app/useNotifications';
import { RefusedRedirectBanner } from './components/link/RefusedRedirectBanner';
import { PresenterProvider } from './components/presenter/PresenterProvider';
import { usePresenter } from './components/presenter/usePresenter';
import { Banner, ErrorBoundary, ToastProvider } from './components/shared';
import { useHotkey } from './hooks/useHotkey';
import { useRoute, type Route } from './hooks/useRoute';
import { ConnectionView } from './views/ConnectionView';
import { HolderView } from './views/HolderView';
import { HomeView } from './views/HomeView';
import { LinkView } from './views/LinkView';
import { RequestsView } from './views/RequestsView';
import { SettingsView } from './views/SettingsView';
import { WorkbenchView } from './views/WorkbenchView';
import { QueryProvider } from './query';

export function App() {
  return (
    <QueryProvider>
      <ToastProvider>
        <AppDataProvider>
          <PresenterProvider>
            <Shell />
          </PresenterProvider>
        </AppDataProvider>
      </ToastProvider>
    </QueryProvider>
  );
}

function Shell() {
  const [route, navigate] = useRoute();
  const presenter = usePresenter();
  const [palette, setPalette] = useState(false);
  useHotkey({ key: 'k', mod: true }, () => setPalette(true));
  useHotkey({ key: 'l', mod: true, shift: true }, () => navigate({ view: 'link', providerId: null }));
  useHotkey({ key: ',', mod: true }, () => navigate({ view: 'settings' }));
  useHotkey({ key: 'k', mod: true, shift: true }, () => navigate({ view: 'requests' }));
  useMenuActions({ route, navigate, openPalette: () => setPalette(true), togglePresenter: presenter.toggle });
  useActivityEvents();
  useNotifications();

  return (
    <div className={presenter.on ? 'app app-presenting' : 'app'}>
      <Sidebar route={route} navigate={navigate} />
      <main className="main">
        <div className="main-banners">
          <LiveBanner />
          <KeychainBanner />
          <RefusedRedirectBanner />
          {presenter.on && (
            <Banner tone="info" icon="eyeOff" data-testid="presenter-banner">
              Presenter mode: personal data is masked on screen, in copies and in exports.
            </Banner>
          )}
        </div>
        <ErrorBoundary area="this view" resetKey={JSON.stringify(route)}>
          <RouteView route={route} navigate={navigate} />
        </ErrorBoundary>
      </main>
      <CommandPalette open={palette} onClose={() => setPalette(false)} route={route} navigate={navigate} />
    </div>
  );
}

function RouteView({ route, navigate }: { route: Route; navigate: (route: Route) => void }) {
  switch (route.view) {
    case 'home':
      return <HomeView navigate={navigate} />;
    case 'link':
      return <LinkView providerId={route.providerId} renews={null} navigate={navigate} />;
    case 'reconsent':
      return <LinkView providerId={null} renews={route.id} navigate={navigate} />;
    case 'connection':
      return <ConnectionView id={route.id} tab={route.tab} sub={route.sub} navigate={navigate} />;
    case 'settings':
      return <SettingsView />;
    case 'requests':
      return <RequestsView />;
    case 'workbench':
      return <WorkbenchView />;
    case 'holder':
      return <HolderView />;
  }
}
