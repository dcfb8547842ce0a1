//! The `jixiao` command line: one struct reads flags and environment, validated before anything starts.

mod audit;
mod documents;
mod export;
mod generate;
mod import;
mod say;
mod serve;
mod user;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jixiao_domain::Message;
use jixiao_store::Store;

use say::{Lang, because, failed, store_error, tell};

/// Where the embedded default keeps its data when no DATABASE_URL is given.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://jixiao-demo.db?mode=rwc";

#[derive(Parser, Debug)]
#[command(name = "jixiao", version, about = "Jixiao 绩效: budget performance-goal declarations over GraphQL")]
pub struct Cli {
    /// postgres://user:pass@host/db, or sqlite://file.db?mode=rwc. Without it: the embedded demo database.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// How DATABASE_URL (and the replicas) are reached: `direct` (or a pooler in session mode),
    /// or `transaction` for PgBouncer in transaction mode (docs/scaling.md).
    #[arg(long, env = "JIXIAO_DB_POOLER", default_value = "direct", global = true)]
    pub db_pooler: jixiao_store::Pooler,

    #[command(flatten)]
    pub serve: serve::ServeArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the GraphQL API (the default).
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Import a declaration file (the format of fixtures/songjiang-2023.json), a workbook
    /// exported by Jixiao, or a filled template (.xlsx, with --department); all or nothing, idempotent.
    Import {
        file: PathBuf,
        /// For a filled template: the code of the department it is for (its units are matched
        /// by the names under 实施单位).
        #[arg(long)]
        department: Option<String>,
        /// For a filled template whose title gives no year: the fiscal year.
        #[arg(long)]
        year: Option<i32>,
    },
    /// Manage users.
    #[command(subcommand)]
    User(user::UserCommand),
    /// The audit trail: verify its chain, prune it by age.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Trusted documents: the front end's operations, the only ones run with
    /// JIXIAO_TRUSTED_DOCUMENTS_ONLY=true.
    #[command(subcommand)]
    Documents(documents::DocumentsCommand),
    /// Print the GraphQL schema (SDL) exactly as served.
    Schema,
    /// Recompute the stored findings of every project, and every self-evaluation's kept total and
    /// grade (after the rules changed).
    RefreshFindings,
    /// Write a department's declaration book of a year (the 申报表 of every project, and a summary) as a workbook.
    Export {
        /// The department's code, e.g. SJQ-XFB.
        #[arg(long)]
        department: String,
        #[arg(long)]
        year: i32,
        /// The .xlsx file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Fill the database with a generated declaration set (for benchmarks); deterministic.
    Generate {
        #[arg(long, default_value_t = 50)]
        departments: u32,
        #[arg(long, default_value_t = 200)]
        projects_per_department: u32,
        #[arg(long, default_value_t = 10)]
        indicators_per_project: u32,
        #[arg(long, default_value_t = 2024)]
        fiscal_year: i32,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

impl Cli {
    fn database_url(&self) -> &str {
        self.database_url.as_deref().unwrap_or(DEFAULT_DATABASE_URL)
    }

    fn is_embedded(&self) -> bool {
        self.database_url().starts_with("sqlite:")
    }
}

/// Runs the command line; `work` is the runtime GraphQL requests run on (see `main.rs`).
pub async fn run(work: tokio::runtime::Handle) -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let result = match &cli.command {
        Some(Command::Schema) => {
            print!("{}", crate::graphql::schema::sdl());
            Ok(())
        }
        None | Some(Command::Serve) => serve::run(&cli, work).await,
        Some(Command::Migrate) => migrate(&cli).await,
        Some(Command::Import { file, department, year }) => import::run(&cli, file, department.as_deref(), *year).await,
        Some(Command::User(cmd)) => user::run(&cli, cmd).await,
        Some(Command::Audit(cmd)) => audit::run(&cli, cmd).await,
        Some(Command::Documents(cmd)) => documents::run(&cli, cmd).await,
        Some(Command::RefreshFindings) => refresh_findings(&cli).await,
        Some(Command::Export { department, year, out }) => export::export(&cli, department, *year, out).await,
        Some(Command::Generate { departments, projects_per_department, indicators_per_project, fiscal_year, seed }) => {
            let spec = generate::GenerateSpec {
                departments: *departments,
                projects_per_department: *projects_per_department,
                indicators_per_project: *indicators_per_project,
                fiscal_year: *fiscal_year,
                seed: *seed,
            };
            generate::run(&cli, spec).await
        }
    };
    if let Some(command) = &cli.command {
        audit::record(&cli, command, result.is_ok()).await;
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("jixiao: {}", Lang::of_operator().text(&message));
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    // PostgreSQL's notices are not ours to show: behind a transaction pooler every write's BEGIN
    // finds the checkout's transaction open, and the server warns each time (`store/src/pool.rs`).
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,sqlx::postgres::notice=error"));
    let json = std::env::var("JIXIAO_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Connects and applies pending migrations. Returns whether the database was new.
async fn open(cli: &Cli, pool_size: u32) -> Result<(Store, bool), Message> {
    open_url(cli.database_url(), pool_size, cli.db_pooler).await
}

/// Connects to `url` and brings its schema up to date; also says whether it is a new, empty one.
async fn open_url(url: &str, pool_size: u32, pooler: jixiao_store::Pooler) -> Result<(Store, bool), Message> {
    let store = Store::connect_through(url, pool_size, pooler).await.map_err(|e| cannot_connect(url, e))?;
    let ran = store.migrate().await.map_err(|e| failed("数据库迁移失败", "migrations failed", e))?;
    let is_new = ran == Store::migration_count() && store.department_count().await.map_err(|e| store_error(&e))? == 0;
    if ran > 0 {
        tracing::info!(ran, "migrations applied");
    }
    Ok((store, is_new))
}

/// The database at `url` (named without its password) did not answer.
fn cannot_connect(url: &str, cause: impl std::fmt::Display) -> Message {
    let url = redact(url);
    Message::new(
        format!("无法连接数据库（{url}）：{cause}"),
        format!("cannot connect to the database ({url}): {cause}"),
    )
}

async fn migrate(cli: &Cli) -> Result<(), Message> {
    open(cli, 2).await?;
    tell(Message::new("数据库已是最新", "database is up to date"));
    Ok(())
}

async fn refresh_findings(cli: &Cli) -> Result<(), Message> {
    let (store, _) = open(cli, 2).await?;
    let done = store
        .refresh_findings(|n| tracing::info!(projects = n, "refreshing findings"))
        .await
        .map_err(|e| because("重算审核发现失败", "refreshing findings failed", &store_error(&e)))?;
    tell(Message::new(format!("已重算 {done} 个项目的审核发现"), format!("refreshed the findings of {done} projects")));
    // The self-evaluations' kept totals follow the scoring rules of this version too.
    let rescored = store
        .rescore_evaluations(|n| tracing::info!(evaluations = n, "scoring self-evaluations again"))
        .await
        .map_err(|e| because("重算自评得分失败", "scoring the self-evaluations again failed", &store_error(&e)))?;
    tell(Message::new(
        format!("已按现行规则重算自评得分：{rescored} 份有变化"),
        format!("scored the self-evaluations again by the rules in force: {rescored} changed"),
    ));
    Ok(())
}

/// A database URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords() {
        assert_eq!(super::redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(super::redact("sqlite://x.db?mode=rwc"), "sqlite://x.db?mode=rwc");
    }
}
