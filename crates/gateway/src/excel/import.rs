//! A workbook into the store, for `jixiao import` and `importDeclaration` alike: read it (a
//! filled template goes to the department it is imported for, its units matched by name), then
//! import the declaration through the given door, its problems told at their cells.

use jixiao_domain::document::OrgRef;
use jixiao_domain::{DeclarationDocument, Problem};
use jixiao_store::{BudgetUnit, Department, ImportReport, StoreError, StoreResult};

use super::read::{Destination, ReadWorkbook, read};

/// Why a workbook was not imported.
pub enum WorkbookRefused {
    /// What a person can fix, each at its cell (or field); nothing was written.
    Problems(Vec<Problem>),
    /// Anything else (forbidden, rate limited, the database).
    Store(StoreError),
}

/// Where a template goes: `department` with its budget `units`, in `fiscal_year` if given.
pub fn destination(department: &Department, units: Vec<BudgetUnit>, fiscal_year: Option<i32>) -> Destination {
    Destination {
        department: OrgRef { code: department.code.clone(), name: department.name.clone() },
        budget_units: units.into_iter().map(|u| OrgRef { code: u.code, name: u.name }).collect(),
        fiscal_year,
    }
}

/// Reads `bytes` and hands the declaration to `import`; its problems come back at their cells.
pub async fn import_workbook<F, Fut>(
    bytes: &[u8],
    destination: Option<&Destination>,
    import: F,
) -> Result<(ReadWorkbook, ImportReport), WorkbookRefused>
where
    F: FnOnce(DeclarationDocument) -> Fut,
    Fut: std::future::Future<Output = StoreResult<ImportReport>>,
{
    let workbook = read(bytes, destination).map_err(WorkbookRefused::Problems)?;
    match import(workbook.document.clone()).await {
        Ok(report) => Ok((workbook, report)),
        Err(StoreError::Rejected(problems)) => Err(WorkbookRefused::Problems(workbook.at_cells(problems))),
        Err(other) => Err(WorkbookRefused::Store(other)),
    }
}
