//! The harness of the end-to-end tests: a PostgreSQL database of its own for each test, the real
//! `jixiao` binary started on it, and a GraphQL client speaking real HTTP with real tokens.

pub mod client;
pub mod database;
pub mod ordered_json;
pub mod private_pg;
pub mod server;
pub mod workbooks;
pub mod ws;

pub use client::Client;
pub use database::TestDatabase;
pub use server::{Server, jixiao};

/// The seed declaration, as `jixiao import` takes it.
pub fn fixture_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/songjiang-2023.json")
}

pub fn fixture() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture_path()).expect("fixture is readable"))
        .expect("fixture is JSON")
}

/// How soon a change must reach another instance (or the caches of this one) through PostgreSQL's
/// notifications: it takes milliseconds (the tests print how long), but a busy two-core machine
/// may delay one now and then, and the point is that it comes by notification, well before a
/// kept entry would expire by age (the users' cache keeps one 30 s).
pub const NOTIFIED_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

pub const PASSWORD: &str = "correct horse battery";

/// A database with the seed imported and one user per role, and a server on it.
pub struct World {
    pub db: TestDatabase,
    pub server: Server,
}

impl World {
    pub async fn with_fixture() -> World {
        World::with_fixture_and(&[]).await
    }

    /// Like [`World::with_fixture`], the server started with `env` set (its settings).
    pub async fn with_fixture_and(env: &[(&str, &str)]) -> World {
        let db = TestDatabase::create().await;
        let out = jixiao(&db.url, &["import", fixture_path().to_str().unwrap()], None).await;
        assert!(out.status.success(), "import failed: {}", String::from_utf8_lossy(&out.stderr));
        for (user, role, dept) in
            [("submitter", "SUBMITTER", Some("SJQ-XFB")), ("approver", "APPROVER", None), ("admin", "ADMIN", None)]
        {
            add_user(&db.url, user, role, dept).await;
        }
        let server = Server::start_with(&db.url, env).await;
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

/// A complete declaration (it may be submitted as it is) for the unit `unit_id`.
pub fn complete_declaration(unit_id: &str, name: &str) -> serde_json::Value {
    serde_json::json!({
        "fiscalYear": 2023,
        "implementingUnitId": unit_id,
        "name": name,
        "category": "ONE_OFF",
        "plannedStart": "2023-03-01",
        "plannedEnd": "2023-12-31",
        "sections": { "overview": "概述", "budgetArrangement": "年度预算 1.5 万元" },
        "overallGoal": "化解信访矛盾",
        "annualGoal": "全年化解信访矛盾",
        "funds": { "total": "15000.00", "fiscal": "15000.00", "other": "0.00", "annualRequest": "15000.00",
                   "currentYearAppropriation": "15000.00", "carryover": "0.00", "annualOther": "0.00" },
        "fundItems": [{ "name": "调解员补贴", "amount": "10000.00" }, { "name": "场地", "amount": "5000.00" }],
        "indicators": [
            { "level1": "OUTPUT", "level2": "QUANTITY", "name": "调解完成率", "target": "≥95%" },
            { "level1": "BENEFIT", "level2": "SOCIAL_BENEFIT", "name": "矛盾化解率", "target": "提高" },
            { "level1": "SATISFACTION", "level2": "SERVICE_SATISFACTION", "name": "群众满意度", "target": "＞＝90％" }
        ]
    })
}

/// A project of the seed (`fixture()["projects"][n]`) as `createProject`'s input for the unit
/// `unit_id`: the two department names give way to the year and the unit.
pub fn seed_form(project: &serde_json::Value, unit_id: &str) -> serde_json::Value {
    let mut input = project.clone();
    let fields = input.as_object_mut().expect("a seed project is an object");
    fields.remove("competentDepartment");
    fields.remove("implementingUnit");
    fields.insert("fiscalYear".into(), serde_json::json!(2023));
    fields.insert("implementingUnitId".into(), serde_json::json!(unit_id));
    input
}

pub const CREATE_PROJECT: &str = "mutation($input: CreateProjectInput!) {
    createProject(input: $input) { project { id status version } userErrors { field message code } } }";

/// The id of the first budget unit of department `code`.
pub async fn unit_of(client: &Client, code: &str) -> String {
    let d = client
        .data("query($c: String!) { department(code: $c) { budgetUnits { id } } }", serde_json::json!({ "c": code }))
        .await;
    d["department"]["budgetUnits"][0]["id"].as_str().expect("the department has a unit").to_string()
}

/// The value on the line of `/metrics` that starts with `name` (labels included), on the instance
/// `client` talks to.
pub async fn metric(client: &Client, name: &str) -> u64 {
    let (_, body) = client.get("/metrics").await;
    body.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} is in /metrics"))
}

/// The SQL statements the instance `client` talks to has run so far (`/metrics`).
pub async fn statements_run(client: &Client) -> u64 {
    metric(client, "jixiao_sql_statements_total").await
}

/// How many reads the instance `client` talks to has answered from its kept answers (`/metrics`).
pub async fn kept_answer_hits(client: &Client) -> u64 {
    metric(client, "jixiao_kept_answers_total{result=\"hit\"}").await
}

/// Makes the department `OTHER` (另一个部门) with its unit `OTHER-U` as `admin`: the ids of both.
pub async fn other_department(admin: &Client) -> (String, String) {
    let d = admin
        .data(
            "mutation { createDepartment(input: { code: \"OTHER\", name: \"另一个部门\" }) { department { id } } }",
            serde_json::json!({}),
        )
        .await;
    let dept = d["createDepartment"]["department"]["id"].as_str().expect("the department is made").to_string();
    let u = admin
        .data(
            "mutation($d: ID!) { createBudgetUnit(input: { departmentId: $d, code: \"OTHER-U\", name: \"另一个单位\" }) { budgetUnit { id } } }",
            serde_json::json!({ "d": dept }),
        )
        .await;
    (dept, u["createBudgetUnit"]["budgetUnit"]["id"].as_str().expect("the unit is made").to_string())
}

/// Fills the monitoring report `report` (read with `id version indicators { indicator { id } }`)
/// in whole as `owner`: 5,000.00 executed and every target certain, so that it may be submitted.
pub async fn fill_report_whole(owner: &Client, report: &serde_json::Value) {
    let certain: Vec<serde_json::Value> = report["indicators"]
        .as_array()
        .expect("the report's indicators were read")
        .iter()
        .map(|i| serde_json::json!({ "indicatorId": i["indicator"]["id"], "likelihood": "CERTAIN" }))
        .collect();
    let r = owner
        .data(
            "mutation($i: UpdateMonitoringReportInput!) { updateMonitoringReport(input: $i) { userErrors { message } } }",
            serde_json::json!({ "i": { "id": report["id"], "expectedVersion": report["version"], "budgetExecuted": "5000.00", "indicators": certain } }),
        )
        .await;
    assert_eq!(r["updateMonitoringReport"]["userErrors"], serde_json::json!([]), "{r}");
}
