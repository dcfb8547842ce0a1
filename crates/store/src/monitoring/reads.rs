//! Reading reports, through the actor's visibility.

use std::collections::HashMap;

use jixiao_domain::monitoring::ReportStatus;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::Monitoring;
use super::form::ReportForm;
use super::records::{ReportFilter, ReportRecord, ReportReviewRecord};
use crate::entity::{monitoring_report, monitoring_round};
use crate::error::StoreResult;
use crate::lifecycle::{StepRecord, find_visible, steps_of, visible};

impl Monitoring<'_> {
    /// The reports this actor may see, as a condition on `monitoring_reports`.
    pub(super) fn visible(&self) -> Condition {
        visible::<ReportForm>(&self.actor)
    }
    pub(super) fn filtered(&self, round_id: i64, f: &ReportFilter) -> Condition {
        let mut c = self.visible().add(monitoring_report::Column::RoundId.eq(round_id));
        if let Some(d) = f.department_id {
            c = c.add(monitoring_report::Column::DepartmentId.eq(d));
        }
        if !f.statuses.is_empty() {
            c = c.add(monitoring_report::Column::Status.is_in(f.statuses.iter().map(|s| s.code())));
        }
        if !f.lights.is_empty() {
            c = c.add(monitoring_report::Column::Light.is_in(f.lights.iter().map(|l| l.code())));
        }
        if let Some(wanted) = f.overdue {
            let overdue = overdue_on(self.clock.today());
            c = c.add(if wanted { overdue } else { overdue.not() });
        }
        c
    }

    /// Opens a round for a fiscal year and gives every project with targets in force a report
    /// A page of a round's reports, in creation order, after the report `after`.
    pub async fn reports(
        &self,
        round_id: i64,
        filter: &ReportFilter,
        after: Option<i64>,
        limit: u64,
    ) -> StoreResult<Vec<ReportRecord>> {
        let mut find = monitoring_report::Entity::find().filter(self.filtered(round_id, filter));
        if let Some(a) = after {
            find = find.filter(monitoring_report::Column::Id.gt(a));
        }
        let rows = find.order_by_asc(monitoring_report::Column::Id).limit(limit).all(self.db).await?;
        Ok(rows.into_iter().map(ReportRecord::try_from).collect::<Result<_, _>>()?)
    }

    pub async fn count_reports(&self, round_id: i64, filter: &ReportFilter) -> StoreResult<u64> {
        Ok(monitoring_report::Entity::find().filter(self.filtered(round_id, filter)).count(self.db).await?)
    }

    /// The visible reports of each project among `project_ids`, oldest round first.
    pub async fn reports_of_projects(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<ReportRecord>>> {
        let rows = monitoring_report::Entity::find()
            .filter(self.visible().add(monitoring_report::Column::ProjectId.is_in(project_ids.iter().copied())))
            .order_by_asc(monitoring_report::Column::Id)
            .all(self.db)
            .await?;
        let mut out: HashMap<i64, Vec<ReportRecord>> = HashMap::new();
        for r in rows {
            let r = ReportRecord::try_from(r)?;
            out.entry(r.project_id).or_default().push(r);
        }
        Ok(out)
    }

    /// One report, if the actor may see it.
    pub async fn report(&self, id: i64) -> StoreResult<ReportRecord> {
        find_visible::<ReportForm, _>(self.db, &self.actor, id).await
    }

    /// The history of each report among `report_ids` (the caller has found them visible): its
    /// last [`crate::record::REVIEWS_SHOWN`] steps.
    pub async fn reviews_of(&self, report_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<ReportReviewRecord>>> {
        steps_of::<ReportForm, _, _>(
            self.db,
            |c| c.is_in(report_ids.iter().copied()),
            |r| r.report_id,
            |r| StepRecord::read(&r),
        )
        .await
    }
}

/// The reports overdue on `today` (`ReportStatus::is_overdue`, in SQL): still the unit's to fill,
/// in a round whose due date has passed in China.
pub(super) fn overdue_on(today: chrono::NaiveDate) -> Condition {
    let past_due = Query::select()
        .column(monitoring_round::Column::Id)
        .from(monitoring_round::Entity)
        .and_where(monitoring_round::Column::DueDate.lt(today))
        .to_owned();
    let editable = ReportStatus::ALL.iter().filter(|s| s.is_editable()).map(|s| s.code());
    Condition::all()
        .add(monitoring_report::Column::Status.is_in(editable))
        .add(monitoring_report::Column::RoundId.in_subquery(past_due))
}
