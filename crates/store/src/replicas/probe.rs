//! The two loops that keep a [`ReplicaSet`] current: the probe (where the primary's log stands,
//! where each replica has replayed to) and the listener for every instance's writes.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use super::{CHANNEL, Health, Lsn, ReplicaSet, lock};

/// A probe that takes longer than this counts as no answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);

pub(super) async fn keep_probing(set: Arc<ReplicaSet>) {
    let mut ticks = tokio::time::interval(set.probe_every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        probe_once(&set).await;
    }
}

async fn probe_once(set: &ReplicaSet) {
    let asked = Instant::now();
    match one_text(set.primary.connection(), "SELECT pg_current_wal_lsn()::text AS at").await {
        Some(text) => {
            if let Some(at) = Lsn::parse(&text) {
                lock(&set.readings).record(asked, at);
            }
        }
        None => tracing::debug!("the primary did not say where its log stands"),
    }
    for replica in &set.replicas {
        let replayed = one_text(
            replica.store.connection(),
            // A server that is not in recovery (promoted, or the primary by mistake) is no replica.
            "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END AS at",
        )
        .await
        .and_then(|text| Lsn::parse(&text));
        let now = Instant::now();
        let health = Health {
            answering: replayed.is_some(),
            replayed,
            lag: replayed.and_then(|r| lock(&set.readings).lag_of(r, now)),
        };
        let was = std::mem::replace(&mut *lock(&replica.health), health);
        if was.answering != health.answering {
            if health.answering {
                tracing::info!(replica = %replica.label, "a replica answers again");
            } else {
                tracing::warn!(replica = %replica.label, "a replica does not answer: reads go elsewhere");
            }
        }
    }
    let now = Instant::now();
    lock(&set.positions).forget_before(now, set.memory());
    lock(&set.readings).forget_before(now, set.memory() * 2);
}

/// The first column of the first row, as text, if the server answers within the timeout.
async fn one_text(db: &DatabaseConnection, sql: &str) -> Option<String> {
    let statement = Statement::from_string(db.get_database_backend(), sql.to_string());
    let row = tokio::time::timeout(PROBE_TIMEOUT, db.query_one_raw(statement)).await.ok()?.ok()??;
    row.try_get::<Option<String>>("", "at").ok().flatten()
}

/// Hears `user lsn` from every instance's writes; while not connected, the set reads everything
/// from the primary (see `ReplicaSet::usable_for`).
pub(super) async fn keep_hearing_writes(set: Arc<ReplicaSet>, url: String) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        match PgListener::connect(&url).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => {
                    // Writes announced before now were not heard: everyone waits for the primary's
                    // position of now, until any replica within the bound holds it anyway.
                    let asked = Instant::now();
                    let Some(now_at) = one_text(set.primary.connection(), "SELECT pg_current_wal_lsn()::text AS at")
                        .await
                        .and_then(|text| Lsn::parse(&text))
                    else {
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        continue;
                    };
                    lock(&set.positions).raise_floor(now_at, asked);
                    set.hearing.store(true, Ordering::Release);
                    while let Ok(Some(notice)) = listener.try_recv().await {
                        if let Some((user, at)) = read_notice(notice.payload()) {
                            lock(&set.positions).wrote(user, at, Instant::now());
                        }
                    }
                    tracing::warn!(
                        "lost the connection that hears other instances' writes: reads go to the primary until it is back"
                    );
                }
                Err(e) => tracing::warn!(error = %e, "cannot listen for other instances' writes"),
            },
            Err(e) => tracing::warn!(error = %e, "cannot connect to listen for other instances' writes"),
        }
        set.hearing.store(false, Ordering::Release);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

fn read_notice(payload: &str) -> Option<(i64, Lsn)> {
    let (user, at) = payload.split_once(' ')?;
    Some((user.parse().ok()?, Lsn::parse(at)?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_notice_names_the_writer_and_the_position() {
        assert_eq!(super::read_notice("42 0/16B3D48"), Some((42, super::Lsn(0x16B3D48))));
        assert_eq!(super::read_notice("x 0/1"), None);
        assert_eq!(super::read_notice("42"), None);
    }
}
