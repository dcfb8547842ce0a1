use sea_orm::entity::prelude::*;

/// One issuing act (批复下达) of a department's year.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "approval_issues")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub department_id: i64,
    pub fiscal_year: i32,
    /// 批复文号
    pub document_no: String,
    pub issued_on: Date,
    pub issued_by: i64,
    pub issued_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
