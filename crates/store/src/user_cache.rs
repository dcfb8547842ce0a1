//! The callers' users, kept between requests instead of read on every one, and forgotten the
//! moment any instance changes one. A trigger on `users` (migration 11) NOTIFYs `jixiao_users`
//! with the user's id on every update or delete, whoever makes it (this service, another
//! instance, the command line, an operator in psql); every serving instance LISTENs
//! (`cache_listener.rs`) and forgets that user. While the listener is not connected (starting,
//! reconnecting, SQLite, the command line) nothing is kept, so a change is seen at once then
//! too: a disabled user is locked out on every instance as soon as the notification arrives
//! (milliseconds), and never later than the entry's age limit even if one were lost.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::User;

/// The channel the trigger notifies.
pub const CHANNEL: &str = "jixiao_users";

/// An entry is read again after this, notification or not (a safety net, not the mechanism).
const MAX_AGE: Duration = Duration::from_secs(30);

/// More users than this at once and the cache starts over (bounded memory).
const MAX_ENTRIES: usize = 20_000;

#[derive(Default)]
pub struct UserCache {
    entries: Mutex<HashMap<i64, (User, Instant)>>,
    /// Raised by every forgetting: a read that began before one may be stale and is not kept.
    generation: AtomicU64,
    /// Whether a listener is connected and subscribed (only then is anything kept).
    listening: AtomicBool,
    /// Requests answered from the cache, and those that read the user.
    hits: AtomicU64,
    misses: AtomicU64,
}

/// What `/metrics` shows of the cache.
#[derive(Clone, Copy, Debug)]
pub struct UserCacheStats {
    pub hits: u64,
    pub misses: u64,
    pub listening: bool,
}

impl std::fmt::Debug for UserCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserCache").field("listening", &self.listening.load(Ordering::Relaxed)).finish_non_exhaustive()
    }
}

impl UserCache {
    pub(crate) fn get(&self, id: i64) -> Option<User> {
        if !self.listening.load(Ordering::Acquire) {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let found = entries.get(&id).filter(|(_, at)| at.elapsed() < MAX_AGE).map(|(user, _)| user.clone());
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    pub fn stats(&self) -> UserCacheStats {
        UserCacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            listening: self.listening.load(Ordering::Relaxed),
        }
    }

    /// What to hand back to [`UserCache::keep`] with the user read after this call.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps `user`, read after `generation` was taken, unless something was forgotten since.
    pub(crate) fn keep(&self, user: &User, generation: u64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // Checked under the lock that forgetting takes too, so no change can slip in between.
        if !self.listening.load(Ordering::Acquire) || self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(user.id, (user.clone(), Instant::now()));
    }

    /// Forgets one user (a notification's payload), or everyone (`None`).
    pub(crate) fn forget(&self, id: Option<i64>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        match id {
            Some(id) => {
                entries.remove(&id);
            }
            None => entries.clear(),
        }
    }

    pub(crate) fn set_listening(&self, listening: bool) {
        // Forget first: whatever was kept may have missed notifications while not listening.
        self.forget(None);
        self.listening.store(listening, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, disabled: bool) -> User {
        User {
            id,
            username: format!("u{id}"),
            display_name: String::new(),
            password_hash: String::new(),
            role: "SUBMITTER".into(),
            department_id: None,
            disabled,
            token_version: 1,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn nothing_is_kept_while_not_listening() {
        let cache = UserCache::default();
        cache.keep(&user(1, false), cache.generation());
        assert!(cache.get(1).is_none());
    }

    #[test]
    fn a_read_that_began_before_a_change_is_not_kept() {
        let cache = UserCache::default();
        cache.set_listening(true);
        let before = cache.generation();
        cache.forget(Some(1)); // the user changed while their old row was being read
        cache.keep(&user(1, false), before);
        assert!(cache.get(1).is_none(), "the stale row must not be served");
        cache.keep(&user(1, true), cache.generation());
        assert!(cache.get(1).unwrap().disabled);
        cache.forget(Some(1));
        assert!(cache.get(1).is_none());
    }
}
