//! `jixiao audit verify` and `jixiao audit prune`, and the command line's own writes in the
//! audit trail (as `operator`, from `local`, with the operating-system user in the detail).

use clap::Subcommand;
use jixiao_domain::Message;
use jixiao_store::{AuditEvent, BrokenLink};

use super::say::{because, store_error, tell};
use super::{Cli, Command, open};

/// The shortest retention that passes without a warning: 网络安全法 第二十一条 asks that logs be
/// kept at least six months.
pub const MIN_RETENTION_DAYS: u32 = 180;

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check every record's hash and its link to the one before: finds a record altered or
    /// removed behind the database's back. Exits 1 when the trail does not hold.
    Verify,
    /// Remove the records older than the retention, leaving a record of the pruning.
    Prune {
        /// Days the trail is kept (default 180, as the Cybersecurity Law asks; less is warned about).
        #[arg(long, env = "JIXIAO_AUDIT_RETENTION_DAYS", default_value_t = MIN_RETENTION_DAYS)]
        retention_days: u32,
    },
}

/// The command line as the trail names it.
fn operator_event(operation: &str, outcome: &str, detail: String) -> AuditEvent {
    let os_user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "?".into());
    AuditEvent {
        actor: "operator".into(),
        address: "local".into(),
        request_id: format!("cli-{}", std::process::id()),
        operation: operation.into(),
        outcome: outcome.into(),
        detail: format!("os_user={os_user} {detail}").trim().to_string(),
        ..Default::default()
    }
}

pub async fn run(cli: &Cli, cmd: &AuditCommand) -> Result<(), Message> {
    let (store, _) = open(cli, 2).await?;
    match cmd {
        AuditCommand::Verify => {
            let verdict = store
                .verify_audit_log()
                .await
                .map_err(|e| because("无法读取审计日志", "cannot read the audit trail", &store_error(&e)))?;
            let checked = verdict.checked;
            match verdict.broken {
                None => {
                    tell(Message::new(
                        format!("审计日志完好：已核对 {checked} 条记录"),
                        format!("the audit trail holds: {checked} records checked"),
                    ));
                    Ok(())
                }
                Some((id, BrokenLink::Altered)) => Err(Message::new(
                    format!("审计日志被改动：第 {id} 条记录与其哈希不符（此前 {checked} 条完好）"),
                    format!(
                        "the audit trail was altered: record {id} does not match its hash ({checked} records before it hold)"
                    ),
                )),
                Some((id, BrokenLink::Missing)) => Err(Message::new(
                    format!("审计日志缺少记录：第 {id} 条记录之前的记录被删除（此前 {checked} 条完好）"),
                    format!(
                        "records are missing from the audit trail: one before record {id} was removed ({checked} records before it hold)"
                    ),
                )),
            }
        }
        AuditCommand::Prune { retention_days } => {
            if *retention_days < MIN_RETENTION_DAYS {
                let warning = Message::new(
                    format!(
                        "警告：审计日志只保留 {retention_days} 天，少于网络安全法要求的六个月（{MIN_RETENTION_DAYS} 天）"
                    ),
                    format!(
                        "WARNING: the audit trail is kept only {retention_days} days, less than the six months ({MIN_RETENTION_DAYS} days) the Cybersecurity Law asks"
                    ),
                );
                eprintln!("jixiao: {}", super::say::Lang::of_operator().text(&warning));
                tracing::warn!(retention_days, "audit retention below six months");
            }
            let cutoff = chrono::Utc::now() - chrono::Duration::days(i64::from(*retention_days));
            let by = operator_event("audit.prune", "ok", String::new());
            let removed = store
                .prune_audit_log(cutoff, &by)
                .await
                .map_err(|e| because("清理审计日志失败", "pruning the audit trail failed", &store_error(&e)))?;
            tell(Message::new(
                format!("已删除 {removed} 条早于 {retention_days} 天的审计记录，并记录了这次清理"),
                format!("removed {removed} audit records older than {retention_days} days, and recorded the pruning"),
            ));
            Ok(())
        }
    }
}

/// What a command that writes is called in the trail, and what it names; `None` for one that
/// writes nothing (serve, schema, verify; a pruning records itself).
fn written(command: &Command) -> Option<(&'static str, String)> {
    Some(match command {
        Command::Migrate => ("cli.migrate", String::new()),
        Command::Import { file, department, year } => (
            "cli.import",
            format!(
                "file={} department={} year={}",
                file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
                department.as_deref().unwrap_or("-"),
                year.map(|y| y.to_string()).unwrap_or_else(|| "-".into())
            ),
        ),
        Command::User(user) => user.audited(),
        Command::Documents(documents) => documents.audited(),
        Command::RefreshFindings => ("cli.refresh-findings", String::new()),
        Command::Export { department, year, .. } => ("cli.export", format!("department={department} year={year}")),
        Command::Generate { departments, .. } => ("cli.generate", format!("departments={departments}")),
        Command::Serve | Command::Schema | Command::Audit(_) => return None,
    })
}

/// Records a command that wrote, once it ended (a database that cannot be reached is warned
/// about: the command's own answer has already said so).
pub async fn record(cli: &Cli, command: &Command, succeeded: bool) {
    let Some((operation, detail)) = written(command) else { return };
    let event = operator_event(operation, if succeeded { "ok" } else { "failed" }, detail);
    match open(cli, 1).await {
        Ok((store, _)) => {
            if let Err(e) = store.audit(&event).await {
                tracing::warn!(error = %e, operation, "the audit trail could not be written");
            }
        }
        Err(_) => tracing::warn!(operation, "the audit trail could not be written: no database"),
    }
}
