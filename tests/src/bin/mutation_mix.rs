//! The benchmark's mutation mix: each worker declares a project, edits it and submits it, over
//! and over, for a fixed time. wrk cannot drive this (each step needs the id and version the
//! previous one returned), so this small driver does, and reports like wrk: requests/s and the
//! latency percentiles of every request.
//!
//! mutation_mix BASE_URL TOKEN UNIT_ID CONNECTIONS SECONDS
//! mutation_mix --postgraphile5 GRAPHQL_URL DEPARTMENT_ID UNIT_ID CONNECTIONS SECONDS
//!
//! The second form does the same writes through PostGraphile 5's generated mutations on the same
//! tables (`bench/writes_side_by_side.sh`): the project, then its two fund items and three
//! indicators in one request, the edit and the submit as patches. No check runs (no totals, no
//! targets parsed, no permission, no history row, no audit record): a floor for what a write costs.
//! Both print the projects declared, edited and submitted per second beside the requests.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

async fn post(http: &reqwest::Client, url: &str, token: &str, query: &str, variables: Value) -> (Duration, Value) {
    let started = Instant::now();
    let mut request = http.post(url).json(&json!({ "query": query, "variables": variables }));
    if !token.is_empty() {
        request = request.bearer_auth(token);
    }
    let r = request.send().await.expect("request");
    let body: Value = r.json().await.expect("JSON response");
    (started.elapsed(), body)
}

/// What a worker did: the latency of every request, the iterations that failed somewhere, and
/// the projects declared, edited and submitted in full.
#[derive(Default)]
struct Done {
    latencies: Vec<Duration>,
    errors: u64,
    projects: u64,
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: mutation_mix BASE_URL TOKEN UNIT_ID CONNECTIONS SECONDS\n       mutation_mix --postgraphile5 GRAPHQL_URL DEPARTMENT_ID UNIT_ID CONNECTIONS SECONDS";
    let (postgraphile, args) = match args.get(1).map(String::as_str) {
        Some("--postgraphile5") => (true, &args[2..]),
        _ => (false, &args[1..]),
    };
    let [target, who, unit, connections, seconds] = args else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let connections: usize = connections.parse().expect("connections");
    let deadline = Instant::now() + Duration::from_secs(seconds.parse().expect("seconds"));
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..connections {
        let (target, who, unit) = (target.clone(), who.clone(), unit.clone());
        workers.push(tokio::spawn(async move {
            if postgraphile {
                postgraphile5(&target, &who, &unit, w, deadline).await
            } else {
                jixiao(&format!("{target}/graphql"), &who, &unit, w, deadline).await
            }
        }));
    }
    let mut all = Done::default();
    for w in workers {
        let done = w.await.expect("worker");
        all.latencies.extend(done.latencies);
        all.errors += done.errors;
        all.projects += done.projects;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let latencies = &mut all.latencies;
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    println!(
        "requests {} seconds {elapsed:.1} rps {:.0} p50_ms {:.2} p99_ms {:.2} errors {} projects {} per_second {:.0}",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99),
        all.errors,
        all.projects,
        all.projects as f64 / elapsed
    );
}

/// Jixiao: `createProject` (with its rows), `updateProject`, `submitProject`, as a submitter.
async fn jixiao(url: &str, token: &str, unit: &str, w: usize, deadline: Instant) -> Done {
    let http = reqwest::Client::new();
    let run_id = std::process::id();
    let mut done = Done::default();
    let mut i = 0u64;
    while Instant::now() < deadline {
        i += 1;
        let mut input = jixiao_tests::complete_declaration(unit, &format!("压测项目 {run_id}-{w}-{i}"));
        input["fiscalYear"] = json!(2024);
        input["plannedStart"] = json!("2024-03-01");
        input["plannedEnd"] = json!("2024-12-31");
        let (t, r) = post(&http, url, token, jixiao_tests::CREATE_PROJECT, json!({ "input": input })).await;
        done.latencies.push(t);
        let Some(id) = r["data"]["createProject"]["project"]["id"].as_str().map(str::to_string) else {
            done.errors += 1;
            continue;
        };
        let update = "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { version } userErrors { code } } }";
        let edit = json!({ "input": { "id": id, "expectedVersion": 1, "annualGoal": "年度目标（已修改）" } });
        let (t, r) = post(&http, url, token, update, edit).await;
        done.latencies.push(t);
        let edited = !r["data"]["updateProject"]["project"].is_null();
        let submit = "mutation($id: ID!) { submitProject(id: $id) { project { status } userErrors { code } } }";
        let (t, r) = post(&http, url, token, submit, json!({ "id": id })).await;
        done.latencies.push(t);
        let submitted = !r["data"]["submitProject"]["project"].is_null();
        if edited && submitted {
            done.projects += 1;
        } else {
            done.errors += 1;
        }
    }
    done
}

/// The same project through PostGraphile 5's generated mutations: the row, then its rows in one
/// request, then the edit and the submit as patches (the columns Jixiao's steps write).
async fn postgraphile5(url: &str, department: &str, unit: &str, w: usize, deadline: Instant) -> Done {
    const CREATE: &str = "mutation($p: ProjectInput!) { createProject(input: { project: $p }) { project { rowId } } }";
    const ROWS: &str = "mutation($f1: FundItemInput!, $f2: FundItemInput!, $i1: IndicatorInput!, $i2: IndicatorInput!, $i3: IndicatorInput!) {
        f1: createFundItem(input: { fundItem: $f1 }) { clientMutationId } f2: createFundItem(input: { fundItem: $f2 }) { clientMutationId }
        i1: createIndicator(input: { indicator: $i1 }) { clientMutationId } i2: createIndicator(input: { indicator: $i2 }) { clientMutationId }
        i3: createIndicator(input: { indicator: $i3 }) { clientMutationId } }";
    const PATCH: &str = "mutation($id: BigInt!, $patch: ProjectPatch!) { updateProject(input: { rowId: $id, patch: $patch }) { project { version } } }";
    let http = reqwest::Client::new();
    let run_id = std::process::id();
    let mut done = Done::default();
    let mut i = 0u64;
    while Instant::now() < deadline {
        i += 1;
        let now = chrono::Utc::now().to_rfc3339();
        let project = json!({ "p": {
            "departmentId": department, "implementingUnitId": unit, "fiscalYear": 2024,
            "name": format!("压测项目 pg5 {run_id}-{w}-{i}"), "category": "ONE_OFF", "status": "DRAFT", "version": 1,
            "plannedStart": "2024-03-01", "plannedEnd": "2024-12-31", "overview": "概述", "basis": "", "implementingBody": "",
            "plan": "", "cycle": "", "budgetArrangement": "年度预算 1.5 万元", "overallGoal": "化解信访矛盾", "annualGoal": "全年化解信访矛盾",
            "totalFen": "1500000", "fiscalFen": "1500000", "otherFen": "0", "annualRequestFen": "1500000",
            "currentYearAppropriationFen": "1500000", "carryoverFen": "0", "annualOtherFen": "0",
            "createdAt": now, "updatedAt": now } });
        let (t, r) = post(&http, url, "", CREATE, project).await;
        done.latencies.push(t);
        let Some(id) = r["data"]["createProject"]["project"]["rowId"].as_str().map(str::to_string) else {
            if done.errors == 0 {
                eprintln!("createProject: {r}");
            }
            done.errors += 1;
            continue;
        };
        let fund = |position: i32, name: &str, fen: &str| json!({ "projectId": id, "position": position, "name": name, "amountFen": fen });
        let indicator = |position: i32, level1: &str, level2: &str, name: &str, target: &str| json!({ "projectId": id, "position": position, "level1": level1, "level2": level2, "name": name, "targetText": target });
        let rows = json!({
            "f1": fund(0, "调解员补贴", "1000000"), "f2": fund(1, "场地", "500000"),
            "i1": indicator(0, "OUTPUT", "QUANTITY", "调解完成率", "≥95%"),
            "i2": indicator(1, "BENEFIT", "SOCIAL_BENEFIT", "矛盾化解率", "提高"),
            "i3": indicator(2, "SATISFACTION", "SERVICE_SATISFACTION", "群众满意度", "＞＝90％"),
        });
        let (t, r) = post(&http, url, "", ROWS, rows).await;
        done.latencies.push(t);
        let rows_made = r.get("errors").is_none();
        let edit = json!({ "id": id, "patch": { "annualGoal": "年度目标（已修改）", "version": 2, "updatedAt": chrono::Utc::now().to_rfc3339() } });
        let (t, r) = post(&http, url, "", PATCH, edit).await;
        done.latencies.push(t);
        let edited = r.get("errors").is_none();
        let at = chrono::Utc::now().to_rfc3339();
        let submit =
            json!({ "id": id, "patch": { "status": "SUBMITTED", "version": 3, "submittedAt": at, "updatedAt": at } });
        let (t, r) = post(&http, url, "", PATCH, submit).await;
        done.latencies.push(t);
        if rows_made && edited && r.get("errors").is_none() {
            done.projects += 1;
        } else {
            if done.errors == 0 {
                eprintln!("a write failed: {r}");
            }
            done.errors += 1;
        }
    }
    done
}
