use sea_orm::entity::prelude::*;

/// A department's overall goals in one monitoring round (migration 32).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "department_goal_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub goals_id: i64,
    pub department_id: i64,
    pub status: String,
    pub version: i32,
    /// 支出合计 of the goals in force, in fen.
    pub annual_request_fen: i64,
    /// The same, as approved: what the execution rate divides by.
    pub approved_fen: i64,
    pub budget_executed_fen: Option<i64>,
    pub submitted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub round_id: i64,
    /// Hundredths of a percent.
    pub execution_rate: Option<i64>,
    pub budget_light: Option<String>,
    pub light: Option<String>,
    /// Each indicator's progress by row id, as JSON.
    pub indicators: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
