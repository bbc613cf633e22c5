//! The generator's deterministic pseudo-random numbers: xoshiro256** seeded through SHA-256.
//!
//! Owned here (not `rand`'s `StdRng`) so the mock data stays byte-identical across dependency
//! upgrades: `rand` documents that `StdRng`'s algorithm and its range sampling may change between
//! releases. Never seeded from the OS; nothing here is fit for secrets.

use sha2::{Digest, Sha256};

/// A small, fast, seedable generator (xoshiro256**, Blackman & Vigna 2018).
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// Seeds from the SHA-256 of `parts` (each length-prefixed so `["ab","c"] != ["a","bc"]`).
    pub(crate) fn from_parts(parts: &[&[u8]]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"linkscope-sandbox/rng/v1");
        for part in parts {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        let digest = hasher.finalize();
        let mut s = [0u64; 4];
        for (word, chunk) in s.iter_mut().zip(digest.chunks_exact(8)) {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(chunk);
            *word = u64::from_le_bytes(bytes);
        }
        if s == [0; 4] {
            // xoshiro must not start from the all-zero state (probability 2^-256, but be exact).
            s[0] = 0x9E37_79B9_7F4A_7C15;
        }
        Self { s }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    pub(crate) fn next_u128(&mut self) -> u128 {
        (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64())
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias for our small `n` is below 2^-50).
    /// `n == 0` yields 0.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`; returns `lo` when `hi < lo`.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.saturating_add_unsigned(self.below(span))
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element, uniformly; `None` only for an empty slice.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// One element, by integer weight; `None` for an empty slice or all-zero weights.
    pub(crate) fn pick_weighted<'a, T>(
        &mut self,
        items: &'a [T],
        weight: impl Fn(&T) -> u32,
    ) -> Option<&'a T> {
        let total: u64 = items.iter().map(|i| u64::from(weight(i))).sum();
        let mut ticket = self.below(total);
        for item in items {
            let w = u64::from(weight(item));
            if ticket < w {
                return Some(item);
            }
            ticket -= w;
        }
        None
    }

    /// A Poisson-distributed count (Knuth's method; fine for the small means used here).
    pub(crate) fn poisson(&mut self, mean: f64) -> u32 {
        if mean <= 0.0 {
            return 0;
        }
        if mean > 30.0 {
            // Normal approximation keeps the loop short for large means.
            let u1 = self.unit().max(f64::MIN_POSITIVE);
            let u2 = self.unit();
            let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
            return (mean + z * mean.sqrt()).round().max(0.0) as u32;
        }
        let limit = (-mean).exp();
        let mut product = self.unit();
        let mut count = 0;
        while product > limit {
            count += 1;
            product *= self.unit();
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_parts_give_the_same_stream_and_different_parts_differ() {
        let mut a = Rng::from_parts(&[b"john", b"1"]);
        let mut b = Rng::from_parts(&[b"john", b"1"]);
        let mut c = Rng::from_parts(&[b"joh", b"n1"]);
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys, "same seed parts must replay the same stream");
        assert_ne!(
            xs, zs,
            "length-prefixing must separate [john,1] from [joh,n1]"
        );
    }

    #[test]
    fn ranges_stay_inside_their_bounds() {
        let mut rng = Rng::from_parts(&[b"bounds"]);
        for _ in 0..10_000 {
            let v = rng.range(-5, 5);
            assert!((-5..=5).contains(&v), "{v} escaped -5..=5");
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u), "{u} escaped [0,1)");
        }
        assert_eq!(rng.range(7, 3), 7, "an empty range yields its lower bound");
    }

    #[test]
    fn poisson_means_are_roughly_right() {
        let mut rng = Rng::from_parts(&[b"poisson"]);
        for mean in [0.3, 2.0, 9.0, 40.0] {
            let n = 20_000;
            let total: u64 = (0..n).map(|_| u64::from(rng.poisson(mean))).sum();
            let observed = total as f64 / n as f64;
            assert!(
                (observed - mean).abs() < mean * 0.05 + 0.02,
                "mean {mean} came out {observed}"
            );
        }
    }
}
