use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monitoring_rounds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub fiscal_year: i32,
    pub name: String,
    pub as_of: Date,
    pub due_date: Date,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
