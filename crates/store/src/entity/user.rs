use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub department_id: Option<i64>,
    pub password_hash: String,
    pub disabled: bool,
    /// Tokens carry the version they were issued under; disabling a user (or changing the
    /// password) raises it, so tokens issued before stay dead even once the user is enabled again.
    pub token_version: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
