import { act, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { endActivity, onActivityEnded, reportActivity, trackActivity, updateActivity } from '../../activity';
import { renderWithQueries } from '../../test/render';
import { ActivityIndicator, describeActivity } from './ActivityIndicator';

describe('the activity indicator', () => {
  it('announces a reported job with its progress, politely, and empties when it ends', () => {
    renderWithQueries(<ActivityIndicator />);
    const status = screen.getByRole('status');
    expect(status).toHaveAttribute('aria-live', 'polite');
    act(() => reportActivity('scenario:run-1', 'Scenario run', { done: 3, total: 12 }));
    expect(status.textContent).toBe('Scenario run 3/12…');
    act(() => updateActivity('scenario:run-1', { done: 4, total: 12 }));
    expect(status.textContent).toBe('Scenario run 4/12…');
    act(() => endActivity('scenario:run-1'));
    expect(status).toBeEmptyDOMElement();
  });

  it('counts the queries reading from core when no job runs', () => {
    expect(describeActivity([], 0, 0)).toBeNull();
    expect(describeActivity([], 1, 0)).toBe('Reading from core…');
    expect(describeActivity([], 2, 1)).toBe('Reading from core (3)…');
    const job = { id: 'a', label: 'Coverage matrix', progress: null, startedAt: 0 };
    expect(describeActivity([job, { ...job, id: 'b' }], 1, 0)).toBe('Coverage matrix… (+2 more)');
  });

  it('drops progress for a job that is not running, and tells listeners when a tracked job ends', async () => {
    updateActivity('coverage:gone', { done: 1, total: 2 });
    expect(describeActivity([], 0, 0)).toBeNull();
    const ended = vi.fn();
    const stop = onActivityEnded(ended);
    await expect(trackActivity('coverage:c1', 'Coverage matrix', Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(ended).toHaveBeenCalledWith(expect.objectContaining({ id: 'coverage:c1', label: 'Coverage matrix' }));
    stop();
  });
});
