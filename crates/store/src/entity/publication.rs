use sea_orm::entity::prelude::*;

/// A department's year as published (绩效公开).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "publications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub department_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub fiscal_year: i32,
    pub published_on: Date,
    pub url: String,
    pub published_by: i64,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
