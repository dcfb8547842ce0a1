use sea_orm::entity::prelude::*;

/// One record of the audit trail (`audit_log`), append-only (see migration 21).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub address: String,
    pub request_id: String,
    pub operation: String,
    /// `Kind:row` of each object acted on, each between spaces (` Project:42 Indicator:7 `).
    pub objects: String,
    pub version_before: Option<i64>,
    pub version_after: Option<i64>,
    pub outcome: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
