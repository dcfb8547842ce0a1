//! 绩效运行监控 in the database: rounds (opened by admins), one report per approved project in
//! each, filled by the unit against the targets in force and reviewed by the approvers. Every
//! query goes through the actor's visibility (`Actor::can_see_report`) and every write through
//! the permission rules, as projects do.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use jixiao_domain::monitoring::{
    IndicatorProgress, Light, Percent, ReportAction, ReportStatus, budget_light, check_report, execution_rate,
    report_light, time_progress,
};
use jixiao_domain::{Actor, Message, Money, Problem, ProblemCode, ProjectVisibility, ReportOp, Status, Total};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use crate::entity::{monitoring_report, monitoring_report_review, monitoring_round, project};
use crate::error::{StoreError, StoreResult, UniqueKey, allow, version_conflict};
use crate::record::ProjectRecord;

#[derive(Clone, Debug)]
pub struct RoundRecord {
    pub id: i64,
    pub fiscal_year: i32,
    pub name: String,
    pub as_of: NaiveDate,
    pub due_date: NaiveDate,
    pub created_at: DateTime<Utc>,
}

impl From<monitoring_round::Model> for RoundRecord {
    fn from(m: monitoring_round::Model) -> RoundRecord {
        RoundRecord {
            id: m.id,
            fiscal_year: m.fiscal_year,
            name: m.name,
            as_of: m.as_of,
            due_date: m.due_date,
            created_at: m.created_at,
        }
    }
}

/// One project's report in one round.
#[derive(Clone, Debug)]
pub struct ReportRecord {
    pub id: i64,
    pub round_id: i64,
    pub project_id: i64,
    pub department_id: i64,
    pub status: ReportStatus,
    pub version: i32,
    /// 年度资金申请总额 of the declaration in force.
    pub annual_request: Money,
    pub budget_executed: Option<Money>,
    pub execution_rate: Option<Percent>,
    pub budget_light: Option<Light>,
    pub light: Option<Light>,
    /// Each indicator's progress, by the id of the indicator in force.
    pub indicators: BTreeMap<i64, IndicatorProgress>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

fn corrupt(what: &str, value: &str) -> DbErr {
    DbErr::Custom(format!("unknown {what} {value:?} in monitoring_reports"))
}

fn light(code: Option<String>) -> Result<Option<Light>, DbErr> {
    code.map(|c| Light::from_code(&c).ok_or_else(|| corrupt("light", &c))).transpose()
}

impl TryFrom<monitoring_report::Model> for ReportRecord {
    type Error = DbErr;

    fn try_from(m: monitoring_report::Model) -> Result<Self, DbErr> {
        Ok(ReportRecord {
            id: m.id,
            round_id: m.round_id,
            project_id: m.project_id,
            department_id: m.department_id,
            status: ReportStatus::from_code(&m.status).ok_or_else(|| corrupt("status", &m.status))?,
            version: m.version,
            annual_request: Money::from_fen(m.annual_request_fen),
            budget_executed: m.budget_executed_fen.map(Money::from_fen),
            execution_rate: m.execution_rate.map(Percent),
            budget_light: light(m.budget_light)?,
            light: light(m.light)?,
            indicators: serde_json::from_str(&m.indicators)
                .map_err(|e| DbErr::Custom(format!("report {}: {e}", m.id)))?,
            submitted_at: m.submitted_at,
            updated_at: m.updated_at,
        })
    }
}

/// One step of a report's history.
#[derive(Clone, Debug)]
pub struct ReportReviewRecord {
    pub id: i64,
    pub report_id: i64,
    pub action: ReportAction,
    pub from_status: ReportStatus,
    pub to_status: ReportStatus,
    pub actor_id: i64,
    pub comment: String,
    pub at: DateTime<Utc>,
}

impl TryFrom<monitoring_report_review::Model> for ReportReviewRecord {
    type Error = DbErr;

    fn try_from(m: monitoring_report_review::Model) -> Result<Self, DbErr> {
        let status = |c: &str| ReportStatus::from_code(c).ok_or_else(|| corrupt("status", c));
        Ok(ReportReviewRecord {
            id: m.id,
            report_id: m.report_id,
            action: ReportAction::from_code(&m.action).ok_or_else(|| corrupt("action", &m.action))?,
            from_status: status(&m.from_status)?,
            to_status: status(&m.to_status)?,
            actor_id: m.actor_id,
            comment: m.comment,
            at: m.at,
        })
    }
}

/// A round to open.
#[derive(Clone, Debug)]
pub struct NewRound {
    pub fiscal_year: i32,
    pub name: String,
    pub as_of: NaiveDate,
    pub due_date: NaiveDate,
}

/// What the unit enters: the budget executed (`None`: left as it is; `Some(None)`: not known),
/// and, for the indicators given, their progress (replacing what was there).
#[derive(Clone, Debug, Default)]
pub struct ReportChanges {
    pub budget_executed: Option<Option<Money>>,
    pub indicators: Vec<(i64, IndicatorProgress)>,
}

/// Which reports of a round to list.
#[derive(Clone, Debug, Default)]
pub struct ReportFilter {
    pub department_id: Option<i64>,
    /// Any of these; empty: every status.
    pub statuses: Vec<ReportStatus>,
    /// Any of these lights; empty: every report.
    pub lights: Vec<Light>,
}

/// A round at a glance, over the reports the actor may see.
#[derive(Clone, Debug, Default)]
pub struct RoundSummary {
    pub reports: i64,
    pub by_status: Vec<(ReportStatus, i64)>,
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    /// Reports with no light yet (nothing entered).
    pub unlit: i64,
    pub budget_executed: Total,
    pub annual_request: Total,
    pub execution_rate: Option<Percent>,
}

/// The statuses whose projects have targets in force, and so a report in each round.
const IN_FORCE: [Status; 3] = [Status::Approved, Status::Adjusting, Status::AdjustmentSubmitted];

pub struct Monitoring<'a> {
    db: &'a DatabaseConnection,
    actor: Actor,
}

impl crate::Store {
    pub fn monitoring(&self, actor: Actor) -> Monitoring<'_> {
        Monitoring { db: &self.db, actor }
    }
}

/// The figures a report shows, from what was entered: the rate, the budget's light, and the
/// report's (the worst of the budget's and the indicators' that are known).
fn figures(
    as_of: NaiveDate,
    annual: Money,
    executed: Option<Money>,
    progress: &BTreeMap<i64, IndicatorProgress>,
) -> (Option<Percent>, Option<Light>, Option<Light>) {
    let rate = executed.and_then(|e| execution_rate(e, annual));
    let budget = rate.map(|r| budget_light(time_progress(as_of), r));
    let indicators = progress.values().filter_map(|p| p.likelihood).map(|l| l.light());
    let light = match budget {
        Some(b) => Some(report_light(b, indicators)),
        None => indicators.max(),
    };
    (rate, budget, light)
}

/// The annual request in force of an approved (or adjusting) project, and its indicators in force.
async fn in_force<C: ConnectionTrait>(conn: &C, p: &ProjectRecord) -> StoreResult<(Money, Vec<(i64, String)>)> {
    match crate::snapshots::in_force(conn, p.id).await? {
        Some(s) => Ok((
            s.declaration.funds.annual_request.unwrap_or_default(),
            s.indicator_ids.iter().copied().zip(s.declaration.indicators.iter().map(|i| i.name.clone())).collect(),
        )),
        // Approved before snapshots were kept: frozen since, so what it holds is in force.
        None => {
            let current = crate::snapshots::load_identified(conn, p).await?;
            Ok((
                current.declaration.funds.annual_request.unwrap_or_default(),
                current
                    .indicator_ids
                    .into_iter()
                    .zip(current.declaration.indicators.into_iter().map(|i| i.name))
                    .collect(),
            ))
        }
    }
}

/// A project whose targets came into force: a report in every round of its year that has none
/// yet, and the new annual request in force on those not yet accepted.
pub(crate) async fn enroll<C: ConnectionTrait>(conn: &C, p: &ProjectRecord) -> StoreResult<()> {
    let rounds = monitoring_round::Entity::find()
        .filter(monitoring_round::Column::FiscalYear.eq(p.fiscal_year))
        .all(conn)
        .await?;
    if rounds.is_empty() {
        return Ok(());
    }
    let (annual, _) = in_force(conn, p).await?;
    for round in rounds {
        let existing = monitoring_report::Entity::find()
            .filter(monitoring_report::Column::RoundId.eq(round.id))
            .filter(monitoring_report::Column::ProjectId.eq(p.id))
            .one(conn)
            .await?;
        match existing {
            None => insert_report(conn, round.id, p, annual).await?,
            Some(r) if r.status != ReportStatus::Accepted.code() => {
                let report = ReportRecord::try_from(r)?;
                let (rate, budget, light) = figures(round.as_of, annual, report.budget_executed, &report.indicators);
                monitoring_report::Entity::update_many()
                    .col_expr(monitoring_report::Column::AnnualRequestFen, Expr::value(annual.fen()))
                    .col_expr(monitoring_report::Column::ExecutionRate, Expr::value(rate.map(|r| r.0)))
                    .col_expr(monitoring_report::Column::BudgetLight, Expr::value(budget.map(|l| l.code())))
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

async fn insert_report<C: ConnectionTrait>(
    conn: &C,
    round_id: i64,
    p: &ProjectRecord,
    annual: Money,
) -> StoreResult<()> {
    monitoring_report::Entity::insert(monitoring_report::ActiveModel {
        id: NotSet,
        round_id: Set(round_id),
        project_id: Set(p.id),
        department_id: Set(p.department_id),
        status: Set(ReportStatus::Draft.code().to_string()),
        version: Set(1),
        annual_request_fen: Set(annual.fen()),
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

fn problem(field: &str, zh: String, en: String) -> StoreError {
    StoreError::problem(field, ProblemCode::InvalidInput, Message::new(zh, en))
}

/// A box of text the unit writes, checked by the domain's rule.
fn check_text(field: &str, text: &Option<String>) -> StoreResult<()> {
    jixiao_domain::monitoring::check_text(field, text.as_deref()).map_err(|p| StoreError::Rejected(vec![p]))
}

impl Monitoring<'_> {
    /// The reports this actor may see, as a condition on `monitoring_reports`.
    fn visible(&self) -> Condition {
        match self.actor.project_visibility() {
            ProjectVisibility::Everything => Condition::all(),
            ProjectVisibility::Department(d) => Condition::all().add(monitoring_report::Column::DepartmentId.eq(d)),
            ProjectVisibility::AllButDrafts => {
                Condition::all().add(monitoring_report::Column::Status.ne(ReportStatus::Draft.code()))
            }
            ProjectVisibility::DepartmentButDrafts(d) => Condition::all()
                .add(monitoring_report::Column::DepartmentId.eq(d))
                .add(monitoring_report::Column::Status.ne(ReportStatus::Draft.code())),
        }
    }

    fn filtered(&self, round_id: i64, f: &ReportFilter) -> Condition {
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
        c
    }

    /// Opens a round for a fiscal year and gives every project with targets in force a report
    /// in it (projects approved later get theirs when approved). Admins only.
    pub async fn open_round(&self, new: &NewRound) -> StoreResult<RoundRecord> {
        allow(self.actor.may_open_monitoring_round())?;
        let name = new.name.trim();
        let mut problems = Vec::new();
        if name.is_empty() || name.chars().count() > 100 || name.contains('\0') {
            problems.push(Problem::new(
                "name",
                ProblemCode::InvalidInput,
                Message::new(
                    "请填写轮次名称（100 字以内），如“2023年1-7月”",
                    "name the round (at most 100 characters), e.g. “2023年1-7月”",
                ),
            ));
        }
        if !jixiao_domain::declaration::FISCAL_YEARS.contains(&new.fiscal_year) {
            problems.push(Problem::new(
                "fiscalYear",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("预算年度 {} 不在 2000–2100 之内", new.fiscal_year),
                    format!("fiscal year {} is outside 2000–2100", new.fiscal_year),
                ),
            ));
        } else if new.as_of.year() != new.fiscal_year {
            problems.push(Problem::new(
                "asOf",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("监控时点 {} 不在预算年度 {} 年内", new.as_of, new.fiscal_year),
                    format!("the date monitored, {}, is not in the fiscal year {}", new.as_of, new.fiscal_year),
                ),
            ));
        }
        if new.due_date < new.as_of {
            problems.push(Problem::new(
                "dueDate",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("填报截止日期 {} 早于监控时点 {}", new.due_date, new.as_of),
                    format!("the due date {} is before the date monitored {}", new.due_date, new.as_of),
                ),
            ));
        }
        if !problems.is_empty() {
            return Err(StoreError::Rejected(problems));
        }
        let txn = self.db.begin().await?;
        // The year's rounds are counted and the new one inserted under the year's lock.
        crate::row_lock::lock_key(&txn, "monitoring_rounds", i64::from(new.fiscal_year)).await?;
        let rounds = monitoring_round::Entity::find()
            .filter(monitoring_round::Column::FiscalYear.eq(new.fiscal_year))
            .count(&txn)
            .await?;
        if rounds >= jixiao_domain::monitoring::MAX_ROUNDS_PER_YEAR {
            return Err(StoreError::Rejected(vec![jixiao_domain::monitoring::too_many_rounds(new.fiscal_year)]));
        }
        let round = monitoring_round::Entity::insert(monitoring_round::ActiveModel {
            id: NotSet,
            fiscal_year: Set(new.fiscal_year),
            name: Set(name.to_string()),
            as_of: Set(new.as_of),
            due_date: Set(new.due_date),
            created_by: Set(self.actor.user_id),
            created_at: Set(Utc::now()),
        })
        .exec_with_returning(&txn)
        .await
        .map_err(StoreError::unique_as(
            UniqueKey::MonitoringRoundName,
            Message::new(
                format!("{} 年已有名为“{name}”的监控轮次", new.fiscal_year),
                format!("{} already has a monitoring round named “{name}”", new.fiscal_year),
            ),
        ))?;
        let projects = project::Entity::find()
            .filter(project::Column::FiscalYear.eq(new.fiscal_year))
            .filter(project::Column::DeletedAt.is_null())
            .filter(project::Column::Status.is_in(IN_FORCE.iter().map(|s| s.code())))
            .order_by_asc(project::Column::Id)
            .all(&txn)
            .await?;
        for p in projects {
            let record = ProjectRecord::try_from(p)?;
            // An approved project's declaration is frozen: its own annual request is the one in force.
            let annual = if record.status == Status::Approved {
                record.funds.annual_request.unwrap_or_default()
            } else {
                in_force(&txn, &record).await?.0
            };
            insert_report(&txn, round.id, &record, annual).await?;
        }
        txn.commit().await?;
        Ok(round.into())
    }

    /// The rounds of a year, in the order they were opened (every signed-in user).
    pub async fn rounds(&self, fiscal_year: i32) -> StoreResult<Vec<RoundRecord>> {
        let rows = monitoring_round::Entity::find()
            .filter(monitoring_round::Column::FiscalYear.eq(fiscal_year))
            .order_by_asc(monitoring_round::Column::Id)
            .all(self.db)
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    pub async fn rounds_by_ids(&self, ids: &[i64]) -> StoreResult<HashMap<i64, RoundRecord>> {
        let rows = monitoring_round::Entity::find()
            .filter(monitoring_round::Column::Id.is_in(ids.iter().copied()))
            .all(self.db)
            .await?;
        Ok(rows.into_iter().map(|r| (r.id, r.into())).collect())
    }

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
        self.find_visible(self.db, id).await
    }

    async fn find_visible<C: ConnectionTrait>(&self, conn: &C, id: i64) -> StoreResult<ReportRecord> {
        let row = monitoring_report::Entity::find_by_id(id).filter(self.visible()).one(conn).await?;
        Ok(row.ok_or(StoreError::NotFound)?.try_into()?)
    }

    /// The history of each report among `report_ids` (the caller has found them visible): its
    /// last [`crate::record::REVIEWS_SHOWN`] steps.
    pub async fn reviews_of(&self, report_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<ReportReviewRecord>>> {
        use monitoring_report_review::Column;
        crate::children::newest_rows_by_project::<monitoring_report_review::Entity, _, _>(
            self.db,
            Column::ReportId.is_in(report_ids.iter().copied()),
            Column::Id,
            Column::ReportId,
            crate::record::REVIEWS_SHOWN,
            |r| r.report_id,
            ReportReviewRecord::try_from,
        )
        .await
    }

    /// The unit fills its report (DRAFT or RETURNED) at `expected_version`: the budget executed
    /// (at most the annual request in force) and the progress of indicators in force.
    pub async fn update_report(
        &self,
        id: i64,
        expected_version: i32,
        changes: ReportChanges,
    ) -> StoreResult<ReportRecord> {
        let txn = self.db.begin().await?;
        let report = self.find_visible(&txn, id).await?;
        allow(self.actor.decide_report(ReportOp::Fill, report.department_id, report.status))?;
        if !report.status.is_editable() {
            return Err(not_now(report.status, "修改", "changed"));
        }
        if report.version != expected_version {
            return Err(version_conflict());
        }
        let round =
            monitoring_round::Entity::find_by_id(report.round_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let project = project::Entity::find_by_id(report.project_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let (_, in_force) = in_force(&txn, &ProjectRecord::try_from(project)?).await?;
        let executed = changes.budget_executed.unwrap_or(report.budget_executed);
        if let Some(e) = executed.filter(|e| *e > report.annual_request) {
            return Err(problem(
                "budgetExecuted",
                format!("预算执行数 {e} 元超过了年度资金申请总额 {} 元", report.annual_request),
                format!(
                    "the budget executed, {e} yuan, is more than the annual request of {} yuan",
                    report.annual_request
                ),
            ));
        }
        let mut progress = report.indicators.clone();
        for (n, (indicator_id, p)) in changes.indicators.into_iter().enumerate() {
            let at = |f: &str| format!("indicators[{n}].{f}");
            if !in_force.iter().any(|(id, _)| *id == indicator_id) {
                return Err(problem(
                    &at("indicatorId"),
                    "这条指标不在本项目批复的绩效指标中".into(),
                    "this indicator is not among the project's targets in force".into(),
                ));
            }
            for (field, text) in [
                ("actualToDate", &p.actual_to_date),
                ("forecast", &p.forecast),
                ("explanation", &p.explanation),
                ("measures", &p.measures),
            ] {
                check_text(&at(field), text)?;
            }
            progress.insert(indicator_id, p.normalized());
        }
        let (rate, budget, light) = figures(round.as_of, report.annual_request, executed, &progress);
        let json = serde_json::to_string(&progress).map_err(|e| StoreError::Database(DbErr::Custom(e.to_string())))?;
        let result = monitoring_report::Entity::update_many()
            .col_expr(monitoring_report::Column::BudgetExecutedFen, Expr::value(executed.map(Money::fen)))
            .col_expr(monitoring_report::Column::ExecutionRate, Expr::value(rate.map(|r| r.0)))
            .col_expr(monitoring_report::Column::BudgetLight, Expr::value(budget.map(|l| l.code())))
            .col_expr(monitoring_report::Column::Light, Expr::value(light.map(|l| l.code())))
            .col_expr(monitoring_report::Column::Indicators, Expr::value(json))
            .col_expr(monitoring_report::Column::Version, Expr::value(report.version + 1))
            .col_expr(monitoring_report::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(report_cas(id, report.status, report.version))
            .exec(&txn)
            .await?;
        if result.rows_affected != 1 {
            return Err(version_conflict());
        }
        let updated = self.find_visible(&txn, id).await?;
        txn.commit().await?;
        Ok(updated)
    }

    /// Submits (the unit), accepts or returns (approvers) a report, and records the step.
    /// Submitting lists everything the report still lacks; returning needs a reason.
    pub async fn transition(&self, id: i64, action: ReportAction, comment: &str) -> StoreResult<ReportRecord> {
        let txn = self.db.begin().await?;
        let report = self.find_visible(&txn, id).await?;
        allow(self.actor.decide_report(action.into(), report.department_id, report.status))?;
        let comment = comment.trim();
        jixiao_domain::monitoring::check_step_comment(action, comment, ("监控表", "report"))
            .map_err(|p| StoreError::Rejected(vec![p]))?;
        let Some(to) = report.status.after(action) else {
            return Err(not_now(report.status, action.label(), past_tense(action)));
        };
        if action == ReportAction::Submit {
            let project =
                project::Entity::find_by_id(report.project_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
            let (_, in_force) = in_force(&txn, &ProjectRecord::try_from(project)?).await?;
            let empty = IndicatorProgress::default();
            let rows: Vec<(&str, &IndicatorProgress)> = in_force
                .iter()
                .map(|(id, name)| (name.as_str(), report.indicators.get(id).unwrap_or(&empty)))
                .collect();
            let problems = check_report(report.budget_executed, &rows);
            if !problems.is_empty() {
                return Err(StoreError::Rejected(problems));
            }
        }
        let now = Utc::now();
        let mut update = monitoring_report::Entity::update_many()
            .col_expr(monitoring_report::Column::Status, Expr::value(to.code()))
            .col_expr(monitoring_report::Column::Version, Expr::value(report.version + 1))
            .col_expr(monitoring_report::Column::UpdatedAt, Expr::value(now));
        if action == ReportAction::Submit {
            update = update.col_expr(monitoring_report::Column::SubmittedAt, Expr::value(now));
        }
        let result = update.filter(report_cas(id, report.status, report.version)).exec(&txn).await?;
        if result.rows_affected != 1 {
            return Err(version_conflict());
        }
        monitoring_report_review::Entity::insert(monitoring_report_review::ActiveModel {
            id: NotSet,
            report_id: Set(id),
            action: Set(action.code().to_string()),
            from_status: Set(report.status.code().to_string()),
            to_status: Set(to.code().to_string()),
            actor_id: Set(self.actor.user_id),
            comment: Set(comment.to_string()),
            at: Set(now),
        })
        .exec(&txn)
        .await?;
        let updated = ReportRecord::try_from(
            monitoring_report::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?,
        )?;
        txn.commit().await?;
        Ok(updated)
    }

    /// A round at a glance over the reports this actor may see (of one department, when given),
    /// in SQL: reports by status, lights counted, and the budget executed against the annual
    /// requests in force.
    pub async fn summary(&self, round_id: i64, department_id: Option<i64>) -> StoreResult<RoundSummary> {
        let filter = ReportFilter { department_id, ..Default::default() };
        // Sums in two parts that cannot overflow a BIGINT on either backend (as aggregates.rs).
        let sum = |column: &str, part: &str| Expr::cust(format!("CAST(COALESCE(SUM({column} {part}), 0) AS BIGINT)"));
        let grouped = |column: monitoring_report::Column| {
            monitoring_report::Entity::find()
                .select_only()
                .column_as(column, "key")
                .column_as(Expr::cust("COUNT(*)"), "reports")
                .column_as(sum("budget_executed_fen", "/ 1000000000"), "executed_high")
                .column_as(sum("budget_executed_fen", "% 1000000000"), "executed_low")
                .column_as(sum("annual_request_fen", "/ 1000000000"), "annual_high")
                .column_as(sum("annual_request_fen", "% 1000000000"), "annual_low")
                .filter(self.filtered(round_id, &filter))
                .group_by(column)
                .into_tuple::<(Option<String>, i64, i64, i64, i64, i64)>()
                .all(self.db)
        };
        let by_status = grouped(monitoring_report::Column::Status).await?;
        let by_light = grouped(monitoring_report::Column::Light).await?;
        let total = |high: i64, low: i64| i128::from(high) * 1_000_000_000 + i128::from(low);
        let mut s = RoundSummary::default();
        let (mut executed, mut annual) = (0i128, 0i128);
        for (key, reports, executed_high, executed_low, annual_high, annual_low) in &by_status {
            let key = key.as_deref().unwrap_or("");
            let status = ReportStatus::from_code(key).ok_or_else(|| corrupt("status", key))?;
            s.by_status.push((status, *reports));
            s.reports += reports;
            executed += total(*executed_high, *executed_low);
            annual += total(*annual_high, *annual_low);
        }
        s.by_status.sort_by_key(|(status, _)| ReportStatus::ALL.iter().position(|x| x == status));
        for (key, reports, ..) in &by_light {
            match key.as_deref().and_then(Light::from_code) {
                Some(Light::Green) => s.green = *reports,
                Some(Light::Yellow) => s.yellow = *reports,
                Some(Light::Red) => s.red = *reports,
                None => s.unlit += reports,
            }
        }
        s.budget_executed = Total::from_fen(executed);
        s.annual_request = Total::from_fen(annual);
        s.execution_rate = Percent::of(executed, annual);
        Ok(s)
    }
}

fn report_cas(id: i64, status: ReportStatus, version: i32) -> Condition {
    Condition::all()
        .add(monitoring_report::Column::Id.eq(id))
        .add(monitoring_report::Column::Status.eq(status.code()))
        .add(monitoring_report::Column::Version.eq(version))
}

fn past_tense(action: ReportAction) -> &'static str {
    match action {
        ReportAction::Submit => "submitted",
        ReportAction::Accept => "accepted",
        ReportAction::Return => "returned",
    }
}

fn not_now(status: ReportStatus, zh: &str, en: &str) -> StoreError {
    StoreError::problem(
        "id",
        ProblemCode::InvalidTransition,
        Message::new(
            format!("{}的监控表不能{zh}", status.label()),
            format!("a {} report cannot be {en}", status.code()),
        ),
    )
}
