use std::path::Path;

use jixiao_domain::{DeclarationDocument, Message};
use jixiao_store::{ImportReport, StoreError};

use super::say::{because, failed, problem_line, store_error, tell};
use super::{Cli, open};
use crate::excel::import::{WorkbookRefused, destination, import_workbook};

pub async fn run(cli: &Cli, file: &Path, department: Option<&str>, year: Option<i32>) -> Result<(), Message> {
    let is_workbook = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let (store, _) = open(cli, 2).await?;
    let (report, fiscal_year) = if is_workbook {
        let bytes = std::fs::read(file).map_err(|e| cannot_read(file, e))?;
        // A filled template goes to the department named on the command line.
        let to = match department {
            None => None,
            Some(code) => {
                let found = store
                    .department_by_code(code)
                    .await
                    .map_err(|e| because("无法读取部门", "cannot read departments", &store_error(&e)))?;
                let department = found.ok_or_else(|| {
                    Message::new(
                        format!("没有编码为 {code} 的部门"),
                        format!("there is no department with the code {code}"),
                    )
                })?;
                let mut units = store
                    .units_of_departments(&[department.id])
                    .await
                    .map_err(|e| because("无法读取预算单位", "cannot read budget units", &store_error(&e)))?;
                Some(destination(&department, units.remove(&department.id).unwrap_or_default(), year))
            }
        };
        tracing::info!(file = %file.display(), "importing a workbook");
        let bytes = axum::body::Bytes::from(bytes);
        match import_workbook(bytes, to, |doc| async move { store.operator().import(&doc).await }).await {
            Ok((read, report)) => (report, read.document.fiscal_year),
            Err(WorkbookRefused::Problems(problems)) => return Err(refused(file, &problems)),
            Err(WorkbookRefused::Store(e)) => return Err(nothing_written(&e)),
            Err(WorkbookRefused::Busy(message)) => return Err(message),
        }
    } else {
        let text = std::fs::read_to_string(file).map_err(|e| cannot_read(file, e))?;
        let doc: DeclarationDocument = serde_json::from_str(&text).map_err(|e| {
            let file = file.display();
            Message::new(
                format!("{file} 不是申报文件：{e}（格式见 README）"),
                format!("{file} is not a declaration file: {e} (see the README for the format)"),
            )
        })?;
        tracing::info!(file = %file.display(), projects = doc.projects.len(), "importing");
        match store.operator().import(&doc).await {
            Ok(report) => (report, doc.fiscal_year),
            Err(StoreError::Rejected(problems)) => return Err(refused(file, &problems)),
            Err(e) => return Err(nothing_written(&e)),
        }
    };
    print_report(file, &report, fiscal_year);
    Ok(())
}

fn print_report(file: &Path, report: &ImportReport, fiscal_year: i32) {
    let (file, code, name) = (file.display(), &report.department.code, &report.department.name);
    let (created, unchanged) = (report.created.len(), report.unchanged.len());
    tell(Message::new(
        format!("{file}：{code} {name} {fiscal_year} 年度：新建 {created} 个项目，{unchanged} 个已存在，未作改动"),
        format!(
            "{file}: {code} {name} fiscal year {fiscal_year}: {created} project(s) created, {unchanged} already present and left unchanged"
        ),
    ));
}

fn cannot_read(file: &Path, cause: std::io::Error) -> Message {
    failed(&format!("无法读取 {}", file.display()), &format!("cannot read {}", file.display()), cause)
}

fn nothing_written(error: &StoreError) -> Message {
    because("导入失败，未写入任何内容", "import failed, nothing was written", &store_error(error))
}

/// Prints every problem and says that nothing was written.
fn refused(file: &Path, problems: &[jixiao_domain::Problem]) -> Message {
    for p in problems {
        eprintln!("  {}", problem_line(p));
    }
    let (file, count) = (file.display(), problems.len());
    Message::new(
        format!("{file} 未导入（问题 {count} 处，见上）；未写入任何内容"),
        format!("{file} was not imported ({count} problem(s) above); nothing was written"),
    )
}
