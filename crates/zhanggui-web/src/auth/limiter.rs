//! Login rate limiting: after a few failed logins from one address, or for one login name,
//! further attempts are refused for a while, whatever the password.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed attempts allowed per key within the window.
pub const MAX_FAILURES: usize = 5;
/// How long failures are remembered.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failures per address and per login name.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    /// Seconds to wait before `keys` may try again, if any of them is over the limit.
    pub fn blocked(&self, keys: &[String], now: Instant) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = None;
        for key in keys {
            if let Some(times) = map.get_mut(key) {
                times.retain(|t| now.duration_since(*t) < WINDOW);
                if times.len() >= MAX_FAILURES {
                    let oldest = times[0];
                    let left = WINDOW.saturating_sub(now.duration_since(oldest));
                    wait = Some(wait.unwrap_or(0).max(left.as_secs().max(1)));
                }
            }
        }
        wait
    }

    pub fn failed(&self, keys: &[String], now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, times| times.iter().any(|t| now.duration_since(*t) < WINDOW));
        }
        for key in keys {
            map.entry(key.clone()).or_default().push(now);
        }
    }

    pub fn succeeded(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for key in keys {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_attempt_waits_and_the_window_forgets() {
        let l = LoginLimiter::default();
        let keys = vec!["ip:1".to_owned(), "login:boss".to_owned()];
        let t0 = Instant::now();
        for _ in 0..MAX_FAILURES {
            assert_eq!(l.blocked(&keys, t0), None);
            l.failed(&keys, t0);
        }
        assert!(l.blocked(&keys, t0).is_some());
        assert!(l.blocked(&["login:boss".to_owned()], t0).is_some());
        assert_eq!(l.blocked(&["ip:2".to_owned()], t0), None);
        assert_eq!(l.blocked(&keys, t0 + WINDOW), None);
    }
}
