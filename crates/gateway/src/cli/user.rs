use std::io::BufRead;

use clap::Subcommand;
use jixiao_domain::{Message, Role};
use jixiao_store::NewUser;

use super::say::{failed, store_error, tell};
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

impl UserCommand {
    /// What the audit trail calls this command, and whom it names.
    pub fn audited(&self) -> (&'static str, String) {
        match self {
            UserCommand::Add { username, role, .. } => ("cli.user.add", format!("username={username} role={role}")),
            UserCommand::Disable { username } => ("cli.user.disable", format!("username={username}")),
            UserCommand::Enable { username } => ("cli.user.enable", format!("username={username}")),
        }
    }
}

pub async fn run(cli: &Cli, cmd: &UserCommand) -> Result<(), Message> {
    let (username, role, department, display_name) = match cmd {
        UserCommand::Add { username, role, department, display_name, password_stdin: _ } => {
            (username, role, department, display_name)
        }
        UserCommand::Disable { username } => return set_disabled(cli, username, true).await,
        UserCommand::Enable { username } => return set_disabled(cli, username, false).await,
    };
    let role = Role::from_code(role).ok_or_else(|| {
        Message::new(
            format!("没有角色 \"{role}\"：请用 SUBMITTER、DEPARTMENT_REVIEWER、APPROVER 或 ADMIN"),
            format!("unknown role \"{role}\": use SUBMITTER, DEPARTMENT_REVIEWER, APPROVER or ADMIN"),
        )
    })?;
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| failed("无法从标准输入读取密码", "cannot read the password from standard input", e))?;
    let secret = line.trim_end_matches(['\r', '\n']);
    password::check_policy(secret)?;
    let (store, _) = open(cli, 2).await?;
    let department_id = match department {
        Some(code) => Some(
            store
                .department_by_code(code)
                .await
                .map_err(|e| store_error(&e))?
                .ok_or_else(|| {
                    Message::new(format!("没有编码为 \"{code}\" 的部门"), format!("no department has code \"{code}\""))
                })?
                .id,
        ),
        None => None,
    };
    let hash = password::hash(secret).map_err(|e| failed("无法计算密码的散列", "cannot hash the password", e))?;
    let new = NewUser { username, display_name, role, department_id, password_hash: &hash };
    match store.operator().create_user(new).await {
        Ok(user) => {
            let name = &user.username;
            let (label, code) = (role.label(), role.code());
            tell(Message::new(format!("已创建用户 {name}（{label}）"), format!("created user {name} ({code})")));
            Ok(())
        }
        Err(e) => Err(store_error(&e)),
    }
}

async fn set_disabled(cli: &Cli, username: &str, disabled: bool) -> Result<(), Message> {
    let (store, _) = open(cli, 2).await?;
    match store.operator().set_user_disabled(username, disabled).await {
        Ok(true) => {
            let (zh, en) = if disabled { ("已停用", "disabled") } else { ("已启用", "enabled") };
            tell(Message::new(format!("用户 {username} {zh}"), format!("user {username} {en}")));
            Ok(())
        }
        Ok(false) => {
            Err(Message::new(format!("没有名为 \"{username}\" 的用户"), format!("no user is named \"{username}\"")))
        }
        Err(e) => Err(store_error(&e)),
    }
}
