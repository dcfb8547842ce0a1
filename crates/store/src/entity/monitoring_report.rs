use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monitoring_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub project_id: i64,
    pub department_id: i64,
    pub status: String,
    pub version: i32,
    /// 年度资金申请总额 of the declaration in force, in fen.
    pub annual_request_fen: i64,
    /// 批复金额 in force, in fen: what the execution rate divides by.
    pub approved_fen: i64,
    pub budget_executed_fen: Option<i64>,
    /// Hundredths of a percent.
    pub execution_rate: Option<i64>,
    pub budget_light: Option<String>,
    pub light: Option<String>,
    /// Each indicator's progress by indicator id, as JSON.
    pub indicators: String,
    pub submitted_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
