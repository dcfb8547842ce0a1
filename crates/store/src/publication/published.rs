//! 绩效公开: a department records that it published its year, and where everyone stands.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use jixiao_domain::{Message, ProblemCode, publication};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, TransactionTrait,
};

use super::{Publication, PublicationStatus};
use crate::entity::{approval_issue, project, project_snapshot, publication as published_row};
use crate::error::{StoreError, StoreResult, allow};
use crate::projects::insert::stored_now;

impl Publication<'_> {
    /// Records the department's publication of its year (again, after an adjustment: the later
    /// one replaces it). Refused before anything was issued, dated before the first act or
    /// after today.
    pub async fn mark_published(
        &self,
        department_id: i64,
        fiscal_year: i32,
        published_on: NaiveDate,
        url: &str,
    ) -> StoreResult<PublicationStatus> {
        allow(self.actor.may_mark_published(department_id))?;
        let url = publication::check_url(url).map_err(|p| StoreError::Rejected(vec![p]))?;
        let refused = |field: &str, zh: String, en: String| {
            StoreError::problem(field, ProblemCode::InvalidInput, Message::new(zh, en))
        };
        let txn = self.db.begin().await?;
        let Some(first) = first_act_on(&txn, department_id, fiscal_year).await? else {
            return Err(refused(
                "fiscalYear",
                format!("{fiscal_year} 年度的批复尚未下达：下达后才能公开"),
                format!("nothing of {fiscal_year} has been issued yet: a department publishes what was issued"),
            ));
        };
        if published_on < first {
            return Err(refused(
                "publishedOn",
                format!("公开日期 {published_on} 早于批复下达日期 {first}"),
                format!("the publication date {published_on} is before the approval was issued ({first})"),
            ));
        }
        let today = self.clock.today();
        if published_on > today {
            return Err(refused(
                "publishedOn",
                format!("公开日期 {published_on} 晚于今天（{today}）：请在公开后登记"),
                format!("the publication date {published_on} is after today ({today}): record it once published"),
            ));
        }
        published_row::Entity::insert(published_row::ActiveModel {
            department_id: Set(department_id),
            fiscal_year: Set(fiscal_year),
            published_on: Set(published_on),
            url: Set(url),
            published_by: Set(self.actor.user_id),
            published_at: Set(stored_now()),
        })
        .on_conflict(
            OnConflict::columns([published_row::Column::DepartmentId, published_row::Column::FiscalYear])
                .update_columns([
                    published_row::Column::PublishedOn,
                    published_row::Column::Url,
                    published_row::Column::PublishedBy,
                    published_row::Column::PublishedAt,
                ])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
        let status =
            status_in(&txn, department_id, fiscal_year, self.clock.today()).await?.ok_or(StoreError::NotFound)?;
        super::announce(&txn, "publish", department_id, fiscal_year, None).await?;
        self.commits.commit(txn).await?;
        Ok(status)
    }

    /// Where a department's year stands, once something was issued (`None` before, and for a
    /// caller who does not follow the department).
    pub async fn status_of(&self, department_id: i64, fiscal_year: i32) -> StoreResult<Option<PublicationStatus>> {
        if !self.follows(department_id) {
            return Ok(None);
        }
        status_in(self.db, department_id, fiscal_year, self.clock.today()).await
    }

    /// The bureau's view of a year: every department with an act, by department id; a
    /// department's own users see their own row only. Two statements for the year's acts and
    /// publications, and one more per published department (whether it went stale).
    pub async fn statuses(&self, fiscal_year: i32) -> StoreResult<Vec<PublicationStatus>> {
        let acts = approval_issue::Entity::find()
            .filter(approval_issue::Column::FiscalYear.eq(fiscal_year))
            .order_by_asc(approval_issue::Column::DepartmentId)
            .order_by_asc(approval_issue::Column::Id)
            .all(self.db)
            .await?;
        let mut published: HashMap<i64, published_row::Model> = published_row::Entity::find()
            .filter(published_row::Column::FiscalYear.eq(fiscal_year))
            .all(self.db)
            .await?
            .into_iter()
            .map(|p| (p.department_id, p))
            .collect();
        let mut out = Vec::new();
        for of_department in acts.chunk_by(|a, b| a.department_id == b.department_id) {
            let department_id = of_department[0].department_id;
            if self.follows(department_id) {
                let publication = published.remove(&department_id);
                out.extend(
                    status_from(self.db, department_id, fiscal_year, of_department, publication, self.clock.today())
                        .await?,
                );
            }
        }
        Ok(out)
    }

    /// Whether the department's year has been published (anyone may then read its public table).
    pub(super) async fn published(&self, department_id: i64, fiscal_year: i32) -> StoreResult<bool> {
        Ok(published_row::Entity::find_by_id((department_id, fiscal_year)).one(self.db).await?.is_some())
    }
}

async fn first_act_on<C: sea_orm::ConnectionTrait>(
    conn: &C,
    department_id: i64,
    fiscal_year: i32,
) -> StoreResult<Option<NaiveDate>> {
    let first: Option<Option<NaiveDate>> = approval_issue::Entity::find()
        .select_only()
        .column_as(Expr::cust("MIN(issued_on)"), "first")
        .filter(approval_issue::Column::DepartmentId.eq(department_id))
        .filter(approval_issue::Column::FiscalYear.eq(fiscal_year))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(first.flatten())
}

/// The status of a department's year, read in `conn` (at most three small statements).
async fn status_in<C: sea_orm::ConnectionTrait>(
    conn: &C,
    department_id: i64,
    fiscal_year: i32,
    today: chrono::NaiveDate,
) -> StoreResult<Option<PublicationStatus>> {
    let acts = approval_issue::Entity::find()
        .filter(approval_issue::Column::DepartmentId.eq(department_id))
        .filter(approval_issue::Column::FiscalYear.eq(fiscal_year))
        .order_by_asc(approval_issue::Column::Id)
        .all(conn)
        .await?;
    if acts.is_empty() {
        return Ok(None);
    }
    let published = published_row::Entity::find_by_id((department_id, fiscal_year)).one(conn).await?;
    status_from(conn, department_id, fiscal_year, &acts, published, today).await
}

/// The status of a department's year from its acts and its publication (`None` without acts);
/// a publication is read for whether it went stale.
async fn status_from<C: sea_orm::ConnectionTrait>(
    conn: &C,
    department_id: i64,
    fiscal_year: i32,
    acts: &[approval_issue::Model],
    published: Option<published_row::Model>,
    today: chrono::NaiveDate,
) -> StoreResult<Option<PublicationStatus>> {
    let Some(first_issued_on) = acts.iter().map(|a| a.issued_on).min() else { return Ok(None) };
    let due_on = publication::due_on(first_issued_on);
    let stale = match &published {
        None => false,
        Some(p) => {
            let issued_since = acts.iter().any(|a| a.issued_at > p.published_at);
            issued_since || approved_since(conn, department_id, fiscal_year, p.published_at).await?
        }
    };
    Ok(Some(PublicationStatus {
        department_id,
        fiscal_year,
        first_issued_on,
        acts: i64::try_from(acts.len()).unwrap_or(i64::MAX),
        due_on,
        overdue: publication::overdue(due_on, published.as_ref().map(|p| p.published_on), today),
        published,
        stale,
    }))
}

/// Whether an issued project of the year was approved again (an adjustment) after `moment`.
async fn approved_since<C: sea_orm::ConnectionTrait>(
    conn: &C,
    department_id: i64,
    fiscal_year: i32,
    moment: chrono::DateTime<Utc>,
) -> StoreResult<bool> {
    let issued = project::Entity::find()
        .select_only()
        .column(project::Column::Id)
        .filter(project::Column::DepartmentId.eq(department_id))
        .filter(project::Column::FiscalYear.eq(fiscal_year))
        .filter(project::Column::DeletedAt.is_null())
        .filter(project::Column::ApprovalIssueId.is_not_null())
        .into_query();
    let later = project_snapshot::Entity::find()
        .filter(project_snapshot::Column::ProjectId.in_subquery(issued))
        .filter(project_snapshot::Column::ApprovedAt.gt(moment))
        .one(conn)
        .await?;
    Ok(later.is_some())
}
