use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "self_evaluations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub department_id: i64,
    pub fiscal_year: i32,
    pub status: String,
    pub version: i32,
    pub annual_request_fen: i64,
    /// 批复金额 in force, in fen: what the execution rate divides by.
    pub approved_fen: i64,
    pub budget_executed_fen: Option<i64>,
    /// The evaluator's weights as JSON, or NULL for the default ones.
    pub weights: Option<String>,
    /// Each indicator's result by indicator id, as JSON.
    pub results: String,
    /// Hundredths of a point.
    pub total_score: i64,
    pub grade: String,
    pub submitted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
