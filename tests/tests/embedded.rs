//! Writes on the embedded SQLite path: declaring, editing under compare-and-set, the workflow,
//! a restart on the existing file, importing into a named SQLite file; and the demo users,
//! which exist only in a new embedded database, never on PostgreSQL or a named file.

use jixiao_tests::client::error_code;
use jixiao_tests::{
    CREATE_PROJECT, Client, PASSWORD, Server, World, add_user, complete_declaration, fixture_path, jixiao, unit_of,
};
use serde_json::{Value, json};

const DEMO_PASSWORD: &str = "jixiao-demo";

fn empty_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("jixiao-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const EDIT: &str = "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { version } userErrors { code } } }";
const READ: &str = "query($id: ID!) { project(id: $id) { status overallGoal version reviews { action toStatus } } }";

fn user_error(r: &Value, field: &str) -> Option<String> {
    r["data"][field]["userErrors"][0]["code"].as_str().map(str::to_string)
}

#[tokio::test]
async fn the_embedded_database_takes_writes_and_keeps_them_across_a_restart() {
    let dir = empty_dir("embedded-writes");
    let server = Server::start_embedded(&dir).await;
    let submitter = Client::new(&server.base_url).login("demo-submitter", DEMO_PASSWORD).await;
    let approver = Client::new(&server.base_url).login("demo-approver", DEMO_PASSWORD).await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let r = submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "嵌入式数据库项目") })).await;
    let id = r["createProject"]["project"]["id"].as_str().unwrap().to_string();
    let version = r["createProject"]["project"]["version"].clone();
    // SQLite names the columns of a violated key, not the key: still the name's ALREADY_EXISTS.
    let again =
        submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "嵌入式数据库项目") })).await;
    assert_eq!(again["createProject"]["userErrors"][0]["field"], "name", "{again}");
    assert_eq!(again["createProject"]["userErrors"][0]["code"], "ALREADY_EXISTS", "{again}");

    // Two edits from the same version at once: one is saved, the other is told to reload.
    let edit = |goal: &'static str| {
        let (c, id, version) = (submitter.clone(), id.clone(), version.clone());
        async move { c.gql(EDIT, json!({ "input": { "id": id, "expectedVersion": version, "overallGoal": goal } })).await }
    };
    let (a, b) = tokio::join!(edit("甲方案"), edit("乙方案"));
    let mut outcomes = [user_error(&a, "updateProject"), user_error(&b, "updateProject")];
    outcomes.sort();
    assert_eq!(outcomes, [None, Some("VERSION_CONFLICT".to_string())], "{a}\n{b}");
    let winner = if user_error(&a, "updateProject").is_none() { "甲方案" } else { "乙方案" };

    for (client, op) in [(&submitter, "submitProject"), (&approver, "approveProject")] {
        let r = client
            .data(&format!("mutation($id: ID!) {{ {op}(id: $id) {{ userErrors {{ code }} }} }}"), json!({ "id": id }))
            .await;
        assert_eq!(r[op]["userErrors"], json!([]), "{op}: {r}");
    }
    let before = approver.data(READ, json!({ "id": id })).await;
    server.stop().await;

    // The same file again: the writes are there, the demo is not loaded a second time.
    let server = Server::start_embedded(&dir).await;
    let approver = Client::new(&server.base_url).login("demo-approver", DEMO_PASSWORD).await;
    let after = approver.data(READ, json!({ "id": id })).await;
    assert_eq!(after, before);
    assert_eq!(after["project"]["status"], "APPROVED");
    assert_eq!(after["project"]["overallGoal"], winner);
    assert_eq!(
        after["project"]["reviews"],
        json!([{ "action": "SUBMIT", "toStatus": "SUBMITTED" }, { "action": "APPROVE", "toStatus": "APPROVED" }])
    );
    let admin = Client::new(&server.base_url).login("demo-admin", DEMO_PASSWORD).await;
    let s = admin.data("{ declarationSummary(fiscalYear: 2023) { projectCount } }", json!({})).await;
    assert_eq!(s["declarationSummary"]["projectCount"], 6, "the five of the seed, once, and the new one");
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_named_sqlite_file_takes_an_import_and_has_no_demo_users() {
    let dir = empty_dir("named-sqlite");
    let url = format!("sqlite://{}?mode=rwc", dir.join("jixiao.db").display());
    let out = jixiao(&url, &["import", fixture_path().to_str().unwrap()], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    add_user(&url, "admin", "ADMIN", None).await;
    let server = Server::start(&url).await;
    // The imported projects are drafts: the admin sees them all.
    let admin = Client::new(&server.base_url).login("admin", PASSWORD).await;
    let s = admin.data("{ declarationSummary(fiscalYear: 2023) { projectCount totalFunds } }", json!({})).await;
    assert_eq!(s["declarationSummary"], json!({ "projectCount": 5, "totalFunds": "2914171.00" }));
    let demo = Client::new(&server.base_url)
        .gql("mutation { login(username: \"demo-admin\", password: \"jixiao-demo\") { token } }", json!({}))
        .await;
    assert_eq!(error_code(&demo), "UNAUTHENTICATED", "{demo}");
    // Importing the same declaration again changes nothing (projects are matched by name).
    let again = jixiao(&url, &["import", fixture_path().to_str().unwrap()], None).await;
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    let s = admin.data("{ declarationSummary(fiscalYear: 2023) { projectCount } }", json!({})).await;
    assert_eq!(s["declarationSummary"]["projectCount"], 5);
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn postgresql_never_has_the_demo_users() {
    let world = World::with_fixture().await;
    for user in ["demo-submitter", "demo-approver", "demo-admin"] {
        let r = world
            .anonymous()
            .gql(
                "mutation($u: String!) { login(username: $u, password: \"jixiao-demo\") { token } }",
                json!({ "u": user }),
            )
            .await;
        assert_eq!(error_code(&r), "UNAUTHENTICATED", "{user}: {r}");
    }
}
