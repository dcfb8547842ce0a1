//! How far behind a replica is, in time: the primary's log position is read at every probe and
//! kept for a while; a replica's state is at least the primary's as of the last reading it has
//! replayed, so its lag is the time since that reading. (PostgreSQL's own
//! `now() - pg_last_xact_replay_timestamp()` grows while nothing is written, and would skip an
//! idle replica that is perfectly current.)

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::lsn::Lsn;

/// Readings kept: enough for any bound worth setting at the probe's pace, and no more.
const MAX_READINGS: usize = 4096;

/// The primary's log positions, read over time (oldest first; they never go back).
#[derive(Debug, Default)]
pub(crate) struct PrimaryReadings {
    readings: VecDeque<(Instant, Lsn)>,
}

impl PrimaryReadings {
    /// Keeps a reading taken at `at` (the time the question was asked: whatever committed before
    /// it is at or below the answer).
    pub(crate) fn record(&mut self, at: Instant, position: Lsn) {
        if self.readings.len() == MAX_READINGS {
            self.readings.pop_front();
        }
        self.readings.push_back((at, position));
    }

    /// Forgets readings older than `keep`, but always the newest one.
    pub(crate) fn forget_before(&mut self, now: Instant, keep: Duration) {
        while self.readings.len() > 1 && self.readings.front().is_some_and(|(at, _)| now.duration_since(*at) > keep) {
            self.readings.pop_front();
        }
    }

    /// How long ago the primary was last known to be no further than `replayed`; `None` when no
    /// reading kept is (the replica is further behind than anything remembered).
    pub(crate) fn lag_of(&self, replayed: Lsn, now: Instant) -> Option<Duration> {
        // The readings grow with time, so the last one at or below the replica is the newest
        // state of the primary the replica is known to hold.
        let caught_up = self.readings.partition_point(|(_, position)| *position <= replayed);
        let (at, _) = self.readings.get(caught_up.checked_sub(1)?)?;
        Some(now.duration_since(*at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replica_is_as_late_as_the_oldest_primary_state_it_has_not_replayed() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut primary = PrimaryReadings::default();
        primary.record(t0, Lsn(100));
        primary.record(t0 + ms(200), Lsn(100));
        primary.record(t0 + ms(400), Lsn(150));
        primary.record(t0 + ms(600), Lsn(300));
        let now = t0 + ms(700);
        assert_eq!(primary.lag_of(Lsn(300), now), Some(ms(100)), "current: only the probe's pace");
        assert_eq!(primary.lag_of(Lsn(299), now), Some(ms(300)), "behind the newest reading");
        assert_eq!(primary.lag_of(Lsn(120), now), Some(ms(500)), "an idle primary's repeats count");
        assert_eq!(primary.lag_of(Lsn(99), now), None, "behind all that is remembered");
        primary.forget_before(now, ms(250));
        assert_eq!(primary.lag_of(Lsn(120), now), None, "forgotten readings say nothing");
        assert_eq!(primary.lag_of(Lsn(300), now), Some(ms(100)));
    }

    #[test]
    fn the_newest_reading_is_never_forgotten() {
        let t0 = Instant::now();
        let mut primary = PrimaryReadings::default();
        primary.record(t0, Lsn(7));
        let later = t0 + Duration::from_secs(3600);
        primary.forget_before(later, Duration::from_secs(1));
        assert_eq!(primary.lag_of(Lsn(7), later), Some(Duration::from_secs(3600)));
    }
}
