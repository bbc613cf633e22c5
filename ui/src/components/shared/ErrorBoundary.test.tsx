import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from './ErrorBoundary';

function Exploding({ explode }: { explode: boolean }) {
  if (explode) throw new Error('accounts is undefined');
  return <p>fine</p>;
}

function Harness() {
  const [explode, setExplode] = useState(true);
  return (
    <>
      <button onClick={() => setExplode(false)}>fix</button>
      <ErrorBoundary area="this view">
        <Exploding explode={explode} />
      </ErrorBoundary>
    </>
  );
}

describe('the error boundary', () => {
  it('shows what failed instead of a blank window, and recovers on "Try again"', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    render(<Harness />);
    expect(screen.getByTestId('render-error')).toHaveTextContent('Something went wrong in this view');
    expect(screen.getByTestId('render-error')).toHaveTextContent('accounts is undefined');
    await userEvent.click(screen.getByText('fix'));
    await userEvent.click(screen.getByText('Try again'));
    expect(screen.getByText('fine')).toBeInTheDocument();
  });

  it('clears the error when its reset key changes (navigating away)', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { rerender } = render(
      <ErrorBoundary area="this view" resetKey="a">
        <Exploding explode />
      </ErrorBoundary>,
    );
    expect(screen.getByTestId('render-error')).toBeInTheDocument();
    rerender(
      <ErrorBoundary area="this view" resetKey="b">
        <Exploding explode={false} />
      </ErrorBoundary>,
    );
    expect(screen.getByText('fine')).toBeInTheDocument();
  });
});
