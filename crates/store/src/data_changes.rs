//! When anything a read may read last changed, as far as this instance knows: a generation that
//! moves on at every notice on `jixiao_changes` (migration 30: every table a read reads
//! announces each writing statement on commit, whoever writes) and at every write answered here.
//! The gateway keeps a read's answer under the generation read *before* the read began, and
//! serves it only while the generation is still that one: a change committed during the read,
//! or heard after it, leaves the answer unused.
//!
//! Only while the listener is connected is a generation given out at all: an instance that
//! cannot hear others' writes (starting, reconnecting, SQLite) keeps no answer, and every
//! (re)connection moves the generation on, since notices may have been missed meanwhile.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The channel every announced table's trigger notifies.
pub const CHANNEL: &str = "jixiao_changes";

#[derive(Debug, Default)]
pub struct DataChanges {
    generation: AtomicU64,
    listening: AtomicBool,
    heard: AtomicU64,
}

impl DataChanges {
    /// The current generation, or `None` while changes made elsewhere would go unheard.
    pub fn generation(&self) -> Option<u64> {
        // Listening is read first: a disconnection sets it false and then moves the generation
        // on, so a generation read after `true` is either current or already past.
        self.listening.load(Ordering::Acquire).then(|| self.generation.load(Ordering::Acquire))
    }

    /// Something changed (a notice, or a write answered on this instance).
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// A notice was heard on [`CHANNEL`].
    pub(crate) fn heard(&self) {
        self.heard.fetch_add(1, Ordering::Relaxed);
        self.changed();
    }

    /// How many notices were heard (`/metrics`).
    pub fn notices_heard(&self) -> u64 {
        self.heard.load(Ordering::Relaxed)
    }

    pub(crate) fn set_listening(&self, listening: bool) {
        if listening {
            // Whatever was kept before is of a time when changes could have gone unheard.
            self.changed();
            self.listening.store(true, Ordering::Release);
        } else {
            self.listening.store(false, Ordering::Release);
            self.changed();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generation_only_while_listening_and_a_new_one_at_each_change_or_reconnection() {
        let changes = DataChanges::default();
        assert_eq!(changes.generation(), None, "nothing is heard before the listener connects");
        changes.set_listening(true);
        let first = changes.generation().unwrap();
        assert_eq!(changes.generation(), Some(first));
        changes.heard();
        let second = changes.generation().unwrap();
        assert_ne!(first, second);
        changes.changed();
        assert_ne!(changes.generation(), Some(second));
        changes.set_listening(false);
        assert_eq!(changes.generation(), None);
        let before = changes.generation.load(Ordering::Relaxed);
        changes.set_listening(true);
        assert!(changes.generation().unwrap() > before, "notices may have been missed while away");
        assert_eq!(changes.notices_heard(), 1);
    }
}
