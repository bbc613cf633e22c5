import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Tabs } from './Tabs';

const items = ['overview', 'accounts', 'cards', 'identity', 'requests'].map((id) => ({ id, label: id }));

function Harness() {
  const [tab, setTab] = useState('overview');
  return <Tabs label="Connection data" items={items} value={tab} onChange={setTab} />;
}

/** jsdom lays nothing out: give the strip a width, a content width and a scroll position. */
function layOut(strip: HTMLElement, clientWidth: number, scrollWidth: number) {
  Object.defineProperty(strip, 'clientWidth', { configurable: true, value: clientWidth });
  Object.defineProperty(strip, 'scrollWidth', { configurable: true, value: scrollWidth });
}

describe('the tabs', () => {
  const original = HTMLElement.prototype.scrollIntoView;
  afterEach(() => {
    HTMLElement.prototype.scrollIntoView = original;
  });

  it('fade the end that hides tabs, and say so again as the strip scrolls', () => {
    render(<Harness />);
    const strip = screen.getByRole('tablist');
    const frame = strip.parentElement as HTMLElement;
    expect(frame.className).toBe('tabs-frame');
    layOut(strip, 300, 700);
    fireEvent.scroll(strip);
    expect(frame).toHaveClass('tabs-more-after');
    expect(frame).not.toHaveClass('tabs-more-before');
    strip.scrollLeft = 200;
    fireEvent.scroll(strip);
    expect(frame).toHaveClass('tabs-more-before', 'tabs-more-after');
    strip.scrollLeft = 400;
    fireEvent.scroll(strip);
    expect(frame).toHaveClass('tabs-more-before');
    expect(frame).not.toHaveClass('tabs-more-after');
  });

  it('scroll the selected tab into view, by click or by keyboard', async () => {
    const seen: string[] = [];
    HTMLElement.prototype.scrollIntoView = function (this: HTMLElement) {
      seen.push(this.id);
    };
    render(<Harness />);
    await userEvent.click(screen.getByRole('tab', { name: 'cards' }));
    await act(async () => {
      await userEvent.keyboard('{End}');
    });
    expect(screen.getByRole('tab', { name: 'requests' })).toHaveAttribute('aria-selected', 'true');
    expect(seen).toEqual(['tab-overview', 'tab-cards', 'tab-requests']);
  });
});
