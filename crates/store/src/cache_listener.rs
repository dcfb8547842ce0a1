//! One connection per instance keeps its caches current: it LISTENs for changed users
//! (`jixiao_users`, migration 11), for changed projects, indicators and budget units
//! (`jixiao_declarations`, migration 20) and for any change a read may see (`jixiao_changes`,
//! migration 30), and tells the cache concerned. While it is not connected (starting,
//! reconnecting) none of them keeps anything, so nothing stale is served then either.

use std::sync::Arc;
use std::time::Duration;

use crate::data_changes::{self, DataChanges};
use crate::indicator_names_cache::{self, IndicatorNamesCache};
use crate::user_cache::{self, UserCache};

/// What the listener keeps current.
pub(crate) struct Caches {
    pub users: Arc<UserCache>,
    pub names: Arc<IndicatorNamesCache>,
    pub changes: Arc<DataChanges>,
}

impl Caches {
    /// The kept answers first: once the users' cache says it listens (what the tests wait
    /// for), everything does.
    fn set_listening(&self, listening: bool) {
        self.changes.set_listening(listening);
        self.names.set_listening(listening);
        self.users.set_listening(listening);
    }
}

/// Keeps the caches current from PostgreSQL notifications for as long as the runtime runs,
/// reconnecting after a second when the connection is lost.
pub(crate) async fn keep_current(caches: Caches, url: String) {
    use sea_orm::sqlx::postgres::PgListener;
    let channels = [user_cache::CHANNEL, indicator_names_cache::CHANNEL, data_changes::CHANNEL];
    loop {
        match PgListener::connect(&url).await {
            Ok(mut listener) => {
                match listener.listen_all(channels).await {
                    Ok(()) => {
                        caches.set_listening(true);
                        tracing::debug!("listening for changes of users, declarations and anything read");
                        // `None`: the connection was lost (notifications may have been missed).
                        while let Ok(Some(notification)) = listener.try_recv().await {
                            match notification.channel() {
                                indicator_names_cache::CHANNEL => caches.names.forget(),
                                data_changes::CHANNEL => caches.changes.heard(),
                                _ => caches.users.forget(notification.payload().parse().ok()),
                            }
                        }
                        tracing::warn!(
                            "lost the connection that listens for changes: users are read on every request, the projects a form is compared with on every check, and no answer is kept, until it is back"
                        );
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot listen for changes of users and declarations"),
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot connect to listen for changes of users and declarations"),
        }
        caches.set_listening(false);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
