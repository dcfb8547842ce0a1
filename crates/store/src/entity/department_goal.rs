use sea_orm::entity::prelude::*;

/// 部门整体绩效目标: one per department and fiscal year (migration 31).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "department_goals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub department_id: i64,
    pub fiscal_year: i32,
    pub status: String,
    pub version: i32,
    pub functions: String,
    pub overall_goal: String,
    /// The tasks, as JSON (`goals_document.rs`).
    pub tasks: String,
    pub personnel_fen: i64,
    pub public_fen: i64,
    /// 项目支出 entered by hand; NULL: the sum of the linked projects.
    pub project_expenditure_fen: Option<i64>,
    pub income_fiscal_fen: i64,
    pub income_other_fen: i64,
    pub indicator_framework: Option<String>,
    /// The indicators with their ids, as JSON.
    pub indicators: String,
    /// The id the next new indicator row gets: ids are never reused within a form.
    pub next_row_id: i64,
    /// The form as last approved, as JSON: the goals in force.
    pub in_force: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    pub approved_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
