import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as ipc from '../../ipc';
import { formatDay } from '../../lib/format';
import { connection, fetchedOf, tlError } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import { IdentityPanel } from './IdentityPanel';

vi.mock('../../ipc', async () => (await import('../../test/ipcMock')).ipcMockModule());

const john = {
  fullName: 'John Doe',
  dateOfBirth: '1980-04-01',
  emails: ['john@example.com'],
  phones: ['+447700900123'],
  addresses: [{ address: '1 Market St', city: 'London', state: null, zip: 'SW1A 1AA', country: 'GB' }],
  updateTimestamp: null,
};

describe('the identity view', () => {
  beforeEach(() => vi.mocked(ipc.listConnections).mockResolvedValue([]));

  it('shows loading, then the holder’s details', async () => {
    let answer: (v: ReturnType<typeof fetchedOf<(typeof john)[]>>) => void = () => undefined;
    vi.mocked(ipc.getIdentity).mockReturnValue(new Promise((r) => (answer = r)));
    renderInApp(<IdentityPanel connection={connection} onReconsent={vi.fn()} />);
    expect(screen.getByTestId('identity-loading')).toBeInTheDocument();
    answer(fetchedOf([john]));
    const data = await screen.findByTestId('identity-data');
    expect(data).toHaveTextContent('John Doe');
    expect(data).toHaveTextContent('john@example.com');
    expect(data).toHaveTextContent('1 Market St, London, SW1A 1AA, GB');
    // A day in the user's locale, not TrueLayer's ISO form.
    expect(data).toHaveTextContent(formatDay('1980-04-01'));
    expect(data).not.toHaveTextContent('1980-04-01');
  });

  it('masks every personal field in presenter mode', async () => {
    vi.mocked(ipc.getIdentity).mockResolvedValue(fetchedOf([john]));
    renderInApp(<IdentityPanel connection={connection} onReconsent={vi.fn()} />);
    const data = await screen.findByTestId('identity-data');
    await userEvent.keyboard('{Control>}{Shift>}P{/Shift}{/Control}');
    for (const secret of ['John Doe', 'john@example.com', formatDay('1980-04-01'), '+447700900123', 'Market']) {
      expect(data).not.toHaveTextContent(secret);
    }
  });

  it('treats an answer without any detail as empty', async () => {
    vi.mocked(ipc.getIdentity).mockResolvedValue(
      fetchedOf([{ fullName: null, dateOfBirth: null, emails: [], phones: [], addresses: [], updateTimestamp: null }]),
    );
    renderInApp(<IdentityPanel connection={connection} onReconsent={vi.fn()} />);
    expect(await screen.findByTestId('identity-empty')).toHaveTextContent('No identity returned');
  });

  it('explains the error of a locked account', async () => {
    vi.mocked(ipc.getIdentity).mockRejectedValue(tlError('account_temporarily_locked', 'The account is locked.', 403));
    renderInApp(<IdentityPanel connection={connection} onReconsent={vi.fn()} />);
    const error = await screen.findByTestId('identity-error');
    expect(error).toHaveTextContent('The account is temporarily locked at the bank');
    expect(error).toHaveTextContent('trace-account_temporarily_locked');
  });
});
