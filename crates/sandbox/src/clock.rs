//! The sandbox clock: wall-clock time plus an offset that QA can only move forward
//! (`POST /__sandbox/clock`). Codes, tokens, consent, the historical window and async tasks all
//! read time from here, never from `Utc::now()` directly.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

/// The largest single move forward accepted (ten years), so a typo cannot overflow the clock.
pub const MAX_ADVANCE_SECONDS: i64 = 10 * 366 * 24 * 3600;

/// Real time shifted by an offset in seconds.
#[derive(Debug, Default)]
pub struct Clock {
    offset_seconds: AtomicI64,
}

impl Clock {
    /// A clock shifted by `offset_seconds` (restored from the state file).
    pub fn with_offset(offset_seconds: i64) -> Self {
        Self {
            offset_seconds: AtomicI64::new(offset_seconds.max(0)),
        }
    }

    /// The sandbox's current time.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset_seconds())
    }

    /// How far ahead of real time the sandbox is.
    pub fn offset_seconds(&self) -> i64 {
        self.offset_seconds.load(Ordering::SeqCst)
    }

    /// Moves the clock forward. Returns `None` (and changes nothing) for a negative or too large
    /// step: the clock never goes back, so nothing that expired comes back to life.
    pub fn advance(&self, seconds: i64) -> Option<DateTime<Utc>> {
        if !(0..=MAX_ADVANCE_SECONDS).contains(&seconds) {
            return None;
        }
        let result = self
            .offset_seconds
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |old| {
                old.checked_add(seconds)
                    .filter(|total| *total <= 10 * MAX_ADVANCE_SECONDS)
            });
        result.ok().map(|_| self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward_by_the_step() {
        let clock = Clock::default();
        let before = clock.now();
        let after = clock.advance(3600).unwrap();
        assert!(after - before >= Duration::seconds(3600));
        assert_eq!(clock.offset_seconds(), 3600);
    }

    #[test]
    fn the_clock_refuses_to_go_back_or_jump_absurdly_far() {
        let clock = Clock::default();
        assert!(clock.advance(-1).is_none());
        assert!(clock.advance(MAX_ADVANCE_SECONDS + 1).is_none());
        assert_eq!(clock.offset_seconds(), 0);
    }
}
