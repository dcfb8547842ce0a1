//! How failed logins are slowed down, per username: a few mistakes are free, then each further
//! failure locks the username for twice as long as the one before, up to a cap. Unknown
//! usernames are treated the same, so the lock reveals nothing about who exists.

use std::time::Duration;

/// Failures allowed before the first lock.
pub const FREE_FAILURES: u32 = 5;
const FIRST_LOCK: Duration = Duration::from_secs(30);
const MAX_LOCK: Duration = Duration::from_secs(15 * 60);

/// How long a username is locked after its `failures`-th consecutive failure.
pub fn lock_after(failures: u32) -> Option<Duration> {
    if failures < FREE_FAILURES {
        return None;
    }
    let doublings = (failures - FREE_FAILURES).min(16);
    Some(FIRST_LOCK.saturating_mul(1 << doublings).min(MAX_LOCK))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_grow_and_are_capped() {
        assert_eq!(lock_after(1), None);
        assert_eq!(lock_after(4), None);
        assert_eq!(lock_after(5), Some(Duration::from_secs(30)));
        assert_eq!(lock_after(6), Some(Duration::from_secs(60)));
        assert_eq!(lock_after(9), Some(Duration::from_secs(480)));
        assert_eq!(lock_after(10), Some(MAX_LOCK));
        assert_eq!(lock_after(u32::MAX), Some(MAX_LOCK));
    }
}
