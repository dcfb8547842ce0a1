//! The benchmark's mutation mix: each worker declares a project, edits it and submits it, over
//! and over, for a fixed time. wrk cannot drive this (each step needs the id and version the
//! previous one returned), so this small driver does, and reports like wrk: requests/s and the
//! latency percentiles of every request.
//!
//! mutation_mix BASE_URL TOKEN UNIT_ID CONNECTIONS SECONDS

use std::time::{Duration, Instant};

use serde_json::{Value, json};

async fn post(http: &reqwest::Client, url: &str, token: &str, query: &str, variables: Value) -> (Duration, Value) {
    let started = Instant::now();
    let r = http
        .post(url)
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("request");
    let body: Value = r.json().await.expect("JSON response");
    (started.elapsed(), body)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, token, unit, connections, seconds] = args.as_slice() else {
        eprintln!("usage: mutation_mix BASE_URL TOKEN UNIT_ID CONNECTIONS SECONDS");
        std::process::exit(2);
    };
    let connections: usize = connections.parse().expect("connections");
    let deadline = Instant::now() + Duration::from_secs(seconds.parse().expect("seconds"));
    let url = format!("{base}/graphql");
    let run_id = std::process::id();
    let mut workers = Vec::new();
    for w in 0..connections {
        let (url, token, unit) = (url.clone(), token.clone(), unit.clone());
        workers.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut i = 0u64;
            while Instant::now() < deadline {
                i += 1;
                let mut input = jixiao_tests::complete_declaration(&unit, &format!("压测项目 {run_id}-{w}-{i}"));
                input["fiscalYear"] = json!(2024);
                input["plannedStart"] = json!("2024-03-01");
                input["plannedEnd"] = json!("2024-12-31");
                let (t, r) = post(&http, &url, &token, jixiao_tests::CREATE_PROJECT, json!({ "input": input })).await;
                latencies.push(t);
                let Some(id) = r["data"]["createProject"]["project"]["id"].as_str().map(str::to_string) else {
                    errors += 1;
                    continue;
                };
                let update = "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { version } userErrors { code } } }";
                let (t, r) = post(&http, &url, &token, update, json!({ "input": { "id": id, "expectedVersion": 1, "annualGoal": "年度目标（已修改）" } })).await;
                latencies.push(t);
                errors += u64::from(r["data"]["updateProject"]["project"].is_null());
                let submit = "mutation($id: ID!) { submitProject(id: $id) { project { status } userErrors { code } } }";
                let (t, r) = post(&http, &url, &token, submit, json!({ "id": id })).await;
                latencies.push(t);
                errors += u64::from(r["data"]["submitProject"]["project"].is_null());
            }
            (latencies, errors)
        }));
    }
    let started = Instant::now();
    let mut all = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.await.expect("worker");
        all.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    println!(
        "requests {} seconds {elapsed:.1} rps {:.0} p50_ms {:.2} p99_ms {:.2} errors {errors}",
        all.len(),
        all.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99)
    );
}
