//! 结果应用情况: how a year's results were applied to its requests, for the bureau: requests linked
//! to a result and by grade, those without one, requested, suggested and decided money. A constant
//! number of statements however large the year (the results are read in batches, `prior.rs`).

use std::collections::HashMap;

use jixiao_domain::evaluation::Grade;
use jixiao_domain::results::{RectificationStatus, suggest};
use jixiao_domain::{Money, Status, Total};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::Results;
use super::rules::rules_in;
use crate::entity::{budget_decision, project, rectification_item};
use crate::error::StoreResult;
use crate::record::ProjectRecord;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplicationReport {
    pub requests: i64,
    /// Requests with a result that counts, and how many of each grade.
    pub linked: i64,
    pub by_grade: Vec<(Grade, i64)>,
    /// Requests without one.
    pub missing: i64,
    pub requested: Total,
    pub suggested: Total,
    /// Requests the bureau decided, and those it has not.
    pub decided: i64,
    pub undecided: i64,
    /// What the decided requests asked, and what was decided for them.
    pub decided_requested: Total,
    pub decided_amount: Total,
}

impl Results<'_> {
    /// The year's report (and a department's), for the bureau.
    pub async fn report(&self, fiscal_year: i32, department_id: Option<i64>) -> StoreResult<ApplicationReport> {
        self.ensure_bureau()?;
        let mut query = project::Entity::find()
            .filter(project::Column::FiscalYear.eq(fiscal_year))
            .filter(project::Column::DeletedAt.is_null())
            .filter(project::Column::Status.is_in(Status::codes_where(Status::reached_the_bureau)));
        if let Some(d) = department_id {
            query = query.filter(project::Column::DepartmentId.eq(d));
        }
        let requests: Vec<ProjectRecord> =
            query.all(self.db).await?.into_iter().map(ProjectRecord::try_from).collect::<Result<_, _>>()?;
        let priors = self.prior_results(&requests).await?;
        let evaluated: Vec<i64> = priors.values().map(|c| c.result.project_id).collect();
        let open: HashMap<i64, i64> = rectification_item::Entity::find()
            .select_only()
            .column(rectification_item::Column::ProjectId)
            .column_as(Expr::cust("COUNT(*)"), "open")
            .filter(rectification_item::Column::ProjectId.is_in(evaluated))
            .filter(rectification_item::Column::Status.ne(RectificationStatus::Closed.code()))
            .group_by(rectification_item::Column::ProjectId)
            .into_tuple::<(i64, i64)>()
            .all(self.db)
            .await?
            .into_iter()
            .collect();
        let decisions: HashMap<i64, budget_decision::Model> = budget_decision::Entity::find()
            .filter(budget_decision::Column::ProjectId.is_in(requests.iter().map(|p| p.id)))
            .all(self.db)
            .await?
            .into_iter()
            .map(|d| (d.project_id, d))
            .collect();
        let rules = rules_in(self.db, fiscal_year).await?;
        let mut report =
            ApplicationReport { by_grade: Grade::ALL.iter().map(|g| (*g, 0)).collect(), ..Default::default() };
        for p in &requests {
            let request = p.funds.annual_request.unwrap_or_default();
            let prior = priors.get(&p.id);
            let all_closed = prior.is_none_or(|c| open.get(&c.result.project_id).copied().unwrap_or(0) == 0);
            let suggestion = suggest(request, prior.map(|c| &c.result), &rules, all_closed);
            report.requests += 1;
            match prior {
                Some(c) => {
                    report.linked += 1;
                    if let Some(row) = report.by_grade.iter_mut().find(|(g, _)| *g == c.result.grade) {
                        row.1 += 1;
                    }
                }
                None => report.missing += 1,
            }
            report.requested = report.requested + Total::from(request);
            report.suggested = report.suggested + Total::from(suggestion.suggested);
            match decisions.get(&p.id) {
                Some(d) => {
                    report.decided += 1;
                    report.decided_requested = report.decided_requested + Total::from(request);
                    report.decided_amount = report.decided_amount + Total::from(Money::from_fen(d.amount_fen));
                }
                None => report.undecided += 1,
            }
        }
        Ok(report)
    }
}
