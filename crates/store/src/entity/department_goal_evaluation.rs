use sea_orm::entity::prelude::*;

/// A department's overall goals self-evaluated at year end (migration 32).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "department_goal_evaluations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub goals_id: i64,
    pub department_id: i64,
    pub status: String,
    pub version: i32,
    /// 支出合计 of the goals in force, in fen.
    pub annual_request_fen: i64,
    /// The same, as approved: what the execution is scored against.
    pub approved_fen: i64,
    pub budget_executed_fen: Option<i64>,
    pub submitted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub fiscal_year: i32,
    /// The evaluator's weights as JSON, or NULL for the default ones.
    pub weights: Option<String>,
    /// Each indicator's result by row id, as JSON.
    pub results: String,
    /// Hundredths of a point.
    pub total_score: i64,
    pub grade: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
