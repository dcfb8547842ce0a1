use sea_orm::entity::prelude::*;

/// 整改事项: opened by an accepted self-evaluation, answered by the department, closed by the bureau.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rectification_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub evaluation_id: i64,
    pub department_id: i64,
    pub fiscal_year: i32,
    /// The indicator row it is about; NULL: the project as a whole.
    pub indicator_id: Option<i64>,
    pub problem: String,
    pub measure: String,
    pub due_on: Option<Date>,
    pub status: String,
    pub version: i32,
    /// Why it was reopened, last.
    pub reason: String,
    pub updated_at: DateTimeUtc,
    /// When the department last answered it.
    pub submitted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
