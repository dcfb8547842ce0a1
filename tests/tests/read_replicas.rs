//! Reads on a streaming replica (JIXIAO_REPLICA_URLS) with the real parts: a private primary, a
//! replica made from it with `pg_basebackup`, two instances of the service. Replay is paused
//! (`pg_wal_replay_pause()`) to make the replica's older state visible: a writer never sees it, on
//! either instance, while another user does; a replica lagging beyond the bound, or stopped, is
//! skipped without an error reaching anyone, and used again once it is back.

use std::time::{Duration, Instant};

use jixiao_tests::private_pg::PrivatePostgres;
use jixiao_tests::{
    CREATE_PROJECT, Client, PASSWORD, Server, add_user, complete_declaration, fixture_path, jixiao, unit_of,
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};

const NAMES: &str = "{ projects(first: 100) { nodes { name } } }";

/// The names of the projects `client` reads, asserting the read had no error.
async fn names(client: &Client) -> Vec<String> {
    let r = client.gql(NAMES, json!({})).await;
    assert!(r["errors"].is_null(), "a read reached the client with an error: {r}");
    r["data"]["projects"]["nodes"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()).collect()
}

async fn readyz_replica(server: &Server) -> Value {
    let (status, body) = Client::new(&server.base_url).get("/readyz").await;
    assert_eq!(status, 200, "an instance is ready whatever its replicas do: {body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    body["replicas"][0].clone()
}

/// Waits until `server` says its replica is (or is not) in use.
async fn until_in_use(server: &Server, in_use: bool, why: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let state = readyz_replica(server).await;
        if state["inUse"] == json!(in_use) {
            return state;
        }
        assert!(Instant::now() < deadline, "{why}: the replica's state stayed {state}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn text(db: &DatabaseConnection, sql: &str) -> String {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get::<String>("", "v").unwrap()
}

/// Waits until the replica has replayed everything the primary has written so far.
async fn until_caught_up(primary: &DatabaseConnection, replica: &DatabaseConnection) {
    let target = text(primary, "SELECT pg_current_wal_lsn()::text AS v").await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let sql = format!("SELECT (pg_last_wal_replay_lsn() >= '{target}'::pg_lsn)::text AS v");
        if text(replica, &sql).await == "true" {
            return;
        }
        assert!(Instant::now() < deadline, "the replica did not replay up to {target}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn pause_replay(replica: &DatabaseConnection) {
    replica.execute_unprepared("SELECT pg_wal_replay_pause()").await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while text(replica, "SELECT pg_get_wal_replay_pause_state() AS v").await != "paused" {
        assert!(Instant::now() < deadline, "replay did not pause");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The reads `server` counted on its replica (`/metrics`).
async fn replica_reads(server: &Server) -> u64 {
    let (_, body) = Client::new(&server.base_url).get("/metrics").await;
    body.lines()
        .find(|l| l.starts_with("jixiao_reads_total{on=\"127.0.0.1:"))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no replica reads in /metrics:\n{body}"))
}

async fn create(client: &Client, unit: &str, name: &str) {
    let r = client.gql(CREATE_PROJECT, json!({ "input": complete_declaration(unit, name) })).await;
    assert!(r["data"]["createProject"]["project"].is_object(), "{r}");
}

#[tokio::test]
async fn reads_go_to_a_replica_and_nobody_reads_behind_their_own_writes() {
    let primary = PrivatePostgres::start();
    let url = primary.url("postgres");
    let out = jixiao(&url, &["import", fixture_path().to_str().unwrap()], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    add_user(&url, "submitter", "SUBMITTER", Some("SJQ-XFB")).await;
    add_user(&url, "admin", "ADMIN", None).await;
    let replica = primary.replica();
    let replica_url = replica.url("postgres");
    let primary_db = Database::connect(&url).await.unwrap();
    let replica_db = Database::connect(&replica_url).await.unwrap();

    // Where reads go is what is tested: no answer is kept (a kept one is read nowhere).
    let env = [
        ("JIXIAO_REPLICA_URLS", replica_url.as_str()),
        ("JIXIAO_REPLICA_MAX_LAG_MS", "60000"),
        ("JIXIAO_KEPT_ANSWERS_MB", "0"),
    ];
    let a = Server::start_with(&url, &env).await;
    let b = Server::start_with(&url, &env).await;
    until_in_use(&a, true, "instance A never used its replica").await;
    until_in_use(&b, true, "instance B never used its replica").await;
    let writer_on_a = Client::new(&a.base_url).login("submitter", PASSWORD).await;
    let writer_on_b = Client::new(&b.base_url).login("submitter", PASSWORD).await;
    let other = Client::new(&a.base_url).login("admin", PASSWORD).await;
    let unit = unit_of(&writer_on_a, "SJQ-XFB").await;
    until_caught_up(&primary_db, &replica_db).await;
    let before = replica_reads(&a).await;
    assert_eq!(names(&other).await.len(), 5, "the seed's five projects");
    assert!(replica_reads(&a).await > before, "a read by someone who has not written since goes to the replica");

    // Replay paused: the replica keeps its state of now while the primary moves on.
    pause_replay(&replica_db).await;
    create(&writer_on_a, &unit, "副本测试一").await;
    assert!(names(&writer_on_a).await.contains(&"副本测试一".to_string()), "the writer reads their write at once");
    assert!(
        names(&writer_on_b).await.contains(&"副本测试一".to_string()),
        "and so on another instance, which heard where the write ended"
    );
    let before = replica_reads(&a).await;
    assert!(!names(&other).await.contains(&"副本测试一".to_string()), "another user reads the replica's older state");
    assert!(replica_reads(&a).await > before, "from the replica");
    replica_db.execute_unprepared("SELECT pg_wal_replay_resume()").await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !names(&other).await.contains(&"副本测试一".to_string()) {
        assert!(Instant::now() < deadline, "the replica never showed the write after replay resumed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A replica further behind than the bound is skipped, and used again once caught up.
    let strict = Server::start_with(
        &url,
        &[
            ("JIXIAO_REPLICA_URLS", replica_url.as_str()),
            ("JIXIAO_REPLICA_MAX_LAG_MS", "300"),
            ("JIXIAO_KEPT_ANSWERS_MB", "0"),
        ],
    )
    .await;
    until_in_use(&strict, true, "the strict instance never used its replica").await;
    let other_on_strict = Client::new(&strict.base_url).login("admin", PASSWORD).await;
    until_caught_up(&primary_db, &replica_db).await;
    pause_replay(&replica_db).await;
    create(&writer_on_a, &unit, "副本测试二").await;
    let state = until_in_use(&strict, false, "a replica lagging beyond 300 ms stayed in use").await;
    assert_eq!(state["answering"], json!(true), "it answers; it is only late: {state}");
    assert!(names(&other_on_strict).await.contains(&"副本测试二".to_string()), "so the primary answers");
    assert_eq!(readyz_replica(&a).await["inUse"], json!(true), "while a 60 s bound still takes it");
    replica_db.execute_unprepared("SELECT pg_wal_replay_resume()").await.unwrap();
    until_in_use(&strict, true, "a replica that caught up was not used again").await;

    let slow_probe = Server::start_with(
        &url,
        &[
            ("JIXIAO_REPLICA_URLS", replica_url.as_str()),
            ("JIXIAO_REPLICA_PROBE_MS", "20000"),
            ("JIXIAO_KEPT_ANSWERS_MB", "0"),
        ],
    )
    .await;
    until_in_use(&slow_probe, true, "the slowly probing instance never used its replica").await;
    let other_on_slow_probe = Client::new(&slow_probe.base_url).login("admin", PASSWORD).await;
    until_caught_up(&primary_db, &replica_db).await;

    // The replica stopped under reads: those it cuts run again on the primary, the rest go there
    // at once, and no error reaches anyone.
    let reading = tokio::spawn({
        let other = other.clone();
        async move {
            let started = Instant::now();
            let mut reads = 0;
            while started.elapsed() < Duration::from_secs(3) {
                assert!(names(&other).await.contains(&"副本测试二".to_string()));
                reads += 1;
            }
            reads
        }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    replica.kill();
    let reads = reading.await.expect("no read failed while the replica went away");
    assert!(reads > 20, "reads went on: {reads}");
    // An instance that asks only every 20 s still sends reads there: each fails, runs again on the
    // primary, and answers.
    for _ in 0..5 {
        assert!(names(&other_on_slow_probe).await.contains(&"副本测试二".to_string()));
    }
    let state = until_in_use(&a, false, "a stopped replica stayed in use").await;
    assert_eq!(state["answering"], json!(false), "{state}");
    let (_, metrics) = Client::new(&a.base_url).get("/metrics").await;
    assert!(metrics.contains("jixiao_replica_up{replica=\"127.0.0.1:"), "{metrics}");
    assert!(!metrics.contains("postgres@"), "no credentials in the metrics");
    let (_, metrics) = Client::new(&slow_probe.base_url).get("/metrics").await;
    let fallbacks = metrics.lines().find_map(|l| l.strip_prefix("jixiao_replica_fallbacks_total ")).unwrap_or("0");
    assert!(fallbacks.parse::<u64>().unwrap() > 0, "reads cut on the replica ran again on the primary:\n{metrics}");

    // Back: used again by itself.
    replica.resume();
    until_in_use(&a, true, "a replica that came back was not used again").await;
    let before = replica_reads(&a).await;
    assert!(names(&other).await.contains(&"副本测试二".to_string()));
    assert!(replica_reads(&a).await > before, "reads go to the replica again");
}
