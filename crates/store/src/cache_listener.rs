//! One connection per instance keeps its caches current: it LISTENs for changed users
//! (`jixiao_users`, migration 11) and for changed projects, indicators and budget units
//! (`jixiao_declarations`, migration 20), and tells the cache concerned. While it is not
//! connected (starting, reconnecting) neither cache keeps anything, so nothing stale is served
//! then either.

use std::sync::Arc;
use std::time::Duration;

use crate::indicator_names_cache::{self, IndicatorNamesCache};
use crate::user_cache::{self, UserCache};

/// Keeps `users` and `names` current from PostgreSQL notifications for as long as the runtime
/// runs, reconnecting after a second when the connection is lost.
pub(crate) async fn keep_current(users: Arc<UserCache>, names: Arc<IndicatorNamesCache>, url: String) {
    use sea_orm::sqlx::postgres::PgListener;
    let set_listening = |listening: bool| {
        users.set_listening(listening);
        names.set_listening(listening);
    };
    loop {
        match PgListener::connect(&url).await {
            Ok(mut listener) => {
                match listener.listen_all([user_cache::CHANNEL, indicator_names_cache::CHANNEL]).await {
                    Ok(()) => {
                        set_listening(true);
                        tracing::debug!("listening for changes of users and declarations");
                        // `None`: the connection was lost (notifications may have been missed).
                        while let Ok(Some(notification)) = listener.try_recv().await {
                            if notification.channel() == indicator_names_cache::CHANNEL {
                                names.forget();
                            } else {
                                users.forget(notification.payload().parse().ok());
                            }
                        }
                        tracing::warn!(
                            "lost the connection that listens for changes: users are read on every request, and the projects a form is compared with on every check, until it is back"
                        );
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot listen for changes of users and declarations"),
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot connect to listen for changes of users and declarations"),
        }
        set_listening(false);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
