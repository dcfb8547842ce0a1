use sea_orm::entity::prelude::*;

/// One change of a deadline: from what to what, by whom, when (kept forever).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deadline_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub fiscal_year: i32,
    pub stage: String,
    pub department_id: Option<i64>,
    pub due_before: Option<Date>,
    pub due_after: Option<Date>,
    pub changed_by: i64,
    pub changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
