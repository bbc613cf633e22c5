//! IBANs for the mock bank: building UK IBANs with correct ISO 13616 mod-97 check digits, and
//! checking any IBAN's check digits. Knows nothing about accounts or personas.

/// The IBAN TrueLayer's own sandbox returns for every Mock account of `john`/`doe` (community
/// captures, API.md §2). Its check digits are valid.
pub const MOCK_SHARED_IBAN: &str = "GB08CLRB04066800003435";

/// Builds a UK IBAN `GBkk BBBB SSSSSS AAAAAAAA` from a 4-letter bank code, the 6 sort-code digits
/// and the 8-digit account number, with check digits computed per ISO 13616 (mod 97 == 1).
/// Non-alphanumeric characters in the inputs (the dashes of "01-21-31") are dropped.
pub fn uk_iban(bank_code: &str, sort_code: &str, account_number: &str) -> String {
    let bban: String = bank_code
        .chars()
        .chain(sort_code.chars())
        .chain(account_number.chars())
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    with_check_digits("GB", &bban)
}

/// `country` + check digits + `bban`, the check digits chosen so the result validates.
pub fn with_check_digits(country: &str, bban: &str) -> String {
    let remainder = mod97(bban.chars().chain(country.chars()).chain("00".chars()));
    let check = 98 - remainder;
    format!("{country}{check:02}{bban}")
}

/// True when `iban` (spaces allowed) is 15–34 alphanumerics starting with a country code and
/// check digits, and its mod-97 remainder is 1 (ISO 13616-1 / ISO 7064 MOD 97-10).
pub fn is_valid_iban(iban: &str) -> bool {
    let compact: String = iban.chars().filter(|c| *c != ' ').collect();
    let bytes = compact.as_bytes();
    if !(15..=34).contains(&bytes.len()) || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let (head, bban) = compact.split_at(4);
    let (country, check) = head.split_at(2);
    if !country.chars().all(|c| c.is_ascii_uppercase())
        || !check.chars().all(|c| c.is_ascii_digit())
    {
        return false;
    }
    mod97(bban.chars().chain(head.chars())) == 1
}

/// The value of the digit string (letters expanded A=10 … Z=35) modulo 97, computed piecewise.
fn mod97(chars: impl Iterator<Item = char>) -> u32 {
    let mut remainder: u32 = 0;
    for c in chars {
        let Some(value) = c.to_digit(36) else {
            continue;
        };
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    remainder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_ibans_are_checked_correctly() {
        let cases = [
            (MOCK_SHARED_IBAN, true),
            ("GB71MONZ04435141923452", false), // the Signup+ spec example: its check digits are wrong
            ("GB82WEST12345698765432", true),  // the classic ECBS example
            ("GB82 WEST 1234 5698 7654 32", true),
            ("DE89370400440532013000", true),
            ("GB83WEST12345698765432", false),
            ("GB82WEST1234569876543!", false),
            ("gb82WEST12345698765432", false),
            ("GB82", false),
        ];
        for (iban, valid) in cases {
            assert_eq!(is_valid_iban(iban), valid, "{iban}");
        }
    }

    #[test]
    fn built_uk_ibans_validate_and_embed_sort_code_and_number() {
        let iban = uk_iban("CLRB", "01-21-31", "10000000");
        assert!(is_valid_iban(&iban), "{iban} must validate");
        assert!(
            iban.starts_with("GB") && iban.ends_with("CLRB01213110000000"),
            "{iban}"
        );
        assert_eq!(iban.len(), 22, "a UK IBAN has 22 characters");
    }
}
