//! Reading departments' overall goals: one department's of a year, a year's for the bureau, a
//! form's history, and the department's projects of the year the form is read among.

use std::collections::{BTreeSet, HashMap};

use jixiao_domain::department_goals::YearProject;
use jixiao_domain::{Money, Status};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::DepartmentGoalsStore;
use super::form::DepartmentGoalsForm;
use super::records::{DepartmentGoalsRecord, DepartmentGoalsStep};
use crate::entity::{department_goal as goals, indicator, project};
use crate::error::StoreResult;
use crate::lifecycle::{find_visible, steps_of, visible};

/// At most this many forms in one list: one per department, and a district has well under that.
pub const MAX_FORMS_LISTED: u64 = 1_000;

/// A project of the department's year, as the form reads it (owned; [`YearProjectRow::view`]
/// lends it to the domain's rules).
#[derive(Clone, Debug)]
pub struct YearProjectRow {
    pub id: i64,
    pub name: String,
    pub status: Status,
    /// Its approved amount once approved, else its annual request (none entered: zero).
    pub amount: Money,
    pub indicator_names: Vec<String>,
}

impl YearProjectRow {
    pub fn view(&self) -> YearProject<'_> {
        YearProject {
            id: self.id,
            name: &self.name,
            amount: self.amount,
            indicator_names: self.indicator_names.iter().map(String::as_str).collect(),
        }
    }
}

impl DepartmentGoalsStore<'_> {
    /// The department's form of `fiscal_year`, when there is one the actor may see.
    pub async fn of_department(
        &self,
        department_id: i64,
        fiscal_year: i32,
    ) -> StoreResult<Option<DepartmentGoalsRecord>> {
        let row = goals::Entity::find()
            .filter(goals::Column::DepartmentId.eq(department_id))
            .filter(goals::Column::FiscalYear.eq(fiscal_year))
            .filter(visible::<DepartmentGoalsForm>(&self.actor))
            .one(self.db)
            .await?;
        Ok(row.map(DepartmentGoalsRecord::try_from).transpose()?)
    }

    /// Form `id`; NOT_FOUND when the actor may not see it.
    pub async fn get(&self, id: i64) -> StoreResult<DepartmentGoalsRecord> {
        find_visible::<DepartmentGoalsForm, _>(self.db, &self.actor, id).await
    }

    /// Every form of `fiscal_year` the actor may see (the bureau: every department's once
    /// submitted), in `status` when given, by department.
    pub async fn of_year(&self, fiscal_year: i32, status: Option<Status>) -> StoreResult<Vec<DepartmentGoalsRecord>> {
        let mut query =
            goals::Entity::find()
                .filter(goals::Column::FiscalYear.eq(fiscal_year))
                .filter(visible::<DepartmentGoalsForm>(&self.actor));
        if let Some(status) = status {
            query = query.filter(goals::Column::Status.eq(status.code()));
        }
        let rows = query.order_by_asc(goals::Column::DepartmentId).limit(MAX_FORMS_LISTED).all(self.db).await?;
        Ok(rows.into_iter().map(DepartmentGoalsRecord::try_from).collect::<Result<_, _>>()?)
    }

    /// How many forms of `fiscalYear` (of `department_id` when given) the actor may see, per
    /// status, in the statuses' order (statuses with none left out).
    pub async fn count_by_status(
        &self,
        fiscal_year: i32,
        department_id: Option<i64>,
    ) -> StoreResult<Vec<(Status, i64)>> {
        use sea_orm::sea_query::Expr;
        let mut query = goals::Entity::find()
            .select_only()
            .column(goals::Column::Status)
            .column_as(Expr::cust("COUNT(*)"), "forms")
            .filter(goals::Column::FiscalYear.eq(fiscal_year))
            .filter(visible::<DepartmentGoalsForm>(&self.actor))
            .group_by(goals::Column::Status);
        if let Some(department_id) = department_id {
            query = query.filter(goals::Column::DepartmentId.eq(department_id));
        }
        let rows: Vec<(String, i64)> = query.into_tuple().all(self.db).await?;
        let count = |s: Status| rows.iter().find(|(code, _)| code == s.code()).map(|(_, n)| *n);
        Ok(Status::ALL.into_iter().filter_map(|s| count(s).map(|n| (s, n))).collect())
    }

    /// The newest steps of each form among `ids` (read through [`Self::get`] or a list), oldest
    /// first: one statement for every form of a response.
    pub async fn histories(&self, ids: &[i64]) -> StoreResult<HashMap<i64, Vec<DepartmentGoalsStep>>> {
        steps_of::<DepartmentGoalsForm, _, _>(
            self.db,
            |column| column.is_in(ids.iter().copied()),
            |row| row.form_id,
            |row| DepartmentGoalsStep::read(&row),
        )
        .await
    }

    /// The projects the form is read among: the department's live projects of the year that may
    /// still run (not NOT_APPROVED), those the actor may see, and those the form links whoever
    /// reads it (the department named them in the form it handed in).
    pub async fn year_projects(&self, form: &DepartmentGoalsRecord) -> StoreResult<Vec<YearProjectRow>> {
        year_projects(self.db, &self.actor, form).await
    }
}

pub(super) async fn year_projects<C: ConnectionTrait>(
    conn: &C,
    actor: &jixiao_domain::Actor,
    form: &DepartmentGoalsRecord,
) -> StoreResult<Vec<YearProjectRow>> {
    let linked = form.goals.linked_projects();
    let mut out = year_rows(conn, form, None).await?;
    out.retain(|p| actor.can_see(form.department_id, p.status) || linked.contains(&p.id));
    let ids: Vec<i64> = out.iter().map(|p| p.id).collect();
    if !ids.is_empty() {
        let names: Vec<(i64, String)> = indicator::Entity::find()
            .select_only()
            .column(indicator::Column::ProjectId)
            .column(indicator::Column::Name)
            .filter(indicator::Column::ProjectId.is_in(ids))
            .order_by_asc(indicator::Column::ProjectId)
            .order_by_asc(indicator::Column::Position)
            .into_tuple()
            .all(conn)
            .await?;
        let at: std::collections::HashMap<i64, usize> = out.iter().enumerate().map(|(n, p)| (p.id, n)).collect();
        for (project_id, name) in names {
            if let Some(&n) = at.get(&project_id) {
                out[n].indicator_names.push(name);
            }
        }
    }
    Ok(out)
}

/// The projects among `linked` that count in the form's year, with what the bureau counts of
/// each and no texts: what the form's sums need, whoever asks (a round opened by the bureau and
/// a form approved by an approver measure against the same 支出合计).
pub(super) async fn linked_projects<C: ConnectionTrait>(
    conn: &C,
    form: &DepartmentGoalsRecord,
    linked: &BTreeSet<i64>,
) -> StoreResult<Vec<YearProjectRow>> {
    if linked.is_empty() {
        return Ok(Vec::new());
    }
    year_rows(conn, form, Some(linked)).await
}

/// The department's live projects of the form's year that may still run (not NOT_APPROVED),
/// only those among `only` when given; names and amounts only.
async fn year_rows<C: ConnectionTrait>(
    conn: &C,
    form: &DepartmentGoalsRecord,
    only: Option<&BTreeSet<i64>>,
) -> StoreResult<Vec<YearProjectRow>> {
    let mut query = project::Entity::find()
        .select_only()
        .column(project::Column::Id)
        .column(project::Column::Name)
        .column(project::Column::Status)
        .column(project::Column::AnnualRequestFen)
        .column(project::Column::ApprovedFen)
        .filter(project::Column::DepartmentId.eq(form.department_id))
        .filter(project::Column::FiscalYear.eq(form.fiscal_year))
        .filter(project::Column::DeletedAt.is_null())
        .filter(project::Column::Status.is_in(Status::codes_where(YearProject::counts_in_year)));
    if let Some(ids) = only {
        query = query.filter(project::Column::Id.is_in(ids.iter().copied()));
    }
    let rows: Vec<(i64, String, String, Option<i64>, Option<i64>)> =
        query.order_by_asc(project::Column::Id).into_tuple().all(conn).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, name, status, request, approved)| {
            let status = Status::from_code(&status)?;
            let amount = YearProject::amount_of(status, request.map(Money::from_fen), approved.map(Money::from_fen));
            Some(YearProjectRow { id, name, status, amount, indicator_names: Vec::new() })
        })
        .collect())
}
