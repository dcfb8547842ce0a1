use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    pub actor_id: i64,
    pub comment: String,
    pub at: DateTimeUtc,
    /// The grade given with an approval or a rejection (EXCELLENT, GOOD, FAIR, POOR), if any.
    pub grade: Option<String>,
    pub completeness_score: Option<i16>,
    pub relevance_score: Option<i16>,
    pub appropriateness_score: Option<i16>,
    pub feasibility_score: Option<i16>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
