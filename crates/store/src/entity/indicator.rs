use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "indicators")]
/// Keep the fields in the order of the columns `with_parts.rs` reads this model from.
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub position: i32,
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub target_text: String,
    pub note: Option<String>,
    /// The library entry the row was picked from (migration 29).
    #[serde(default)]
    pub library_entry_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
