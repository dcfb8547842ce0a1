use std::path::Path;

use jixiao_domain::DeclarationDocument;
use jixiao_store::{ImportReport, StoreError};

use super::{Cli, open};
use crate::excel::import::{WorkbookRefused, destination, import_workbook};

pub async fn run(cli: &Cli, file: &Path, department: Option<&str>, year: Option<i32>) -> Result<(), String> {
    let is_workbook = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let (store, _) = open(cli, 2).await?;
    let (report, fiscal_year) = if is_workbook {
        let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        // A filled template goes to the department named on the command line.
        let to = match department {
            None => None,
            Some(code) => {
                let found =
                    store.department_by_code(code).await.map_err(|e| format!("cannot read departments: {e}"))?;
                let department = found.ok_or_else(|| format!("there is no department with the code {code}"))?;
                let mut units = store
                    .units_of_departments(&[department.id])
                    .await
                    .map_err(|e| format!("cannot read budget units: {e}"))?;
                Some(destination(&department, units.remove(&department.id).unwrap_or_default(), year))
            }
        };
        tracing::info!(file = %file.display(), "importing a workbook");
        match import_workbook(&bytes, to.as_ref(), |doc| async move { store.operator().import(&doc).await }).await {
            Ok((read, report)) => (report, read.document.fiscal_year),
            Err(WorkbookRefused::Problems(problems)) => return Err(refused(file, &problems)),
            Err(WorkbookRefused::Store(e)) => return Err(format!("import failed, nothing was written: {e}")),
        }
    } else {
        let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let doc: DeclarationDocument = serde_json::from_str(&text).map_err(|e| {
            format!("{} is not a declaration file: {e} (see the README for the format)", file.display())
        })?;
        tracing::info!(file = %file.display(), projects = doc.projects.len(), "importing");
        match store.operator().import(&doc).await {
            Ok(report) => (report, doc.fiscal_year),
            Err(StoreError::Rejected(problems)) => return Err(refused(file, &problems)),
            Err(e) => return Err(format!("import failed, nothing was written: {e}")),
        }
    };
    print_report(file, &report, fiscal_year);
    Ok(())
}

fn print_report(file: &Path, report: &ImportReport, fiscal_year: i32) {
    println!(
        "{}: {} {} fiscal year {}: {} project(s) created, {} already present and left unchanged",
        file.display(),
        report.department.code,
        report.department.name,
        fiscal_year,
        report.created.len(),
        report.unchanged.len()
    );
}

/// Prints every problem and says that nothing was written.
fn refused(file: &Path, problems: &[jixiao_domain::Problem]) -> String {
    for p in problems {
        eprintln!("  {p}");
    }
    format!("{} was not imported ({} problem(s) above); nothing was written", file.display(), problems.len())
}
