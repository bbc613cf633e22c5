import { modLabel } from '../../hooks/useHotkey';
import { usePresenter } from '../presenter/usePresenter';
import { Icon } from '../shared';
import './app.css';

export function PresenterToggle() {
  const { on, toggle } = usePresenter();
  const hint = `Presenter mode ${on ? 'on' : 'off'}: masks personal data on screen and in copies (${modLabel}+Shift+P)`;
  return (
    <button
      type="button"
      className={on ? 'icon-btn icon-btn-active' : 'icon-btn'}
      aria-pressed={on}
      aria-label="Presenter mode"
      title={hint}
      onClick={toggle}
      data-testid="presenter-toggle"
    >
      <Icon name={on ? 'eyeOff' : 'eye'} />
    </button>
  );
}
