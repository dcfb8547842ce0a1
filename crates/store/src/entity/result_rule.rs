use sea_orm::entity::prelude::*;

/// One grade's rule of a fiscal year (结果应用规则).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "result_rules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub fiscal_year: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub grade: String,
    pub action: String,
    /// In hundredths of a percent.
    pub cut: i64,
    pub hold: bool,
    pub set_by: i64,
    pub set_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
