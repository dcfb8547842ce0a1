use std::path::Path;

use jixiao_domain::DeclarationDocument;
use jixiao_store::StoreError;

use super::{Cli, open};

pub async fn run(cli: &Cli, file: &Path) -> Result<(), String> {
    let is_workbook = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let (doc, workbook) = if is_workbook {
        let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        match crate::excel::read::read(&bytes) {
            Ok(read) => (read.document.clone(), Some(read)),
            Err(problems) => return Err(refused(file, &problems)),
        }
    } else {
        let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let doc: DeclarationDocument = serde_json::from_str(&text).map_err(|e| {
            format!("{} is not a declaration file: {e} (see the README for the format)", file.display())
        })?;
        (doc, None)
    };
    let (store, _) = open(cli, 2).await?;
    tracing::info!(file = %file.display(), projects = doc.projects.len(), "importing");
    match store.operator().import(&doc).await {
        Ok(report) => {
            println!(
                "{}: {} {} fiscal year {}: {} project(s) created, {} already present and left unchanged",
                file.display(),
                report.department.code,
                report.department.name,
                doc.fiscal_year,
                report.created.len(),
                report.unchanged.len()
            );
            Ok(())
        }
        Err(StoreError::Rejected(problems)) => {
            // A workbook's problems are told at the cells their fields came from.
            let problems = match &workbook {
                Some(read) => read.at_cells(problems),
                None => problems,
            };
            Err(refused(file, &problems))
        }
        Err(e) => Err(format!("import failed, nothing was written: {e}")),
    }
}

/// Prints every problem and says that nothing was written.
fn refused(file: &Path, problems: &[jixiao_domain::Problem]) -> String {
    for p in problems {
        eprintln!("  {p}");
    }
    format!("{} was not imported ({} problem(s) above); nothing was written", file.display(), problems.len())
}
