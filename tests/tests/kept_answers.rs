//! Reads' answers kept between requests (`JIXIAO_KEPT_ANSWERS_MB`): one answer serves every
//! caller of a visibility class (role and department), is dropped the moment anything it was
//! read from changes (a write answered here before its answer leaves; anyone else's, the
//! command line's or psql's, when the database's notice comes), and is never kept when it used
//! who the caller is (`me`, an approver's assigned departments, the audit trail). Off with one
//! setting. The authorization matrix (`authorization_matrix.rs`) and the one-statement
//! comparison (`parts_together.rs`) also run with answers kept and without.

use std::time::{Duration, Instant};

use jixiao_tests::{
    CREATE_PROJECT, Client, NOTIFIED_WITHIN, World, add_user, complete_declaration, jixiao, kept_answer_hits, unit_of,
};
use serde_json::{Value, json};

/// How many kept answers the instance `client` talks to has dropped because the data changed.
async fn dropped(client: &Client) -> u64 {
    jixiao_tests::metric(client, "jixiao_kept_answers_gone_total{why=\"changed\"}").await
}

/// Reads `query` as `client`, and says whether the answer came from the kept answers.
async fn read(client: &Client, query: &str, variables: Value) -> (String, bool) {
    let hits = kept_answer_hits(client).await;
    let body = client.raw(query, variables).await;
    (body, kept_answer_hits(client).await > hits)
}

/// Reads until an answer is kept: a new instance keeps nothing until it hears the database's
/// notices. Returns the answer.
async fn once_kept(client: &Client, query: &str, variables: Value) -> String {
    let deadline = Instant::now() + NOTIFIED_WITHIN;
    loop {
        let (body, hit) = read(client, query, variables.clone()).await;
        if hit {
            return body;
        }
        assert!(Instant::now() < deadline, "no answer was kept within {NOTIFIED_WITHIN:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

const LIST: &str =
    "query($y: Int!) { projects(first: 100, filter: { fiscalYear: $y }) { totalCount nodes { id name status } } }";

fn names(body: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(body).unwrap();
    assert!(v.get("errors").is_none(), "{body}");
    v["data"]["projects"]["nodes"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn one_answer_serves_a_class_and_goes_the_moment_anything_changes() {
    let world = World::with_fixture().await;
    add_user(&world.db.url, "submitter2", "SUBMITTER", Some("SJQ-XFB")).await;
    add_user(&world.db.url, "approver2", "APPROVER", None).await;
    let submitter = world.login("submitter").await;
    let submitter2 = world.login("submitter2").await;
    let approver2 = world.login("approver2").await;
    let year = json!({ "y": 2023 });

    // The seed's drafts: the department's submitters see them, approvers do not.
    let drafts = once_kept(&submitter, LIST, year.clone()).await;
    assert_eq!(names(&drafts).len(), 5, "{drafts}");
    let (again, hit) = read(&submitter2, LIST, year.clone()).await;
    assert!(hit, "another submitter of the department is served the same answer");
    assert_eq!(again, drafts, "byte for byte");
    let (approvers, hit) = read(&approver2, LIST, year.clone()).await;
    assert!(!hit, "an approver is of another class");
    assert_eq!(names(&approvers).len(), 0, "no drafts for an approver: {approvers}");
    let (in_english, hit) = read(&submitter2.with_language("en"), LIST, year.clone()).await;
    assert!(!hit, "answers are kept per language");
    assert_eq!(in_english, drafts);

    // A write answered here: the writer reads it at once, and so does everyone of the class.
    let dropped_before = dropped(&submitter).await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let made = submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "新项目") })).await;
    let id = made["createProject"]["project"]["id"].as_str().unwrap().to_string();
    let (after, _) = read(&submitter, LIST, year.clone()).await;
    assert!(names(&after).contains(&"新项目".to_string()), "the writer reads their write: {after}");
    assert!(dropped(&submitter).await > dropped_before, "what was kept was dropped");
    // Kept again for the class (once the database's notices of the write have come).
    let after2 = once_kept(&submitter2, LIST, year.clone()).await;
    assert_eq!(after2, after);

    // A write the service did not make (psql): dropped when the database's notice comes.
    let db = sea_orm::Database::connect(&world.db.url).await.unwrap();
    let numeric = jixiao_tests::client::decode_id(&id);
    let sql = format!("UPDATE projects SET name = '改于数据库' WHERE id = {numeric}");
    sea_orm::ConnectionTrait::execute_unprepared(&db, &sql).await.unwrap();
    let started = Instant::now();
    loop {
        let (body, _) = read(&submitter2, LIST, year.clone()).await;
        if names(&body).contains(&"改于数据库".to_string()) {
            break;
        }
        assert!(started.elapsed() < NOTIFIED_WITHIN, "the kept answer outlived a write made in psql: {body}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!("a write made in psql reached the kept answers in {:?}", started.elapsed());
}

/// A write answered here drops what this instance kept before its answer leaves, not when the
/// database's notice comes: here no notice ever comes (the instance listens on another
/// database), and the writer still reads their write at once.
#[tokio::test]
async fn a_write_answered_here_drops_what_was_kept_before_it_answers() {
    let elsewhere = jixiao_tests::TestDatabase::create().await;
    let world = World::with_fixture_and(&[("JIXIAO_LISTEN_DATABASE_URL", elsewhere.url.as_str())]).await;
    let submitter = world.login("submitter").await;
    let year = json!({ "y": 2023 });
    let before = once_kept(&submitter, LIST, year.clone()).await;
    assert!(!names(&before).contains(&"新项目".to_string()));
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "新项目") })).await;
    let (after, hit) = read(&submitter, LIST, year.clone()).await;
    assert!(!hit && names(&after).contains(&"新项目".to_string()), "the writer reads their write: {after}");
}

#[tokio::test]
async fn answers_that_use_who_the_caller_is_are_not_shared() {
    let world = World::with_fixture().await;
    let url = world.db.url.clone();
    let out = jixiao(&url, &["generate", "--departments", "3", "--projects-per-department", "8"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    add_user(&url, "approver2", "APPROVER", None).await;
    let admin = world.login("admin").await;
    let approver = world.login("approver").await;
    let approver2 = world.login("approver2").await;

    // `me`: each their own, however often asked.
    let me = "{ me { username } }";
    once_kept(&approver, LIST, json!({ "y": 2023 })).await;
    for _ in 0..2 {
        assert_eq!(approver.data(me, json!({})).await["me"]["username"], "approver");
        assert_eq!(approver2.data(me, json!({})).await["me"]["username"], "approver2");
    }

    // `assignedToMe`: approver2 is assigned one department, approver none (so all of them).
    let d1 = admin.data("{ department(code: \"GEN-D0001\") { id } }", json!({})).await["department"]["id"].clone();
    let user2 = approver2.data("{ me { id } }", json!({})).await["me"]["id"].clone();
    let assign = "mutation($u: ID!, $d: ID!) { assignApprover(input: { userId: $u, departmentId: $d }) { userErrors { code } } }";
    let r = admin.data(assign, json!({ "u": user2, "d": d1 })).await;
    assert_eq!(r["assignApprover"]["userErrors"], json!([]), "{r}");
    let mine = "query { projects(first: 100, filter: { assignedToMe: true }) { nodes { department { code } } } }";
    let departments = |r: Value| {
        let codes: std::collections::BTreeSet<String> = r["projects"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["department"]["code"].as_str().unwrap().to_string())
            .collect();
        codes.into_iter().collect::<Vec<_>>()
    };
    for _ in 0..2 {
        assert_eq!(departments(approver2.data(mine, json!({})).await), ["GEN-D0001"]);
        assert!(departments(approver.data(mine, json!({})).await).len() >= 3, "all departments for one with none");
    }

    // The audit trail grows with every request: never kept.
    let trail = "{ auditLog(first: 5) { nodes { operation } } }";
    let (_, first) = read(&admin, trail, json!({})).await;
    let (_, second) = read(&admin, trail, json!({})).await;
    assert!(!first && !second, "the audit trail is read afresh");
}

#[tokio::test]
async fn off_with_one_setting() {
    let world = World::with_fixture_and(&[("JIXIAO_KEPT_ANSWERS_MB", "0")]).await;
    let submitter = world.login("submitter").await;
    let (_, text) = submitter.get("/metrics").await;
    assert!(!text.contains("jixiao_kept_answers_total"), "no kept answers to count");
    for _ in 0..3 {
        let before = jixiao_tests::statements_run(&submitter).await;
        submitter.data(LIST, json!({ "y": 2023 })).await;
        assert!(jixiao_tests::statements_run(&submitter).await > before, "every read reads the database");
    }
}

/// Every table a read may read announces its writes (migration 30); a table added later without
/// the trigger fails here (or belongs in `UNANNOUNCED`, with the reason written there).
#[tokio::test]
async fn every_table_but_the_unannounced_announces_its_writes() {
    use jixiao_migrations::m20261207_000030_change_notices::UNANNOUNCED;
    let db = jixiao_tests::TestDatabase::create().await;
    let out = jixiao(&db.url, &["migrate"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let conn = sea_orm::Database::connect(&db.url).await.unwrap();
    let rows = sea_orm::ConnectionTrait::query_all_raw(
        &conn,
        sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT t.tablename FROM pg_tables t WHERE t.schemaname = current_schema() AND NOT EXISTS (
                 SELECT 1 FROM pg_trigger g WHERE g.tgrelid = (quote_ident(t.tablename))::regclass
                 AND g.tgname = t.tablename || '_changes_noticed') ORDER BY 1",
        ),
    )
    .await
    .unwrap();
    let silent: Vec<String> = rows.iter().map(|r| r.try_get::<String>("", "tablename").unwrap()).collect();
    let mut unannounced: Vec<String> = UNANNOUNCED.iter().map(|t| t.to_string()).collect();
    unannounced.sort();
    assert_eq!(silent, unannounced, "tables whose writes would not drop kept answers");
}
