import { act, render, screen } from '@testing-library/react';
import { useEffect } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ToastProvider, useToast, type ToastTone } from './Toast';

const toasts: { show: (message: string, tone?: ToastTone) => void } = { show: () => undefined };
const show = (message: string, tone?: ToastTone) => toasts.show(message, tone);

function Grab() {
  const api = useToast();
  useEffect(() => {
    toasts.show = api.show;
  }, [api]);
  return null;
}

describe('toasts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    render(
      <ToastProvider>
        <Grab />
      </ToastProvider>,
    );
  });
  afterEach(() => vi.useRealTimers());

  it('lets a note fade after four seconds but keeps an error until it is dismissed', () => {
    act(() => show('Copied', 'success'));
    act(() => show('The bank refused: provider_error', 'danger'));
    act(() => vi.advanceTimersByTime(60_000));
    expect(screen.queryByText('Copied')).toBeNull();
    expect(screen.getByRole('alert')).toHaveTextContent('provider_error');
    act(() => screen.getByRole('button', { name: 'Dismiss' }).click());
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('never drops an error to make room for newer notes', () => {
    act(() => show('Keychain unavailable', 'danger'));
    for (let i = 0; i < 6; i++) act(() => show(`note ${i}`));
    expect(screen.getByRole('alert')).toHaveTextContent('Keychain unavailable');
    expect(screen.getAllByRole('status')).toHaveLength(3);
    expect(screen.getByText('note 5')).toBeInTheDocument();
  });
});
