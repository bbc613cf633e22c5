import type { AccountWithBalance } from '../../ipc';
import { Select } from '../shared';

export interface AccountPickerProps {
  accounts: AccountWithBalance[];
  value: string | null;
  onChange: (accountId: string) => void;
  testId?: string;
}

/** Chooses one of the connection's accounts (for the per-account views). */
export function AccountPicker({ accounts, value, onChange, testId = 'account-picker' }: AccountPickerProps) {
  return (
    <Select aria-label="Account" value={value ?? ''} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      {accounts.map((a) => (
        <option key={a.account.accountId} value={a.account.accountId}>
          {a.account.displayName}
          {a.account.number ? ` · ${a.account.number.slice(-4)}` : ''}
        </option>
      ))}
    </Select>
  );
}
