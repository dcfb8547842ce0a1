//! 绩效自评 in the database: one self-evaluation per approved project, scored against its targets
//! in force by `jixiao_domain::evaluation`, filled and submitted by the unit, accepted or returned
//! by the approvers. Its lifecycle and its permissions are those of a monitoring report
//! (`ReportStatus`, `Actor::decide_report`): the same people do the same steps.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use jixiao_domain::evaluation::{Grade, IndicatorResult, Points, Scored, Weights, default_weights, score};
use jixiao_domain::monitoring::{ReportAction, ReportStatus};
use jixiao_domain::{Actor, Message, Money, Problem, ProblemCode, ProjectVisibility, ReportOp, Status};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use crate::entity::{project, self_evaluation, self_evaluation_review};
use crate::error::{StoreError, StoreResult, allow, version_conflict};
use crate::record::ProjectRecord;
use crate::snapshots::IdentifiedDeclaration;

/// The evaluator's weights, as stored: the execution rate's and each indicator's by id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredWeights {
    pub execution: Points,
    pub indicators: BTreeMap<i64, Points>,
}

#[derive(Clone, Debug)]
pub struct EvaluationRecord {
    pub id: i64,
    pub project_id: i64,
    pub department_id: i64,
    pub fiscal_year: i32,
    pub status: ReportStatus,
    pub version: i32,
    pub annual_request: Money,
    pub budget_executed: Option<Money>,
    pub weights: Option<StoredWeights>,
    pub results: BTreeMap<i64, IndicatorResult>,
    pub total: Points,
    pub grade: Grade,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

fn corrupt(what: &str, value: &str) -> DbErr {
    DbErr::Custom(format!("unknown {what} {value:?} in self_evaluations"))
}

impl TryFrom<self_evaluation::Model> for EvaluationRecord {
    type Error = DbErr;

    fn try_from(m: self_evaluation::Model) -> Result<Self, DbErr> {
        let json = |e: serde_json::Error| DbErr::Custom(format!("self-evaluation {}: {e}", m.id));
        Ok(EvaluationRecord {
            id: m.id,
            project_id: m.project_id,
            department_id: m.department_id,
            fiscal_year: m.fiscal_year,
            status: ReportStatus::from_code(&m.status).ok_or_else(|| corrupt("status", &m.status))?,
            version: m.version,
            annual_request: Money::from_fen(m.annual_request_fen),
            budget_executed: m.budget_executed_fen.map(Money::from_fen),
            weights: m.weights.as_deref().map(serde_json::from_str).transpose().map_err(json)?,
            results: serde_json::from_str(&m.results).map_err(json)?,
            total: Points(m.total_score),
            grade: Grade::from_code(&m.grade).ok_or_else(|| corrupt("grade", &m.grade))?,
            submitted_at: m.submitted_at,
            updated_at: m.updated_at,
        })
    }
}

/// One step of an evaluation's history.
#[derive(Clone, Debug)]
pub struct EvaluationReviewRecord {
    pub id: i64,
    pub evaluation_id: i64,
    pub action: ReportAction,
    pub from_status: ReportStatus,
    pub to_status: ReportStatus,
    pub actor_id: i64,
    pub comment: String,
    pub at: DateTime<Utc>,
}

impl TryFrom<self_evaluation_review::Model> for EvaluationReviewRecord {
    type Error = DbErr;

    fn try_from(m: self_evaluation_review::Model) -> Result<Self, DbErr> {
        let status = |c: &str| ReportStatus::from_code(c).ok_or_else(|| corrupt("status", c));
        Ok(EvaluationReviewRecord {
            id: m.id,
            evaluation_id: m.evaluation_id,
            action: ReportAction::from_code(&m.action).ok_or_else(|| corrupt("action", &m.action))?,
            from_status: status(&m.from_status)?,
            to_status: status(&m.to_status)?,
            actor_id: m.actor_id,
            comment: m.comment,
            at: m.at,
        })
    }
}

/// What the evaluator enters: the budget executed (`None`: as it is; `Some(None)`: not known),
/// weights (`None`: as they are; `Some(None)`: back to the default ones), and the results of the
/// indicators given (replacing what was there).
#[derive(Clone, Debug, Default)]
pub struct EvaluationChanges {
    pub budget_executed: Option<Option<Money>>,
    pub weights: Option<Option<StoredWeights>>,
    pub results: Vec<(i64, IndicatorResult)>,
}

/// An evaluation scored against the declaration in force: the scores, each indicator's weight,
/// and the rows in force (ids and indicators) they belong to.
#[derive(Clone, Debug)]
pub struct EvaluationScores {
    pub scored: Scored,
    pub in_force: IdentifiedDeclaration,
}

/// A year's evaluations at a glance, over those the actor may see.
#[derive(Clone, Debug, Default)]
pub struct EvaluationSummary {
    pub count: i64,
    pub submitted: i64,
    pub accepted: i64,
    /// Over the submitted and accepted ones, rounded half up to the hundredth.
    pub average: Option<Points>,
    pub by_grade: Vec<(Grade, i64)>,
}

/// The weights the rules use: the evaluator's (in the order of the rows in force), or the default.
fn weights_for(d: &IdentifiedDeclaration, stored: Option<&StoredWeights>) -> Weights {
    match stored {
        Some(w) => Weights {
            execution: w.execution,
            indicators: d.indicator_ids.iter().map(|id| w.indicators.get(id).copied().unwrap_or_default()).collect(),
        },
        None => default_weights(&d.declaration.indicators, d.declaration.framework())
            .unwrap_or(Weights { execution: Points::HUNDRED, indicators: vec![] }),
    }
}

/// Scores `e` against `d`, the declaration in force; returns the scores, the problems that refuse
/// a save, and what blocks submission.
fn scored(d: &IdentifiedDeclaration, e: &EvaluationRecord) -> (Scored, Vec<Problem>, Vec<Problem>) {
    let weights = weights_for(d, e.weights.as_ref());
    let empty = IndicatorResult::default();
    let results: Vec<IndicatorResult> =
        d.indicator_ids.iter().map(|id| e.results.get(id).unwrap_or(&empty).clone()).collect();
    score(&d.declaration.indicators, &weights, e.budget_executed, e.annual_request, &results)
}

pub struct Evaluations<'a> {
    db: &'a DatabaseConnection,
    actor: Actor,
}

impl crate::Store {
    pub fn evaluations(&self, actor: Actor) -> Evaluations<'_> {
        Evaluations { db: &self.db, actor }
    }
}

impl Evaluations<'_> {
    /// The evaluations this actor may see (as monitoring reports: approvers not while the unit
    /// is still filling one).
    fn visible(&self) -> Condition {
        match self.actor.project_visibility() {
            ProjectVisibility::Everything => Condition::all(),
            ProjectVisibility::Department(d) => Condition::all().add(self_evaluation::Column::DepartmentId.eq(d)),
            ProjectVisibility::AllButDrafts => {
                Condition::all().add(self_evaluation::Column::Status.ne(ReportStatus::Draft.code()))
            }
            ProjectVisibility::DepartmentButDrafts(d) => Condition::all()
                .add(self_evaluation::Column::DepartmentId.eq(d))
                .add(self_evaluation::Column::Status.ne(ReportStatus::Draft.code())),
        }
    }

    async fn find_visible<C: ConnectionTrait>(&self, conn: &C, id: i64) -> StoreResult<EvaluationRecord> {
        let row = self_evaluation::Entity::find_by_id(id).filter(self.visible()).one(conn).await?;
        Ok(row.ok_or(StoreError::NotFound)?.try_into()?)
    }

    async fn project_of<C: ConnectionTrait>(conn: &C, project_id: i64) -> StoreResult<ProjectRecord> {
        let p = project::Entity::find_by_id(project_id).one(conn).await?.ok_or(StoreError::NotFound)?;
        Ok(ProjectRecord::try_from(p)?)
    }

    /// Starts the self-evaluation of an APPROVED project (one per project). The unit's submitters.
    pub async fn start(&self, project_id: i64) -> StoreResult<EvaluationRecord> {
        let txn = self.db.begin().await?;
        let row = project::Entity::find_by_id(project_id)
            .filter(project::Column::DeletedAt.is_null())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let p = ProjectRecord::try_from(row)?;
        if !self.actor.can_see(p.department_id, p.status) {
            return Err(StoreError::NotFound);
        }
        // Whoever sees the project learns whether they may evaluate it: asked as of an evaluation
        // already submitted (which approvers see), so that they get FORBIDDEN, not NOT_FOUND.
        allow(self.actor.decide_report(ReportOp::Fill, p.department_id, ReportStatus::Submitted))?;
        if p.status != Status::Approved {
            return Err(StoreError::problem(
                "projectId",
                ProblemCode::InvalidTransition,
                Message::new(
                    format!("{}状态的项目不能自评：只有已审核通过的项目可以自评", p.status.label()),
                    format!("a {} project cannot be self-evaluated; only APPROVED ones can", p.status.code()),
                ),
            ));
        }
        let exists =
            self_evaluation::Entity::find().filter(self_evaluation::Column::ProjectId.eq(p.id)).one(&txn).await?;
        if exists.is_some() {
            return Err(StoreError::problem(
                "projectId",
                ProblemCode::AlreadyExists,
                Message::new("该项目本年度已有自评", "this project already has its self-evaluation"),
            ));
        }
        let d = crate::snapshots::in_force_declaration(&txn, &p).await?;
        let annual = d.declaration.funds.annual_request.unwrap_or_default();
        let fresh = EvaluationRecord {
            id: 0,
            project_id: p.id,
            department_id: p.department_id,
            fiscal_year: p.fiscal_year,
            status: ReportStatus::Draft,
            version: 1,
            annual_request: annual,
            budget_executed: None,
            weights: None,
            results: BTreeMap::new(),
            total: Points(0),
            grade: Grade::Poor,
            submitted_at: None,
            updated_at: Utc::now(),
        };
        let (s, _, _) = scored(&d, &fresh);
        let now = Utc::now();
        let inserted = self_evaluation::Entity::insert(self_evaluation::ActiveModel {
            id: NotSet,
            project_id: Set(p.id),
            department_id: Set(p.department_id),
            fiscal_year: Set(p.fiscal_year),
            status: Set(ReportStatus::Draft.code().to_string()),
            version: Set(1),
            annual_request_fen: Set(annual.fen()),
            budget_executed_fen: Set(None),
            weights: Set(None),
            results: Set("{}".to_string()),
            total_score: Set(s.total.0),
            grade: Set(s.grade.code().to_string()),
            submitted_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec_with_returning(&txn)
        .await?;
        txn.commit().await?;
        Ok(inserted.try_into()?)
    }

    pub async fn get(&self, id: i64) -> StoreResult<EvaluationRecord> {
        self.find_visible(self.db, id).await
    }

    /// The visible evaluation of each project among `project_ids`.
    pub async fn of_projects(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, EvaluationRecord>> {
        let rows = self_evaluation::Entity::find()
            .filter(self.visible().add(self_evaluation::Column::ProjectId.is_in(project_ids.iter().copied())))
            .all(self.db)
            .await?;
        rows.into_iter().map(|r| EvaluationRecord::try_from(r).map(|e| (e.project_id, e)).map_err(Into::into)).collect()
    }

    /// The declarations in force of the projects `project_ids` that have an evaluation the actor
    /// may see, by project: what those evaluations are scored against. A page of evaluations
    /// is read in a constant number of statements, whatever its size.
    pub async fn in_force_of(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, IdentifiedDeclaration>> {
        use sea_orm::{QuerySelect, QueryTrait};
        let evaluated = self_evaluation::Entity::find()
            .select_only()
            .column(self_evaluation::Column::ProjectId)
            .filter(self.visible())
            .into_query();
        let projects = project::Entity::find()
            .filter(project::Column::Id.is_in(project_ids.iter().copied()))
            .filter(project::Column::Id.in_subquery(evaluated))
            .all(self.db)
            .await?
            .into_iter()
            .map(ProjectRecord::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        crate::snapshots::in_force_declarations(self.db, &projects).await
    }

    /// `e` scored against its project's declaration in force (from [`Evaluations::in_force_of`]).
    pub fn scores(e: &EvaluationRecord, in_force: IdentifiedDeclaration) -> EvaluationScores {
        let (scored, _, _) = scored(&in_force, e);
        EvaluationScores { scored, in_force }
    }

    /// The history of each evaluation among `ids`: its last [`crate::record::REVIEWS_SHOWN`] steps.
    pub async fn reviews_of(&self, ids: &[i64]) -> StoreResult<HashMap<i64, Vec<EvaluationReviewRecord>>> {
        use self_evaluation_review::Column;
        crate::children::newest_rows_by_project::<self_evaluation_review::Entity, _, _>(
            self.db,
            Column::EvaluationId.is_in(ids.iter().copied()),
            Column::Id,
            Column::EvaluationId,
            crate::record::REVIEWS_SHOWN,
            |r| r.evaluation_id,
            EvaluationReviewRecord::try_from,
        )
        .await
    }

    /// The unit fills its evaluation (DRAFT or RETURNED) at `expected_version`. What the rules
    /// refuse (weights that do not sum to 100, an actual in another unit, a score outside its
    /// band, an indicator not in force, more executed than requested) is not saved.
    pub async fn update(
        &self,
        id: i64,
        expected_version: i32,
        changes: EvaluationChanges,
    ) -> StoreResult<EvaluationRecord> {
        let txn = self.db.begin().await?;
        let mut e = self.find_visible(&txn, id).await?;
        allow(self.actor.decide_report(ReportOp::Fill, e.department_id, e.status))?;
        if !e.status.is_editable() {
            return Err(not_now(e.status, "修改", "changed"));
        }
        if e.version != expected_version {
            return Err(version_conflict());
        }
        let p = Self::project_of(&txn, e.project_id).await?;
        let d = crate::snapshots::in_force_declaration(&txn, &p).await?;
        let not_in_force = |field: String| {
            StoreError::problem(
                &field,
                ProblemCode::InvalidInput,
                Message::new(
                    "这条指标不在本项目批复的绩效指标中",
                    "this indicator is not among the project's targets in force",
                ),
            )
        };
        if let Some(executed) = changes.budget_executed {
            if let Some(x) = executed.filter(|x| *x > e.annual_request) {
                return Err(StoreError::problem(
                    "budgetExecuted",
                    ProblemCode::InvalidInput,
                    Message::new(
                        format!("全年预算执行数 {x} 元超过了年度资金申请总额 {} 元", e.annual_request),
                        format!(
                            "the budget executed, {x} yuan, is more than the annual request of {} yuan",
                            e.annual_request
                        ),
                    ),
                ));
            }
            e.budget_executed = executed;
        }
        if let Some(weights) = changes.weights {
            if let Some(w) = &weights {
                if w.indicators.keys().any(|id| !d.indicator_ids.contains(id)) {
                    return Err(not_in_force("weights".into()));
                }
            }
            e.weights = weights;
        }
        for (n, (indicator_id, result)) in changes.results.into_iter().enumerate() {
            if !d.indicator_ids.contains(&indicator_id) {
                return Err(not_in_force(format!("indicators[{n}].indicatorId")));
            }
            for (field, text) in [("actual", &result.actual), ("explanation", &result.explanation)] {
                jixiao_domain::monitoring::check_text(&format!("indicators[{n}].{field}"), text.as_deref())
                    .map_err(|p| StoreError::Rejected(vec![p]))?;
            }
            e.results.insert(indicator_id, result);
        }
        let (s, problems, _) = scored(&d, &e);
        if !problems.is_empty() {
            return Err(StoreError::Rejected(problems));
        }
        let results = json(&e.results)?;
        let weights = e.weights.as_ref().map(json).transpose()?;
        let result = self_evaluation::Entity::update_many()
            .col_expr(self_evaluation::Column::BudgetExecutedFen, Expr::value(e.budget_executed.map(Money::fen)))
            .col_expr(self_evaluation::Column::Weights, Expr::value(weights))
            .col_expr(self_evaluation::Column::Results, Expr::value(results))
            .col_expr(self_evaluation::Column::TotalScore, Expr::value(s.total.0))
            .col_expr(self_evaluation::Column::Grade, Expr::value(s.grade.code()))
            .col_expr(self_evaluation::Column::Version, Expr::value(e.version + 1))
            .col_expr(self_evaluation::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(cas(id, e.status, e.version))
            .exec(&txn)
            .await?;
        if result.rows_affected != 1 {
            return Err(version_conflict());
        }
        let updated = self.find_visible(&txn, id).await?;
        txn.commit().await?;
        Ok(updated)
    }

    /// Submits (the unit: refused with everything still missing), accepts or returns (approvers,
    /// with a reason to return) an evaluation, and records the step.
    pub async fn transition(&self, id: i64, action: ReportAction, comment: &str) -> StoreResult<EvaluationRecord> {
        let txn = self.db.begin().await?;
        let e = self.find_visible(&txn, id).await?;
        allow(self.actor.decide_report(action.into(), e.department_id, e.status))?;
        let comment = comment.trim();
        jixiao_domain::monitoring::check_step_comment(action, comment, ("自评", "self-evaluation"))
            .map_err(|p| StoreError::Rejected(vec![p]))?;
        let Some(to) = e.status.after(action) else {
            return Err(not_now(e.status, action.label(), "moved this way"));
        };
        if action == ReportAction::Submit {
            let p = Self::project_of(&txn, e.project_id).await?;
            let d = crate::snapshots::in_force_declaration(&txn, &p).await?;
            let (_, mut problems, incomplete) = scored(&d, &e);
            problems.extend(incomplete);
            if !problems.is_empty() {
                return Err(StoreError::Rejected(problems));
            }
        }
        let now = Utc::now();
        let mut update = self_evaluation::Entity::update_many()
            .col_expr(self_evaluation::Column::Status, Expr::value(to.code()))
            .col_expr(self_evaluation::Column::Version, Expr::value(e.version + 1))
            .col_expr(self_evaluation::Column::UpdatedAt, Expr::value(now));
        if action == ReportAction::Submit {
            update = update.col_expr(self_evaluation::Column::SubmittedAt, Expr::value(now));
        }
        if update.filter(cas(id, e.status, e.version)).exec(&txn).await?.rows_affected != 1 {
            return Err(version_conflict());
        }
        self_evaluation_review::Entity::insert(self_evaluation_review::ActiveModel {
            id: NotSet,
            evaluation_id: Set(id),
            action: Set(action.code().to_string()),
            from_status: Set(e.status.code().to_string()),
            to_status: Set(to.code().to_string()),
            actor_id: Set(self.actor.user_id),
            comment: Set(comment.to_string()),
            at: Set(now),
        })
        .exec(&txn)
        .await?;
        let updated = EvaluationRecord::try_from(
            self_evaluation::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?,
        )?;
        txn.commit().await?;
        Ok(updated)
    }

    /// A year's evaluations (of one department, when given) at a glance, in SQL.
    pub async fn summary(&self, fiscal_year: i32, department_id: Option<i64>) -> StoreResult<EvaluationSummary> {
        let mut c = self.visible().add(self_evaluation::Column::FiscalYear.eq(fiscal_year));
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

fn cas(id: i64, status: ReportStatus, version: i32) -> Condition {
    Condition::all()
        .add(self_evaluation::Column::Id.eq(id))
        .add(self_evaluation::Column::Status.eq(status.code()))
        .add(self_evaluation::Column::Version.eq(version))
}

fn not_now(status: ReportStatus, zh: &str, en: &str) -> StoreError {
    StoreError::problem(
        "id",
        ProblemCode::InvalidTransition,
        Message::new(
            format!("{}的自评不能{zh}", status.label()),
            format!("a {} self-evaluation cannot be {en}", status.code()),
        ),
    )
}

/// What an evaluation keeps as JSON.
fn json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Database(DbErr::Custom(e.to_string())))
}
