import { modLabel } from '../../hooks/useHotkey';
import { Card, Kbd } from '../shared';
import './app.css';

const SHORTCUTS: [string[], string][] = [
  [[modLabel, 'K'], 'Command palette: go to or do anything'],
  [[modLabel, 'Shift', 'L'], 'Link an account'],
  [[modLabel, 'Shift', 'P'], 'Presenter mode on/off'],
  [[modLabel, ','], 'Settings'],
  [[modLabel, 'Shift', 'K'], 'Request inspector'],
  [['Alt', '1…9'], 'Switch tab on a connection'],
  [['←', '→'], 'Move between tabs'],
];

export function ShortcutsCard() {
  return (
    <Card title="Keyboard shortcuts">
      <ul className="shortcuts">
        {SHORTCUTS.map(([keys, what]) => (
          <li key={what}>
            <span>{what}</span>
            <span className="row">
              {keys.map((k) => (
                <Kbd key={k}>{k}</Kbd>
              ))}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
