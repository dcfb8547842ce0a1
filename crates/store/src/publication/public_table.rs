//! The public table (绩效公开表) of a department's year, as the department posts it: the opening
//! paragraph and, for each issued project, its declaration in force and its approved amount.
//! Nothing internal is read into it (status, findings, remarks, grades, reviewers), so nothing
//! internal can be written out of it.

use jixiao_domain::{Declaration, Money, Total, publication};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{IssueRecord, Publication};
use crate::entity::{approval_issue, budget_unit, department, department_goal, project};
use crate::error::{StoreError, StoreResult, allow};
use crate::record::ProjectRecord;

/// What a department publishes for its year.
#[derive(Clone, Debug)]
pub struct PublicTable {
    pub department: String,
    pub department_code: String,
    pub fiscal_year: i32,
    /// In the seed's words: units, projects, approved funds in 万元.
    pub opening_paragraph: String,
    pub acts: Vec<IssueRecord>,
    /// The issued projects, in the order they were declared.
    pub projects: Vec<PublicProject>,
    /// 部门整体绩效目标 in force (as last approved), once the department's form is approved.
    pub overall_goals: Option<PublicGoals>,
}

/// The department's overall goals as published: what it set out to do, never how it was
/// reviewed. The goals in force, so an adjustment in progress shows the goals still approved.
#[derive(Clone, Debug)]
pub struct PublicGoals {
    pub functions: String,
    pub overall_goal: String,
    /// 年度主要任务: each a name and a description.
    pub tasks: Vec<(String, String)>,
    pub indicators: Vec<jixiao_domain::Indicator>,
}

/// One issued project as published.
#[derive(Clone, Debug)]
pub struct PublicProject {
    pub unit: String,
    /// The declaration in force (its latest approval's).
    pub declaration: Declaration,
    /// 批复金额 in force.
    pub approved: Money,
    /// 批复文号 of the act that issued it.
    pub document_no: String,
}

impl Publication<'_> {
    /// The public table of a department's year: the department and the bureau may read it before
    /// it is published, anyone signed in after. NotFound when the department does not exist or
    /// nothing of the year was issued.
    pub async fn public_table(&self, department_code: &str, fiscal_year: i32) -> StoreResult<PublicTable> {
        let department = department::Entity::find()
            .filter(department::Column::Code.eq(department_code))
            .one(self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let published = self.published(department.id, fiscal_year).await?;
        allow(self.actor.may_read_public_table(department.id, published))?;
        let acts: Vec<IssueRecord> = approval_issue::Entity::find()
            .filter(approval_issue::Column::DepartmentId.eq(department.id))
            .filter(approval_issue::Column::FiscalYear.eq(fiscal_year))
            .order_by_asc(approval_issue::Column::Id)
            .all(self.db)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
        if acts.is_empty() {
            return Err(StoreError::NotFound);
        }
        let records: Vec<ProjectRecord> = project::Entity::find()
            .filter(project::Column::DepartmentId.eq(department.id))
            .filter(project::Column::FiscalYear.eq(fiscal_year))
            .filter(project::Column::DeletedAt.is_null())
            .filter(project::Column::ApprovalIssueId.is_not_null())
            .order_by_asc(project::Column::Id)
            .all(self.db)
            .await?
            .into_iter()
            .map(ProjectRecord::try_from)
            .collect::<Result<_, _>>()?;
        let mut in_force = crate::snapshots::in_force_declarations(self.db, &records).await?;
        let unit_ids: Vec<i64> = records.iter().map(|r| r.implementing_unit_id).collect();
        let units: std::collections::HashMap<i64, String> = budget_unit::Entity::find()
            .filter(budget_unit::Column::Id.is_in(unit_ids.iter().copied()))
            .all(self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let mut declaring_units = unit_ids.clone();
        declaring_units.sort_unstable();
        declaring_units.dedup();
        let mut projects = Vec::with_capacity(records.len());
        for r in &records {
            let Some(declared) = in_force.remove(&r.id) else { continue };
            let approved = r.approved_amount.or(declared.declaration.funds.annual_request).unwrap_or_default();
            let document_no = acts.iter().find(|a| Some(a.id) == r.approval_issue_id).map(|a| a.document_no.clone());
            projects.push(PublicProject {
                unit: units.get(&r.implementing_unit_id).cloned().unwrap_or_default(),
                declaration: declared.declaration,
                approved,
                document_no: document_no.unwrap_or_default(),
            });
        }
        let total = projects.iter().fold(Total::ZERO, |t, p| t + Total::from(p.approved));
        let overall_goals = department_goal::Entity::find()
            .filter(department_goal::Column::DepartmentId.eq(department.id))
            .filter(department_goal::Column::FiscalYear.eq(fiscal_year))
            .filter(department_goal::Column::InForce.is_not_null())
            .one(self.db)
            .await?
            .map(crate::department_goals::DepartmentGoalsRecord::try_from)
            .transpose()?
            .and_then(|form| form.in_force)
            .map(|goals| PublicGoals {
                functions: goals.functions,
                overall_goal: goals.overall_goal,
                tasks: goals.tasks.into_iter().map(|t| (t.name, t.description)).collect(),
                indicators: goals.indicators,
            });
        Ok(PublicTable {
            opening_paragraph: publication::opening_paragraph(
                fiscal_year,
                declaring_units.len(),
                projects.len(),
                total,
            ),
            department: department.name,
            department_code: department.code,
            fiscal_year,
            acts,
            projects,
            overall_goals,
        })
    }
}
