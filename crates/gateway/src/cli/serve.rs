use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use jixiao_domain::Message;

use super::say::failed;
use super::{Cli, open_url};
use crate::auth::jwt::MIN_SECRET_BYTES;
use crate::auth::{Authenticator, JwtConfig, JwtKeys, password};
use crate::graphql::checked_documents::CheckedDocuments;
use crate::graphql::persisted::PersistedDocuments;
use crate::graphql::schema::{Limits, build};
use crate::http::{AppState, HttpLimits, router};
use crate::metrics::Metrics;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "JIXIAO_BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: String,

    /// The secret that signs tokens: at least 32 bytes. Required on PostgreSQL; the embedded
    /// demo makes a random one per start when none is given.
    #[arg(long, env = "JIXIAO_JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<String>,

    /// How long a token is valid, in minutes.
    #[arg(long, env = "JIXIAO_TOKEN_TTL_MINUTES", default_value_t = 480, global = true)]
    pub token_ttl_minutes: u64,

    /// Expected `aud` claim of tokens, if any.
    #[arg(long, env = "JIXIAO_JWT_AUDIENCE", global = true)]
    pub jwt_audience: Option<String>,

    /// Database connections in the pool (PostgreSQL).
    #[arg(long, env = "JIXIAO_DB_POOL", default_value_t = 16, global = true)]
    pub db_pool: u32,

    /// Deepest nesting a query may have.
    #[arg(long, env = "JIXIAO_MAX_DEPTH", default_value_t = 15, global = true)]
    pub max_depth: usize,

    /// Largest complexity a query may have (a list counts its page size times its rows' cost).
    #[arg(long, env = "JIXIAO_MAX_COMPLEXITY", default_value_t = 100_000, global = true)]
    pub max_complexity: usize,

    /// Largest request body, in bytes.
    #[arg(long, env = "JIXIAO_MAX_BODY_BYTES", default_value_t = 4 * 1024 * 1024, global = true)]
    pub max_body_bytes: usize,

    /// Longest a request may run, in milliseconds.
    #[arg(long, env = "JIXIAO_REQUEST_TIMEOUT_MS", default_value_t = 15_000, global = true)]
    pub request_timeout_ms: u64,

    /// Serve GraphiQL on GET /graphql.
    #[arg(long, env = "JIXIAO_GRAPHIQL", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub graphiql: bool,

    /// Browser origins allowed to call the API, comma-separated (e.g. https://jixiao.example.gov.cn).
    #[arg(long, env = "JIXIAO_CORS_ORIGINS", value_delimiter = ',', global = true)]
    pub cors_origins: Vec<String>,

    /// How long in-flight requests may finish after SIGTERM or SIGINT, in milliseconds.
    #[arg(long, env = "JIXIAO_SHUTDOWN_GRACE_MS", default_value_t = 10_000, global = true)]
    pub shutdown_grace_ms: u64,

    /// Most fields a query may expand to once its fragments are spread.
    #[arg(long, env = "JIXIAO_MAX_FIELDS", default_value_t = 5_000, global = true)]
    pub max_fields: u64,

    /// Largest answer, in bytes (RESPONSE_TOO_LARGE beyond it).
    #[arg(long, env = "JIXIAO_MAX_RESPONSE_BYTES", default_value_t = 16 * 1024 * 1024, global = true)]
    pub max_response_bytes: usize,

    /// Password checks that may run at once (each takes 19 MiB and tens of milliseconds of a core);
    /// further logins wait briefly, then get RATE_LIMITED. Default: the number of cores.
    #[arg(long, env = "JIXIAO_MAX_CONCURRENT_LOGINS", global = true)]
    pub max_concurrent_logins: Option<usize>,

    /// Projects one user may create per hour (RATE_LIMITED beyond it); 0: no limit, nothing
    /// counted (a benchmark's one scripted user, a deployment where only trusted staff declare).
    #[arg(long, env = "JIXIAO_MAX_CREATES_PER_HOUR", default_value_t = 200, global = true)]
    pub max_creates_per_hour: u32,

    /// Read a page of projects with the parts it shows (units, fund items, indicators, reviews)
    /// in one statement (PostgreSQL). Off: one statement per part, as on SQLite; the answers are
    /// the same byte for byte (tested), only slower. For comparisons and as an escape hatch.
    #[arg(long, env = "JIXIAO_READ_PARTS_TOGETHER", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub read_parts_together: bool,

    /// Events a subscription may fall behind before it is ended with SLOW_SUBSCRIBER (one
    /// buffer per instance, shared by its subscribers).
    #[arg(long, env = "JIXIAO_EVENT_BUFFER", default_value_t = jixiao_store::events::BUFFERED_EVENTS, global = true)]
    pub event_buffer: usize,

    /// Take the client address from the last hop of X-Forwarded-For (set it only behind a proxy
    /// that appends it); otherwise the connection's peer address is the client's.
    #[arg(long, env = "JIXIAO_TRUST_PROXY", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub trust_proxy: bool,

    /// Serve /metrics.
    #[arg(long, env = "JIXIAO_METRICS", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub metrics: bool,

    /// When set, /metrics answers only requests with `Authorization: Bearer <this token>`.
    #[arg(long, env = "JIXIAO_METRICS_TOKEN", hide_env_values = true, global = true)]
    pub metrics_token: Option<String>,

    /// Answer introspection queries (__schema, __type).
    #[arg(long, env = "JIXIAO_INTROSPECTION", default_value_t = true, action = clap::ArgAction::Set, global = true)]
    pub introspection: bool,

    /// Run only the trusted documents loaded with `jixiao documents add` (and, where
    /// introspection is on, questions about the schema alone).
    #[arg(long, env = "JIXIAO_TRUSTED_DOCUMENTS_ONLY", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub trusted_documents_only: bool,

    /// Room for reads' answers kept between requests, in MiB (keys and answers counted); 0
    /// keeps none. An answer is kept for every caller of the same role and department, and
    /// dropped the moment anything changes (README, "Answers kept between requests").
    #[arg(long, env = "JIXIAO_KEPT_ANSWERS_MB", default_value_t = 32, global = true)]
    pub kept_answers_mb: u64,

    /// Streaming replicas of the database that take reads, comma-separated PostgreSQL URLs
    /// (docs/scaling.md). Mutations, subscriptions and anything a write reads use DATABASE_URL.
    #[arg(long, env = "JIXIAO_REPLICA_URLS", value_delimiter = ',', hide_env_values = true, global = true)]
    pub replica_urls: Vec<String>,

    /// A replica further behind the primary than this, in milliseconds, is skipped until it
    /// catches up.
    #[arg(long, env = "JIXIAO_REPLICA_MAX_LAG_MS", default_value_t = 1_000, global = true)]
    pub replica_max_lag_ms: u64,

    /// How often the primary and each replica are asked where they are, in milliseconds: a
    /// replica that stops is skipped within this (a read it fails before then runs again on the
    /// primary).
    #[arg(long, env = "JIXIAO_REPLICA_PROBE_MS", default_value_t = 200, global = true)]
    pub replica_probe_ms: u64,

    /// Where to LISTEN for changes when DATABASE_URL is a transaction pooler (PgBouncer), which
    /// cannot hold a LISTEN: a direct connection to the primary. Default: DATABASE_URL.
    #[arg(long, env = "JIXIAO_LISTEN_DATABASE_URL", hide_env_values = true, global = true)]
    pub listen_database_url: Option<String>,

    /// Tests only: read the time for what is due (deadlines, overdue items) from this file, an
    /// RFC 3339 time read each time it is asked, instead of the system's clock.
    #[arg(long, env = "JIXIAO_CLOCK_FILE", global = true)]
    pub clock_file: Option<std::path::PathBuf>,
}

fn cors_origins(origins: &[String]) -> Result<Vec<axum::http::HeaderValue>, Message> {
    origins
        .iter()
        .map(|o| o.trim())
        .filter(|o| !o.is_empty())
        .map(|o| {
            if !(o.starts_with("http://") || o.starts_with("https://")) || o.ends_with('/') {
                return Err(Message::new(
                    format!("JIXIAO_CORS_ORIGINS：\"{o}\" 不是来源：请写成 https://主机[:端口]，不带路径"),
                    format!(
                        "JIXIAO_CORS_ORIGINS: \"{o}\" is not an origin; write it as https://host[:port], without a path"
                    ),
                ));
            }
            axum::http::HeaderValue::from_str(o).map_err(|_| {
                Message::new(
                    format!("JIXIAO_CORS_ORIGINS：\"{o}\" 不是有效的来源"),
                    format!("JIXIAO_CORS_ORIGINS: \"{o}\" is not a valid origin"),
                )
            })
        })
        .collect()
}

/// Every limit within a range that makes sense, or a message naming the setting.
fn check_limits(args: &ServeArgs) -> Result<(), Message> {
    let checks: [(&str, u64, u64, u64); 16] = [
        ("JIXIAO_KEPT_ANSWERS_MB", args.kept_answers_mb, 0, 4096),
        ("JIXIAO_REPLICA_PROBE_MS", args.replica_probe_ms, 10, 60_000),
        ("JIXIAO_REPLICA_MAX_LAG_MS", args.replica_max_lag_ms, 10, 3_600_000),
        ("JIXIAO_REPLICA_URLS", args.replica_urls.len() as u64, 0, 16),
        ("JIXIAO_EVENT_BUFFER", args.event_buffer as u64, 16, 1_000_000),
        ("JIXIAO_SHUTDOWN_GRACE_MS", args.shutdown_grace_ms, 0, 600_000),
        ("JIXIAO_TOKEN_TTL_MINUTES", args.token_ttl_minutes, 1, 60 * 24 * 30),
        ("JIXIAO_DB_POOL", u64::from(args.db_pool), 1, 1000),
        ("JIXIAO_MAX_DEPTH", args.max_depth as u64, 2, 100),
        ("JIXIAO_MAX_COMPLEXITY", args.max_complexity as u64, 10, 1_000_000_000),
        ("JIXIAO_MAX_BODY_BYTES", args.max_body_bytes as u64, 1024, 256 * 1024 * 1024),
        ("JIXIAO_REQUEST_TIMEOUT_MS", args.request_timeout_ms, 10, 600_000),
        ("JIXIAO_MAX_FIELDS", args.max_fields, 100, 100_000_000),
        ("JIXIAO_MAX_RESPONSE_BYTES", args.max_response_bytes as u64, 64 * 1024, 1024 * 1024 * 1024),
        ("JIXIAO_MAX_CONCURRENT_LOGINS", args.max_concurrent_logins.unwrap_or(1) as u64, 1, 256),
        ("JIXIAO_MAX_CREATES_PER_HOUR", u64::from(args.max_creates_per_hour), 0, 1_000_000),
    ];
    for (name, value, min, max) in checks {
        if !(min..=max).contains(&value) {
            return Err(Message::new(
                format!("{name} 为 {value}；应在 {min} 到 {max} 之间"),
                format!("{name} is {value}; it must be between {min} and {max}"),
            ));
        }
    }
    Ok(())
}

fn jwt_secret(cli: &Cli) -> Result<Vec<u8>, Message> {
    match &cli.serve.jwt_secret {
        Some(s) if s.len() >= MIN_SECRET_BYTES => Ok(s.as_bytes().to_vec()),
        Some(s) => Err(Message::new(
            format!(
                "JIXIAO_JWT_SECRET 只有 {} 字节；至少需要 {MIN_SECRET_BYTES} 字节。可以这样生成：openssl rand -base64 48",
                s.len()
            ),
            format!(
                "JIXIAO_JWT_SECRET is {} bytes; it must be at least {MIN_SECRET_BYTES}. Generate one with: openssl rand -base64 48",
                s.len()
            ),
        )),
        None if cli.is_embedded() => {
            tracing::warn!(
                "JIXIAO_JWT_SECRET is not set: using a random secret for this run (tokens end when the process does)"
            );
            Ok(password::random_bytes::<48>().to_vec())
        }
        None => Err(Message::new(
            "使用内嵌演示数据库以外的数据库时必须设置 JIXIAO_JWT_SECRET：至少 32 字节的随机值，\
             例如 export JIXIAO_JWT_SECRET=\"$(openssl rand -base64 48)\"",
            "JIXIAO_JWT_SECRET is required outside the embedded demo: set it to at least 32 random bytes, \
             e.g. export JIXIAO_JWT_SECRET=\"$(openssl rand -base64 48)\"",
        )),
    }
}

pub async fn run(cli: &Cli, work: tokio::runtime::Handle) -> Result<(), Message> {
    let args = &cli.serve;
    check_limits(args)?;
    let secret = jwt_secret(cli)?;
    // The pool is opened on the GraphQL runtime, where requests use its connections: a socket
    // answers to the runtime it was opened on, and the connection opened here for the migrations
    // (the one a quiet service reuses for everything) would otherwise hand each statement's
    // answer across runtimes, a wake-up of a thread of the other runtime per statement.
    let url = cli.database_url().to_string();
    let (pool_size, pooler) = (args.db_pool, cli.db_pooler);
    let (store, is_new) = work
        .spawn(async move { open_url(&url, pool_size, pooler).await })
        .await
        .map_err(|e| failed("打开数据库中途停止", "opening the database stopped", e))??;
    let store = store
        .limit_creations_per_hour(match args.max_creates_per_hour {
            0 => None,
            per_hour => Some(per_hour),
        })
        .read_parts_together(args.read_parts_together)
        .buffer_events(args.event_buffer);
    let store = match &args.clock_file {
        Some(path) => {
            tracing::warn!(path = %path.display(), "JIXIAO_CLOCK_FILE: what is due is counted by the time in this file, not the system's");
            store.with_clock(jixiao_store::Clock::File(std::sync::Arc::new(path.clone())))
        }
        None => store,
    };
    let store = store.listen_at(args.listen_database_url.clone().filter(|url| !url.trim().is_empty()));
    let replicas = replica_set(cli, &store, work.clone()).await?;
    // Callers' users, and the projects forms are compared with, are kept between requests
    // while PostgreSQL tells us of every change.
    store.keep_caches_current();
    if is_new && cli.is_embedded() {
        crate::demo::seed(&store).await.map_err(|e| failed("无法载入演示数据", "cannot load the demo data", e))?;
    }
    // After the demo data: on SQLite the events are found by comparing with what is there when
    // they start, and the demo's projects were not created while anyone listened.
    store.start_events();
    let keys = JwtKeys::new(&JwtConfig {
        secret,
        lifetime: Duration::from_secs(args.token_ttl_minutes * 60),
        audience: args.jwt_audience.clone(),
    });
    let metrics = std::sync::Arc::new(Metrics::default());
    let limits =
        Limits { max_depth: args.max_depth, max_complexity: args.max_complexity, introspection: args.introspection };
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let authenticator =
        Authenticator::new(store.clone(), keys.clone(), metrics.clone(), args.max_concurrent_logins.unwrap_or(cores));
    let schema = build(authenticator, limits);
    let metrics_token = args.metrics_token.clone().filter(|t| !t.is_empty());
    if metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
        return Err(Message::new(
            "JIXIAO_METRICS_TOKEN 不足 16 个字符：请用一个较长的随机值",
            "JIXIAO_METRICS_TOKEN is shorter than 16 characters: use a long random one",
        ));
    }
    let http_limits = HttpLimits {
        max_body_bytes: args.max_body_bytes,
        request_timeout: Duration::from_millis(args.request_timeout_ms),
        max_fields: args.max_fields,
        max_response_bytes: args.max_response_bytes,
        trust_proxy: args.trust_proxy,
        metrics: args.metrics,
        metrics_token,
        graphiql: args.graphiql,
        introspection: args.introspection,
        cors_origins: cors_origins(&args.cors_origins)?,
    };
    let documents = Arc::new(CheckedDocuments::new(args.max_fields, args.introspection));
    // Form checks are answered on this (the HTTP) runtime with a pool opened here (`http.rs`):
    // a quarter of the main pool's connections, at least two (a check holds one for a statement).
    let check_store =
        store.with_pool_here((pool_size / 4).max(2)).await.map_err(|e| super::cannot_connect(cli.database_url(), e))?;
    let app = router(AppState {
        schema,
        store: store.clone(),
        check_store,
        keys,
        limits: http_limits,
        metrics,
        work,
        documents,
        persisted: Arc::new(PersistedDocuments::new(args.trusted_documents_only)),
        user_slots: Default::default(),
        replicas,
        feeds: crate::ws_feeds::Feeds::new(args.event_buffer),
        answers: (args.kept_answers_mb > 0)
            .then(|| Arc::new(crate::kept_answers::KeptAnswers::new(args.kept_answers_mb as usize * 1024 * 1024))),
    });
    let bind = &args.bind;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| failed(&format!("无法在 {bind} 上监听"), &format!("cannot listen on {bind}"), e))?;
    let local =
        listener.local_addr().map_err(|e| failed("无法读取监听地址", "cannot read the listening address", e))?;
    // Every connection sends what it has at once (TCP_NODELAY), as hyper and tonic advise for
    // servers: a WebSocket sends one small frame per event, and with Nagle's algorithm a frame
    // that follows one not yet acknowledged waits for the client's delayed ACK (40 ms or more).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "cannot set TCP_NODELAY on a connection");
        }
    });
    let signal = shutdown_signal()?;
    tracing::info!(address = %local, database = %super::redact(cli.database_url()), "serving GraphQL on http://{local}/graphql");
    let (signalled, on_signal) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async move {
            signal.await;
            let _ = signalled.send(());
        });
    // In-flight requests get the grace period after the signal, and not a moment more.
    let grace = Duration::from_millis(args.shutdown_grace_ms);
    tokio::select! {
        served = server => served.map_err(|e| failed("服务出错", "server error", e))?,
        () = async { if on_signal.await.is_ok() { tokio::time::sleep(grace).await } else { std::future::pending().await } } => {
            tracing::warn!(grace_ms = args.shutdown_grace_ms, "grace period over: requests still running were cut off");
        }
    }
    // Closing the pool waits for every connection to come back, and a request cut off above may
    // still hold one (waiting on a lock, say): the wait is bounded too. A connection dropped
    // with the process has its transaction rolled back by the database.
    match tokio::time::timeout(Duration::from_secs(1), store.connection().clone().close()).await {
        Ok(closed) => closed.map_err(|e| failed("关闭数据库连接出错", "closing the database connections failed", e))?,
        Err(_) => tracing::warn!("database connections still busy at exit: their transactions roll back"),
    }
    tracing::info!("stopped");
    Ok(())
}

/// The replicas of JIXIAO_REPLICA_URLS, their pools opened and their probe started on `work`
/// (where the reads run); none on SQLite or without the setting.
async fn replica_set(
    cli: &Cli,
    store: &jixiao_store::Store,
    work: tokio::runtime::Handle,
) -> Result<Option<Arc<jixiao_store::replicas::ReplicaSet>>, Message> {
    let args = &cli.serve;
    let urls: Vec<String> = args.replica_urls.iter().map(|u| u.trim().to_string()).filter(|u| !u.is_empty()).collect();
    if urls.is_empty() {
        return Ok(None);
    }
    if cli.is_embedded() || urls.iter().any(|u| !u.starts_with("postgres")) {
        return Err(Message::new(
            "JIXIAO_REPLICA_URLS 只用于 PostgreSQL：DATABASE_URL 与每个副本都须是 postgres:// 地址",
            "JIXIAO_REPLICA_URLS is for PostgreSQL: DATABASE_URL and every replica must be postgres:// URLs",
        ));
    }
    let (primary, pool) = (store.clone(), args.db_pool);
    let (max_lag, probe_every) =
        (Duration::from_millis(args.replica_max_lag_ms), Duration::from_millis(args.replica_probe_ms));
    let set = work
        .spawn(async move {
            let set =
                Arc::new(jixiao_store::replicas::ReplicaSet::new(&primary, &urls, max_lag, probe_every, pool).await?);
            set.start();
            Ok::<_, jixiao_store::StoreError>(set)
        })
        .await
        .map_err(|e| failed("打开副本中途停止", "opening the replicas stopped", e))?
        .map_err(|e| failed("无法打开副本", "cannot open the replicas", e))?;
    for state in set.states() {
        tracing::info!(replica = %state.label, "reads may go to this replica once it answers within the lag bound");
    }
    Ok(Some(set))
}

/// SIGINT or SIGTERM: stop accepting, let in-flight requests finish. The handlers are installed
/// when this is called (before the service says it is serving), not when the future is first
/// polled, so a signal sent right after start-up is never met by the default action.
fn shutdown_signal() -> Result<impl Future<Output = ()>, Message> {
    #[cfg(unix)]
    let (mut interrupt, mut terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        let listen = |kind| signal(kind).map_err(|e| failed("无法接收信号", "cannot listen for signals", e));
        (listen(SignalKind::interrupt())?, listen(SignalKind::terminate())?)
    };
    Ok(async move {
        #[cfg(unix)]
        tokio::select! { _ = interrupt.recv() => {}, _ = terminate.recv() => {} }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing in-flight requests");
    })
}
