//! The result that counts for a request, and the suggestion it makes.

use std::collections::HashMap;

use jixiao_domain::Money;
use jixiao_domain::evaluation::Points;
use jixiao_domain::monitoring::{Percent, ReportStatus, execution_rate};
use jixiao_domain::results::{PriorResult, ResultSource, Suggestion, result_that_counts, suggest};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

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
    /// The predecessors of each of `requests`, nearest first: its `previousProject` chain, or,
    /// without one, the live projects of its department with its name in earlier years, latest
    /// first; at most [`MAX_PREDECESSORS`] each. A constant number of statements however many
    /// requests: one per link of the longest chain, and one for the names.
    async fn predecessors(&self, requests: &[ProjectRecord]) -> StoreResult<HashMap<i64, Vec<(i64, i32)>>> {
        let mut chains: HashMap<i64, Vec<(i64, i32)>> = HashMap::new();
        // (request, the next link to read)
        let mut frontier: Vec<(i64, i64)> =
            requests.iter().filter_map(|p| p.previous_project_id.map(|prev| (p.id, prev))).collect();
        for _ in 0..MAX_PREDECESSORS {
            if frontier.is_empty() {
                break;
            }
            let ids: Vec<i64> = frontier.iter().map(|(_, id)| *id).collect();
            let rows: Vec<(i64, i32, Option<i64>)> = project::Entity::find()
                .select_only()
                .columns([project::Column::Id, project::Column::FiscalYear, project::Column::PreviousProjectId])
                .filter(project::Column::Id.is_in(ids))
                .into_tuple()
                .all(self.db)
                .await?;
            let read: HashMap<i64, (i32, Option<i64>)> =
                rows.into_iter().map(|(id, y, prev)| (id, (y, prev))).collect();
            let mut next = Vec::new();
            for (request, id) in frontier {
                let Some((year, previous)) = read.get(&id) else { continue };
                let chain = chains.entry(request).or_default();
                chain.push((id, *year));
                if let Some(previous) = previous.filter(|p| !chain.iter().any(|(seen, _)| seen == p)) {
                    next.push((request, previous));
                }
            }
            frontier = next;
        }
        let unchained: Vec<&ProjectRecord> = requests.iter().filter(|p| !chains.contains_key(&p.id)).collect();
        if unchained.is_empty() {
            return Ok(chains);
        }
        let departments: Vec<i64> = unchained.iter().map(|p| p.department_id).collect();
        let names: Vec<String> = unchained.iter().map(|p| p.text.name.clone()).collect();
        let latest = unchained.iter().map(|p| p.fiscal_year).max().unwrap_or(0);
        let mut namesakes: Vec<(i64, i64, String, i32)> = project::Entity::find()
            .select_only()
            .columns([
                project::Column::Id,
                project::Column::DepartmentId,
                project::Column::Name,
                project::Column::FiscalYear,
            ])
            .filter(project::Column::DepartmentId.is_in(departments))
            .filter(project::Column::Name.is_in(names))
            .filter(project::Column::FiscalYear.lt(latest))
            .filter(project::Column::DeletedAt.is_null())
            .into_tuple()
            .all(self.db)
            .await?;
        namesakes.sort_by(|a, b| b.3.cmp(&a.3).then(a.0.cmp(&b.0)));
        for p in unchained {
            let earlier: Vec<(i64, i32)> = namesakes
                .iter()
                .filter(|(_, d, name, year)| *d == p.department_id && *name == p.text.name && *year < p.fiscal_year)
                .take(MAX_PREDECESSORS as usize)
                .map(|(id, _, _, year)| (*id, *year))
                .collect();
            if !earlier.is_empty() {
                chains.insert(p.id, earlier);
            }
        }
        Ok(chains)
    }

    /// 上年结果: the result that counts for each of `requests` (projects the caller sees), by id;
    /// a constant number of statements however many.
    pub async fn prior_results(&self, requests: &[ProjectRecord]) -> StoreResult<HashMap<i64, CountingResult>> {
        let chains = self.predecessors(requests).await?;
        let mut ids: Vec<i64> = chains.values().flatten().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let finance = finance_evaluation::Entity::find()
            .filter(finance_evaluation::Column::ProjectId.is_in(ids.clone()))
            .all(self.db)
            .await?;
        let accepted = self_evaluation::Entity::find()
            .filter(self_evaluation::Column::ProjectId.is_in(ids))
            .filter(self_evaluation::Column::Status.eq(ReportStatus::Accepted.code()))
            .all(self.db)
            .await?;
        let mut out = HashMap::new();
        for (request, chain) in chains {
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
                    let mut found: Vec<PriorResult> = finance
                        .iter()
                        .filter(|f| f.project_id == *id)
                        .filter_map(|f| of(ResultSource::FinanceEvaluation, f.score, &f.grade))
                        .collect();
                    found.extend(
                        accepted
                            .iter()
                            .filter(|e| e.project_id == *id)
                            .filter_map(|e| of(ResultSource::SelfEvaluation, e.total_score, &e.grade)),
                    );
                    found
                })
                .collect();
            let Some(result) = result_that_counts(&results) else { continue };
            let execution_rate = accepted
                .iter()
                .find(|e| e.project_id == result.project_id)
                .and_then(|e| e.budget_executed_fen.map(|x| (x, e.approved_fen)))
                .and_then(|(x, approved)| execution_rate(Money::from_fen(x), Money::from_fen(approved)));
            out.insert(request, CountingResult { result, execution_rate });
        }
        Ok(out)
    }

    /// [`Results::prior_results`] of one project.
    pub async fn prior_result(&self, p: &ProjectRecord) -> StoreResult<Option<CountingResult>> {
        Ok(self.prior_results(std::slice::from_ref(p)).await?.remove(&p.id))
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
