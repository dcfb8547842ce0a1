use std::time::Duration;

use clap::Args;

use super::{Cli, open};
use crate::auth::jwt::MIN_SECRET_BYTES;
use crate::auth::{Authenticator, JwtConfig, JwtKeys, password};
use crate::graphql::schema::{Limits, build};
use crate::http::{AppState, router};

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
}

fn jwt_secret(cli: &Cli) -> Result<Vec<u8>, String> {
    match &cli.serve.jwt_secret {
        Some(s) if s.len() >= MIN_SECRET_BYTES => Ok(s.as_bytes().to_vec()),
        Some(s) => Err(format!(
            "JIXIAO_JWT_SECRET is {} bytes; it must be at least {MIN_SECRET_BYTES}. Generate one with: openssl rand -base64 48",
            s.len()
        )),
        None if cli.is_embedded() => {
            tracing::warn!(
                "JIXIAO_JWT_SECRET is not set: using a random secret for this run (tokens end when the process does)"
            );
            Ok(password::random_bytes::<48>().to_vec())
        }
        None => Err("JIXIAO_JWT_SECRET is required outside the embedded demo: set it to at least 32 random bytes, \
                     e.g. export JIXIAO_JWT_SECRET=\"$(openssl rand -base64 48)\""
            .into()),
    }
}

pub async fn run(cli: &Cli) -> Result<(), String> {
    let args = &cli.serve;
    if args.token_ttl_minutes == 0 || args.token_ttl_minutes > 60 * 24 * 30 {
        return Err("JIXIAO_TOKEN_TTL_MINUTES must be between 1 and 43200 (30 days)".into());
    }
    let secret = jwt_secret(cli)?;
    let (store, is_new) = open(cli, args.db_pool).await?;
    if is_new && cli.is_embedded() {
        crate::demo::seed(&store).await.map_err(|e| format!("cannot load the demo data: {e}"))?;
    }
    let keys = JwtKeys::new(&JwtConfig {
        secret,
        lifetime: Duration::from_secs(args.token_ttl_minutes * 60),
        audience: args.jwt_audience.clone(),
    });
    let schema = build(Authenticator { store: store.clone(), keys: keys.clone() }, Limits::default());
    let app = router(AppState { schema, store: store.clone(), keys });
    let listener =
        tokio::net::TcpListener::bind(&args.bind).await.map_err(|e| format!("cannot listen on {}: {e}", args.bind))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(address = %local, database = %super::redact(cli.database_url()), "serving GraphQL on http://{local}/graphql");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))?;
    store.connection().clone().close().await.map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

/// SIGINT or SIGTERM: stop accepting, let in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}
