import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button } from './Button';
import { ErrorPanel } from './ErrorPanel';

interface Props {
  /** What the boundary wraps, named in the message ("this view", "Linkscope"). */
  area: string;
  children: ReactNode;
  /** Changing this value clears a caught error (e.g. the route, so navigating away recovers). */
  resetKey?: unknown;
}

interface State {
  error: Error | null;
  resetKey: unknown;
}

/**
 * Catches a render error below it and shows what failed with a way out, instead of React
 * unmounting everything and leaving a blank window.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.resetKey ? null : { error: null, resetKey: props.resetKey };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Linkscope: ${this.props.area} failed to render`, error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="error-boundary">
        <ErrorPanel
          data-testid="render-error"
          title={`Something went wrong in ${this.props.area}`}
          message={error.message || String(error)}
          nextStep="Nothing was lost: your connections and tokens are stored by the app's core. Try again, or open another view."
          actions={
            <Button variant="secondary" onClick={() => this.setState({ error: null })}>
              Try again
            </Button>
          }
        >
          {error.stack !== undefined && (
            <details className="error-boundary-details">
              <summary>Technical details (for a support ticket)</summary>
              <pre data-testid="render-error-stack">{error.stack}</pre>
            </details>
          )}
        </ErrorPanel>
      </div>
    );
  }
}
