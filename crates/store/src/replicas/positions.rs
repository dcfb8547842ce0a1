//! Read-your-writes: where in the primary's log each user's last write ended, for long enough
//! that any replica within the lag bound has replayed it anyway. Bounded in users: when full, the
//! oldest is dropped and its position raised into a floor every user then needs, so dropping
//! never lets anyone read behind their own write (it only sends more reads to the primary).

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use super::lsn::Lsn;

/// Users remembered at once; a deployment writing faster than this within the lag bound reads
/// its writers' next screens from the primary.
pub(crate) const MAX_USERS: usize = 100_000;

#[derive(Debug)]
pub(crate) struct WritePositions {
    /// Each user's last write and when it was heard.
    by_user: HashMap<i64, (Lsn, Instant)>,
    /// The same, oldest first, to forget in order.
    by_time: BTreeMap<(Instant, i64), Lsn>,
    /// What every user needs at least: the highest position dropped while still needed.
    floor: Option<(Lsn, Instant)>,
    max_users: usize,
}

impl Default for WritePositions {
    fn default() -> Self {
        WritePositions::holding(MAX_USERS)
    }
}

impl WritePositions {
    pub(crate) fn holding(max_users: usize) -> WritePositions {
        WritePositions { by_user: HashMap::new(), by_time: BTreeMap::new(), floor: None, max_users: max_users.max(1) }
    }

    /// `user` wrote, and the primary's log was at `position` after it. A position lower than one
    /// already known (notices from other instances may come late) changes nothing.
    pub(crate) fn wrote(&mut self, user: i64, position: Lsn, now: Instant) {
        if let Some((known, at)) = self.by_user.get(&user).copied() {
            if known >= position {
                return;
            }
            self.by_time.remove(&(at, user));
        } else if self.by_user.len() >= self.max_users {
            self.drop_oldest();
        }
        self.by_user.insert(user, (position, now));
        self.by_time.insert((now, user), position);
    }

    /// Everyone needs at least `position` for a while: what was written before this instance
    /// could hear it (starting, or reconnecting after notices may have been missed) is at or
    /// below the primary's position then.
    pub(crate) fn raise_floor(&mut self, position: Lsn, now: Instant) {
        let floor = self.floor.map_or(position, |(known, _)| known.max(position));
        self.floor = Some((floor, now));
    }

    /// The position a replica must have replayed for `user` to read there.
    pub(crate) fn needed_by(&self, user: Option<i64>) -> Option<Lsn> {
        let own = user.and_then(|u| self.by_user.get(&u)).map(|(p, _)| *p);
        own.max(self.floor.map(|(p, _)| p))
    }

    /// Forgets what is older than `keep`: by then a replica within the lag bound holds it.
    pub(crate) fn forget_before(&mut self, now: Instant, keep: Duration) {
        while let Some((&(at, user), _)) = self.by_time.first_key_value() {
            if now.duration_since(at) <= keep {
                break;
            }
            self.by_time.pop_first();
            self.by_user.remove(&user);
        }
        if self.floor.is_some_and(|(_, at)| now.duration_since(at) > keep) {
            self.floor = None;
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.by_user.len()
    }

    fn drop_oldest(&mut self) {
        if let Some(((at, user), position)) = self.by_time.pop_first() {
            self.by_user.remove(&user);
            let (floor, since) = self.floor.unwrap_or((position, at));
            self.floor = Some((floor.max(position), since.max(at)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_needs_their_own_last_write_and_nobody_else_does() {
        let t0 = Instant::now();
        let mut positions = WritePositions::default();
        positions.wrote(7, Lsn(500), t0);
        positions.wrote(7, Lsn(400), t0);
        assert_eq!(positions.needed_by(Some(7)), Some(Lsn(500)), "a late notice does not lower it");
        assert_eq!(positions.needed_by(Some(8)), None);
        assert_eq!(positions.needed_by(None), None);
        positions.wrote(7, Lsn(600), t0 + Duration::from_millis(10));
        assert_eq!(positions.needed_by(Some(7)), Some(Lsn(600)));
        assert_eq!(positions.len(), 1);
    }

    #[test]
    fn positions_are_forgotten_once_older_than_the_bound() {
        let t0 = Instant::now();
        let mut positions = WritePositions::default();
        positions.wrote(1, Lsn(10), t0);
        positions.wrote(2, Lsn(20), t0 + Duration::from_secs(2));
        positions.forget_before(t0 + Duration::from_secs(3), Duration::from_millis(1500));
        assert_eq!(positions.needed_by(Some(1)), None);
        assert_eq!(positions.needed_by(Some(2)), Some(Lsn(20)));
    }

    #[test]
    fn what_was_written_before_anyone_listened_is_needed_by_everyone_for_a_while() {
        let t0 = Instant::now();
        let mut positions = WritePositions::default();
        positions.raise_floor(Lsn(70), t0);
        assert_eq!(positions.needed_by(Some(5)), Some(Lsn(70)));
        assert_eq!(positions.needed_by(None), Some(Lsn(70)));
        positions.wrote(5, Lsn(90), t0);
        assert_eq!(positions.needed_by(Some(5)), Some(Lsn(90)));
        positions.forget_before(t0 + Duration::from_secs(5), Duration::from_secs(1));
        assert_eq!(positions.needed_by(Some(6)), None);
    }

    #[test]
    fn a_full_map_raises_a_floor_instead_of_forgetting_a_write() {
        let t0 = Instant::now();
        let mut positions = WritePositions::holding(2);
        positions.wrote(1, Lsn(10), t0);
        positions.wrote(2, Lsn(20), t0 + Duration::from_millis(1));
        positions.wrote(3, Lsn(30), t0 + Duration::from_millis(2));
        assert_eq!(positions.len(), 2);
        assert_eq!(positions.needed_by(Some(1)), Some(Lsn(10)), "user 1 still reads at or after their write");
        assert_eq!(positions.needed_by(Some(99)), Some(Lsn(10)), "and so does everyone, until it ages out");
        assert_eq!(positions.needed_by(Some(3)), Some(Lsn(30)));
        positions.forget_before(t0 + Duration::from_secs(10), Duration::from_secs(1));
        assert_eq!(positions.needed_by(Some(99)), None);
    }
}
