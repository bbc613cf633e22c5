import { useAppData } from '../components/app/useAppData';
import { EmptyState, LoadingPanel } from '../components/shared';
import { HolderVerificationPanel } from '../components/verification/HolderVerificationPanel';

/** Account holder verification v3 and bank lookup, in the active environment. */
export function HolderView() {
  const { activeEnvironment, environments } = useAppData();
  if (environments.status === 'loading') return <LoadingPanel label="Loading environments…" />;
  if (!activeEnvironment) {
    return (
      <EmptyState icon="settings" title="No environment selected">
        <p>Pick an environment first: verification runs with its client and its signing key.</p>
      </EmptyState>
    );
  }
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Account holder verification</h1>
          <p className="secondary">
            Does a name match an account's holder, in {activeEnvironment.name}? Requests are signed with the
            environment's key (Settings).
          </p>
        </div>
      </header>
      <HolderVerificationPanel key={activeEnvironment.id} environment={activeEnvironment} />
    </div>
  );
}
