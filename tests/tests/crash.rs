//! The database crashes (killed at once, as by a power cut) while many writers are in the middle
//! of whole declarations and workflow steps. Afterwards every write the service acknowledged is
//! there and whole (its fund items, indicators, findings and review rows), and no project
//! anywhere is half-written.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jixiao_tests::private_pg::PrivatePostgres;
use jixiao_tests::{
    CREATE_PROJECT, Client, PASSWORD, Server, add_user, complete_declaration, fixture_path, jixiao, unit_of,
};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};
use tokio::sync::Mutex;

/// One write and what the service answered.
#[derive(Debug)]
struct Write {
    /// The project's name (unique), which identifies it in the database.
    project: String,
    /// What the project's status must be when the write was acknowledged (None for a create:
    /// it must only be there).
    status: Option<&'static str>,
    acknowledged: bool,
    started: Instant,
}

#[derive(Default)]
struct Journal(Mutex<Vec<Write>>);

impl Journal {
    async fn note(
        &self,
        project: &str,
        status: Option<&'static str>,
        r: &Value,
        field: &str,
        started: Instant,
    ) -> bool {
        let acknowledged = r["data"][field]["project"].is_object() && r["data"][field]["userErrors"] == json!([]);
        if !acknowledged {
            // A refused write must fail as the database's absence, not as anything else.
            let code = r["errors"][0]["extensions"]["code"].as_str();
            assert!(matches!(code, Some("UNAVAILABLE" | "TIMEOUT")), "{field} of {project}: {r}");
        }
        self.0.lock().await.push(Write { project: project.to_string(), status, acknowledged, started });
        acknowledged
    }
}

const SUBMIT: &str = "mutation($id: ID!) { submitProject(id: $id) { project { id } userErrors { code } } }";

async fn create(c: &Client, unit: &str, name: &str) -> Value {
    c.gql(CREATE_PROJECT, json!({ "input": complete_declaration(unit, name) })).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_crash_under_concurrent_writes_keeps_every_acknowledged_write_whole_and_nothing_half_written() {
    let pg = PrivatePostgres::start();
    let url = pg.url("postgres");
    let out = jixiao(&url, &["import", fixture_path().to_str().unwrap()], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    add_user(&url, "submitter", "SUBMITTER", Some("SJQ-XFB")).await;
    add_user(&url, "approver", "APPROVER", None).await;
    let server = Server::start_with(&url, &[("JIXIAO_DB_POOL", "8"), ("JIXIAO_MAX_CREATES_PER_HOUR", "100000")]).await;
    let submitter = Client::new(&server.base_url).login("submitter", PASSWORD).await;
    let approver = Client::new(&server.base_url).login("approver", PASSWORD).await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;

    // Projects waiting for the approvers while the database goes down.
    let waiting = Arc::new(Mutex::new(Vec::new()));
    for n in 0..40 {
        let name = format!("崩溃测试 待审 {n}");
        let r = create(&submitter, &unit, &name).await;
        let id = r["data"]["createProject"]["project"]["id"].as_str().unwrap().to_string();
        submitter.data(SUBMIT, json!({ "id": id })).await;
        waiting.lock().await.push((name, id));
    }

    let journal = Arc::new(Journal::default());
    let stop = Arc::new(AtomicBool::new(false));
    let created = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for w in 0..8 {
        let (c, unit, journal, stop, created) =
            (submitter.clone(), unit.clone(), journal.clone(), stop.clone(), created.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let name = format!("崩溃测试 {w}-{i}");
                let started = Instant::now();
                let r = create(&c, &unit, &name).await;
                if !journal.note(&name, None, &r, "createProject", started).await {
                    continue;
                }
                created.fetch_add(1, Ordering::Relaxed);
                let id = r["data"]["createProject"]["project"]["id"].as_str().unwrap().to_string();
                let started = Instant::now();
                let r = c.gql(SUBMIT, json!({ "id": id })).await;
                journal.note(&name, Some("SUBMITTED"), &r, "submitProject", started).await;
            }
        }));
    }
    for a in 0..2 {
        let (c, waiting, journal, stop) = (approver.clone(), waiting.clone(), journal.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let Some((name, id)) = waiting.lock().await.pop() else { break };
                let (op, status, extra) = if a == 0 {
                    ("approveProject", "APPROVED", "comment: \"同意\"")
                } else {
                    ("rejectProject", "REJECTED", "reason: \"请补充测算依据\"")
                };
                let q = format!(
                    "mutation($id: ID!) {{ {op}(id: $id, {extra}) {{ project {{ id }} userErrors {{ code }} }} }}"
                );
                let started = Instant::now();
                let r = c.gql(&q, json!({ "id": id })).await;
                journal.note(&name, Some(status), &r, op, started).await;
                // Pace the approvers so that some projects still wait when the crash comes.
                tokio::time::sleep(Duration::from_millis(30)).await;
            }
        }));
    }

    // The crash, once the writers are well under way.
    let deadline = Instant::now() + Duration::from_secs(60);
    while created.load(Ordering::Relaxed) < 12 {
        assert!(Instant::now() < deadline, "the writers did not get going");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let crashed_at = Instant::now();
    pg.crash();
    // The database is gone once the kill has been sent and its processes have exited: on a
    // loaded machine that is 100 ms and more after `crashed_at`, and writes started meanwhile
    // may still be answered. A write was in flight if it started before then and was not
    // acknowledged.
    let gone_at = Instant::now();
    // The writers go on until the outage has been met: a write started after the database was
    // gone has come back failed (waited for, not a guessed length of outage).
    let deadline = Instant::now() + Duration::from_secs(30);
    while !journal.0.lock().await.iter().any(|w| w.started > gone_at && !w.acknowledged) {
        assert!(Instant::now() < deadline, "no write started after the crash came back failed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    let writes = std::mem::take(&mut *journal.0.lock().await);
    let in_flight = writes.iter().filter(|w| w.started < gone_at && !w.acknowledged).count();
    let summary: Vec<String> = writes
        .iter()
        .map(|w| {
            format!(
                "{}{:+}ms",
                if w.acknowledged { "ok" } else { "failed" },
                w.started.duration_since(crashed_at.min(w.started)).as_millis() as i64
                    - crashed_at.duration_since(w.started.min(crashed_at)).as_millis() as i64
            )
        })
        .collect();
    assert!(in_flight > 0, "at least one write was in flight when the database died: {summary:?}");
    assert!(writes.iter().any(|w| w.acknowledged && w.status.is_some()), "transitions were acknowledged too");

    pg.resume();
    let deadline = Instant::now() + Duration::from_secs(30);
    while submitter.get("/readyz").await.0 != 200 {
        assert!(Instant::now() < deadline, "the service did not recover");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // What the database holds, project by project, read directly.
    let db = Database::connect(&url).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT p.name, p.status,
                (SELECT count(*) FROM fund_items f WHERE f.project_id = p.id) AS items,
                (SELECT coalesce(sum(f.amount_fen), 0)::bigint FROM fund_items f WHERE f.project_id = p.id) AS items_fen,
                (SELECT count(*) FROM indicators i WHERE i.project_id = p.id) AS indicators,
                (SELECT count(*) FROM project_findings x WHERE x.project_id = p.id) AS findings,
                (SELECT string_agg(r.action || ':' || r.from_status || '>' || r.to_status, ',' ORDER BY r.id)
                   FROM reviews r WHERE r.project_id = p.id) AS reviews
             FROM projects p WHERE p.name LIKE '崩溃测试%'",
        ))
        .await
        .unwrap();
    let mut stored = HashMap::new();
    for row in rows {
        let name: String = row.try_get("", "name").unwrap();
        let status: String = row.try_get("", "status").unwrap();
        let reviews: Option<String> = row.try_get("", "reviews").unwrap();
        let counts: Vec<i64> =
            ["items", "items_fen", "indicators", "findings"].iter().map(|c| row.try_get("", c).unwrap()).collect();
        stored.insert(name, (status, counts, reviews.unwrap_or_default()));
    }

    // Whole: what complete_declaration sends (2 items of 15,000.00 yuan, 3 indicators, the
    // findings the assistant computes for it), and a review row for every step its status took.
    let expected_findings = submitter
        .data(
            "query($n: String!) { projects(filter: { nameContains: $n }) { nodes { findings { code } } } }",
            json!({ "n": "崩溃测试 待审 0" }),
        )
        .await["projects"]["nodes"][0]["findings"]
        .as_array()
        .unwrap()
        .len() as i64;
    for (name, (status, counts, reviews)) in &stored {
        assert_eq!(
            counts,
            &[2, 1_500_000, 3, expected_findings],
            "{name} is whole: items, their sum, indicators, findings"
        );
        let steps = match status.as_str() {
            "DRAFT" => "",
            "SUBMITTED" => "SUBMIT:DRAFT>SUBMITTED",
            "APPROVED" => "SUBMIT:DRAFT>SUBMITTED,APPROVE:SUBMITTED>APPROVED",
            "REJECTED" => "SUBMIT:DRAFT>SUBMITTED,REJECT:SUBMITTED>REJECTED",
            other => panic!("{name}: unexpected status {other}"),
        };
        assert_eq!(reviews, steps, "{name} ({status}): one review row per step, none without its status");
    }
    // Acknowledged: there, in the status the step left it in. Failed: absent, or whole (checked
    // above) when the database committed it and the answer was lost with the connection, the
    // one case no client of a database can rule out.
    let (mut lost_answers, mut acknowledged) = (0, 0);
    for w in &writes {
        let found = stored.get(&w.project);
        match (w.acknowledged, w.status, found) {
            (true, None, found) => assert!(found.is_some(), "{} was acknowledged as created and is gone", w.project),
            (true, Some(status), Some((now, ..))) => {
                assert_eq!(now, status, "{}: the acknowledged step holds", w.project)
            }
            (true, Some(_), None) => panic!("{} was acknowledged and is gone", w.project),
            (false, None, Some(_)) => lost_answers += 1,
            (false, Some(status), Some((now, ..))) if now == status => lost_answers += 1,
            (false, ..) => {}
        }
        acknowledged += usize::from(w.acknowledged);
    }
    eprintln!(
        "{} writes ({acknowledged} acknowledged, {in_flight} in flight at the crash), {} projects stored, \
         {lost_answers} failed writes whose transaction had committed",
        writes.len(),
        stored.len()
    );
}
