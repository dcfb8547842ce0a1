//! The bureau's list of indicators from a workbook (`importIndicatorLibrary`): every row an entry,
//! all or nothing; a row whose confirmed entry already exists (same scope, level 2 and name) is
//! left as it is.

use jixiao_domain::library::{Entry, LibraryChange, LibraryEntryStatus};
use jixiao_domain::{Message, Problem, ProblemCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

use super::Library;
use super::writes::insert_entry;
use crate::entity::{department, library_entry};
use crate::error::{StoreError, StoreResult, allow};
use crate::row_lock::lock_key;

/// Most entries one workbook brings.
pub const MAX_IMPORTED: usize = 5000;

/// One row of the workbook, checked.
#[derive(Clone, Debug)]
pub struct ImportedEntry {
    /// Where the row is (`指标库!F5`, its name's cell), for the problems.
    pub at: String,
    /// Where its department's code is, for the problems.
    pub department_at: String,
    /// A DEPARTMENT entry's department, by code; `None`: COMMON.
    pub department_code: Option<String>,
    pub entry: Entry,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LibraryImportReport {
    pub created: u64,
    /// The names of the rows whose entry already existed.
    pub unchanged: Vec<String>,
}

impl Library<'_> {
    /// Imports `rows` as confirmed entries (the bureau's), all or nothing.
    pub async fn import(&self, rows: Vec<ImportedEntry>) -> StoreResult<LibraryImportReport> {
        allow(self.actor.may_govern_library())?;
        if rows.len() > MAX_IMPORTED {
            return Err(StoreError::problem(
                "file",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("一个工作簿最多导入 {MAX_IMPORTED} 个指标，现有 {} 个：请分批导入", rows.len()),
                    format!(
                        "a workbook imports at most {MAX_IMPORTED} indicators, this one has {}: split it",
                        rows.len()
                    ),
                ),
            ));
        }
        let txn = self.db.begin().await?;
        lock_key(&txn, "library_import", 0).await?;
        let mut problems = Vec::new();
        let mut report = LibraryImportReport::default();
        let mut seen: Vec<(Option<i64>, &str, &str)> = Vec::new();
        for row in &rows {
            let department_id = match &row.department_code {
                None => None,
                Some(code) => match department::Entity::find()
                    .filter(department::Column::Code.eq(code.as_str()))
                    .one(&txn)
                    .await?
                {
                    Some(d) => Some(d.id),
                    None => {
                        problems.push(Problem::new(
                            &row.department_at,
                            ProblemCode::NotFound,
                            Message::new(
                                format!("没有代码为“{code}”的主管部门"),
                                format!("no department has the code “{code}”"),
                            ),
                        ));
                        continue;
                    }
                },
            };
            let key = (department_id, row.entry.level2.code(), row.entry.name.as_str());
            if seen.contains(&key) {
                problems.push(Problem::new(
                    &row.at,
                    ProblemCode::AlreadyExists,
                    Message::new(
                        format!("“{}”在本工作簿中出现了两次（同一范围、同一二级指标）", row.entry.name),
                        format!("“{}” appears twice in this workbook (same scope and level 2)", row.entry.name),
                    ),
                ));
                continue;
            }
            seen.push(key);
            let mut existing = library_entry::Entity::find()
                .filter(library_entry::Column::Status.eq(LibraryEntryStatus::Confirmed.code()))
                .filter(library_entry::Column::Level2.eq(row.entry.level2.code()))
                .filter(library_entry::Column::Name.eq(row.entry.name.as_str()));
            existing = match department_id {
                Some(d) => existing.filter(library_entry::Column::DepartmentId.eq(d)),
                None => existing.filter(library_entry::Column::DepartmentId.is_null()),
            };
            if existing.one(&txn).await?.is_some() {
                report.unchanged.push(row.entry.name.clone());
                continue;
            }
            insert_entry(
                &txn,
                department_id,
                &row.entry,
                LibraryEntryStatus::Confirmed,
                self.actor.user_id,
                LibraryChange::Import,
            )
            .await?;
            report.created += 1;
        }
        if !problems.is_empty() {
            return Err(StoreError::Rejected(problems));
        }
        self.commit(txn).await?;
        Ok(report)
    }
}
