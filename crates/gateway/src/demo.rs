//! The demo: on a new embedded (SQLite) database, `jixiao serve` loads the Songjiang 2023
//! declaration and three demo users, so a newcomer's first command shows real data. Never on
//! PostgreSQL, so no fixed password exists outside the demo.

use jixiao_domain::{DeclarationDocument, Role};
use jixiao_store::{NewUser, Store};

use crate::auth::password;

pub const DEMO_DECLARATION: &str = include_str!("../../../fixtures/songjiang-2023.json");
pub const DEMO_PASSWORD: &str = "jixiao-demo";

/// (username, display name, role, department code)
pub const DEMO_USERS: [(&str, &str, Role, Option<&str>); 3] = [
    ("demo-submitter", "信访办申报员", Role::Submitter, Some("SJQ-XFB")),
    ("demo-approver", "财政局审核员", Role::Approver, None),
    ("demo-admin", "系统管理员", Role::Admin, None),
];

pub async fn seed(store: &Store) -> Result<(), String> {
    let doc: DeclarationDocument =
        serde_json::from_str(DEMO_DECLARATION).map_err(|e| format!("demo declaration: {e}"))?;
    let report = store.operator().import(&doc).await.map_err(|e| e.to_string())?;
    let hash = password::hash(DEMO_PASSWORD)?;
    for (username, display_name, role, department) in DEMO_USERS {
        let department_id = match department {
            Some(code) => store.department_by_code(code).await.map_err(|e| e.to_string())?.map(|d| d.id),
            None => None,
        };
        store
            .operator()
            .create_user(NewUser { username, display_name, role, department_id, password_hash: &hash })
            .await
            .map_err(|e| e.to_string())?;
    }
    tracing::info!(
        projects = report.created.len(),
        "demo data loaded: log in as demo-submitter, demo-approver or demo-admin (the demo password is in the README)"
    );
    Ok(())
}
