//! Bounded work for every input (hardening, second edition): what one submitter's workbook, one
//! query, one WebSocket or fifty guesses may cost the service, each with the sizes that broke it.
//! The tests of the process itself (memory, CPU, survival) run the release binary, as shipped.

use std::time::{Duration, Instant};

use jixiao_tests::client::error_code;
use jixiao_tests::workbooks::{sheet_xml, text_cell, xlsx};
use jixiao_tests::ws::Subscriber;
use jixiao_tests::{CREATE_PROJECT, Client, PASSWORD, Server, World, complete_declaration, jixiao, unit_of};
use serde_json::{Value, json};

const IMPORT: &str = "mutation($file: Upload!, $year: Int) {
    importDeclaration(file: $file, fiscalYear: $year) { created { id } userErrors { field message code } } }";

/// The tests that load the machine and measure the process run one at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A sheet with a value in A1 and one in XFD1048576, the last cell a sheet has: 1.6 KB that a
/// dense reader turns into 2^34 cells.
fn far_apart() -> Vec<u8> {
    let rows = format!(
        r#"<row r="1">{}</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
        text_cell("A1", "项目名称")
    );
    xlsx(&[("项目1".into(), sheet_xml(&rows))])
}

/// `sheets` sheets of `rows` × `cols` cells each, every one a number: small zipped, dense inside.
fn dense(sheets: usize, rows: usize, cols: usize) -> Vec<u8> {
    let row = format!("<row>{}</row>", "<c><v>7</v></c>".repeat(cols));
    let xml = sheet_xml(&row.repeat(rows));
    xlsx(&(1..=sheets).map(|i| (format!("项目{i}"), xml.clone())).collect::<Vec<_>>())
}

fn file_error(answer: &Value) -> String {
    let errors = &answer["data"]["importDeclaration"]["userErrors"];
    assert_eq!(errors[0]["field"], "file", "{answer}");
    errors[0]["message"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_workbook_with_cells_far_apart_is_refused_without_allocating_the_distance() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let world = World::with_fixture().await;
    let server = Server::start_release(&world.db.url, &[]).await;
    let submitter = Client::new(&server.base_url).login("submitter", PASSWORD).await;
    let bytes = far_apart();
    assert!(bytes.len() < 2048, "{} bytes", bytes.len());
    let before = server.rss_kib();
    // Four at once: each used to take 512 GiB (abort) or, closer together, gigabytes.
    let uploads: Vec<_> = (0..4)
        .map(|_| {
            let (client, bytes) = (submitter.clone(), bytes.clone());
            tokio::spawn(async move { client.upload(IMPORT, json!({ "year": 2024 }), "far.xlsx", &bytes).await })
        })
        .collect();
    for upload in uploads {
        let (status, answer) = upload.await.unwrap();
        assert_eq!(status, 200, "{answer}");
        // Read in the memory of its two cells: a form with a name and nothing else, told at its cells.
        let errors = answer["data"]["importDeclaration"]["userErrors"].as_array().expect("userErrors").clone();
        assert!(!errors.is_empty(), "{answer}");
        assert!(answer["data"]["importDeclaration"]["created"].as_array().unwrap().is_empty());
    }
    let grown = server.rss_kib().saturating_sub(before);
    assert!(grown < 64 * 1024, "memory grew by {} MiB", grown / 1024);
    assert_eq!(submitter.data("{ me { username } }", json!({})).await["me"]["username"], "submitter");

    // The command line reads it the same way: refused, not killed.
    let path = std::env::temp_dir().join(format!("far-apart-{}.xlsx", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    let out =
        jixiao(&world.db.url, &["import", path.to_str().unwrap(), "--department", "SJQ-XFB", "--year", "2024"], None)
            .await;
    std::fs::remove_file(&path).ok();
    assert_eq!(out.status.code(), Some(1), "refused with a message, not a signal: {out:?}");
    server.stop().await;
}

#[tokio::test]
async fn a_thousand_dense_sheets_stop_at_the_cell_budget_and_hold_no_other_request() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let world = World::with_fixture().await;
    let server = Server::start_release(&world.db.url, &[]).await;
    let submitter = Client::new(&server.base_url).login("submitter", PASSWORD).await;
    let approver = Client::new(&server.base_url).login("approver", PASSWORD).await;
    // 1,000 sheets of 2,100 cells: 2.1 million, past the budget of 2 million; a few hundred KB.
    let bytes = dense(1_000, 30, 70);
    assert!(bytes.len() < 1024 * 1024, "{} bytes", bytes.len());
    let uploads: Vec<_> = (0..2)
        .map(|_| {
            let (client, bytes) = (submitter.clone(), bytes.clone());
            tokio::spawn(async move { client.upload(IMPORT, json!({ "year": 2024 }), "dense.xlsx", &bytes).await })
        })
        .collect();
    // Meanwhile every other GraphQL request is answered at once: the reads take one thread
    // below serving's priority, never a GraphQL worker.
    let started = Instant::now();
    while uploads.iter().any(|u| !u.is_finished()) {
        let asked = Instant::now();
        let me = approver.data("{ me { username } }", json!({})).await;
        assert_eq!(me["me"]["username"], "approver");
        assert!(asked.elapsed() < Duration::from_secs(1), "a query waited {:?} behind the uploads", asked.elapsed());
        assert!(started.elapsed() < Duration::from_secs(60), "the uploads did not end");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for upload in uploads {
        let (_, answer) = upload.await.unwrap();
        let code = answer["errors"][0]["extensions"]["code"].as_str();
        if code == Some("RATE_LIMITED") {
            continue; // the second waited its turn too long: refused as busy, to be tried again
        }
        let message = file_error(&answer);
        assert!(message.contains("2000000"), "{message}");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_read_whose_request_timed_out_stops_instead_of_going_on_unseen() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let world = World::with_fixture().await;
    let server = Server::start_release(&world.db.url, &[("JIXIAO_REQUEST_TIMEOUT_MS", "100")]).await;
    // Signed in through the other instance: a login may take longer than this one's timeout.
    let token = world.login("submitter").await.token().to_string();
    let submitter = Client::new(&server.base_url).with_token(&token);
    // Just under the cell budget (1,990 sheets of 1,000 cells), and under the unpacked size.
    let bytes = dense(1_990, 10, 100);
    let (_, answer) = submitter.upload(IMPORT, json!({ "year": 2024 }), "slow.xlsx", &bytes).await;
    assert_eq!(error_code(&answer), "TIMEOUT", "{answer}");
    // The read stops at its next cell: the process goes idle within moments (a read that went on
    // unseen keeps a core busy for the whole file, many seconds on this machine). Measured in
    // windows of half a second until one is idle, for at most three seconds.
    let timed_out = Instant::now();
    loop {
        let before = server.cpu_ms();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let used = server.cpu_ms() - before;
        if used < 100 {
            break;
        }
        assert!(
            timed_out.elapsed() < Duration::from_secs(3),
            "the service still used {used} ms of CPU in half a second, {:?} after the upload timed out",
            timed_out.elapsed()
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn unreadable_or_empty_workbooks_are_refused_never_imported_as_nothing() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    // A sheet cut short in the middle of its XML.
    let cut =
        xlsx(&[("项目1".into(), sheet_xml(&format!("<row>{}</row>", text_cell("A1", "项目名称")))[..90].to_string())]);
    let (_, answer) = submitter.upload(IMPORT, json!({ "year": 2024 }), "cut.xlsx", &cut).await;
    let errors = &answer["data"]["importDeclaration"]["userErrors"];
    assert_eq!(errors[0]["field"], "项目1", "{answer}");
    assert!(errors[0]["message"].as_str().unwrap().contains("无法读取"), "{answer}");
    // An entity the reader does not know.
    let entity =
        xlsx(&[("项目1".into(), sheet_xml(r#"<row><c r="A1" t="inlineStr"><is><t>&unknown;</t></is></c></row>"#))]);
    let (_, answer) = submitter.upload(IMPORT, json!({ "year": 2024 }), "entity.xlsx", &entity).await;
    assert!(!answer["data"]["importDeclaration"]["userErrors"].as_array().unwrap().is_empty(), "{answer}");
    // A readable workbook with no form in it.
    let notes = xlsx(&[("说明".into(), sheet_xml(&format!("<row>{}</row>", text_cell("A1", "备注"))))]);
    let (_, answer) = submitter.upload(IMPORT, json!({ "year": 2024 }), "notes.xlsx", &notes).await;
    assert!(file_error(&answer).contains("没有可导入的申报表"), "{answer}");
}

#[tokio::test]
async fn aliased_remarks_cost_what_they_may_hold_and_histories_are_capped() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let r = submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "历史很长的项目") })).await;
    let id = r["createProject"]["project"]["id"].as_str().unwrap().to_string();
    // 300 aliases of a project's remarks (up to 200 of up to 2,000 characters each): refused
    // before anything runs, where it was costed at 20 rows of one field and took gigabytes.
    let aliases: String = (0..300).map(|i| format!(" r{i}: remarks {{ text }}")).collect();
    let r = submitter.gql(&format!("query($id: ID!) {{ project(id: $id) {{{aliases} }} }}"), json!({ "id": id })).await;
    assert_eq!(error_code(&r), "QUERY_TOO_COMPLEX", "{r}");

    // A history of 450 steps (written straight into the database): a read shows its newest 200.
    let store = world.db.store().await;
    let row = jixiao_tests::client::decode_id(&id);
    let sql = format!(
        "INSERT INTO reviews (project_id, actor_id, action, from_status, to_status, comment, at)
         SELECT {row}, (SELECT id FROM users WHERE username = 'submitter'), 'SUBMIT', 'DRAFT', 'SUBMITTED',
                'step ' || n, now() FROM generate_series(1, 450) AS n"
    );
    sea_orm::ConnectionTrait::execute_unprepared(store.connection(), &sql).await.unwrap();
    let p = submitter.data("query($id: ID!) { project(id: $id) { reviews { comment } } }", json!({ "id": id })).await;
    let reviews = p["project"]["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 200);
    assert_eq!(reviews[0]["comment"], "step 251", "oldest first among the newest 200");
    assert_eq!(reviews[199]["comment"], "step 450");
}

#[tokio::test]
async fn concurrent_guesses_get_the_free_attempts_and_no_more() {
    let world = World::with_fixture().await;
    let base = world.server.base_url.clone();
    let guesses: Vec<_> = (0..50)
        .map(|i| {
            let base = base.clone();
            tokio::spawn(async move {
                let body = json!({ "query": format!(
                    "mutation {{ login(username: \"submitter\", password: \"guess-{i}\") {{ token }} }}"
                ) });
                let r = reqwest::Client::new().post(format!("{base}/graphql")).json(&body).send().await.unwrap();
                r.json::<Value>().await.unwrap()
            })
        })
        .collect();
    let mut checked = 0;
    let mut refused = 0;
    for guess in guesses {
        match error_code(&guess.await.unwrap()) {
            "UNAUTHENTICATED" => checked += 1,
            "RATE_LIMITED" => refused += 1,
            other => panic!("{other}"),
        }
    }
    // Five free failures, then a wait of a second; a slow machine may let one more through
    // when the fifty take longer than that wait to arrive.
    assert!((5..=6).contains(&checked), "{checked} guesses had their password checked (was 50 of 50)");
    assert_eq!(checked + refused, 50);
}

#[tokio::test]
async fn caps_hold_under_concurrency() {
    let world = World::with_fixture_and(&[("JIXIAO_MAX_CREATES_PER_HOUR", "3")]).await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    // Ten creations at once against an hourly limit of three.
    let creations: Vec<_> = (0..10)
        .map(|i| {
            let (client, unit) = (submitter.clone(), unit.clone());
            tokio::spawn(async move {
                client.gql(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, &format!("并发{i}")) })).await
            })
        })
        .collect();
    let mut created = 0;
    for c in creations {
        let r = c.await.unwrap();
        if r["data"]["createProject"]["project"]["id"].is_string() {
            created += 1;
        } else {
            assert_eq!(error_code(&r), "RATE_LIMITED", "{r}");
        }
    }
    assert_eq!(created, 3, "the hourly limit held");

    // Thirty remarks at once on a project that has 190: it ends at 200, never 201.
    let approver = world.login("approver").await;
    let projects = submitter.data("{ projects(first: 1) { nodes { id } } }", json!({})).await;
    let id = projects["projects"]["nodes"][0]["id"].as_str().unwrap().to_string();
    let r = submitter
        .gql("mutation($id: ID!) { submitProject(id: $id) { project { status } } }", json!({ "id": id }))
        .await;
    assert_eq!(r["data"]["submitProject"]["project"]["status"], "SUBMITTED", "{r}");
    let row = jixiao_tests::client::decode_id(&id);
    let store = world.db.store().await;
    let sql = format!(
        "INSERT INTO review_remarks (project_id, author_id, field, text, created_at)
         SELECT {row}, (SELECT id FROM users WHERE username = 'approver'), 'name', '意见 ' || n, now()
         FROM generate_series(1, 190) AS n"
    );
    sea_orm::ConnectionTrait::execute_unprepared(store.connection(), &sql).await.unwrap();
    let add =
        "mutation($i: AddReviewRemarkInput!) { addReviewRemark(input: $i) { remark { id } userErrors { code } } }";
    let remarks: Vec<_> = (0..30)
        .map(|i| {
            let (client, id) = (approver.clone(), id.clone());
            tokio::spawn(async move {
                client
                    .gql(add, json!({ "i": { "projectId": id, "field": "name", "text": format!("并发意见{i}") } }))
                    .await
            })
        })
        .collect();
    for r in remarks {
        r.await.unwrap();
    }
    let p = approver.data("query($id: ID!) { project(id: $id) { remarks { id } } }", json!({ "id": id })).await;
    assert_eq!(p["project"]["remarks"].as_array().unwrap().len(), 200);
}

#[tokio::test]
async fn subscriptions_are_bounded_per_connection_and_per_user() {
    let world = World::with_fixture().await;
    let approver = world.login("approver").await;
    let base = &world.server.base_url;
    let subscribe = |id: String| json!({ "id": id, "type": "subscribe", "payload": { "query": "subscription { projectEvents { action } }" } });
    let (mut socket, ack) = Subscriber::connect(base, json!({ "token": approver.token() })).await;
    assert_eq!(ack.unwrap()["type"], "connection_ack");
    for i in 0..32 {
        socket.send(subscribe(i.to_string())).await;
    }
    socket.send(subscribe("one-too-many".into())).await;
    let refused = socket.next(Duration::from_secs(5)).await.expect("an answer").expect("still open");
    assert_eq!(refused["id"], "one-too-many", "{refused}");
    assert_eq!(refused["type"], "error");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "RATE_LIMITED", "{refused}");
    // A subscription completed by the client gives its slot back.
    socket.send(json!({ "id": "0", "type": "complete" })).await;
    let done = socket.next(Duration::from_secs(5)).await.expect("an answer").expect("still open");
    assert_eq!((done["type"].as_str(), done["id"].as_str()), (Some("complete"), Some("0")), "{done}");
    socket.send(subscribe("in-its-place".into())).await;
    assert!(socket.next(Duration::from_millis(500)).await.is_none(), "accepted: nothing is answered until an event");

    // Over several connections, one user holds at most 128.
    let mut others = Vec::new();
    let mut refusals = 0;
    for c in 0..4 {
        let (mut s, ack) = Subscriber::connect(base, json!({ "token": approver.token() })).await;
        assert_eq!(ack.unwrap()["type"], "connection_ack");
        for i in 0..32 {
            s.send(subscribe(format!("{c}-{i}"))).await;
        }
        while let Some(Ok(m)) = s.next(Duration::from_millis(300)).await {
            assert_eq!(m["payload"][0]["extensions"]["code"], "RATE_LIMITED", "{m}");
            refusals += 1;
        }
        others.push(s);
    }
    assert_eq!(refusals, 32, "128 open in all, the other 32 refused");
    // Another user is not held back by the first one's.
    let submitter = world.login("submitter").await;
    let mut own =
        Subscriber::subscribe(base, submitter.token(), "mine", "subscription { projectEvents { action } }").await;
    assert!(own.next(Duration::from_millis(300)).await.is_none());
}

#[tokio::test]
async fn lists_that_had_no_bound_have_one() {
    let world = World::with_fixture().await;
    let admin = world.login("admin").await;
    // A year's monitoring rounds: 24 at most (and so a project's reports).
    let open = "mutation($n: String!) { openMonitoringRound(input: { fiscalYear: 2024, name: $n, asOf: \"2024-06-30\", dueDate: \"2024-07-15\" }) { round { id } userErrors { field code } } }";
    for n in 0..24 {
        let r = admin.data(open, json!({ "n": format!("第{n}轮") })).await;
        assert!(r["openMonitoringRound"]["round"]["id"].is_string(), "{r}");
    }
    let r = admin.data(open, json!({ "n": "第二十五轮" })).await;
    assert_eq!(r["openMonitoringRound"]["userErrors"][0]["field"], "fiscalYear", "{r}");
    // An approver's departments: 500 at most (more is the same as none: every department).
    let store = world.db.store().await;
    let sql = "INSERT INTO departments (code, name, created_at) SELECT 'D' || n, '部门' || n, now() FROM generate_series(1, 501) AS n;
        INSERT INTO approver_assignments (user_id, department_id, assigned_at)
        SELECT (SELECT id FROM users WHERE username = 'approver'), id, now() FROM departments WHERE code LIKE 'D%' AND code <> 'D501'";
    sea_orm::ConnectionTrait::execute_unprepared(store.connection(), sql).await.unwrap();
    let ids = admin
        .data(
            "{ users(filter: { nameContains: \"approver\" }) { nodes { id } } department(code: \"D501\") { id } }",
            json!({}),
        )
        .await;
    let assign = "mutation($u: ID!, $d: ID!) { assignApprover(input: { userId: $u, departmentId: $d }) { userErrors { field code } } }";
    let r = admin.data(assign, json!({ "u": ids["users"]["nodes"][0]["id"], "d": ids["department"]["id"] })).await;
    assert_eq!(r["assignApprover"]["userErrors"][0]["field"], "departmentId", "{r}");
}
