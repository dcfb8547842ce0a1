//! What operators and their tools ask of an instance: `/healthz` (the process answers),
//! `/readyz` (the database answers and its migrations are current; each replica's state, which
//! never makes an instance unready) and `/metrics` (Prometheus, with the replicas' lag and reads).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use jixiao_store::replicas::{ReplicaSet, ReplicaState};

use super::AppState;

pub(super) async fn healthz() -> &'static str {
    "ok"
}

/// Prometheus text; with `JIXIAO_METRICS_TOKEN` set, only for `Authorization: Bearer <token>`
/// (compared in constant time).
pub(super) async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(expected) = &state.limits.metrics_token {
        let given =
            headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if !given.is_some_and(|g| constant_time_eq(g.trim().as_bytes(), expected.as_bytes())) {
            return (StatusCode::UNAUTHORIZED, "send the metrics token as Authorization: Bearer <token>\n")
                .into_response();
        }
    }
    let mut text = state.metrics.render(&state.store, &state.check_store);
    if let Some(replicas) = &state.replicas {
        replica_metrics(replicas, &mut text);
    }
    if let Some(answers) = &state.answers {
        kept_answers_metrics(&answers.stats(), &mut text);
    }
    {
        use std::fmt::Write;
        let _ = writeln!(
            text,
            "# HELP jixiao_subscription_feeds Subscriptions run once for all their subscribers of a class."
        );
        let _ = writeln!(text, "# TYPE jixiao_subscription_feeds gauge");
        let _ = writeln!(text, "jixiao_subscription_feeds {}", state.feeds.running());
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}

/// Reads answered from kept answers or not, and what is kept.
fn kept_answers_metrics(stats: &crate::kept_answers::KeptAnswersStats, out: &mut String) {
    use std::fmt::Write;
    // Each family: its name, kind, help and lines (labels, value).
    type Family<'a> = (&'a str, &'a str, &'a str, Vec<(&'a str, String)>);
    let families: [Family; 4] = [
        (
            "jixiao_kept_answers_total",
            "counter",
            "Reads that could be answered from kept answers, by whether one was there.",
            vec![("{result=\"hit\"}", stats.hits.to_string()), ("{result=\"miss\"}", stats.misses.to_string())],
        ),
        (
            "jixiao_kept_answers_gone_total",
            "counter",
            "Kept answers let go: evicted for room, or dropped because the data changed.",
            vec![("{why=\"evicted\"}", stats.evicted.to_string()), ("{why=\"changed\"}", stats.dropped.to_string())],
        ),
        ("jixiao_kept_answers", "gauge", "Answers kept now.", vec![("", stats.entries.to_string())]),
        (
            "jixiao_kept_answers_bytes",
            "gauge",
            "Bytes of keys and answers kept now, and the room for them.",
            vec![("{of=\"kept\"}", stats.bytes.to_string()), ("{of=\"room\"}", stats.room.to_string())],
        ),
    ];
    for (name, kind, help, lines) in families {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} {kind}");
        for (labels, value) in lines {
            let _ = writeln!(out, "{name}{labels} {value}");
        }
    }
}

/// Each replica's state and lag, and how many reads went where.
fn replica_metrics(replicas: &ReplicaSet, out: &mut String) {
    use std::fmt::Write;
    let states = replicas.states();
    let mut family = |name: &str, kind: &str, help: &str, lines: Vec<(String, String)>| {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} {kind}");
        for (labels, value) in lines {
            let _ = writeln!(out, "{name}{labels} {value}");
        }
    };
    let each = |value: &dyn Fn(&ReplicaState) -> String| -> Vec<(String, String)> {
        states.iter().map(|s| (format!("{{replica=\"{}\"}}", s.label), value(s))).collect()
    };
    family(
        "jixiao_replica_up",
        "gauge",
        "Whether the replica answers its probe (1) or not (0).",
        each(&|s| u8::from(s.answering).to_string()),
    );
    family(
        "jixiao_replica_in_use",
        "gauge",
        "Whether reads may go to the replica now (answering, within the lag bound).",
        each(&|s| u8::from(s.in_use).to_string()),
    );
    family(
        "jixiao_replica_lag_seconds",
        "gauge",
        "Time since the newest primary state the replica holds (NaN: unknown).",
        each(&|s| s.lag.map_or("NaN".to_string(), |lag| format!("{:.3}", lag.as_secs_f64()))),
    );
    let (on_primary, fallbacks) = replicas.reads_on_primary();
    let mut reads = vec![("{on=\"primary\"}".to_string(), on_primary.to_string())];
    reads.extend(states.iter().map(|s| (format!("{{on=\"{}\"}}", s.label), s.reads.to_string())));
    family("jixiao_reads_total", "counter", "Reads (queries, downloads) by where they ran.", reads);
    family(
        "jixiao_replica_fallbacks_total",
        "counter",
        "Reads a replica failed, run again on the primary.",
        vec![(String::new(), fallbacks.to_string())],
    );
    family(
        "jixiao_replica_remembered_writers",
        "gauge",
        "Users whose last write is remembered for read-your-writes.",
        vec![(String::new(), replicas.remembered_writers().to_string())],
    );
}

/// Each replica's state for `/readyz`: the instance is ready without them (reads go to the
/// primary), so they are reported, never a reason to be unready.
fn replica_report(replicas: Option<&ReplicaSet>) -> serde_json::Value {
    let Some(replicas) = replicas else { return json!([]) };
    replicas
        .states()
        .into_iter()
        .map(|s| {
            json!({
                "replica": s.label,
                "answering": s.answering,
                "inUse": s.in_use,
                "lagMs": s.lag.map(|lag| lag.as_millis() as u64),
                "reads": s.reads,
            })
        })
        .collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(super) async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if let Err(e) = state.store.ping().await {
        tracing::warn!(error = %e, "readiness: database does not answer");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "ready": false, "reason": "the database does not answer" })),
        );
    }
    match state.store.pending_migrations().await {
        Ok(0) => {
            (StatusCode::OK, Json(json!({ "ready": true, "replicas": replica_report(state.replicas.as_deref()) })))
        }
        Ok(n) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "ready": false, "reason": format!("{n} migrations are pending: run `jixiao migrate`") })),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: cannot read migrations");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "ready": false, "reason": "the migration state cannot be read" })),
            )
        }
    }
}
