//! The seeded mutator: char- and byte-level edits (delete, insert, replace, duplicate, splice,
//! percent-encode, case flips, truncation) plus a dictionary of the tokens these parsers split
//! on. One `u64` seed fixes every choice, so a failing input can be found again. Owns no
//! knowledge of any target.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Tokens the parsers care about: separators, escapes, scheme and host pieces, parameter names.
pub const DICTIONARY: &[&str] = &[
    "&",
    "=",
    "?",
    "#",
    "%",
    "%2",
    "%ZZ",
    "%00",
    "%26",
    "%3D",
    "%25",
    "%20",
    "+",
    ";",
    "://",
    ":",
    "/",
    "//",
    "\\",
    "..",
    "/../",
    "@",
    "[::1]",
    "127.0.0.1",
    "localhost",
    ":3947",
    ":65536",
    "code=",
    "state=",
    "error=",
    "error_description=",
    "scope=",
    "&code=",
    "&state=",
    "&error=",
    "code",
    "state",
    "linkscope://",
    "linkscope-dev://",
    "http://",
    "https://",
    "callback",
    "/callback",
    "\r\n",
    "\r\n\r\n",
    "\t",
    " ",
    "\"",
    "'",
    "<script>",
    "\u{0}",
    "\u{7f}",
    "\u{202e}",
    "\u{feff}",
    "é",
    "𝔘",
    "response_type=code",
    "client_id=",
    "redirect_uri=",
    "providers=",
    "provider_id=",
    "response_mode=form_post",
    "code_challenge_method=S256",
    "offline_access",
    "uk-ob-all",
    "uk-cs-mock",
    "mock",
    "Content-Length: ",
    "Content-Type: application/x-www-form-urlencoded",
    "Host: ",
    "Transfer-Encoding: chunked",
    "GET ",
    "POST ",
    " HTTP/1.1",
];

/// Characters worth inserting: ASCII, controls, and multi-byte ones.
const CHARS: &[char] = &[
    'a', 'Z', '0', '9', '-', '_', '.', '~', '!', '*', '(', ')', ',', '|', '^', '`', '{', '}', '[',
    ']', '$', '\u{0}', '\u{1}', '\n', '\r', '\u{1b}', '\u{7f}', '\u{85}', '\u{a0}', 'é', 'ß', 'Ω',
    '\u{200b}', '\u{202e}', '\u{fffd}', '😀', '𝔘',
];

/// A seeded source of choices and edits.
#[derive(Debug)]
pub struct Mutator {
    rng: StdRng,
}

impl Mutator {
    /// A mutator whose every choice follows from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// A number in `0..n` (`n` ≥ 1).
    pub fn below(&mut self, n: usize) -> usize {
        self.rng.gen_range(0..n.max(1))
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: u32) -> bool {
        self.rng.gen_ratio(1, n.max(1))
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    /// A random string of `len` characters drawn from `alphabet`.
    pub fn string_from(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| char::from(alphabet[self.below(alphabet.len())]))
            .collect()
    }

    /// 1 to 4 edits of `input` at the char level (the result stays valid UTF-8); `others` is
    /// spliced from.
    pub fn mutate_str(&mut self, input: &str, others: &[&str]) -> String {
        let mut chars: Vec<char> = input.chars().collect();
        for _ in 0..=self.below(4) {
            self.edit(&mut chars, others);
        }
        chars.into_iter().collect()
    }

    /// 1 to 4 edits of `input` at the byte level (the result may be invalid UTF-8).
    pub fn mutate_bytes(&mut self, input: &[u8], others: &[&str]) -> Vec<u8> {
        let mut bytes = input.to_vec();
        for _ in 0..=self.below(4) {
            if self.one_in(4) {
                let at = self.below(bytes.len() + 1);
                let byte: u8 = self.rng.gen();
                match self.below(3) {
                    0 => bytes.insert(at, byte),
                    1 if at < bytes.len() => bytes[at] = byte,
                    _ if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => bytes.push(byte),
                }
            } else {
                // Char-level edits on the (lossy) text keep most bytes intact.
                let text = String::from_utf8_lossy(&bytes).into_owned();
                bytes = self.mutate_str(&text, others).into_bytes();
            }
        }
        bytes
    }

    fn edit(&mut self, chars: &mut Vec<char>, others: &[&str]) {
        let len = chars.len();
        let at = self.below(len + 1);
        let span = 1 + self.below(8.min(len.saturating_sub(at)).max(1));
        let end = (at + span).min(len);
        match self.below(11) {
            0 if at < len => {
                chars.drain(at..end);
            }
            1 => chars.insert(at, CHARS[self.below(CHARS.len())]),
            2 | 3 => {
                let token = DICTIONARY[self.below(DICTIONARY.len())];
                chars.splice(at..at, token.chars());
            }
            4 if at < len => chars[at] = CHARS[self.below(CHARS.len())],
            5 if at < end => {
                let copy: Vec<char> = chars[at..end].to_vec();
                let most = if self.one_in(50) { 2000 } else { 3 };
                let times = 1 + self.below(most);
                for _ in 0..times {
                    chars.splice(end..end, copy.iter().copied());
                }
            }
            6 if !others.is_empty() => {
                // Splice: our prefix, another input's suffix.
                let other: Vec<char> = others[self.below(others.len())].chars().collect();
                let from = self.below(other.len() + 1);
                chars.truncate(at);
                chars.extend_from_slice(&other[from..]);
            }
            7 if at < end => {
                let encoded: String = chars[at..end]
                    .iter()
                    .flat_map(|c| {
                        let mut buf = [0u8; 4];
                        c.encode_utf8(&mut buf)
                            .bytes()
                            .map(|b| format!("%{b:02X}"))
                            .collect::<Vec<_>>()
                    })
                    .collect();
                chars.splice(at..end, encoded.chars());
            }
            8 if at < end => {
                for c in &mut chars[at..end] {
                    *c = if c.is_ascii_lowercase() {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    };
                }
            }
            9 => chars.truncate(at),
            _ if at < end => {
                // Swap with another span.
                let other_at = self.below(len);
                if other_at + (end - at) <= len && (other_at >= end || other_at + (end - at) <= at)
                {
                    for i in 0..(end - at) {
                        chars.swap(at + i, other_at + i);
                    }
                }
            }
            _ => chars.insert(at, CHARS[self.below(CHARS.len())]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_mutations() {
        let run = |seed| {
            let mut m = Mutator::new(seed);
            (0..50)
                .map(|_| m.mutate_str("code=abc&state=xyz", &["error=x"]))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8), "another seed explores other inputs");
    }
}
