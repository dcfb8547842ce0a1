//! Subscriptions under load (bounded, loopback, the release build): 1,000 open subscriptions on
//! one instance (100 approvers, 90 submitters in each of 10 departments) while 600 submits are
//! made at 100 a second. Every event reaches every entitled subscriber exactly once and no one
//! else. The delivery latency and the server's memory are printed (BENCHMARKS.md has them); the
//! test asserts what is delivered, not how fast.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jixiao_tests::client::Client;
use jixiao_tests::server::{Server, until_listening};
use jixiao_tests::ws::Subscriber;
use jixiao_tests::{CREATE_PROJECT, PASSWORD, World, add_user, complete_declaration};
use serde_json::json;

const DEPARTMENTS: usize = 10;
const DRAFTS_PER_DEPARTMENT: usize = 60;
const APPROVER_SUBSCRIBERS: usize = 100;
const SUBSCRIBERS_PER_DEPARTMENT: usize = 90;
const SUBMITS_PER_SECOND: u64 = 100;

const EVENTS: &str = "subscription { projectEvents { projectId action at } }";

async fn metric(base_url: &str, name: &str) -> u64 {
    jixiao_tests::metric(&Client::new(base_url), name).await
}

/// How many times autovacuum has vacuumed or analysed this database's tables so far.
async fn autovacuum_runs(store: &jixiao_store::Store) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let sql = "SELECT (coalesce(sum(autovacuum_count + autoanalyze_count), 0))::int8 AS n FROM pg_stat_user_tables";
    let row = store.connection().query_one_raw(Statement::from_string(store.connection().get_database_backend(), sql));
    row.await.unwrap().unwrap().try_get::<i64>("", "n").unwrap()
}

/// Milliseconds from `at` (RFC 3339) to now, by the wall clock.
fn since_ms(at: &str) -> i64 {
    chrono::Utc::now().timestamp_millis() - chrono::DateTime::parse_from_rfc3339(at).unwrap().timestamp_millis()
}

fn percentile<T: Copy>(sorted: &[T], p: f64) -> T {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_subscribers_each_get_what_they_may_see_at_a_hundred_submits_a_second() {
    let world = World::with_fixture().await;
    let server = Server::start_release(&world.db.url, &[("JIXIAO_MAX_CREATES_PER_HOUR", "5000")]).await;
    until_listening(&server.base_url).await;
    let admin = world.login("admin").await;
    let mut departments = Vec::new();
    for d in 0..DEPARTMENTS {
        let r = admin
            .data(
                "mutation($c: String!) { createDepartment(input: { code: $c, name: $c }) { department { id } } }",
                json!({ "c": format!("LOAD-{d}") }),
            )
            .await;
        let dept = r["createDepartment"]["department"]["id"].as_str().unwrap().to_string();
        let r = admin
            .data(
                "mutation($d: ID!, $c: String!) { createBudgetUnit(input: { departmentId: $d, code: $c, name: $c }) { budgetUnit { id } } }",
                json!({ "d": dept, "c": format!("LOAD-{d}-U") }),
            )
            .await;
        let unit = r["createBudgetUnit"]["budgetUnit"]["id"].as_str().unwrap().to_string();
        add_user(&world.db.url, &format!("load-{d}"), "SUBMITTER", Some(&format!("LOAD-{d}"))).await;
        let submitter = Client::new(&server.base_url).login(&format!("load-{d}"), PASSWORD).await;
        let mut drafts = Vec::new();
        for i in 0..DRAFTS_PER_DEPARTMENT {
            let r = submitter
                .data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, &format!("负载项目 {d}-{i}")) }))
                .await;
            drafts.push(r["createProject"]["project"]["id"].as_str().unwrap().to_string());
        }
        departments.push((submitter, drafts));
    }
    let approver = Client::new(&server.base_url).login("approver", PASSWORD).await;
    let rss_before = server.rss_kib();

    // 1,000 subscribers, each counting what it hears, with the moment it heard it and how long
    // after the step was written (its `at`, by the wall clock both sides share).
    type Heard = Arc<Mutex<Vec<(String, String, Instant, i64)>>>;
    let mut subscribers: Vec<(Option<usize>, Heard, tokio::task::JoinHandle<()>)> = Vec::new();
    let expected_total = DEPARTMENTS * DRAFTS_PER_DEPARTMENT;
    let who: Vec<Option<usize>> = (0..APPROVER_SUBSCRIBERS)
        .map(|_| None)
        .chain((0..DEPARTMENTS).flat_map(|d| (0..SUBSCRIBERS_PER_DEPARTMENT).map(move |_| Some(d))))
        .collect();
    for batch in who.chunks(50) {
        let mut opened = Vec::new();
        for &department in batch {
            let token = match department {
                None => approver.token().to_string(),
                Some(d) => departments[d].0.token().to_string(),
            };
            let base = server.base_url.clone();
            opened.push(tokio::spawn(
                async move { (department, Subscriber::subscribe(&base, &token, "1", EVENTS).await) },
            ));
        }
        for handle in opened {
            let (department, mut subscriber) = handle.await.unwrap();
            let heard: Heard = Arc::default();
            let expected = if department.is_none() { expected_total } else { DRAFTS_PER_DEPARTMENT };
            let log = heard.clone();
            let task = tokio::spawn(async move {
                while log.lock().unwrap().len() < expected {
                    match subscriber.event(Duration::from_secs(30)).await {
                        Some(data) => {
                            let e = &data["projectEvents"];
                            let id = e["projectId"].as_str().unwrap().to_string();
                            let action = e["action"].as_str().unwrap().to_string();
                            let after_step = since_ms(e["at"].as_str().unwrap());
                            log.lock().unwrap().push((id, action, Instant::now(), after_step));
                        }
                        None => return,
                    }
                }
                // Anything more within a moment is more than it should get.
                if let Some(Ok(extra)) = subscriber.next(Duration::from_millis(500)).await {
                    let e = &extra["payload"]["data"]["projectEvents"];
                    log.lock().unwrap().push((e["projectId"].to_string(), "EXTRA".into(), Instant::now(), 0));
                }
            });
            subscribers.push((department, heard, task));
        }
    }
    for _ in 0..200 {
        if metric(&server.base_url, "jixiao_subscriptions_open").await == who.len() as u64 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(metric(&server.base_url, "jixiao_subscriptions_open").await, who.len() as u64);
    let rss_subscribed = server.rss_kib();
    // As a benchmark does once its data is loaded (bench/run.sh): the tables just filled are
    // vacuumed and analysed now, so that autovacuum does not come to them in the timed phase.
    let store = world.db.store().await;
    sea_orm::ConnectionTrait::execute_unprepared(store.connection(), "VACUUM ANALYZE").await.unwrap();
    let vacuumed_by_then = autovacuum_runs(&store).await;

    // 100 submits a second, departments in turn.
    let sent: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    // How long each submit itself took (request to response).
    let answered: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let peak = Arc::new(Mutex::new(rss_subscribed));
    let sampler = {
        let (peak, pid_rss) = (peak.clone(), server.pid());
        tokio::spawn(async move {
            loop {
                let status = std::fs::read_to_string(format!("/proc/{pid_rss}/status")).unwrap_or_default();
                let rss = status
                    .lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                    .unwrap_or(0);
                {
                    let mut p = peak.lock().unwrap();
                    *p = (*p).max(rss);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let started = Instant::now();
    let mut ticker = tokio::time::interval(Duration::from_micros(1_000_000 / SUBMITS_PER_SECOND));
    let mut submits = Vec::new();
    for i in 0..DRAFTS_PER_DEPARTMENT {
        for (submitter, drafts) in &departments {
            ticker.tick().await;
            let (client, id, sent, answered) = (submitter.clone(), drafts[i].clone(), sent.clone(), answered.clone());
            submits.push(tokio::spawn(async move {
                let asked = Instant::now();
                sent.lock().unwrap().insert(id.clone(), asked);
                let r = client
                    .data("mutation($id: ID!) { submitProject(id: $id) { project { status } } }", json!({ "id": id }))
                    .await;
                answered.lock().unwrap().push(asked.elapsed());
                assert_eq!(r["submitProject"]["project"]["status"], "SUBMITTED", "{r}");
            }));
        }
    }
    for s in submits {
        s.await.unwrap();
    }
    let submitting = started.elapsed();
    let autovacuum_in_timed_phase = autovacuum_runs(&store).await - vacuumed_by_then;
    for (_, _, task) in &mut subscribers {
        let _ = tokio::time::timeout(Duration::from_secs(60), task).await;
    }
    sampler.abort();

    // Every entitled subscriber heard every submit it may see, once, and nothing else.
    let sent = sent.lock().unwrap().clone();
    let department_of: HashMap<&str, usize> = departments
        .iter()
        .enumerate()
        .flat_map(|(d, (_, drafts))| drafts.iter().map(move |id| (id.as_str(), d)))
        .collect();
    let mut latencies = Vec::new();
    let mut after_step = Vec::new();
    // When the slow deliveries were asked for, by tenth of a second of the run: a stall shows
    // as a few neighbouring tenths, a steady cost as many spread out.
    let mut late_by_tenth: std::collections::BTreeMap<u128, usize> = Default::default();
    for (department, heard, _) in &subscribers {
        let heard = heard.lock().unwrap();
        let ids: Vec<&str> = heard.iter().map(|(id, _, _, _)| id.as_str()).collect();
        let distinct: HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(distinct.len(), ids.len(), "each event once");
        assert!(heard.iter().all(|(_, action, _, _)| action == "SUBMIT"), "only the submits happened");
        let expected: HashSet<&str> = match department {
            None => department_of.keys().copied().collect(),
            Some(d) => department_of.iter().filter(|(_, dd)| *dd == d).map(|(id, _)| *id).collect(),
        };
        assert_eq!(distinct, expected, "subscriber of {department:?} heard exactly what it may see");
        for (id, _, at, ms) in heard.iter() {
            let latency = at.duration_since(sent[id]);
            latencies.push(latency);
            after_step.push(*ms);
            if latency > Duration::from_millis(50) {
                *late_by_tenth.entry(sent[id].duration_since(started).as_millis() / 100).or_default() += 1;
            }
        }
    }
    latencies.sort();
    after_step.sort();
    let mut answered = answered.lock().unwrap().clone();
    answered.sort();
    // Where the time went: the submit's own answer (the write), and from the step's time to the
    // subscriber (the delivery).
    println!(
        "submits answered in p50 {:?} p99 {:?} max {:?}; from the step's time to the subscriber p50 {} ms p99 {} ms max {} ms; deliveries over 50 ms by the tenth of a second their submit was asked in: {late_by_tenth:?}; autovacuum runs in the timed phase: {autovacuum_in_timed_phase}",
        percentile(&answered, 0.5),
        percentile(&answered, 0.99),
        answered.last().unwrap(),
        percentile(&after_step, 0.5),
        percentile(&after_step, 0.99),
        after_step.last().unwrap(),
    );
    let deliveries = latencies.len();
    let peak = *peak.lock().unwrap();
    println!(
        "subscription load: {} subscribers, {} submits in {:.1} s ({:.0}/s), {} deliveries; latency from request p50 {:?} p95 {:?} p99 {:?} max {:?}; server RSS {} MB before, {} MB with the subscribers, {} MB peak",
        who.len(),
        expected_total,
        submitting.as_secs_f64(),
        expected_total as f64 / submitting.as_secs_f64(),
        deliveries,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        latencies.last().unwrap(),
        rss_before / 1024,
        rss_subscribed / 1024,
        peak / 1024,
    );
    assert_eq!(
        deliveries,
        APPROVER_SUBSCRIBERS * expected_total + DEPARTMENTS * SUBSCRIBERS_PER_DEPARTMENT * DRAFTS_PER_DEPARTMENT
    );
    assert!(metric(&server.base_url, "jixiao_subscription_events_sent_total").await >= deliveries as u64);
}
