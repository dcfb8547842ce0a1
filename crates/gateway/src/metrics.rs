//! Prometheus metrics, kept in this process (each instance is scraped on its own): requests by
//! operation and outcome, request latency, login failures, SQL statements and pool use.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use jixiao_store::Store;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];
/// Operation names are chosen by clients: only this many distinct ones get their own series.
const MAX_OPERATIONS: usize = 200;

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<HashMap<(String, &'static str), u64>>,
    latency_buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_micros: AtomicU64,
    login_failures: AtomicU64,
    /// Subscriptions open on this instance, and events sent to them.
    pub subscriptions_open: AtomicU64,
    pub subscription_events_sent: AtomicU64,
    /// Form checks answered on their lane (`graphql/form_lane.rs`), read straight into the input.
    pub form_checks_on_lane: AtomicU64,
}

impl Metrics {
    /// Counts one request. `operation` is the client's operation name, kept only when it looks
    /// like one and there is room; otherwise it counts as `other`.
    pub fn record_request(&self, operation: Option<&str>, outcome: &'static str, elapsed: Duration) {
        let mut requests = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        let name = match operation {
            Some(op) if op.len() <= 64 && op.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => op,
            Some(_) => "other",
            None => "anonymous",
        };
        let known = requests.len() < MAX_OPERATIONS || requests.contains_key(&(name.to_string(), outcome));
        let key = (if known { name } else { "other" }.to_string(), outcome);
        *requests.entry(key).or_default() += 1;
        drop(requests);
        let seconds = elapsed.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                self.latency_buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_micros.fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    pub fn record_login_failure(&self) {
        self.login_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text exposition.
    pub fn render(&self, store: &Store, check_store: &Store) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# HELP jixiao_requests_total GraphQL requests by operation name and outcome.");
        let _ = writeln!(out, "# TYPE jixiao_requests_total counter");
        let mut rows: Vec<_> = self.requests.lock().unwrap_or_else(|e| e.into_inner()).clone().into_iter().collect();
        rows.sort();
        for ((op, outcome), n) in rows {
            let _ = writeln!(out, "jixiao_requests_total{{operation=\"{op}\",outcome=\"{outcome}\"}} {n}");
        }
        let _ = writeln!(out, "# HELP jixiao_request_duration_seconds GraphQL request latency.");
        let _ = writeln!(out, "# TYPE jixiao_request_duration_seconds histogram");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "jixiao_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                self.latency_buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(out, "jixiao_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(
            out,
            "jixiao_request_duration_seconds_sum {}",
            self.latency_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "jixiao_request_duration_seconds_count {count}");
        let _ = writeln!(out, "# HELP jixiao_login_failures_total Refused logins.");
        let _ = writeln!(out, "# TYPE jixiao_login_failures_total counter");
        let _ = writeln!(out, "jixiao_login_failures_total {}", self.login_failures.load(Ordering::Relaxed));
        let _ = writeln!(out, "# HELP jixiao_subscriptions_open GraphQL subscriptions open on this instance.");
        let _ = writeln!(out, "# TYPE jixiao_subscriptions_open gauge");
        let _ = writeln!(out, "jixiao_subscriptions_open {}", self.subscriptions_open.load(Ordering::Relaxed));
        let _ = writeln!(out, "# HELP jixiao_subscription_events_sent_total Events sent to subscriptions.");
        let _ = writeln!(out, "# TYPE jixiao_subscription_events_sent_total counter");
        let _ = writeln!(
            out,
            "jixiao_subscription_events_sent_total {}",
            self.subscription_events_sent.load(Ordering::Relaxed)
        );
        let _ = writeln!(out, "# HELP jixiao_form_checks_on_lane_total Form checks read straight into their input.");
        let _ = writeln!(out, "# TYPE jixiao_form_checks_on_lane_total counter");
        let _ = writeln!(out, "jixiao_form_checks_on_lane_total {}", self.form_checks_on_lane.load(Ordering::Relaxed));
        let _ = writeln!(out, "# HELP jixiao_events_listening Whether this instance hears events for its subscribers.");
        let _ = writeln!(out, "# TYPE jixiao_events_listening gauge");
        let _ = writeln!(out, "jixiao_events_listening {}", u8::from(store.events_listening()));
        let _ = writeln!(out, "# HELP jixiao_events_heard_total Notices of changes this instance has handled.");
        let _ = writeln!(out, "# TYPE jixiao_events_heard_total counter");
        let _ = writeln!(out, "jixiao_events_heard_total {}", store.events_heard());
        let sql = store.statement_counts();
        let _ = writeln!(out, "# HELP jixiao_sql_statements_total SQL statements run by this instance.");
        let _ = writeln!(out, "# TYPE jixiao_sql_statements_total counter");
        let _ = writeln!(out, "jixiao_sql_statements_total {}", sql.statements);
        let _ = writeln!(out, "jixiao_sql_statements_failed_total {}", sql.failed);
        let _ = writeln!(out, "jixiao_sql_statement_seconds_total {}", sql.total_micros as f64 / 1e6);
        let users = store.user_cache_stats();
        let _ = writeln!(out, "# HELP jixiao_user_cache_total Callers' users found kept (hit) or read (miss).");
        let _ = writeln!(out, "# TYPE jixiao_user_cache_total counter");
        let _ = writeln!(out, "jixiao_user_cache_total{{result=\"hit\"}} {}", users.hits);
        let _ = writeln!(out, "jixiao_user_cache_total{{result=\"miss\"}} {}", users.misses);
        let _ = writeln!(
            out,
            "# HELP jixiao_user_cache_listening Whether user changes are being listened for (else nothing is kept)."
        );
        let _ = writeln!(out, "# TYPE jixiao_user_cache_listening gauge");
        let _ = writeln!(out, "jixiao_user_cache_listening {}", u8::from(users.listening));
        let names = store.indicator_names_cache_stats();
        let _ = writeln!(
            out,
            "# HELP jixiao_indicator_names_cache_total Form checks whose compared projects were found kept (hit) or read (miss)."
        );
        let _ = writeln!(out, "# TYPE jixiao_indicator_names_cache_total counter");
        let _ = writeln!(out, "jixiao_indicator_names_cache_total{{result=\"hit\"}} {}", names.hits);
        let _ = writeln!(out, "jixiao_indicator_names_cache_total{{result=\"miss\"}} {}", names.misses);
        // Both pools: the GraphQL runtime's and the form checks' (`http.rs`), as PostgreSQL counts them.
        let pools = [store.pool_state(), check_store.pool_state()];
        let both = pools.into_iter().flatten().reduce(|(size, idle), (s, i)| (size + s, idle + i));
        if let Some((size, idle)) = both {
            let _ = writeln!(out, "# HELP jixiao_db_pool_connections Database connections open and idle (both pools).");
            let _ = writeln!(out, "# TYPE jixiao_db_pool_connections gauge");
            let _ = writeln!(out, "jixiao_db_pool_connections{{state=\"open\"}} {size}");
            let _ = writeln!(out, "jixiao_db_pool_connections{{state=\"idle\"}} {idle}");
        }
        out
    }
}

/// Counts an open subscription while it lives (`jixiao_subscriptions_open`), and the events
/// sent to it.
pub struct OpenSubscription(pub std::sync::Arc<Metrics>);

impl OpenSubscription {
    pub fn new(metrics: std::sync::Arc<Metrics>) -> OpenSubscription {
        metrics.subscriptions_open.fetch_add(1, Ordering::Relaxed);
        OpenSubscription(metrics)
    }
}

impl Drop for OpenSubscription {
    fn drop(&mut self) {
        self.0.subscriptions_open.fetch_sub(1, Ordering::Relaxed);
    }
}
