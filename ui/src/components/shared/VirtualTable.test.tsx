import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { VirtualTable, type Column } from './VirtualTable';

interface Row {
  n: number;
}
const columns: Column<Row>[] = [{ key: 'n', header: 'N', width: '1fr', render: (r) => `row ${r.n}` }];

describe('the virtual table', () => {
  it('draws only the rows in view even with 100,000 of them', () => {
    render(
      <VirtualTable
        label="t"
        columns={columns}
        rowCount={100_000}
        getRow={(i) => ({ n: i })}
        rowKey={(r) => String(r.n)}
        data-testid="vt"
      />,
    );
    const drawn = screen.getAllByRole('row').length - 1;
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(60);
    expect(screen.getByText('row 0')).toBeInTheDocument();
    expect(screen.queryByText('row 99999')).not.toBeInTheDocument();
  });

  it('draws the last rows once scrolled to the end, and asks for them', () => {
    const onRangeChange = vi.fn();
    render(
      <VirtualTable
        label="t"
        columns={columns}
        rowCount={100_000}
        getRow={(i) => ({ n: i })}
        rowKey={(r) => String(r.n)}
        onRangeChange={onRangeChange}
        data-testid="vt"
      />,
    );
    const viewport = screen.getByTestId('vt-viewport');
    viewport.scrollTop = 100_000 * 36;
    fireEvent.scroll(viewport);
    expect(screen.getByText('row 99999')).toBeInTheDocument();
    expect(onRangeChange).toHaveBeenLastCalledWith(expect.any(Number), 99_999);
  });

  it('draws a placeholder for a row that has not loaded yet', () => {
    render(
      <VirtualTable
        label="t"
        columns={columns}
        rowCount={3}
        getRow={(i) => (i === 1 ? undefined : { n: i })}
        rowKey={(r) => String(r.n)}
      />,
    );
    expect(screen.getByText('row 0')).toBeInTheDocument();
    expect(screen.queryByText('row 1')).not.toBeInTheDocument();
    expect(document.querySelectorAll('.vt-row-placeholder')).toHaveLength(1);
  });

  it('moves between rows and opens one with the keyboard alone, scrolling the row into view', async () => {
    const opened = vi.fn();
    render(
      <VirtualTable
        label="t"
        columns={columns}
        rowCount={1_000}
        getRow={(i) => ({ n: i })}
        rowKey={(r) => String(r.n)}
        onRowClick={(r) => opened(r.n)}
        data-testid="vt"
      />,
    );
    const first = screen.getByText('row 0').closest('[role="row"]') as HTMLElement;
    expect(first).toHaveAttribute('tabindex', '0');
    first.focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(opened).toHaveBeenLastCalledWith(2);
    expect(document.activeElement).toHaveTextContent('row 2');
    await userEvent.keyboard('{End}');
    expect(document.activeElement).toHaveTextContent('row 999');
    expect(screen.getByTestId('vt-viewport').scrollTop).toBeGreaterThan(900 * 36);
    await userEvent.keyboard(' ');
    expect(opened).toHaveBeenLastCalledWith(999);
    expect(document.querySelectorAll('[role="row"][tabindex="0"]')).toHaveLength(1);
  });

  it('keeps the focused row drawn when the mouse scrolls far away from it', async () => {
    render(
      <VirtualTable
        label="t"
        columns={columns}
        rowCount={100_000}
        getRow={(i) => ({ n: i })}
        rowKey={(r) => String(r.n)}
        onRowClick={() => undefined}
        data-testid="vt"
      />,
    );
    (screen.getByText('row 0').closest('[role="row"]') as HTMLElement).focus();
    await userEvent.keyboard('{ArrowDown}');
    const viewport = screen.getByTestId('vt-viewport');
    viewport.scrollTop = 50_000 * 36;
    fireEvent.scroll(viewport);
    expect(screen.getByText('row 50000')).toBeInTheDocument();
    expect(document.activeElement).toHaveTextContent('row 1');
  });
});
