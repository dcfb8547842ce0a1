//! One PostgreSQL database per test, so tests run in parallel without seeing each other.

use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::{ConnectionTrait, Database};

/// The server the tests use; the README's test command starts one here when none answers.
pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres:postgres@127.0.0.1:5432/postgres";

pub struct TestDatabase {
    pub name: String,
    pub url: String,
}

fn admin_url() -> String {
    std::env::var("JIXIAO_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_string())
}

/// The tests' server as `host:port`, as it appears in the URLs of their databases.
pub fn server_address() -> String {
    let url = admin_url();
    let after_at = url.rsplit_once('@').map_or(url.as_str(), |(_, rest)| rest);
    after_at.split('/').next().unwrap_or(after_at).to_string()
}

/// A connection to the server's administrative database (where databases are made and
/// dropped), as the tests' superuser.
pub async fn admin_connection() -> sea_orm::DatabaseConnection {
    Database::connect(&admin_url()).await.expect("PostgreSQL answers at JIXIAO_TEST_DATABASE_URL")
}

impl TestDatabase {
    /// Creates an empty database named after this process and a counter.
    pub async fn create() -> TestDatabase {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let admin = admin_url();
        let conn = Database::connect(&admin).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL does not answer at {admin} ({e}). Run the tests with scripts/test.sh, which starts one, \
                 or point JIXIAO_TEST_DATABASE_URL at a server where this user may create databases."
            )
        });
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let name = format!("jixiao_t_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        conn.execute_unprepared(&format!("CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0"))
            .await
            .expect("create test database");
        let _ = conn.close().await;
        let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).expect("the admin URL names a database");
        TestDatabase { url: format!("{base}/{name}"), name }
    }

    /// A migrated store on this database, for tests that use the store directly.
    pub async fn store(&self) -> jixiao_store::Store {
        let store = jixiao_store::Store::connect(&self.url, 8).await.expect("connect to the test database");
        store.migrate().await.expect("migrate the test database");
        store
    }
}

impl Drop for TestDatabase {
    /// Drops the database in the background when the test is done with it (servers first).
    fn drop(&mut self) {
        let admin = admin_url();
        let name = self.name.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build();
            if let Ok(rt) = rt {
                rt.block_on(async {
                    if let Ok(conn) = Database::connect(&admin).await {
                        let _ = conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                    }
                });
            }
        })
        .join()
        .ok();
    }
}
