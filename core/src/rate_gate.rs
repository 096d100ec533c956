//! The client-wide pause after a 429: once the server has said "wait", no request of the same
//! client goes out before that wait has passed, so a burst does not hammer the API.

use std::time::Duration;

use parking_lot::Mutex;
use tokio::time::Instant;

const FOREVER: Duration = Duration::from_secs(366 * 24 * 3600);

#[derive(Debug, Default)]
pub(crate) struct RateGate {
    open_at: Mutex<Option<Instant>>,
}

impl RateGate {
    /// Closes the gate for `wait` from now (never shortens an existing pause).
    pub(crate) fn pause(&self, wait: Duration) {
        // A wait too long for the clock (the server's answer is trusted only so far) is as
        // good as forever.
        let now = Instant::now();
        let until = now.checked_add(wait).unwrap_or(now + FOREVER);
        let mut open_at = self.open_at.lock();
        if open_at.is_none_or(|current| current < until) {
            *open_at = Some(until);
        }
    }

    /// How long a new request must still wait.
    pub(crate) fn remaining(&self) -> Duration {
        let open_at = *self.open_at.lock();
        open_at.map_or(Duration::ZERO, |t| {
            t.saturating_duration_since(Instant::now())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn pauses_extend_but_never_shrink() {
        let gate = RateGate::default();
        assert_eq!(gate.remaining(), Duration::ZERO);
        gate.pause(Duration::from_secs(2));
        gate.pause(Duration::from_secs(1));
        assert_eq!(gate.remaining(), Duration::from_secs(2));
        tokio::time::advance(Duration::from_millis(1500)).await;
        assert_eq!(gate.remaining(), Duration::from_millis(500));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(gate.remaining(), Duration::ZERO);
    }
}
