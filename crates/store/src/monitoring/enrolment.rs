//! Projects whose targets come into force get a report in each round of their year, and each
//! report's figures (rate, lights) follow from what was entered.

use std::collections::BTreeMap;

use chrono::Utc;
use jixiao_domain::monitoring::{IndicatorProgress, Light, Percent, ReportStatus, execution_rate, report_light};
use jixiao_domain::{Indicator, Money};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::records::{ReportRecord, RoundRecord};
use crate::entity::{monitoring_report, monitoring_round};
use crate::error::StoreResult;
use crate::record::ProjectRecord;

/// The figures a report shows, from what was entered: the rate (of the amount `approved`), the budget's light by the round's
/// rule, and the report's (the worst of the budget's and the indicators' that are known, each
/// indicator lit as the round lights them).
pub(crate) fn figures(
    round: &RoundRecord,
    approved: Money,
    executed: Option<Money>,
    progress: &BTreeMap<i64, IndicatorProgress>,
    targets: &[(i64, Indicator)],
) -> Result<(Option<Percent>, Option<Light>, Option<Light>), DbErr> {
    let rule = round.budget_rule()?;
    let rate = executed.and_then(|e| execution_rate(e, approved));
    let budget = rate.map(|r| rule.light(rule.time_progress(round.as_of), r));
    let indicators =
        targets.iter().filter_map(|(id, i)| progress.get(id).and_then(|p| round.indicator_light(&i.target, p)));
    let light = match budget {
        Some(b) => Some(report_light(b, indicators)),
        None => indicators.max(),
    };
    Ok((rate, budget, light))
}

/// The money a report measures against: the annual request in force and the amount approved in
/// force (what its execution rate divides by).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Budget {
    pub annual: Money,
    pub approved: Money,
}

impl Budget {
    /// `p`'s approved amount in force beside `annual`, the request in force; a project approved
    /// before approved amounts were kept was granted its request.
    pub(crate) fn of(p: &ProjectRecord, annual: Money) -> Budget {
        Budget { annual, approved: p.approved_amount.unwrap_or(annual) }
    }
}

/// The budget in force of an approved (or adjusting) project, and its indicators in force with
/// their ids.
pub(super) async fn in_force<C: ConnectionTrait>(
    conn: &C,
    p: &ProjectRecord,
) -> StoreResult<(Budget, Vec<(i64, Indicator)>)> {
    match crate::snapshots::in_force(conn, p.id).await? {
        Some(s) => Ok((
            Budget::of(p, s.declaration.funds.annual_request.unwrap_or_default()),
            s.indicator_ids.iter().copied().zip(s.declaration.indicators.iter().cloned()).collect(),
        )),
        // Approved before snapshots were kept: frozen since, so what it holds is in force.
        None => {
            let current = crate::snapshots::load_identified(conn, p).await?;
            Ok((
                Budget::of(p, current.declaration.funds.annual_request.unwrap_or_default()),
                current.indicator_ids.into_iter().zip(current.declaration.indicators).collect(),
            ))
        }
    }
}

/// The lock on a fiscal year's rounds (`lock_key`'s name for it).
pub(crate) const YEAR_ROUNDS: &str = "monitoring_rounds";

/// The rounds of `year`, read by something coming into force under the lock a round's opening
/// holds while it inserts the round and enrolls what is in force: of a round opening and a
/// project (or department's goals) approved at the same moment, one waits for the other and
/// then sees it, so the new round gets its report from one of the two, never from neither.
pub(crate) async fn rounds_of_year<C: ConnectionTrait>(
    conn: &C,
    year: i32,
) -> StoreResult<Vec<monitoring_round::Model>> {
    crate::row_lock::lock_key(conn, YEAR_ROUNDS, i64::from(year)).await?;
    Ok(monitoring_round::Entity::find().filter(monitoring_round::Column::FiscalYear.eq(year)).all(conn).await?)
}

/// A project whose targets came into force: a report in every round of its year that has none
/// yet, and the new budget in force on those not yet accepted.
pub(crate) async fn enroll<C: ConnectionTrait>(conn: &C, p: &ProjectRecord) -> StoreResult<()> {
    let rounds = rounds_of_year(conn, p.fiscal_year).await?;
    if rounds.is_empty() {
        return Ok(());
    }
    let (budget, targets) = in_force(conn, p).await?;
    for round in rounds {
        let existing = monitoring_report::Entity::find()
            .filter(monitoring_report::Column::RoundId.eq(round.id))
            .filter(monitoring_report::Column::ProjectId.eq(p.id))
            .one(conn)
            .await?;
        match existing {
            None => insert_report(conn, round.id, p, budget).await?,
            Some(r) if r.status != ReportStatus::Accepted.code() => {
                let report = ReportRecord::try_from(r)?;
                let (rate, budget_light, light) =
                    figures(&round, budget.approved, report.budget_executed, &report.indicators, &targets)?;
                monitoring_report::Entity::update_many()
                    .col_expr(monitoring_report::Column::AnnualRequestFen, Expr::value(budget.annual.fen()))
                    .col_expr(monitoring_report::Column::ApprovedFen, Expr::value(budget.approved.fen()))
                    .col_expr(monitoring_report::Column::ExecutionRate, Expr::value(rate.map(|r| r.0)))
                    .col_expr(monitoring_report::Column::BudgetLight, Expr::value(budget_light.map(|l| l.code())))
                    .col_expr(monitoring_report::Column::Light, Expr::value(light.map(|l| l.code())))
                    .filter(monitoring_report::Column::Id.eq(report.id))
                    .exec(conn)
                    .await?;
            }
            Some(_) => {}
        }
    }
    Ok(())
}

pub(super) async fn insert_report<C: ConnectionTrait>(
    conn: &C,
    round_id: i64,
    p: &ProjectRecord,
    budget: Budget,
) -> StoreResult<()> {
    monitoring_report::Entity::insert(monitoring_report::ActiveModel {
        id: NotSet,
        round_id: Set(round_id),
        project_id: Set(p.id),
        department_id: Set(p.department_id),
        status: Set(ReportStatus::Draft.code().to_string()),
        version: Set(1),
        annual_request_fen: Set(budget.annual.fen()),
        approved_fen: Set(budget.approved.fen()),
        budget_executed_fen: Set(None),
        execution_rate: Set(None),
        budget_light: Set(None),
        light: Set(None),
        indicators: Set("{}".to_string()),
        submitted_at: Set(None),
        updated_at: Set(Utc::now()),
    })
    .exec(conn)
    .await?;
    Ok(())
}
