import { useAppData } from '../components/app/useAppData';
import { EmptyState, LoadingPanel } from '../components/shared';
import { SandboxControls } from '../components/workbench/SandboxControls';
import { ScenarioRunner } from '../components/workbench/ScenarioRunner';

/** The QA workbench for the active environment: the scenario runner and the sandbox's controls. */
export function WorkbenchView() {
  const { activeEnvironment, environments } = useAppData();
  if (environments.status === 'loading') return <LoadingPanel label="Loading environments…" />;
  if (!activeEnvironment || activeEnvironment.isLive || activeEnvironment.kind === 'truelayer_sandbox') {
    return (
      <EmptyState icon="settings" title="The workbench needs a Linkscope sandbox">
        <p>
          Switch to the built-in sandbox, or to a custom environment pointing at linkscope-sandbox: it links mock users
          without a browser and has a clock and faults.
        </p>
      </EmptyState>
    );
  }
  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>QA workbench</h1>
          <p className="secondary">
            Every mock user, every endpoint, every expected outcome, in {activeEnvironment.name}.
          </p>
        </div>
      </header>
      <div className="stack">
        <ScenarioRunner key={`runner-${activeEnvironment.id}`} environment={activeEnvironment} />
        <SandboxControls key={`controls-${activeEnvironment.id}`} environment={activeEnvironment} />
      </div>
    </div>
  );
}
