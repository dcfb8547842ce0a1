use sea_orm::entity::prelude::*;

/// 财政评价: the bureau's own evaluation of a project (it outranks the self-evaluation).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "finance_evaluations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    /// In hundredths of a point.
    pub score: i64,
    pub grade: String,
    pub comment: String,
    pub evaluated_by: i64,
    pub evaluated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
