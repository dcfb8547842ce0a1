//! Running it for real: the database going away and coming back, several instances and
//! concurrent migrations, CORS, request ids, and logs without secrets.

use std::time::{Duration, Instant};

use jixiao_tests::client::error_code;
use jixiao_tests::private_pg::PrivatePostgres;
use jixiao_tests::{
    CREATE_PROJECT, Client, PASSWORD, Server, TestDatabase, World, add_user, complete_declaration, fixture_path,
    jixiao, unit_of,
};
use serde_json::json;

/// While the database is down, requests fail at once with UNAVAILABLE (not after a long wait),
/// /readyz says so, and the service recovers without a restart. What a crash does to writes in
/// flight is `crash.rs`'s question.
#[tokio::test]
async fn the_service_fails_fast_while_the_database_is_gone_and_recovers_by_itself() {
    let pg = PrivatePostgres::start();
    let url = pg.url("postgres");
    let out = jixiao(&url, &["import", fixture_path().to_str().unwrap()], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    add_user(&url, "submitter", "SUBMITTER", Some("SJQ-XFB")).await;
    let server = Server::start_with(&url, &[("JIXIAO_DB_POOL", "4")]).await;
    let client = Client::new(&server.base_url).login("submitter", PASSWORD).await;
    let unit = unit_of(&client, "SJQ-XFB").await;

    // Mutations before, during and after the outage; remember which were answered as saved.
    let mut saved = Vec::new();
    let mut refused = Vec::new();
    let create = |n: usize| {
        let c = client.clone();
        let unit = unit.clone();
        async move {
            let name = format!("断线测试 {n}");
            let r = c.gql(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, &name) })).await;
            (name, r)
        }
    };
    for n in 0..5 {
        let (name, r) = create(n).await;
        assert!(r["data"]["createProject"]["project"].is_object(), "{r}");
        saved.push(name);
    }

    pg.kill();
    for n in 5..10 {
        let started = Instant::now();
        let (name, r) = create(n).await;
        assert!(started.elapsed() < Duration::from_secs(8), "fails fast, not after {:?}", started.elapsed());
        if r["data"]["createProject"]["project"].is_object() {
            saved.push(name);
        } else {
            assert_eq!(error_code(&r), "UNAVAILABLE", "{r}");
            refused.push(name);
        }
    }
    assert!(!refused.is_empty(), "requests fail while the database is gone");
    let (status, body) = client.get("/readyz").await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(client.get("/healthz").await.0, 200, "the process itself is alive");

    pg.resume();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (name, r) = create(100 + saved.len()).await;
        if r["data"]["createProject"]["project"].is_object() {
            saved.push(name);
            break;
        }
        assert!(Instant::now() < deadline, "the service did not recover: {r}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(client.get("/readyz").await.0, 200);

    let all = client.data("{ projects(first: 100) { nodes { name } } }", json!({})).await;
    let names: Vec<String> =
        all["projects"]["nodes"].as_array().unwrap().iter().map(|n| n["name"].as_str().unwrap().to_string()).collect();
    for name in &saved {
        assert!(names.contains(name), "{name} was answered as saved and must be there");
    }
    for name in &refused {
        assert!(!names.contains(name), "{name} failed and must have left nothing");
    }
}

#[tokio::test]
async fn migrations_run_from_several_instances_at_once() {
    let db = TestDatabase::create().await;
    let runs = (0..4).map(|_| {
        let url = db.url.clone();
        tokio::spawn(async move { jixiao(&url, &["migrate"], None).await })
    });
    for run in runs.collect::<Vec<_>>() {
        let out = run.await.unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let again = jixiao(&db.url, &["migrate"], None).await;
    assert!(again.status.success());
    assert_eq!(db.store().await.pending_migrations().await.unwrap(), 0);
}

#[tokio::test]
async fn cors_request_ids_and_logs_without_secrets() {
    let world = World::with_fixture().await;
    let server = Server::start_with(&world.db.url, &[("JIXIAO_CORS_ORIGINS", "https://jixiao.example.gov.cn")]).await;
    let http = reqwest::Client::new();
    let preflight = http
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", server.base_url))
        .header("origin", "https://jixiao.example.gov.cn")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization,content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.headers()["access-control-allow-origin"], "https://jixiao.example.gov.cn");
    let other = http
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", server.base_url))
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    // The real request after the preflight: the browser reads the answer only when the origin is
    // allowed back, and the token it carries works across origins.
    let token = world.login("approver").await.token.unwrap();
    for (origin, allowed) in [("https://jixiao.example.gov.cn", true), ("https://evil.example", false)] {
        let r = http
            .post(format!("{}/graphql", server.base_url))
            .header("origin", origin)
            .bearer_auth(&token)
            .json(&json!({ "query": "{ me { username } }" }))
            .send()
            .await
            .unwrap();
        let allow = r.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_string());
        assert_eq!(allow.as_deref(), allowed.then_some(origin), "{origin}");
        if allowed {
            let body: serde_json::Value = r.json().await.unwrap();
            assert_eq!(body["data"]["me"]["username"], "approver", "{body}");
        }
    }

    let r = http
        .post(format!("{}/graphql", server.base_url))
        .header("x-request-id", "trace-123")
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "trace-123");
    let r = http
        .post(format!("{}/graphql", server.base_url))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert!(!r.headers()["x-request-id"].is_empty(), "an id is made when none is sent");

    let unknown = Client::new(&server.base_url).gql("query A { __typename }", json!({})).await;
    assert!(unknown.get("errors").is_none());
    let r = http
        .post(format!("{}/graphql", server.base_url))
        .json(&json!({ "query": "query A { __typename }", "operationName": "Nope" }))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(error_code(&r), "BAD_USER_INPUT");

    // The server's log: run a login and a failing login with a server whose log we read.
    let mut child = tokio::process::Command::new(jixiao_tests::server::binary())
        .env("DATABASE_URL", &world.db.url)
        .env("JIXIAO_JWT_SECRET", jixiao_tests::server::TEST_JWT_SECRET)
        .env("RUST_LOG", "debug")
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let log = std::sync::Arc::new(tokio::sync::Mutex::new(String::new()));
    let sink = log.clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<String>();
    tokio::spawn(async move {
        use tokio::io::AsyncBufReadExt;
        let mut lines = tokio::io::BufReader::new(stderr).lines();
        let mut tx = Some(tx);
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(rest) = line.split("serving GraphQL on ").nth(1) {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(rest.split_whitespace().next().unwrap().trim_end_matches("/graphql").to_string());
                }
            }
            sink.lock().await.push_str(&line);
            sink.lock().await.push('\n');
        }
    });
    let base = rx.await.unwrap();
    let c = Client::new(&base).login("admin", PASSWORD).await;
    let token = c.token.clone().unwrap();
    c.data("query LogProbe { me { username } }", json!({})).await;
    Client::new(&base)
        .gql("mutation { login(username: \"admin\", password: \"wrong-but-secret-pw\") { token } }", json!({}))
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    child.kill().await.unwrap();
    let text = log.lock().await.clone();
    // Each request is logged with its id, operation name and outcome (not only the start-up line).
    let probe = text.lines().find(|l| l.contains("LogProbe")).unwrap_or_else(|| panic!("no request line:\n{text}"));
    assert!(probe.contains("request_id") && probe.contains("ok"), "{probe}");
    for secret in [PASSWORD, "wrong-but-secret-pw", &token, jixiao_tests::server::TEST_JWT_SECRET] {
        assert!(!text.contains(secret), "the log must not contain {secret}");
    }
}

#[tokio::test]
async fn the_server_stays_responsive_while_abused() {
    let world = World::with_fixture().await;
    let c = world.login("admin").await;
    // The heaviest question the limits let through, asked over and over: it runs (every answer
    // is checked), so the abusers really load the server. (abuse.rs sends what is refused.)
    let heavy = "{ a: projects(first: 100) { nodes { indicators { name target { text } } } } \
                 b: projects(first: 100) { nodes { fundItems { name amount } sections { overview plan } } } }";
    let abusers: Vec<_> = (0..8)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move {
                for _ in 0..10 {
                    let r = c.gql(heavy, json!({})).await;
                    assert!(r.get("errors").is_none(), "the heavy query failed: {r}");
                    assert_eq!(r["data"]["a"]["nodes"].as_array().map(Vec::len), Some(5));
                }
            })
        })
        .collect();
    let started = Instant::now();
    for _ in 0..10 {
        let r = c.gql("{ me { username } }", json!({})).await;
        assert!(r.get("errors").is_none());
    }
    assert!(started.elapsed() < Duration::from_secs(10), "ordinary requests still answered: {:?}", started.elapsed());
    for a in abusers {
        a.await.unwrap();
    }
}

#[tokio::test]
async fn sigterm_stops_the_server_cleanly() {
    let world = World::with_fixture().await;
    let mut child = tokio::process::Command::new(jixiao_tests::server::binary())
        .env("DATABASE_URL", &world.db.url)
        .env("JIXIAO_JWT_SECRET", jixiao_tests::server::TEST_JWT_SECRET)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stderr));
    let mut log = Vec::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        let ready = line.contains("serving GraphQL on");
        log.push(line);
        if ready {
            break;
        }
    }
    let pid = child.id().unwrap().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = tokio::time::timeout(Duration::from_secs(15), child.wait())
        .await
        .expect("stops within the grace period")
        .unwrap();
    while let Ok(Some(line)) = lines.next_line().await {
        log.push(line);
    }
    assert!(status.success(), "a clean exit: {status:?}\n{}", log.join("\n"));
    let log = log.join("\n");
    assert!(log.contains("shutting down") && log.contains("stopped"), "{log}");
}

/// A write cut off by the request timeout leaves nothing behind: the create is held half-way
/// through its transaction (its project row written, its indicators waiting for a lock another
/// session holds) until the timeout answers; when the lock goes, the transaction is rolled back,
/// and the pool's connections still work.
#[tokio::test]
async fn a_write_cut_off_by_the_request_timeout_is_rolled_back() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let world = World::with_fixture().await;
    let server =
        Server::start_with(&world.db.url, &[("JIXIAO_REQUEST_TIMEOUT_MS", "1500"), ("JIXIAO_DB_POOL", "2")]).await;
    let client = Client::new(&server.base_url).login("submitter", PASSWORD).await;
    let unit = unit_of(&client, "SJQ-XFB").await;

    let db = sea_orm::Database::connect(&world.db.url).await.unwrap();
    let lock = db.begin().await.unwrap();
    lock.execute_unprepared("LOCK TABLE indicators IN SHARE MODE").await.unwrap();
    let r = client.gql(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "超时项目") })).await;
    assert_eq!(error_code(&r), "TIMEOUT", "{r}");
    lock.rollback().await.unwrap();

    // Look once no session of the server is in a transaction any more (the cut-off one rolled
    // back), not after a guessed pause.
    until_no_transaction_open(&db).await;
    let count = |sql: &'static str| scalar(&db, sql);
    assert_eq!(count("SELECT count(*) FROM projects WHERE name = '超时项目'").await, 0, "the project is not there");
    assert_eq!(
        count("SELECT count(*) FROM indicators i LEFT JOIN projects p ON p.id = i.project_id WHERE p.id IS NULL").await,
        0
    );
    // Every connection of the pool (two) still takes writes.
    for n in 0..4 {
        let r =
            client.gql(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, &format!("超时之后 {n}")) })).await;
        assert!(r["data"]["createProject"]["project"].is_object(), "{r}");
    }
}

/// After SIGTERM a request in flight gets JIXIAO_SHUTDOWN_GRACE_MS to finish, and not a moment
/// more: one that ends inside the grace period is answered (and saved); one that would outlive
/// it is cut off, its transaction rolled back, and the process is gone on time. Requests are
/// held by a lock another session keeps on the indicators table.
#[tokio::test]
async fn shutdown_waits_for_a_request_within_the_grace_period_and_cuts_off_one_beyond_it() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let world = World::with_fixture().await;
    let db = sea_orm::Database::connect(&world.db.url).await.unwrap();
    let count = |name: &'static str| {
        let db = &db;
        async move { scalar(db, &format!("SELECT count(*) FROM projects WHERE name = '{name}'")).await }
    };
    for (grace_ms, hold_ms, name, finishes) in [(5_000, 500, "宽限期内完成", true), (500, 4_000, "超出宽限期", false)]
    {
        let server = Server::start_with(&world.db.url, &[("JIXIAO_SHUTDOWN_GRACE_MS", &grace_ms.to_string())]).await;
        let client = Client::new(&server.base_url).login("submitter", PASSWORD).await;
        let unit = unit_of(&client, "SJQ-XFB").await;
        let lock = db.begin().await.unwrap();
        lock.execute_unprepared("LOCK TABLE indicators IN SHARE MODE").await.unwrap();
        let pending = tokio::spawn({
            let client = client.clone();
            let input = complete_declaration(&unit, name);
            async move { client.try_gql(CREATE_PROJECT, json!({ "input": input })).await }
        });
        // The request has reached the locked table (not merely been sent).
        until_waiting_on_a_lock(&db).await;
        let signalled = Instant::now();
        server.signal_terminate();
        tokio::time::sleep(Duration::from_millis(hold_ms.min(grace_ms + 1_000))).await;
        if finishes {
            lock.rollback().await.unwrap();
            let answer = pending.await.unwrap().expect("answered before the process ended");
            assert!(answer["data"]["createProject"]["project"].is_object(), "{answer}");
            assert!(server.exited_within(Duration::from_secs(10)).await, "exits once the request is done");
            assert_eq!(count(name).await, 1, "saved");
        } else {
            assert!(server.exited_within(Duration::from_secs(5)).await, "gone after the grace period");
            let gone_after = signalled.elapsed();
            assert!(gone_after < Duration::from_millis(grace_ms + 2_000), "stopped {gone_after:?} after SIGTERM");
            // No answer (the connection closed with the process), or an error; never "saved".
            if let Ok(answer) = pending.await.unwrap() {
                assert!(answer["data"]["createProject"].is_null() && answer["errors"].is_array(), "{answer}");
            }
            lock.rollback().await.unwrap();
            until_no_transaction_open(&db).await;
            assert_eq!(count(name).await, 0, "rolled back");
        }
    }
}

/// Waits (up to 10 s) until another session of this database waits for a lock.
async fn until_waiting_on_a_lock(db: &sea_orm::DatabaseConnection) {
    let sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
        AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'";
    until(db, sql, "a request waiting for the lock").await;
}

/// Waits (up to 10 s) until no other session of this database is running a statement or holding a
/// transaction open: whatever was cut off has rolled back.
async fn until_no_transaction_open(db: &sea_orm::DatabaseConnection) {
    let sql = "SELECT CASE WHEN count(*) = 0 THEN 1::bigint ELSE 0::bigint END FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
        AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')";
    until(db, sql, "every other session idle").await;
}

async fn until(db: &sea_orm::DatabaseConnection, sql: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while scalar(db, sql).await == 0 {
        assert!(Instant::now() < deadline, "not reached within 10 s: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The one number a `SELECT count(*) …` answers, read directly from the database.
async fn scalar(db: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}
