use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monitoring_rounds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub fiscal_year: i32,
    pub name: String,
    pub as_of: Date,
    pub due_date: Date,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    /// The budget's light rule (`BudgetRule`): RATIO or DIFFERENCE, MONTHS or DAYS, thresholds in hundredths.
    pub budget_comparison: String,
    pub time_basis: String,
    pub lower_threshold: i32,
    pub upper_threshold: i32,
    /// Whether its indicators are lit by their progress too (rounds opened after the rule came).
    pub progress_lights: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
