//! The result that counts for a request, and the suggestion it makes.

use jixiao_domain::evaluation::Points;
use jixiao_domain::monitoring::{Percent, ReportStatus, execution_rate};
use jixiao_domain::results::{PriorResult, ResultSource, Suggestion, result_that_counts, suggest};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::Results;
use super::rules::{grade, rules_in};
use crate::entity::{finance_evaluation, project, self_evaluation};
use crate::error::StoreResult;
use crate::record::ProjectRecord;

/// The most predecessors looked at: a chain of copies year after year is short, and a read stays
/// bounded however long one grew.
const MAX_PREDECESSORS: u64 = 20;

/// A result with what it came with: the execution rate of the predecessor's accepted
/// self-evaluation, when there is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountingResult {
    pub result: PriorResult,
    pub execution_rate: Option<Percent>,
}

impl Results<'_> {
    /// The predecessors of `p`, nearest first: its `previousProject` chain, or, without one, the
    /// live projects of its department with its name in earlier years, latest first.
    async fn predecessors(&self, p: &ProjectRecord) -> StoreResult<Vec<(i64, i32)>> {
        let mut chain = Vec::new();
        let mut next = p.previous_project_id;
        while let Some(id) = next {
            if chain.len() as u64 >= MAX_PREDECESSORS || chain.iter().any(|(seen, _)| *seen == id) {
                break;
            }
            let row: Option<(i64, i32, Option<i64>)> = project::Entity::find_by_id(id)
                .select_only()
                .columns([project::Column::Id, project::Column::FiscalYear, project::Column::PreviousProjectId])
                .into_tuple()
                .one(self.db)
                .await?;
            let Some((id, year, previous)) = row else { break };
            chain.push((id, year));
            next = previous;
        }
        if !chain.is_empty() {
            return Ok(chain);
        }
        Ok(project::Entity::find()
            .select_only()
            .columns([project::Column::Id, project::Column::FiscalYear])
            .filter(project::Column::DepartmentId.eq(p.department_id))
            .filter(project::Column::Name.eq(&p.text.name))
            .filter(project::Column::FiscalYear.lt(p.fiscal_year))
            .filter(project::Column::DeletedAt.is_null())
            .order_by_desc(project::Column::FiscalYear)
            .limit(MAX_PREDECESSORS)
            .into_tuple()
            .all(self.db)
            .await?)
    }

    /// 上年结果: the result that counts for `p` (a project the caller sees), if any.
    pub async fn prior_result(&self, p: &ProjectRecord) -> StoreResult<Option<CountingResult>> {
        let chain = self.predecessors(p).await?;
        if chain.is_empty() {
            return Ok(None);
        }
        let ids: Vec<i64> = chain.iter().map(|(id, _)| *id).collect();
        let finance = finance_evaluation::Entity::find()
            .filter(finance_evaluation::Column::ProjectId.is_in(ids.clone()))
            .all(self.db)
            .await?;
        let accepted = self_evaluation::Entity::find()
            .filter(self_evaluation::Column::ProjectId.is_in(ids))
            .filter(self_evaluation::Column::Status.eq(ReportStatus::Accepted.code()))
            .all(self.db)
            .await?;
        let results: Vec<Vec<PriorResult>> = chain
            .iter()
            .map(|(id, year)| {
                let of = |source, score: i64, code: &str| {
                    Some(PriorResult {
                        fiscal_year: *year,
                        project_id: *id,
                        source,
                        score: Points(score),
                        grade: grade(code)?,
                    })
                };
                let mut found = Vec::new();
                found.extend(
                    finance
                        .iter()
                        .filter(|f| f.project_id == *id)
                        .filter_map(|f| of(ResultSource::FinanceEvaluation, f.score, &f.grade)),
                );
                found.extend(
                    accepted
                        .iter()
                        .filter(|e| e.project_id == *id)
                        .filter_map(|e| of(ResultSource::SelfEvaluation, e.total_score, &e.grade)),
                );
                found
            })
            .collect();
        let Some(result) = result_that_counts(&results) else { return Ok(None) };
        let execution_rate = accepted
            .iter()
            .find(|e| e.project_id == result.project_id)
            .and_then(|e| e.budget_executed_fen.map(|x| (x, e.approved_fen)))
            .and_then(|(x, approved)| {
                execution_rate(jixiao_domain::Money::from_fen(x), jixiao_domain::Money::from_fen(approved))
            });
        Ok(Some(CountingResult { result, execution_rate }))
    }

    /// The suggestion for `p`'s request under its year's rules (the bureau only).
    pub async fn suggestion(&self, p: &ProjectRecord) -> StoreResult<Suggestion> {
        self.ensure_bureau()?;
        let prior = self.prior_result(p).await?;
        let rules = rules_in(self.db, p.fiscal_year).await?;
        let all_closed = match &prior {
            Some(c) => super::open_items_of(self.db, c.result.project_id).await? == 0,
            None => true,
        };
        let request = p.funds.annual_request.unwrap_or_default();
        Ok(suggest(request, prior.as_ref().map(|c| &c.result), &rules, all_closed))
    }
}
