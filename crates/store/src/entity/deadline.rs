use sea_orm::entity::prelude::*;

/// A stage's deadline of a fiscal year, for every department (`department_id` NULL) or as one
/// department's extension.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deadlines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub fiscal_year: i32,
    pub stage: String,
    pub department_id: Option<i64>,
    pub due_on: Date,
    pub set_by: i64,
    pub set_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
