use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "projects")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub department_id: i64,
    pub implementing_unit_id: i64,
    pub fiscal_year: i32,
    pub name: String,
    /// NULL while a draft has not chosen it.
    pub category: Option<String>,
    pub status: String,
    pub version: i32,
    pub planned_start: Option<Date>,
    pub planned_end: Option<Date>,
    pub overview: String,
    pub basis: String,
    pub implementing_body: String,
    pub plan: String,
    pub cycle: String,
    pub budget_arrangement: String,
    pub overall_goal: String,
    pub annual_goal: String,
    /// The seven amounts in fen; NULL while a draft does not know them.
    pub total_fen: Option<i64>,
    pub fiscal_fen: Option<i64>,
    pub other_fen: Option<i64>,
    pub annual_request_fen: Option<i64>,
    pub current_year_appropriation_fen: Option<i64>,
    pub carryover_fen: Option<i64>,
    pub annual_other_fen: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub deleted_at: Option<DateTimeUtc>,
    /// The project this one continues (`copyProject`).
    pub previous_project_id: Option<i64>,
    /// 指标体系 the project says it is declared under; NULL: its indicators say.
    pub indicator_framework: Option<String>,
    /// 批复金额 in force, in fen: what its latest approval granted; NULL until first approved.
    pub approved_fen: Option<i64>,
    /// The act (批复下达) that issued the project; NULL until issued.
    pub approval_issue_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
