//! How failed logins are slowed down.
//!
//! Failures are counted per (username, client address) and per client address, never per
//! username alone: a lock per username let anyone keep anyone locked out with five wrong
//! passwords. A few mistakes are free; after them each further failure makes that key wait
//! twice as long as before for its next attempt, up to a short cap, so a person who mistypes
//! waits seconds, a guesser gets a handful of tries a minute, and the right password works again
//! as soon as the wait is over (from any other address, at once). Unknown usernames are counted
//! exactly like known ones, so the answers reveal nothing about who exists.

use std::time::Duration;

/// What one throttle key counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One username tried from one address.
    Pair,
    /// Every username tried from one address (password spraying).
    Address,
}

impl Scope {
    /// Failures allowed before the first wait.
    pub const fn free_failures(self) -> u32 {
        match self {
            Scope::Pair => 5,
            Scope::Address => 50,
        }
    }

    /// The key its count is kept under (shared by every instance through the database).
    pub fn key(self, username: &str, address: &str) -> String {
        match self {
            Scope::Pair => format!("pair:{username}|{address}"),
            Scope::Address => format!("address:{address}"),
        }
    }
}

const FIRST_WAIT: Duration = Duration::from_secs(1);
const MAX_WAIT: Duration = Duration::from_secs(60);

/// A count is forgotten after this long without a failure.
pub const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);

/// How long a key must wait after its `failures`-th consecutive failure.
pub fn wait_after(scope: Scope, failures: u32) -> Option<Duration> {
    let free = scope.free_failures();
    if failures < free {
        return None;
    }
    let doublings = (failures - free).min(16);
    Some(FIRST_WAIT.saturating_mul(1 << doublings).min(MAX_WAIT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_and_are_short() {
        assert_eq!(wait_after(Scope::Pair, 4), None);
        assert_eq!(wait_after(Scope::Pair, 5), Some(Duration::from_secs(1)));
        assert_eq!(wait_after(Scope::Pair, 6), Some(Duration::from_secs(2)));
        assert_eq!(wait_after(Scope::Pair, 10), Some(Duration::from_secs(32)));
        assert_eq!(wait_after(Scope::Pair, 11), Some(MAX_WAIT));
        assert_eq!(wait_after(Scope::Pair, u32::MAX), Some(MAX_WAIT));
        assert_eq!(wait_after(Scope::Address, 49), None);
        assert_eq!(wait_after(Scope::Address, 50), Some(Duration::from_secs(1)));
    }

    #[test]
    fn a_count_is_forgotten_after_an_hour_without_a_failure() {
        assert_eq!(FORGET_AFTER, Duration::from_secs(3_600));
    }

    #[test]
    fn keys_separate_pairs_and_addresses() {
        assert_eq!(Scope::Pair.key("wang", "10.0.0.1"), "pair:wang|10.0.0.1");
        assert_eq!(Scope::Address.key("wang", "10.0.0.1"), "address:10.0.0.1");
    }
}
