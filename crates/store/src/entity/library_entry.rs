use sea_orm::entity::prelude::*;

/// An entry of the indicator library (migration 29): COMMON when `department_id` is NULL.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "library_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub scope: String,
    pub department_id: Option<i64>,
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub unit: String,
    pub direction: String,
    pub definition: String,
    pub formula: String,
    pub value_basis: String,
    pub reference_value: Option<String>,
    pub benchmark_value: Option<String>,
    pub status: String,
    /// A JSON array of the other spellings.
    pub aliases: String,
    pub version: i32,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
