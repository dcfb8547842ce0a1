//! What a department's overall goals keep, typed: the row read back into the domain's form, its
//! indicators' ids beside them.

use chrono::{DateTime, Utc};
use jixiao_domain::department_goals::{DepartmentGoals, DepartmentGoalsInput, GoalIndicatorInput, GoalTask};
use jixiao_domain::{Framework, Money, ReviewAction, Status};
use sea_orm::DbErr;
use serde::{Deserialize, Serialize};

use crate::entity::department_goal;
use crate::lifecycle::StepRecord;

/// One indicator row as the form's JSON keeps it: its id, never reused within the form.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredIndicator {
    pub id: i64,
    #[serde(flatten)]
    pub row: GoalIndicatorInput,
}

/// The content of the form as entered, with the ids of its indicator rows: what is saved, what
/// `in_force` keeps, and what a row edit changes.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredGoals {
    pub functions: String,
    pub overall_goal: String,
    pub tasks: Vec<GoalTask>,
    pub personnel_fen: i64,
    pub public_fen: i64,
    pub project_expenditure_fen: Option<i64>,
    pub income_fiscal_fen: i64,
    pub income_other_fen: i64,
    pub indicator_framework: Option<Framework>,
    pub indicators: Vec<StoredIndicator>,
}

impl StoredGoals {
    pub(crate) fn input(&self) -> DepartmentGoalsInput {
        DepartmentGoalsInput {
            functions: self.functions.clone(),
            overall_goal: self.overall_goal.clone(),
            tasks: self.tasks.clone(),
            personnel_expenditure: Money::from_fen(self.personnel_fen),
            public_expenditure: Money::from_fen(self.public_fen),
            project_expenditure: self.project_expenditure_fen.map(Money::from_fen),
            income_fiscal: Money::from_fen(self.income_fiscal_fen),
            income_other: Money::from_fen(self.income_other_fen),
            indicator_framework: self.indicator_framework,
            indicators: self.indicators.iter().map(|i| i.row.clone()).collect(),
        }
    }

    /// `input` as stored, its indicator rows given `ids` (in order).
    pub(crate) fn of(input: &DepartmentGoalsInput, ids: &[i64]) -> StoredGoals {
        StoredGoals {
            functions: input.functions.clone(),
            overall_goal: input.overall_goal.clone(),
            tasks: input.tasks.clone(),
            personnel_fen: input.personnel_expenditure.fen(),
            public_fen: input.public_expenditure.fen(),
            project_expenditure_fen: input.project_expenditure.map(Money::fen),
            income_fiscal_fen: input.income_fiscal.fen(),
            income_other_fen: input.income_other.fen(),
            indicator_framework: input.indicator_framework,
            indicators: input
                .indicators
                .iter()
                .zip(ids)
                .map(|(row, &id)| StoredIndicator { id, row: row.clone() })
                .collect(),
        }
    }
}

/// A department's overall goals of a year, as stored.
#[derive(Clone, Debug)]
pub struct DepartmentGoalsRecord {
    pub id: i64,
    pub department_id: i64,
    pub fiscal_year: i32,
    pub status: Status,
    pub version: i32,
    pub goals: DepartmentGoals,
    /// The id of each indicator row, in the form's order.
    pub indicator_ids: Vec<i64>,
    pub(crate) next_row_id: i64,
    /// The goals as last approved (in force), when they were.
    pub in_force: Option<DepartmentGoals>,
    /// The ids of the rows in force, in their order.
    pub in_force_ids: Vec<i64>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One step of a form's history.
pub type DepartmentGoalsStep = StepRecord<Status, ReviewAction>;

impl DepartmentGoalsRecord {
    /// The content as stored, ids and all: what an edit starts from.
    pub(crate) fn stored(&self) -> StoredGoals {
        StoredGoals::of(&self.goals.to_input(), &self.indicator_ids)
    }
}

fn parsed(stored: &StoredGoals, id: i64) -> Result<DepartmentGoals, DbErr> {
    stored.input().check().map_err(|problems| {
        let fields: Vec<String> = problems.into_iter().map(|p| p.field).collect();
        DbErr::Custom(format!("department goals {id} no longer check: {}", fields.join(", ")))
    })
}

impl TryFrom<department_goal::Model> for DepartmentGoalsRecord {
    type Error = DbErr;

    fn try_from(m: department_goal::Model) -> Result<Self, DbErr> {
        let json = |e: serde_json::Error| DbErr::Custom(format!("department goals {}: {e}", m.id));
        let stored = StoredGoals {
            functions: m.functions,
            overall_goal: m.overall_goal,
            tasks: serde_json::from_str(&m.tasks).map_err(json)?,
            personnel_fen: m.personnel_fen,
            public_fen: m.public_fen,
            project_expenditure_fen: m.project_expenditure_fen,
            income_fiscal_fen: m.income_fiscal_fen,
            income_other_fen: m.income_other_fen,
            indicator_framework: match m.indicator_framework.as_deref() {
                None => None,
                Some(code) => Some(
                    Framework::from_code(code)
                        .ok_or_else(|| DbErr::Custom(format!("unknown framework {code:?} in department_goals")))?,
                ),
            },
            indicators: serde_json::from_str(&m.indicators).map_err(json)?,
        };
        let (in_force, in_force_ids) = match &m.in_force {
            None => (None, Vec::new()),
            Some(text) => {
                let kept: StoredGoals = serde_json::from_str(text).map_err(json)?;
                (Some(parsed(&kept, m.id)?), kept.indicators.iter().map(|i| i.id).collect())
            }
        };
        Ok(DepartmentGoalsRecord {
            id: m.id,
            department_id: m.department_id,
            fiscal_year: m.fiscal_year,
            status: Status::from_code(&m.status)
                .ok_or_else(|| DbErr::Custom(format!("unknown status {:?} in department_goals", m.status)))?,
            version: m.version,
            goals: parsed(&stored, m.id)?,
            indicator_ids: stored.indicators.iter().map(|i| i.id).collect(),
            next_row_id: m.next_row_id,
            in_force,
            in_force_ids,
            submitted_at: m.submitted_at,
            approved_at: m.approved_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}
