// Presenter-mode masking: personal data is replaced by bullets that keep the shape (and the last
// few digits where that helps tell accounts apart). Used on screen and for copies.

export type SensitiveKind = 'name' | 'number' | 'sortCode' | 'iban' | 'email' | 'phone' | 'address' | 'date' | 'text';

const DOT = '•';

function maskWord(word: string): string {
  if (word.length <= 1) return DOT;
  return word.charAt(0) + DOT.repeat(Math.min(word.length - 1, 6));
}

function keepLast(value: string, keep: number): string {
  const chars = [...value];
  let digitsSeen = 0;
  const totalDigits = chars.filter((c) => /[0-9A-Za-z]/.test(c)).length;
  return chars
    .map((c) => {
      if (!/[0-9A-Za-z]/.test(c)) return c;
      digitsSeen += 1;
      return digitsSeen > totalDigits - keep ? c : DOT;
    })
    .join('');
}

export function mask(kind: SensitiveKind, value: string): string {
  if (value.length === 0) return value;
  switch (kind) {
    case 'name':
      return value.split(/(\s+)/).map((w) => (/^\s+$/.test(w) ? w : maskWord(w))).join('');
    case 'number':
      return keepLast(value, 4);
    case 'sortCode':
      return keepLast(value, 2);
    case 'iban':
      return value.slice(0, 2) + keepLast(value.slice(2), 4);
    case 'email': {
      const at = value.indexOf('@');
      if (at < 1) return DOT.repeat(6);
      const domain = value.slice(at + 1);
      const tld = domain.includes('.') ? domain.slice(domain.lastIndexOf('.')) : '';
      return `${value.charAt(0)}${DOT.repeat(4)}@${DOT.repeat(4)}${tld}`;
    }
    case 'phone':
      return keepLast(value, 2);
    case 'date':
      return value.replace(/[0-9]/g, DOT);
    case 'address':
    case 'text':
      return DOT.repeat(Math.min(Math.max(value.length, 4), 12));
  }
}

/** JSON keys whose string values are personal data (raw JSON views in presenter mode). */
const SENSITIVE_KEYS: Record<string, SensitiveKind> = {
  full_name: 'name',
  fullname: 'name',
  name: 'name',
  name_on_card: 'name',
  nameoncard: 'name',
  first_name: 'name',
  firstname: 'name',
  last_name: 'name',
  lastname: 'name',
  account_holder_name: 'name',
  accountholdername: 'name',
  payee: 'name',
  counter_party_preferred_name: 'name',
  debtor_account_name: 'name',
  number: 'number',
  account_number: 'number',
  accountnumber: 'number',
  partial_card_number: 'number',
  cardnumber: 'number',
  sort_code: 'sortCode',
  sortcode: 'sortCode',
  iban: 'iban',
  counter_party_iban: 'iban',
  emails: 'email',
  email: 'email',
  phones: 'phone',
  phone: 'phone',
  address: 'address',
  addresses: 'address',
  address_line1: 'address',
  address_line2: 'address',
  addressline1: 'address',
  addressline2: 'address',
  zip: 'address',
  city: 'address',
  date_of_birth: 'date',
  dateofbirth: 'date',
};

/** Masks a string leaf of raw JSON when its key names personal data. */
export function maskJsonString(key: string | null, value: string): string {
  if (key === null) return value;
  const kind = SENSITIVE_KEYS[key.toLowerCase()];
  return kind ? mask(kind, value) : value;
}
