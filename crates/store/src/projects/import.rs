//! Importing a whole declaration document in one transaction: `jixiao import` (the operator) and
//! `importDeclaration` (a submitter, into their own department).
//!
//! The document is checked whole before anything is written. The department and its budget
//! units are matched by code; the operator may bring new ones (they are created), a submitter may
//! not (their department and its units are as the admins set them up). Each project is created as
//! DRAFT unless the department already has a live project of that name for that year, in which
//! case it is left as it is. Importing the same document twice therefore changes nothing.

use std::collections::HashMap;

use jixiao_domain::{DeclarationDocument, Message, ProblemCode};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, TransactionTrait};

use crate::Department;
use crate::entity::{budget_unit, department, project};
use crate::error::{StoreError, StoreResult, allow};
use crate::organization::{Admin, insert_budget_unit, insert_department};
use crate::projects::{Projects, insert_declaration};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    pub department: Department,
    /// Names of the projects created.
    pub created: Vec<String>,
    /// Their ids, in the same order.
    pub created_ids: Vec<i64>,
    /// Names of the projects that existed already and were left unchanged.
    pub unchanged: Vec<String>,
}

/// Who imports: the operator may create the department and units the document brings; a
/// submitter imports into what exists, and is recorded as the projects' creator.
#[derive(Clone, Copy)]
enum Importer<'a> {
    Operator,
    Submitter(&'a Projects<'a>),
}

impl Admin<'_> {
    pub async fn import(&self, doc: &DeclarationDocument) -> StoreResult<ImportReport> {
        let txn = self.connection().begin().await?;
        let report = import(&txn, doc, Importer::Operator).await?;
        self.store().commits.commit(txn).await?;
        self.store().declarations_changed();
        Ok(report)
    }
}

impl Projects<'_> {
    /// Imports a document into the actor's own department: submitters only, units that exist,
    /// the projects counted against the hourly creation limit.
    pub async fn import(&self, doc: &DeclarationDocument) -> StoreResult<ImportReport> {
        let txn = self.db().begin().await?;
        let department = department::Entity::find()
            .filter(department::Column::Code.eq(doc.department.code.trim()))
            .one(&txn)
            .await?;
        allow(self.actor().may_create_project_in(Some(department.as_ref().map_or(-1, |d| d.id))))?;
        let report = import(&txn, doc, Importer::Submitter(self)).await?;
        self.commit(txn).await?;
        Ok(report)
    }
}

async fn import(
    txn: &DatabaseTransaction,
    doc: &DeclarationDocument,
    importer: Importer<'_>,
) -> StoreResult<ImportReport> {
    let projects = doc.check().map_err(StoreError::Rejected)?;
    let unknown = |field: String, zh: String, en: String| {
        StoreError::problem(&field, ProblemCode::InvalidInput, Message::new(zh, en))
    };
    let dept =
        match department::Entity::find().filter(department::Column::Code.eq(&doc.department.code)).one(txn).await? {
            Some(d) if d.name != doc.department.name.trim() => {
                return Err(unknown(
                    "department.name".into(),
                    format!("部门 {} 在本系统中名为“{}”，而非“{}”", d.code, d.name, doc.department.name),
                    format!("department {} is named \"{}\" here, not \"{}\"", d.code, d.name, doc.department.name),
                ));
            }
            Some(d) => d,
            None if matches!(importer, Importer::Operator) => {
                insert_department(txn, &doc.department.code, &doc.department.name).await?
            }
            None => {
                return Err(unknown(
                    "department.code".into(),
                    format!("没有编码为 {} 的部门", doc.department.code),
                    format!("there is no department with the code {}", doc.department.code),
                ));
            }
        };

    let mut unit_ids = HashMap::new();
    for (i, u) in doc.budget_units.iter().enumerate() {
        let unit = match budget_unit::Entity::find().filter(budget_unit::Column::Code.eq(&u.code)).one(txn).await? {
            Some(existing) if existing.department_id != dept.id => {
                return Err(unknown(
                    format!("budgetUnits[{i}].code"),
                    format!("预算单位 {} 属于另一个部门", u.code),
                    format!("budget unit {} belongs to another department", u.code),
                ));
            }
            Some(existing) => existing,
            None if matches!(importer, Importer::Operator) => {
                insert_budget_unit(txn, dept.id, &u.code, &u.name).await?
            }
            None => {
                return Err(unknown(
                    format!("budgetUnits[{i}].code"),
                    format!("部门 {} 没有编码为 {} 的预算单位：请管理员先添加", dept.name, u.code),
                    format!("{} has no budget unit with the code {}: ask an admin to add it first", dept.name, u.code),
                ));
            }
        };
        unit_ids.insert(u.code.clone(), unit.id);
    }

    // Which projects are new: the ones already there are left as they are.
    let mut report = ImportReport { department: dept.clone(), created: vec![], created_ids: vec![], unchanged: vec![] };
    let mut new = Vec::new();
    for p in &projects {
        let declaration = p.declaration.check().map_err(StoreError::Rejected)?;
        let exists = project::Entity::find()
            .select_only()
            .column(project::Column::Id)
            .filter(project::Column::DepartmentId.eq(dept.id))
            .filter(project::Column::FiscalYear.eq(declaration.fiscal_year))
            .filter(project::Column::Name.eq(&declaration.text.name))
            .filter(project::Column::DeletedAt.is_null())
            .into_tuple::<i64>()
            .one(txn)
            .await?
            .is_some();
        if exists {
            report.unchanged.push(declaration.text.name);
        } else {
            new.push((unit_ids[&p.unit_code], declaration));
        }
    }
    let created_by = match importer {
        Importer::Operator => None,
        Importer::Submitter(projects) => {
            projects.check_creation_rate(txn, new.len() as u64).await?;
            Some(projects.actor().user_id)
        }
    };
    for (unit_id, declaration) in new {
        let record = insert_declaration(txn, dept.id, unit_id, &declaration, created_by).await?;
        report.created_ids.push(record.id);
        report.created.push(declaration.text.name);
    }
    Ok(report)
}
