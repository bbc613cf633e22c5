//! [`CancelToken`]: a cheap, clonable "stop now" signal for long operations (windowed
//! transaction fetches). Dropping the operation's future cancels it too; the token is for when
//! the future is owned elsewhere (a spawned task, a UI cancel button). Owns nothing else.

use std::sync::Arc;

use tokio::sync::watch;

/// Cancels the operations it was given to. Clones share the signal.
#[derive(Debug, Clone)]
pub struct CancelToken {
    signal: Arc<watch::Sender<bool>>,
}

impl Default for CancelToken {
    fn default() -> Self {
        Self::new()
    }
}

impl CancelToken {
    /// A token that has not been cancelled.
    pub fn new() -> Self {
        let (signal, _) = watch::channel(false);
        Self {
            signal: Arc::new(signal),
        }
    }

    /// Cancels every operation holding a clone of this token. Idempotent.
    pub fn cancel(&self) {
        self.signal.send_replace(true);
    }

    /// Whether [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        *self.signal.borrow()
    }

    /// Completes once the token is cancelled (at once if it already is).
    pub async fn cancelled(&self) {
        let mut receiver = self.signal.subscribe();
        // `wait_for` only fails when the sender is dropped, which cannot happen while `self`
        // holds it.
        let _ = receiver.wait_for(|cancelled| *cancelled).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_cancelled_token_wakes_every_waiter_even_late_ones() {
        let token = CancelToken::new();
        let waiter = tokio::spawn({
            let token = token.clone();
            async move { token.cancelled().await }
        });
        assert!(!token.is_cancelled());
        token.cancel();
        waiter.await.unwrap();
        assert!(token.is_cancelled());
        token.cancelled().await;
    }
}
