//! `jixiao export --department CODE --year Y --out FILE.xlsx`: the department's declaration book,
//! as `GET /export/declarations/{code}/{year}.xlsx` gives it to an admin.

use std::path::PathBuf;

use jixiao_domain::{Actor, Message, Role};

use super::say::{because, failed, store_error, tell};
use super::{Cli, open};
use crate::excel::http::build_book;

pub async fn export(cli: &Cli, department: &str, year: i32, out: &PathBuf) -> Result<(), Message> {
    let (store, _) = open(cli, 2).await?;
    // The command line is the operator's: it reads what an admin reads.
    let scope = store.scope(Actor { user_id: 0, role: Role::Admin, department_id: None });
    let found = scope
        .department_by_code(department)
        .await
        .map_err(|e| because("读取部门失败", "reading the departments failed", &store_error(&e)))?;
    let department = found.ok_or_else(|| {
        Message::new(format!("没有编码为 {department} 的部门"), format!("no department has the code {department}"))
    })?;
    let bytes = build_book(&scope, &department, year).await.map_err(|r| {
        let status = r.status();
        Message::new(
            format!("申报书未能生成（状态 {status}）"),
            format!("the book could not be made (status {status})"),
        )
    })?;
    let file = out.display();
    std::fs::write(out, &bytes).map_err(|e| failed(&format!("无法写入 {file}"), &format!("cannot write {file}"), e))?;
    let (size, name) = (bytes.len(), &department.name);
    tell(Message::new(
        format!("已写入 {file}（{size} 字节）：{name} {year} 年度"),
        format!("wrote {file} ({size} bytes): {name} {year}"),
    ));
    Ok(())
}
