//! `jixiao export --department CODE --year Y --out FILE.xlsx`: the department's declaration book,
//! as `GET /export/declarations/{code}/{year}.xlsx` gives it to an admin.

use std::path::PathBuf;

use jixiao_domain::{Actor, Role};

use super::{Cli, open};
use crate::excel::http::build_book;

pub async fn export(cli: &Cli, department: &str, year: i32, out: &PathBuf) -> Result<(), String> {
    let (store, _) = open(cli, 2).await?;
    // The command line is the operator's: it reads what an admin reads.
    let scope = store.scope(Actor { user_id: 0, role: Role::Admin, department_id: None });
    let found =
        scope.department_by_code(department).await.map_err(|e| format!("reading the departments failed: {e}"))?;
    let department = found.ok_or_else(|| format!("no department has the code {department}"))?;
    let bytes = build_book(&scope, &department, year)
        .await
        .map_err(|r| format!("the book could not be made (status {})", r.status()))?;
    std::fs::write(out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    println!("wrote {} ({} bytes): {} {year}", out.display(), bytes.len(), department.name);
    Ok(())
}
