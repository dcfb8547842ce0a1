use std::path::Path;

use jixiao_domain::DeclarationDocument;
use jixiao_store::StoreError;

use super::{Cli, open};

pub async fn run(cli: &Cli, file: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let doc: DeclarationDocument = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not a declaration file: {e} (see the README for the format)", file.display()))?;
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
            for p in &problems {
                eprintln!("  {p}");
            }
            Err(format!(
                "{} was not imported ({} problem(s) above); nothing was written",
                file.display(),
                problems.len()
            ))
        }
        Err(e) => Err(format!("import failed, nothing was written: {e}")),
    }
}
