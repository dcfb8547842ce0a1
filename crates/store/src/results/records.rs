//! A rectification item and a step of its history, as kept (read by the lifecycle's instance,
//! `form.rs`, and by the item's reads and steps, `items.rs`).

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_domain::rectification::RectificationAction;
use jixiao_domain::results::RectificationStatus;

use crate::entity::rectification_item;
use crate::lifecycle::StepRecord;

/// One step of an item's history.
pub type ItemStepRecord = StepRecord<RectificationStatus, RectificationAction>;

/// An item as kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRecord {
    pub id: i64,
    pub project_id: i64,
    pub evaluation_id: i64,
    pub department_id: i64,
    pub fiscal_year: i32,
    pub indicator_id: Option<i64>,
    pub problem: String,
    pub measure: String,
    pub due_on: Option<NaiveDate>,
    pub status: RectificationStatus,
    pub version: i32,
    pub reason: String,
    pub updated_at: DateTime<Utc>,
    /// When the department last answered it.
    pub submitted_at: Option<DateTime<Utc>>,
}

impl TryFrom<rectification_item::Model> for ItemRecord {
    type Error = sea_orm::DbErr;
    fn try_from(m: rectification_item::Model) -> Result<ItemRecord, sea_orm::DbErr> {
        Ok(ItemRecord {
            status: RectificationStatus::from_code(&m.status)
                .ok_or_else(|| sea_orm::DbErr::Type(format!("unknown rectification status {:?}", m.status)))?,
            id: m.id,
            project_id: m.project_id,
            evaluation_id: m.evaluation_id,
            department_id: m.department_id,
            fiscal_year: m.fiscal_year,
            indicator_id: m.indicator_id,
            problem: m.problem,
            measure: m.measure,
            due_on: m.due_on,
            version: m.version,
            reason: m.reason,
            updated_at: m.updated_at,
            submitted_at: m.submitted_at,
        })
    }
}
