//! The audit trail (安全审计): every login, write, download and change of a user, with who, when,
//! from where, what and the outcome, and never a secret; read by admins and security auditors
//! only (auditors nothing else); append-only at the database; `jixiao audit verify` finds a
//! record altered or removed behind its back; pruning by age leaves a record of itself.

use jixiao_tests::client::error_code;
use jixiao_tests::{CREATE_PROJECT, Client, PASSWORD, World, add_user, complete_declaration, jixiao, unit_of};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const TRAIL: &str = "query($f: AuditLogFilter, $first: Int) { auditLog(filter: $f, first: $first) { totalCount
    nodes { at actorId actor address requestId operation objectIds versionBefore versionAfter outcome detail } } }";

async fn trail(admin: &Client, filter: Value) -> Vec<Value> {
    let r = admin.data(TRAIL, json!({ "f": filter, "first": 100 })).await;
    r["auditLog"]["nodes"].as_array().unwrap().clone()
}

async fn sql(world: &World, statement: &str) -> Result<(), String> {
    let store = world.db.store().await;
    store.connection().execute_unprepared(statement).await.map(|_| ()).map_err(|e| e.to_string())
}

#[tokio::test]
async fn every_kind_of_event_is_recorded_with_who_where_and_how_it_ended() {
    let world = World::with_fixture().await;
    let admin = world.login("admin").await;
    // Logins, right and wrong.
    let submitter = world.login("submitter").await;
    let wrong = world
        .anonymous()
        .gql("mutation { login(username: \"submitter\", password: \"not it at all\") { token } }", json!({}))
        .await;
    assert_eq!(error_code(&wrong), "UNAUTHENTICATED");
    let logins = trail(&admin, json!({ "operation": "login" })).await;
    assert!(logins.iter().any(|l| l["actor"] == "submitter" && l["outcome"] == "ok"), "{logins:?}");
    assert!(logins.iter().any(|l| l["actor"] == "submitter" && l["outcome"] == "UNAUTHENTICATED"), "{logins:?}");
    assert!(logins.iter().all(|l| l["address"] == "127.0.0.1"), "{logins:?}");

    // A write, with the request id the client sent, the object it created and its version.
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let body = json!({ "query": CREATE_PROJECT, "variables": { "input": complete_declaration(&unit, "审计的项目") } });
    let r: Value = reqwest::Client::new()
        .post(format!("{}/graphql", world.server.base_url))
        .bearer_auth(submitter.token())
        .header("x-request-id", "audit-test-1")
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = r["data"]["createProject"]["project"]["id"].as_str().unwrap().to_string();
    let created = trail(&admin, json!({ "objectId": id })).await;
    assert_eq!(created.len(), 1, "{created:?}");
    let c = &created[0];
    assert_eq!(
        (&c["operation"], &c["actor"], &c["requestId"], &c["outcome"], &c["versionAfter"]),
        (&json!("mutation.createProject"), &json!("submitter"), &json!("audit-test-1"), &json!("ok"), &json!(1)),
        "{c}"
    );
    assert!(c["actorId"].is_string());
    // An edit names the version it expected and the one it made.
    let edit = "mutation($id: ID!) { updateProject(input: { id: $id, expectedVersion: 1, name: \"改过名的项目\" }) { project { version } userErrors { code } } }";
    let e = submitter.data(edit, json!({ "id": id })).await;
    assert_eq!(e["updateProject"]["project"]["version"], 2, "{e}");
    let edits = trail(&admin, json!({ "objectId": id, "operation": "mutation.updateProject" })).await;
    assert_eq!((&edits[0]["versionBefore"], &edits[0]["versionAfter"]), (&json!(1), &json!(2)), "{edits:?}");
    // Refused and rejected writes are there too, with their outcome.
    let approver = world.login("approver").await;
    approver.gql("mutation($id: ID!) { approveProject(id: $id) { project { id } } }", json!({ "id": id })).await;
    let refused = trail(&admin, json!({ "objectId": id, "operation": "mutation.approveProject" })).await;
    assert_eq!(refused[0]["outcome"], "NOT_FOUND", "a draft is not the approver's to see: {refused:?}");
    submitter.data("mutation($id: ID!) { updateProject(input: { id: $id, expectedVersion: 1, name: \"x\" }) { userErrors { code } } }", json!({ "id": id })).await;
    let stale = trail(&admin, json!({ "objectId": id, "outcome": "rejected" })).await;
    assert_eq!(stale.len(), 1, "the stale version was rejected: {stale:?}");

    // Downloads of a form and of a book.
    for path in [format!("/export/projects/{id}.xlsx"), "/export/declarations/SJQ-XFB/2023.xlsx".to_string()] {
        let status = reqwest::Client::new()
            .get(format!("{}{path}", world.server.base_url))
            .bearer_auth(submitter.token())
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 200);
    }
    assert_eq!(trail(&admin, json!({ "operation": "download.form", "objectId": id })).await.len(), 1);
    assert_eq!(trail(&admin, json!({ "operation": "download.book" })).await[0]["outcome"], "ok");

    // Changes of users and roles, through GraphQL and the command line.
    let create = "mutation { createUser(input: { username: \"wang\", password: \"a long password\", role: APPROVER }) { user { id } } }";
    let wang = admin.data(create, json!({})).await["createUser"]["user"]["id"].as_str().unwrap().to_string();
    let role = "mutation($id: ID!) { updateUser(input: { id: $id, role: ADMIN }) { user { role } } }";
    admin.data(role, json!({ "id": wang })).await;
    let changes = trail(&admin, json!({ "objectId": wang })).await;
    let operations: Vec<&str> = changes.iter().map(|c| c["operation"].as_str().unwrap()).collect();
    assert_eq!(operations, ["mutation.updateUser", "mutation.createUser"], "newest first");
    let cli = trail(&admin, json!({ "operation": "cli.user.add" })).await;
    assert_eq!(cli.len(), 3, "the three users of the world were added by the command line: {cli:?}");
    assert!(cli.iter().all(|c| c["actor"] == "operator" && c["address"] == "local"));
    assert_eq!(trail(&admin, json!({ "operation": "cli.import" })).await[0]["outcome"], "ok");

    // Never a password: not the right one, not a wrong one, not a new one.
    let everything = admin.raw(TRAIL, json!({ "first": 100 })).await;
    for secret in [PASSWORD, "not it at all", "a long password"] {
        assert!(!everything.contains(secret), "{secret} is in the trail");
    }
}

#[tokio::test]
async fn only_admins_and_security_auditors_read_the_trail_and_auditors_read_nothing_else() {
    let world = World::with_fixture().await;
    add_user(&world.db.url, "auditor", "SECURITY_AUDITOR", None).await;
    for who in ["submitter", "approver"] {
        let r = world.login(who).await.gql(TRAIL, json!({})).await;
        assert_eq!(error_code(&r), "FORBIDDEN", "{who}: {r}");
    }
    let auditor = world.login("auditor").await;
    let r = auditor.data(TRAIL, json!({ "f": { "operation": "login" } })).await;
    assert!(r["auditLog"]["totalCount"].as_i64().unwrap() >= 1, "{r}");
    assert_eq!(auditor.data("{ me { username role } }", json!({})).await["me"]["role"], "SECURITY_AUDITOR");
    for read in ["{ projects(first: 1) { totalCount } }", "{ departments { totalCount } }", "{ users { totalCount } }"]
    {
        assert_eq!(error_code(&auditor.gql(read, json!({})).await), "FORBIDDEN", "{read}");
    }
    let get = |path: &str| {
        let (base, token) = (world.server.base_url.clone(), auditor.token().to_string());
        let path = path.to_string();
        async move { reqwest::Client::new().get(format!("{base}{path}")).bearer_auth(token).send().await.unwrap() }
    };
    assert_eq!(get("/export/declarations/SJQ-XFB/2023.xlsx").await.status(), 403);
    // The trail as a workbook, for the auditor.
    let book = get("/export/audit.xlsx").await;
    assert_eq!(book.status(), 200);
    let bytes = book.bytes().await.unwrap().to_vec();
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range("审计日志").unwrap();
    assert_eq!(sheet.get_value((0, 6)), Some(&calamine::Data::String("操作".into())));
    assert!(sheet.height() > 3, "a row per record");
    // NUL in a filter of the address: no such record, not INTERNAL.
    assert_eq!(get("/export/audit.xlsx?operation=a%00b").await.status(), 200);
}

#[tokio::test]
async fn the_trail_refuses_tampering_and_verify_finds_what_was_done_behind_its_back() {
    let world = World::with_fixture().await;
    world.login("submitter").await;
    world.login("approver").await;
    // Records written at once through two instances (each writes in groups) make one chain
    // (40 failures: under the address throttle's 50).
    let second = jixiao_tests::Server::start(&world.db.url).await;
    let attempts: Vec<_> = (0..40)
        .map(|i| {
            let base = if i % 2 == 0 { world.server.base_url.clone() } else { second.base_url.clone() };
            tokio::spawn(async move {
                let body = json!({ "query": format!("mutation {{ login(username: \"nobody-{i}\", password: \"guess\") {{ token }} }}") });
                reqwest::Client::new().post(format!("{base}/graphql")).json(&body).send().await.unwrap();
            })
        })
        .collect();
    for attempt in attempts {
        attempt.await.unwrap();
    }
    let admin = world.login("admin").await;
    let tried = admin.data(TRAIL, json!({ "f": { "operation": "login", "outcome": "UNAUTHENTICATED" } })).await;
    assert_eq!(tried["auditLog"]["totalCount"], 40, "{tried}");
    for tampering in ["UPDATE audit_log SET outcome = 'ok'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
        let refused = sql(&world, tampering).await.expect_err(tampering);
        assert!(refused.contains("append-only"), "{refused}");
    }
    let verify = || jixiao(&world.db.url, &["audit", "verify"], None);
    let out = verify().await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("审计日志完好"));

    // Someone who may turn the triggers off alters a record: verify names it.
    let behind_its_back = |statement: &str| {
        format!(
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; {statement}; \
             ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"
        )
    };
    let third = "(SELECT id FROM audit_log ORDER BY id OFFSET 2 LIMIT 1)";
    sql(&world, &behind_its_back(&format!("UPDATE audit_log SET outcome = 'FORBIDDEN' WHERE id = {third}")))
        .await
        .unwrap();
    let out = verify().await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("被改动"), "{}", String::from_utf8_lossy(&out.stderr));
    sql(&world, &behind_its_back(&format!("UPDATE audit_log SET outcome = 'ok' WHERE id = {third}"))).await.unwrap();
    assert!(verify().await.status.success(), "put back as it was, it holds again");
    // Or removes one.
    sql(&world, &behind_its_back(&format!("DELETE FROM audit_log WHERE id = {third}"))).await.unwrap();
    let out = verify().await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("缺少"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn pruning_removes_what_is_older_than_the_retention_and_leaves_a_record_of_itself() {
    let world = World::with_fixture().await;
    let admin = world.login("admin").await;
    // The first two records are made a year old (their hashes no longer hold: they go).
    sql(
        &world,
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; \
         UPDATE audit_log SET at = at - interval '400 days' WHERE id IN (SELECT id FROM audit_log ORDER BY id LIMIT 2); \
         ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only",
    )
    .await
    .unwrap();
    let before = admin.data(TRAIL, json!({})).await["auditLog"]["totalCount"].as_i64().unwrap();
    let out = jixiao(&world.db.url, &["audit", "prune"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("已删除 2 条"), "{}", String::from_utf8_lossy(&out.stdout));
    let pruned = trail(&admin, json!({ "operation": "audit.prune" })).await;
    assert_eq!(pruned.len(), 1);
    assert!(pruned[0]["detail"].as_str().unwrap().contains("removed=2"), "{pruned:?}");
    let after = admin.data(TRAIL, json!({})).await["auditLog"]["totalCount"].as_i64().unwrap();
    assert!(after >= before - 2 + 1, "{before} → {after}");
    let verify = jixiao(&world.db.url, &["audit", "verify"], None).await;
    assert!(verify.status.success(), "the rest of the chain holds: {}", String::from_utf8_lossy(&verify.stderr));
    // A retention under six months is allowed, loudly.
    let out = jixiao(&world.db.url, &["audit", "prune", "--retention-days", "30"], None).await;
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("警告"), "{}", String::from_utf8_lossy(&out.stderr));
}
