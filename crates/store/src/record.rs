//! Rows turned into domain values: money from fen, statuses and categories from their codes,
//! indicator targets re-parsed from the text as entered.

use chrono::{DateTime, Utc};
use jixiao_domain::evaluation::Grade;
use jixiao_domain::{
    Category, Declaration, FormText, Framework, FundItem, Funds, Indicator, Level1, Level2, Money, ReviewAction,
    Sections, Status, TargetValue,
};
use jixiao_domain::{CriteriaScores, Grading};
use sea_orm::DbErr;

use crate::entity::{fund_item, indicator, project, review};

/// The most steps a read of a form's history returns (its newest): a project sent back and forth
/// for years has a long history, and one read of it stays bounded.
pub const REVIEWS_SHOWN: u64 = 200;

/// A project's own row, typed. Its fund items, indicators and reviews are loaded apart (in
/// batches, by the gateway's loaders).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectRecord {
    pub id: i64,
    pub department_id: i64,
    pub implementing_unit_id: i64,
    pub fiscal_year: i32,
    pub status: Status,
    pub version: i32,
    pub text: FormText,
    pub funds: Funds,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// The project this one continues (延续项目), when it was copied from one.
    pub previous_project_id: Option<i64>,
    /// 批复金额 in force: what its latest approval granted (`None` until first approved).
    pub approved_amount: Option<Money>,
    /// The issuing act (批复下达) that issued it, once issued.
    pub approval_issue_id: Option<i64>,
}

/// One row of a project's table (a fund item, an indicator) with its id; its position is its
/// index in the project's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row<T> {
    pub id: i64,
    pub value: T,
}

/// The values of a project's rows, in their order, without their ids (none: no rows).
pub fn values<T>(rows: Option<Vec<Row<T>>>) -> Vec<T> {
    rows.unwrap_or_default().into_iter().map(|r| r.value).collect()
}

/// One step of the review history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewRecord {
    pub id: i64,
    pub project_id: i64,
    pub action: ReviewAction,
    pub from_status: Status,
    pub to_status: Status,
    pub actor_id: i64,
    pub comment: String,
    pub at: DateTime<Utc>,
    /// The grade given with the decision, and its criteria's scores when given.
    pub grading: Option<Grading>,
}

fn corrupt(what: &str, value: &str) -> DbErr {
    DbErr::Type(format!("unexpected {what} {value:?} in the database"))
}

pub(crate) fn status(code: &str) -> Result<Status, DbErr> {
    Status::from_code(code).ok_or_else(|| corrupt("status", code))
}

impl TryFrom<project::Model> for ProjectRecord {
    type Error = DbErr;

    fn try_from(m: project::Model) -> Result<Self, DbErr> {
        Ok(ProjectRecord {
            id: m.id,
            department_id: m.department_id,
            implementing_unit_id: m.implementing_unit_id,
            fiscal_year: m.fiscal_year,
            status: status(&m.status)?,
            version: m.version,
            text: FormText {
                category: m
                    .category
                    .map(|c| Category::from_code(&c).ok_or_else(|| corrupt("category", &c)))
                    .transpose()?,
                planned_start: m.planned_start,
                planned_end: m.planned_end,
                sections: Sections {
                    overview: m.overview,
                    basis: m.basis,
                    implementing_body: m.implementing_body,
                    plan: m.plan,
                    cycle: m.cycle,
                    budget_arrangement: m.budget_arrangement,
                },
                overall_goal: m.overall_goal,
                annual_goal: m.annual_goal,
                indicator_framework: m
                    .indicator_framework
                    .map(|f| Framework::from_code(&f).ok_or_else(|| corrupt("indicator_framework", &f)))
                    .transpose()?,
                name: m.name,
            },
            funds: Funds {
                total: m.total_fen.map(Money::from_fen),
                fiscal: m.fiscal_fen.map(Money::from_fen),
                other: m.other_fen.map(Money::from_fen),
                annual_request: m.annual_request_fen.map(Money::from_fen),
                current_year_appropriation: m.current_year_appropriation_fen.map(Money::from_fen),
                carryover: m.carryover_fen.map(Money::from_fen),
                annual_other: m.annual_other_fen.map(Money::from_fen),
            },
            created_at: m.created_at,
            updated_at: m.updated_at,
            submitted_at: m.submitted_at,
            previous_project_id: m.previous_project_id,
            approved_amount: m.approved_fen.map(Money::from_fen),
            approval_issue_id: m.approval_issue_id,
        })
    }
}

impl ProjectRecord {
    /// The whole declaration, given this project's fund items and indicators.
    pub fn declaration(&self, fund_items: Vec<FundItem>, indicators: Vec<Indicator>) -> Declaration {
        Declaration {
            fiscal_year: self.fiscal_year,
            text: self.text.clone(),
            funds: self.funds,
            fund_items,
            indicators,
        }
    }
}

pub(crate) fn fund_item_from(m: fund_item::Model) -> Row<FundItem> {
    Row { id: m.id, value: FundItem { name: m.name, amount: Money::from_fen(m.amount_fen) } }
}

pub(crate) fn indicator_from(m: indicator::Model) -> Result<Row<Indicator>, DbErr> {
    let id = m.id;
    let value = Indicator {
        level1: Level1::from_code(&m.level1).ok_or_else(|| corrupt("level 1", &m.level1))?,
        level2: Level2::from_code(&m.level2).ok_or_else(|| corrupt("level 2", &m.level2))?,
        // Kept as typed: a draft may hold a target that does not read yet.
        target: TargetValue::as_typed(&m.target_text),
        name: m.name,
        note: m.note,
        library_entry_id: m.library_entry_id,
    };
    Ok(Row { id, value })
}

impl TryFrom<review::Model> for ReviewRecord {
    type Error = DbErr;

    fn try_from(m: review::Model) -> Result<Self, DbErr> {
        let grading = grading_from(&m)?;
        Ok(ReviewRecord {
            id: m.id,
            project_id: m.project_id,
            action: ReviewAction::from_code(&m.action).ok_or_else(|| corrupt("review action", &m.action))?,
            from_status: status(&m.from_status)?,
            to_status: status(&m.to_status)?,
            actor_id: m.actor_id,
            comment: m.comment,
            at: m.at,
            grading,
        })
    }
}

fn grading_from(m: &review::Model) -> Result<Option<Grading>, DbErr> {
    let Some(code) = &m.grade else { return Ok(None) };
    let grade = Grade::from_code(code).ok_or_else(|| corrupt("grade", code))?;
    let scores = match (m.completeness_score, m.relevance_score, m.appropriateness_score, m.feasibility_score) {
        (Some(c), Some(r), Some(a), Some(f)) => Some(CriteriaScores {
            completeness: c.into(),
            relevance: r.into(),
            appropriateness: a.into(),
            feasibility: f.into(),
        }),
        _ => None,
    };
    Ok(Some(Grading { grade, scores }))
}
