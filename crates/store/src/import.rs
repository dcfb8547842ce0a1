//! `jixiao import`: a whole declaration document in one transaction.
//!
//! The document is checked whole before anything is written. The department and its budget
//! units are matched by code (and created when new); each project is created as DRAFT unless
//! the department already has a live project of that name for that year, in which case it is
//! left as it is. Importing the same document twice therefore changes nothing.

use jixiao_domain::Message;
use jixiao_domain::{DeclarationDocument, ProblemCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

use crate::Department;
use crate::entity::{budget_unit, department, project};
use crate::error::{StoreError, StoreResult};
use crate::organization::{Admin, insert_budget_unit, insert_department};
use crate::projects::insert_declaration;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    pub department: Department,
    /// Names of the projects created.
    pub created: Vec<String>,
    /// Names of the projects that existed already and were left unchanged.
    pub unchanged: Vec<String>,
}

impl Admin<'_> {
    pub async fn import(&self, doc: &DeclarationDocument) -> StoreResult<ImportReport> {
        let projects = doc.check().map_err(StoreError::Rejected)?;
        let txn = self.connection().begin().await?;

        let dept = match department::Entity::find()
            .filter(department::Column::Code.eq(&doc.department.code))
            .one(&txn)
            .await?
        {
            Some(d) if d.name != doc.department.name.trim() => {
                return Err(StoreError::problem(
                    "department.name",
                    ProblemCode::InvalidInput,
                    Message::new(
                        format!("部门 {} 在本系统中名为“{}”，而非“{}”", d.code, d.name, doc.department.name),
                        format!("department {} is named \"{}\" here, not \"{}\"", d.code, d.name, doc.department.name),
                    ),
                ));
            }
            Some(d) => d,
            None => insert_department(&txn, &doc.department.code, &doc.department.name).await?,
        };

        let mut unit_ids = std::collections::HashMap::new();
        for (i, u) in doc.budget_units.iter().enumerate() {
            let unit = match budget_unit::Entity::find().filter(budget_unit::Column::Code.eq(&u.code)).one(&txn).await?
            {
                Some(existing) if existing.department_id != dept.id => {
                    return Err(StoreError::problem(
                        &format!("budgetUnits[{i}].code"),
                        ProblemCode::InvalidInput,
                        Message::new(
                            format!("预算单位 {} 属于另一个部门", u.code),
                            format!("budget unit {} belongs to another department", u.code),
                        ),
                    ));
                }
                Some(existing) => existing,
                None => insert_budget_unit(&txn, dept.id, &u.code, &u.name).await?,
            };
            unit_ids.insert(u.code.clone(), unit.id);
        }

        let mut report = ImportReport { department: dept.clone(), created: vec![], unchanged: vec![] };
        for p in &projects {
            let declaration = p.declaration.check().map_err(StoreError::Rejected)?;
            let exists = project::Entity::find()
                .filter(project::Column::DepartmentId.eq(dept.id))
                .filter(project::Column::FiscalYear.eq(declaration.fiscal_year))
                .filter(project::Column::Name.eq(&declaration.text.name))
                .filter(project::Column::DeletedAt.is_null())
                .one(&txn)
                .await?
                .is_some();
            if exists {
                report.unchanged.push(declaration.text.name);
                continue;
            }
            insert_declaration(&txn, dept.id, unit_ids[&p.unit_code], &declaration, None).await?;
            report.created.push(declaration.text.name);
        }
        txn.commit().await?;
        Ok(report)
    }
}
