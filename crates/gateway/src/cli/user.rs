use std::io::BufRead;

use clap::Subcommand;
use jixiao_domain::Role;
use jixiao_store::{NewUser, StoreError};

use super::{Cli, open};
use crate::auth::password;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user; the password is read from standard input (one line).
    Add {
        #[arg(long)]
        username: String,
        /// SUBMITTER, DEPARTMENT_REVIEWER, APPROVER or ADMIN.
        #[arg(long)]
        role: String,
        /// The department code (required for a SUBMITTER and a DEPARTMENT_REVIEWER).
        #[arg(long)]
        department: Option<String>,
        #[arg(long, default_value = "")]
        display_name: String,
        /// Read the password from standard input (the only way: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Disable a user: no more logins, and their tokens stop working at once.
    Disable {
        #[arg(long)]
        username: String,
    },
    /// Enable a disabled user again.
    Enable {
        #[arg(long)]
        username: String,
    },
}

pub async fn run(cli: &Cli, cmd: &UserCommand) -> Result<(), String> {
    let (username, role, department, display_name) = match cmd {
        UserCommand::Add { username, role, department, display_name, password_stdin: _ } => {
            (username, role, department, display_name)
        }
        UserCommand::Disable { username } => return set_disabled(cli, username, true).await,
        UserCommand::Enable { username } => return set_disabled(cli, username, false).await,
    };
    let role =
        Role::from_code(role).ok_or_else(|| format!("unknown role \"{role}\": use SUBMITTER, DEPARTMENT_REVIEWER, APPROVER or ADMIN"))?;
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let secret = line.trim_end_matches(['\r', '\n']);
    // The command line is read by operators in either language: both.
    password::check_policy(secret).map_err(|m| format!("{} ({})", m.zh(), m.en()))?;
    let (store, _) = open(cli, 2).await?;
    let department_id = match department {
        Some(code) => Some(
            store
                .department_by_code(code)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no department has code \"{code}\""))?
                .id,
        ),
        None => None,
    };
    let hash = password::hash(secret)?;
    let new = NewUser { username, display_name, role, department_id, password_hash: &hash };
    match store.operator().create_user(new).await {
        Ok(user) => {
            println!("created user {} ({})", user.username, user.role);
            Ok(())
        }
        Err(StoreError::Rejected(problems)) => {
            Err(problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("; "))
        }
        Err(e) => Err(e.to_string()),
    }
}

async fn set_disabled(cli: &Cli, username: &str, disabled: bool) -> Result<(), String> {
    let (store, _) = open(cli, 2).await?;
    match store.operator().set_user_disabled(username, disabled).await {
        Ok(true) => {
            println!("user {username} {}", if disabled { "disabled" } else { "enabled" });
            Ok(())
        }
        Ok(false) => Err(format!("no user is named \"{username}\"")),
        Err(e) => Err(e.to_string()),
    }
}
