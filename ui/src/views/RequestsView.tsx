import { RequestInspector } from '../components/requests/RequestInspector';
import './views.css';

/** The request inspector across all connections. */
export function RequestsView() {
  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>Request inspector</h1>
          <p className="secondary">
            Every exchange with TrueLayer, redacted before it was stored. Trace ids are what TrueLayer support asks for.
          </p>
        </div>
      </header>
      <RequestInspector connectionId={null} />
    </div>
  );
}
