//! The harness of the end-to-end tests: a PostgreSQL database of its own for each test, the real
//! `jixiao` binary started on it, and a GraphQL client speaking real HTTP with real tokens.

pub mod client;
pub mod database;
pub mod server;

pub use client::Client;
pub use database::TestDatabase;
pub use server::{jixiao, Server};

/// The seed declaration, as `jixiao import` takes it.
pub fn fixture_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/songjiang-2023.json")
}

pub fn fixture() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture_path()).expect("fixture is readable")).expect("fixture is JSON")
}

pub const PASSWORD: &str = "correct horse battery";

/// A database with the seed imported and one user per role, and a server on it.
pub struct World {
    pub db: TestDatabase,
    pub server: Server,
}

impl World {
    pub async fn with_fixture() -> World {
        let db = TestDatabase::create().await;
        let out = jixiao(&db.url, &["import", fixture_path().to_str().unwrap()], None).await;
        assert!(out.status.success(), "import failed: {}", String::from_utf8_lossy(&out.stderr));
        for (user, role, dept) in [("submitter", "SUBMITTER", Some("SJQ-XFB")), ("approver", "APPROVER", None), ("admin", "ADMIN", None)] {
            add_user(&db.url, user, role, dept).await;
        }
        let server = Server::start(&db.url).await;
        World { db, server }
    }

    /// A client logged in as `username` (password [`PASSWORD`]).
    pub async fn login(&self, username: &str) -> Client {
        Client::new(&self.server.base_url).login(username, PASSWORD).await
    }

    pub fn anonymous(&self) -> Client {
        Client::new(&self.server.base_url)
    }
}

pub async fn add_user(db_url: &str, username: &str, role: &str, department: Option<&str>) {
    let mut args = vec!["user", "add", "--username", username, "--role", role, "--password-stdin"];
    if let Some(d) = department {
        args.extend(["--department", d]);
    }
    let out = jixiao(db_url, &args, Some(&format!("{PASSWORD}\n"))).await;
    assert!(out.status.success(), "user add failed: {}", String::from_utf8_lossy(&out.stderr));
}
