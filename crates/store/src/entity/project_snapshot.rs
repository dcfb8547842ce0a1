use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project_snapshots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub version: i32,
    pub approved_at: DateTimeUtc,
    pub approved_by: Option<i64>,
    pub reason: String,
    pub comment: String,
    /// The declaration as approved with its rows' ids, as JSON (`snapshots::Stored`).
    pub declaration: String,
    /// 批复金额: what this approval granted, in fen.
    pub approved_fen: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
