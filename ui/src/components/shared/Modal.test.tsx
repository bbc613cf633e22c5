import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { Menu } from './Menu';
import { Modal } from './Modal';

function Harness() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)}>Forget</button>
      <Modal open={open} title="Forget this connection?" onClose={() => setOpen(false)}>
        <input aria-label="Type the label" />
      </Modal>
    </>
  );
}

describe('the modal', () => {
  it('is a modal <dialog>: focus moves into it, Escape closes it and focus returns to its opener', async () => {
    render(<Harness />);
    const opener = screen.getByText('Forget');
    await userEvent.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Forget this connection?' });
    expect(dialog.tagName).toBe('DIALOG');
    expect(dialog).toHaveAttribute('open');
    expect(document.activeElement).toBe(screen.getByLabelText('Type the label'));
    dialog.dispatchEvent(new Event('cancel', { cancelable: true }));
    await screen.findByText('Forget');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});

describe('the menu', () => {
  it('opens on its first item, moves with arrows, and Escape returns focus to its button', async () => {
    const chosen: string[] = [];
    render(
      <Menu
        label="More"
        items={['refresh', 'extend', 'forget'].map((id) => ({ id, label: id, onSelect: () => chosen.push(id) }))}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'More' }));
    expect(document.activeElement).toHaveTextContent('refresh');
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}');
    expect(document.activeElement).toHaveTextContent('refresh');
    await userEvent.keyboard('{ArrowUp}{Enter}');
    expect(chosen).toEqual(['forget']);
    await userEvent.click(screen.getByRole('button', { name: 'More' }));
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'More' }));
  });
});
