import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { JsonTree } from './JsonTree';

const value = { results: [{ account_id: 'a1', currency: 'GBP' }], status: 'Succeeded' };

describe('the JSON tree', () => {
  it('is walked with tree keys: down, right into an object, left out of it and closed', async () => {
    render(<JsonTree value={value} expandDepth={1} />);
    const root = screen.getAllByRole('treeitem')[0] as HTMLElement;
    expect(root).toHaveAttribute('tabindex', '0');
    root.focus();
    await userEvent.keyboard('{ArrowDown}');
    const results = document.activeElement as HTMLElement;
    expect(results).toHaveAttribute('aria-expanded', 'false');
    expect(results).toHaveTextContent('results');
    await userEvent.keyboard('{ArrowRight}');
    expect(results).toHaveAttribute('aria-expanded', 'true');
    await userEvent.keyboard('{ArrowRight}{ArrowRight}{ArrowRight}');
    expect(document.activeElement).toHaveTextContent('account_id: "a1"');
    await userEvent.keyboard('{ArrowLeft}{ArrowLeft}{ArrowLeft}'); // to its object, closing it, out to results
    expect(document.activeElement).toBe(results);
    await userEvent.keyboard('{Enter}');
    expect(results).toHaveAttribute('aria-expanded', 'false');
    await userEvent.keyboard('{End}');
    expect(document.activeElement).toHaveTextContent('status: "Succeeded"');
    expect(document.querySelectorAll('[role="treeitem"][tabindex="0"]')).toHaveLength(1);
  });
});
