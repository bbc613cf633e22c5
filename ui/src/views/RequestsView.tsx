import { EmptyState } from '../components/shared';

export function RequestsView() {
  return <EmptyState title="Request inspector">Coming next.</EmptyState>;
}
