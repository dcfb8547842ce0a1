//! Answers to reads kept between requests. A department's list is read at every page load by
//! dozens of people and changes a few times a day; the database already says when anything
//! changes (`jixiao_store::data_changes`). So a query's answer, serialized, is kept under its
//! document, operation, variables, language, the day (what is due and overdue) and the caller's
//! visibility class (`jixiao_domain::VisibilityClass`): one entry serves every approver, and
//! every submitter of a department.
//!
//! - **Never stale.** Each entry belongs to the generation of data changes read *before* its
//!   read began; all entries go as soon as the generation moves on (a notice from any instance,
//!   the command line or psql, or a write answered here, before its answer leaves), and an
//!   answer whose read overlapped a change is not kept. While the instance cannot hear changes
//!   (starting, reconnecting, SQLite) nothing is kept or served.
//! - **Only what is the class's.** An answer that used who the caller is (`me`, an approver's
//!   assigned departments, the audit trail: `Scope::answer_is_for_class`), an answer with any
//!   error, a read done on a replica (which may be behind the generation) and the form checks'
//!   lane are not kept.
//! - **Bounded in bytes** (keys and answers both counted); the oldest entries go first when it is
//!   full; an answer larger than an eighth of the room is not kept.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use jixiao_domain::VisibilityClass;

/// What an entry costs beyond its key and answer (map slot, queue slot, counts).
const ENTRY_OVERHEAD: usize = 96;

/// Answers kept, at most `room` bytes of them.
pub struct KeptAnswers {
    room: usize,
    kept: Mutex<Kept>,
    hits: AtomicU64,
    misses: AtomicU64,
    evicted: AtomicU64,
    dropped: AtomicU64,
}

#[derive(Default)]
struct Kept {
    /// The generation every entry belongs to.
    generation: u64,
    answers: HashMap<Arc<[u8]>, Bytes>,
    /// Keys, oldest first.
    order: VecDeque<Arc<[u8]>>,
    bytes: usize,
}

impl Kept {
    /// Moves on to `generation`, dropping every entry of the one before; returns how many.
    fn move_to(&mut self, generation: u64) -> usize {
        let dropped = self.answers.len();
        self.answers.clear();
        self.order.clear();
        self.bytes = 0;
        self.generation = generation;
        dropped
    }
}

/// What `/metrics` shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeptAnswersStats {
    pub hits: u64,
    pub misses: u64,
    pub evicted: u64,
    pub dropped: u64,
    pub entries: usize,
    pub bytes: usize,
    pub room: usize,
}

/// What a read's answer is kept under. Everything that may change the answer is in it.
pub struct AnswerKey(Vec<u8>);

impl AnswerKey {
    pub fn new(
        class: VisibilityClass,
        lang: jixiao_domain::Lang,
        today: chrono::NaiveDate,
        request: &async_graphql::Request,
    ) -> AnswerKey {
        let variables = serde_json::to_vec(&request.variables).unwrap_or_default();
        let operation = request.operation_name.as_deref().unwrap_or("");
        let mut key = Vec::with_capacity(request.query.len() + variables.len() + operation.len() + 48);
        // Each part but the last ends at a byte no earlier part may hold (0), so that two
        // different requests never join into the same key.
        for part in [class.key().as_bytes(), lang_code(lang), today.to_string().as_bytes(), operation.as_bytes()] {
            key.extend_from_slice(part);
            key.push(0);
        }
        key.extend_from_slice(&(request.query.len() as u64).to_le_bytes());
        key.extend_from_slice(request.query.as_bytes());
        key.extend_from_slice(&variables);
        AnswerKey(key)
    }
}

impl AnswerKey {
    /// The key's bytes (a subscription's feed is found by them too, `ws_feeds.rs`).
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

fn lang_code(lang: jixiao_domain::Lang) -> &'static [u8] {
    match lang {
        jixiao_domain::Lang::Zh => b"zh",
        jixiao_domain::Lang::En => b"en",
    }
}

impl KeptAnswers {
    /// Room for `room` bytes of keys and answers.
    pub fn new(room: usize) -> KeptAnswers {
        KeptAnswers {
            room,
            kept: Mutex::default(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            evicted: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The answer kept under `key`, if it was read at `generation` (the current one).
    pub fn get(&self, key: &AnswerKey, generation: u64) -> Option<Bytes> {
        let mut kept = self.kept();
        let found = if kept.generation == generation {
            kept.answers.get(key.0.as_slice()).cloned()
        } else {
            if generation > kept.generation {
                let dropped = kept.move_to(generation);
                self.dropped.fetch_add(dropped as u64, Ordering::Relaxed);
            }
            None
        };
        drop(kept);
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps `answer`, read from the data of generation `read_at`, if nothing changed since
    /// (`now` is the generation after the read, `None` when changes can no longer be heard).
    pub fn put(&self, key: AnswerKey, read_at: u64, now: Option<u64>, answer: Bytes) {
        let cost = key.0.len() + answer.len() + ENTRY_OVERHEAD;
        if now != Some(read_at) || cost > self.room / 8 {
            return;
        }
        let mut kept = self.kept();
        if kept.generation != read_at {
            if read_at < kept.generation {
                return;
            }
            let dropped = kept.move_to(read_at);
            self.dropped.fetch_add(dropped as u64, Ordering::Relaxed);
        }
        if kept.answers.contains_key(key.0.as_slice()) {
            return; // another request kept the same answer of the same generation
        }
        while kept.bytes + cost > self.room {
            let Some(oldest) = kept.order.pop_front() else { break };
            if let Some(gone) = kept.answers.remove(&oldest) {
                kept.bytes -= oldest.len() + gone.len() + ENTRY_OVERHEAD;
                self.evicted.fetch_add(1, Ordering::Relaxed);
            }
        }
        let key: Arc<[u8]> = key.0.into();
        kept.order.push_back(key.clone());
        kept.answers.insert(key, answer);
        kept.bytes += cost;
    }

    pub fn stats(&self) -> KeptAnswersStats {
        let kept = self.kept();
        KeptAnswersStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            evicted: self.evicted.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            entries: kept.answers.len(),
            bytes: kept.bytes,
            room: self.room,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_domain::{Lang, Role};

    fn key(role: Role, department: Option<i64>, query: &str, variables: serde_json::Value) -> AnswerKey {
        let mut request = async_graphql::Request::new(query);
        request.variables = async_graphql::Variables::from_json(variables);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        AnswerKey::new(VisibilityClass { role, department_id: department }, Lang::Zh, today, &request)
    }

    fn answer(text: &str) -> Bytes {
        Bytes::copy_from_slice(text.as_bytes())
    }

    #[test]
    fn an_answer_serves_its_class_until_anything_changes() {
        let kept = KeptAnswers::new(1 << 20);
        let q = "{ projects { totalCount } }";
        kept.put(key(Role::Approver, None, q, serde_json::json!({})), 1, Some(1), answer("a"));
        assert_eq!(kept.get(&key(Role::Approver, None, q, serde_json::json!({})), 1), Some(answer("a")));
        // Another class, other variables, another document: not the same answer.
        assert_eq!(kept.get(&key(Role::Submitter, Some(1), q, serde_json::json!({})), 1), None);
        assert_eq!(kept.get(&key(Role::Approver, Some(1), q, serde_json::json!({})), 1), None);
        assert_eq!(kept.get(&key(Role::Approver, None, q, serde_json::json!({"first": 2})), 1), None);
        assert_eq!(kept.get(&key(Role::Approver, None, "{ me { id } }", serde_json::json!({})), 1), None);
        // A change: gone, and counted as dropped.
        assert_eq!(kept.get(&key(Role::Approver, None, q, serde_json::json!({})), 2), None);
        let stats = kept.stats();
        assert_eq!((stats.hits, stats.misses, stats.dropped, stats.entries), (1, 5, 1, 0));
    }

    #[test]
    fn an_answer_read_across_a_change_is_not_kept() {
        let kept = KeptAnswers::new(1 << 20);
        let k = || key(Role::Admin, None, "{ a }", serde_json::json!({}));
        kept.put(k(), 3, Some(4), answer("stale"));
        assert_eq!(kept.get(&k(), 4), None);
        kept.put(k(), 3, None, answer("unheard"));
        assert_eq!(kept.get(&k(), 3), None);
        kept.put(k(), 4, Some(4), answer("fresh"));
        // A late writer of an older generation keeps nothing over the newer one.
        kept.put(key(Role::Admin, None, "{ b }", serde_json::json!({})), 3, Some(3), answer("old"));
        assert_eq!(kept.get(&key(Role::Admin, None, "{ b }", serde_json::json!({})), 4), None);
        assert_eq!(kept.get(&k(), 4), Some(answer("fresh")));
    }

    #[test]
    fn the_room_is_never_exceeded_and_the_oldest_go_first() {
        let kept = KeptAnswers::new(8 * 1024);
        let body = "x".repeat(800);
        for i in 0..40 {
            kept.put(key(Role::Admin, None, &format!("{{ q{i} }}"), serde_json::json!({})), 1, Some(1), answer(&body));
            assert!(kept.stats().bytes <= 8 * 1024);
        }
        assert!(kept.get(&key(Role::Admin, None, "{ q0 }", serde_json::json!({})), 1).is_none());
        assert!(kept.get(&key(Role::Admin, None, "{ q39 }", serde_json::json!({})), 1).is_some());
        assert!(kept.stats().evicted > 0);
        // Larger than an eighth of the room: not kept at all.
        kept.put(key(Role::Admin, None, "{ big }", serde_json::json!({})), 1, Some(1), answer(&"y".repeat(2000)));
        assert!(kept.get(&key(Role::Admin, None, "{ big }", serde_json::json!({})), 1).is_none());
    }

    #[test]
    fn parts_of_a_key_cannot_be_joined_into_another() {
        let a = key(Role::Admin, None, "{ a }", serde_json::json!({}));
        let mut request = async_graphql::Request::new("{ a }");
        request.operation_name = Some(String::new());
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let en = AnswerKey::new(VisibilityClass { role: Role::Admin, department_id: None }, Lang::En, today, &request);
        assert_ne!(a.0, en.0, "the language is part of the key");
        let tomorrow = today.succ_opt().unwrap();
        let later =
            AnswerKey::new(VisibilityClass { role: Role::Admin, department_id: None }, Lang::Zh, tomorrow, &request);
        assert_ne!(a.0, later.0, "the day is part of the key");
    }
}
