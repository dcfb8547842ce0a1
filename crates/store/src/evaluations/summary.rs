//! A year's self-evaluations at a glance, in SQL.

use jixiao_domain::evaluation::{Grade, Points};
use jixiao_domain::monitoring::ReportStatus;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::Evaluations;
use super::form::EvaluationForm;
use super::records::EvaluationSummary;
use crate::entity::self_evaluation;
use crate::error::StoreResult;
use crate::lifecycle::visible;

impl Evaluations<'_> {
    /// A year's evaluations (of one department, when given) at a glance, in SQL.
    pub async fn summary(&self, fiscal_year: i32, department_id: Option<i64>) -> StoreResult<EvaluationSummary> {
        let mut c = visible::<EvaluationForm>(&self.actor).add(self_evaluation::Column::FiscalYear.eq(fiscal_year));
        if let Some(d) = department_id {
            c = c.add(self_evaluation::Column::DepartmentId.eq(d));
        }
        let by_status: Vec<(String, i64, i64)> = self_evaluation::Entity::find()
            .select_only()
            .column_as(self_evaluation::Column::Status, "status")
            .column_as(Expr::cust("COUNT(*)"), "n")
            .column_as(Expr::cust("CAST(COALESCE(SUM(total_score), 0) AS BIGINT)"), "total")
            .filter(c.clone())
            .group_by(self_evaluation::Column::Status)
            .into_tuple()
            .all(self.db)
            .await?;
        let finished = [ReportStatus::Submitted.code(), ReportStatus::Accepted.code()];
        let by_grade: Vec<(String, i64)> = self_evaluation::Entity::find()
            .select_only()
            .column_as(self_evaluation::Column::Grade, "grade")
            .column_as(Expr::cust("COUNT(*)"), "n")
            .filter(c.add(self_evaluation::Column::Status.is_in(finished)))
            .group_by(self_evaluation::Column::Grade)
            .into_tuple()
            .all(self.db)
            .await?;
        let mut s = EvaluationSummary::default();
        let (mut scored_count, mut scored_total) = (0i64, 0i128);
        for (status, n, total) in by_status {
            s.count += n;
            if status == ReportStatus::Submitted.code() {
                s.submitted += n;
            }
            if status == ReportStatus::Accepted.code() {
                s.accepted += n;
            }
            if finished.contains(&status.as_str()) {
                scored_count += n;
                scored_total += i128::from(total);
            }
        }
        s.average = (scored_count > 0).then(|| {
            let n = i128::from(scored_count);
            Points(((scored_total * 2 + n) / (n * 2)) as i64)
        });
        for grade in Grade::ALL {
            let n = by_grade.iter().find(|(g, _)| g == grade.code()).map_or(0, |(_, n)| *n);
            s.by_grade.push((grade, n));
        }
        Ok(s)
    }
}
