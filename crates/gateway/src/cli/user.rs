use std::io::BufRead;

use clap::Subcommand;
use jixiao_domain::Role;
use jixiao_store::{NewUser, StoreError};

use super::{open, Cli};
use crate::auth::password;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user; the password is read from standard input (one line).
    Add {
        #[arg(long)]
        username: String,
        /// SUBMITTER, APPROVER or ADMIN.
        #[arg(long)]
        role: String,
        /// The department code (required for a SUBMITTER).
        #[arg(long)]
        department: Option<String>,
        #[arg(long, default_value = "")]
        display_name: String,
        /// Read the password from standard input (the only way: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

pub async fn run(cli: &Cli, cmd: &UserCommand) -> Result<(), String> {
    let UserCommand::Add { username, role, department, display_name, password_stdin: _ } = cmd;
    let role = Role::from_code(role).ok_or_else(|| format!("unknown role \"{role}\": use SUBMITTER, APPROVER or ADMIN"))?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let secret = line.trim_end_matches(['\r', '\n']);
    password::check_policy(secret)?;
    let (store, _) = open(cli, 2).await?;
    let department_id = match department {
        Some(code) => Some(store.department_by_code(code).await.map_err(|e| e.to_string())?.ok_or_else(|| format!("no department has code \"{code}\""))?.id),
        None => None,
    };
    let hash = password::hash(secret)?;
    let new = NewUser { username, display_name, role, department_id, password_hash: &hash };
    match store.operator().create_user(new).await {
        Ok(user) => {
            println!("created user {} ({})", user.username, user.role);
            Ok(())
        }
        Err(StoreError::Rejected(problems)) => Err(problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("; ")),
        Err(e) => Err(e.to_string()),
    }
}
