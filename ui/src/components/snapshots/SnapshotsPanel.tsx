import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  compareSnapshots,
  deleteSnapshot,
  listSnapshots,
  takeSnapshot,
  toIpcError,
  type Connection,
  type SnapshotDiff,
  type SnapshotSummary,
} from '../../ipc';
import { queryKeys } from '../../query';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import { IpcErrorPanel } from '../errors/IpcErrorPanel';
import { Button, Card, EmptyState, Field, LoadingPanel, Select, TextInput } from '../shared';
import { lastDays } from '../transactions/DateRange';
import { SnapshotDiffView } from './SnapshotDiffView';
import './snapshots.css';

/** "After" in the compare form: another snapshot's id, or a fresh read. */
const NOW = 'now';

/**
 * A connection's snapshots: take one over a date range, list and delete them, and compare one
 * with a fresh read or with another (what changed is shown by {@link SnapshotDiffView}).
 */
export function SnapshotsPanel({ connection }: { connection: Connection }) {
  const queryClient = useQueryClient();
  const listKey = queryKeys.snapshots(connection.id);
  const list = useQuery({ queryKey: listKey, queryFn: () => listSnapshots(connection.id) });
  const [label, setLabel] = useState('');
  const [range, setRange] = useState(() => lastDays(30));
  const [base, setBase] = useState('');
  const [against, setAgainst] = useState(NOW);

  const take = useMutation({
    mutationFn: () => takeSnapshot({ connectionId: connection.id, label, from: range.from, to: range.to }),
    onSuccess: (taken) => {
      setLabel('');
      setBase(taken.id);
      setAgainst(NOW);
      void queryClient.invalidateQueries({ queryKey: listKey });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => deleteSnapshot(id),
    onSuccess: () => {
      compare.reset();
      void queryClient.invalidateQueries({ queryKey: listKey });
    },
  });
  const compare = useMutation<SnapshotDiff, unknown, { baseId: string; againstId: string | null }>({
    mutationFn: ({ baseId, againstId }) => compareSnapshots({ baseId, againstId: againstId ?? undefined }),
  });

  const snapshots = list.data ?? [];
  const chosenBase = snapshots.some((s) => s.id === base) ? base : (snapshots[0]?.id ?? '');
  const emptyRange = range.from === '' || range.to === '' || range.from > range.to;

  function submitTake(e: FormEvent) {
    e.preventDefault();
    take.mutate();
  }

  function submitCompare(e: FormEvent) {
    e.preventDefault();
    if (chosenBase === '') return;
    compare.mutate({ baseId: chosenBase, againstId: against === NOW ? null : against });
  }

  return (
    <div className="stack" data-testid="snapshots-panel">
      <Card
        title="Take a snapshot"
        subtitle="Keeps the accounts, cards, balances and settled transactions of a range, to see later what changed."
      >
        <form className="snapshot-form" onSubmit={submitTake}>
          <Field label="Name (optional)">
            {(id) => (
              <TextInput
                id={id}
                value={label}
                maxLength={100}
                placeholder="Before the release"
                onChange={(e) => setLabel(e.target.value)}
                data-testid="snapshot-label"
              />
            )}
          </Field>
          <Field label="From">
            {(id) => (
              <TextInput
                id={id}
                type="date"
                value={range.from}
                max={range.to}
                onChange={(e) => setRange({ ...range, from: e.target.value })}
                data-testid="snapshot-from"
              />
            )}
          </Field>
          <Field label="To">
            {(id) => (
              <TextInput
                id={id}
                type="date"
                value={range.to}
                min={range.from}
                onChange={(e) => setRange({ ...range, to: e.target.value })}
                data-testid="snapshot-to"
              />
            )}
          </Field>
          <Button
            type="submit"
            variant="primary"
            icon="download"
            loading={take.isPending}
            disabled={emptyRange}
            data-testid="snapshot-take"
          >
            Take snapshot
          </Button>
        </form>
        {emptyRange && <p className="field-hint">Choose a start date on or before the end date.</p>}
      </Card>
      {take.isError && <IpcErrorPanel error={toIpcError(take.error).toPayload()} data-testid="snapshot-take-error" />}

      <Card title="Snapshots" subtitle="Newest first. Deleted with their connection." flush>
        {list.isPending ? (
          <LoadingPanel label="Loading snapshots…" />
        ) : list.isError ? (
          <IpcErrorPanel error={toIpcError(list.error).toPayload()} onRetry={() => void list.refetch()} />
        ) : snapshots.length === 0 ? (
          <EmptyState icon="clock" title="No snapshots yet" compact>
            <p>Take one now, change something (or wait a day), then compare.</p>
          </EmptyState>
        ) : (
          <SnapshotTable
            snapshots={snapshots}
            deleting={remove.isPending ? remove.variables : undefined}
            onCompareNow={(id) => {
              setBase(id);
              setAgainst(NOW);
              compare.mutate({ baseId: id, againstId: null });
            }}
            onDelete={(id) => remove.mutate(id)}
          />
        )}
      </Card>
      {remove.isError && <IpcErrorPanel error={toIpcError(remove.error).toPayload()} />}

      {snapshots.length > 0 && (
        <Card title="Compare" subtitle="What changed from the older side (before) to the newer one (after).">
          <form className="snapshot-form" onSubmit={submitCompare}>
            <Field label="Before">
              {(id) => (
                <Select id={id} value={chosenBase} onChange={(e) => setBase(e.target.value)} data-testid="compare-base">
                  {snapshots.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.label}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label="After">
              {(id) => (
                <Select
                  id={id}
                  value={against}
                  onChange={(e) => setAgainst(e.target.value)}
                  data-testid="compare-against"
                >
                  <option value={NOW}>Now (a fresh read)</option>
                  {snapshots
                    .filter((s) => s.id !== chosenBase)
                    .map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.label}
                      </option>
                    ))}
                </Select>
              )}
            </Field>
            <Button type="submit" variant="primary" loading={compare.isPending} data-testid="compare-run">
              Compare
            </Button>
          </form>
        </Card>
      )}
      {compare.isError && <IpcErrorPanel error={toIpcError(compare.error).toPayload()} data-testid="compare-error" />}
      {compare.data && !compare.isPending && <SnapshotDiffView diff={compare.data} />}
    </div>
  );
}

function SnapshotTable({
  snapshots,
  deleting,
  onCompareNow,
  onDelete,
}: {
  snapshots: SnapshotSummary[];
  deleting: string | undefined;
  onCompareNow: (id: string) => void;
  onDelete: (id: string) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="snapshot-list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Taken</th>
            <th>Transactions from</th>
            <th className="right">Accounts</th>
            <th className="right">Cards</th>
            <th className="right">Transactions</th>
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {snapshots.map((s) => (
            <tr key={s.id} data-testid={`snapshot-row-${s.id}`}>
              <td>{s.label}</td>
              <td>{formatDateTime(s.takenAt)}</td>
              <td>
                {formatDate(s.from)} – {formatDate(s.to)}
              </td>
              <td className="right num">{formatNumber(s.accounts)}</td>
              <td className="right num">{formatNumber(s.cards)}</td>
              <td className="right num">{formatNumber(s.transactions)}</td>
              <td className="right snapshot-actions">
                <Button size="sm" onClick={() => onCompareNow(s.id)} data-testid={`snapshot-compare-now-${s.id}`}>
                  Compare with now
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  icon="trash"
                  loading={deleting === s.id}
                  aria-label={`Delete ${s.label}`}
                  onClick={() => onDelete(s.id)}
                  data-testid={`snapshot-delete-${s.id}`}
                >
                  Delete
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
