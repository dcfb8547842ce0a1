//! Targets in force: each approved version of a project's declaration, and what one version
//! changes from another (`Project.snapshots`, `Project.inForce`, `Project.changes`).

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use jixiao_domain::changes::{Change, RowRef};
use jixiao_store::{Row, SnapshotRecord};

use crate::graphql::access::access;
use crate::graphql::cost::list_cost;
use crate::graphql::declaration::parts::{FundItem, Funds, Indicator, Sections};
use crate::graphql::organization::loaders::UserKey;
use crate::graphql::scalars::{Date, DateTime};
use crate::graphql::types::enums::{IndicatorFramework, ProjectCategory};
use crate::graphql::types::nodes::User;
use crate::ids::{Kind, encode};
use jixiao_domain::funds::MAX_FUND_ITEMS;
use jixiao_domain::indicator::MAX_INDICATORS;

pub struct ProjectSnapshot(pub SnapshotRecord);

/// 批复版本: the declaration as one approval approved it. The last is the one in force.
#[Object]
impl ProjectSnapshot {
    /// The project's `version` right after this approval (what `changes` takes).
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn approved_at(&self) -> DateTime {
        DateTime(self.0.approved_at)
    }
    /// The approver, when you may see them (not known for approvals made before snapshots were kept).
    async fn approved_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(id) = self.0.approved_by else { return Ok(None) };
        Ok(access(ctx)?.loader().load_one(UserKey(id)).await?.map(User))
    }
    /// Why the targets were adjusted (调整理由); empty for a first approval.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// The approver's comment.
    async fn comment(&self) -> &str {
        &self.0.comment
    }
    /// 批复金额: what this approval granted, in yuan.
    async fn approved_amount(&self) -> Option<String> {
        self.0.approved_amount.map(|m| m.to_string())
    }
    async fn declaration(&self) -> ApprovedDeclaration<'_> {
        ApprovedDeclaration(&self.0)
    }
}

pub struct ApprovedDeclaration<'a>(&'a SnapshotRecord);

/// A declaration as approved: the same fields as on `Project`.
#[Object]
impl ApprovedDeclaration<'_> {
    async fn fiscal_year(&self) -> i32 {
        self.0.declaration.fiscal_year
    }
    async fn name(&self) -> &str {
        &self.0.declaration.text.name
    }
    async fn category(&self) -> Option<ProjectCategory> {
        self.0.declaration.text.category.map(Into::into)
    }
    async fn planned_start(&self) -> Option<Date> {
        self.0.declaration.text.planned_start.map(Date)
    }
    async fn planned_end(&self) -> Option<Date> {
        self.0.declaration.text.planned_end.map(Date)
    }
    async fn sections(&self) -> Sections {
        self.0.declaration.text.sections.clone().into()
    }
    async fn overall_goal(&self) -> &str {
        &self.0.declaration.text.overall_goal
    }
    async fn annual_goal(&self) -> &str {
        &self.0.declaration.text.annual_goal
    }
    async fn indicator_framework(&self) -> IndicatorFramework {
        self.0.declaration.framework().into()
    }
    async fn funds(&self) -> Funds {
        Funds(self.0.declaration.funds)
    }
    #[graphql(complexity = "list_cost(MAX_FUND_ITEMS, child_complexity)")]
    async fn fund_items(&self) -> Vec<FundItem> {
        let d = &self.0.declaration;
        FundItem::list(
            self.0.fund_item_ids.iter().zip(&d.fund_items).map(|(id, v)| Row { id: *id, value: v.clone() }).collect(),
        )
    }
    #[graphql(complexity = "list_cost(MAX_INDICATORS, child_complexity)")]
    async fn indicators(&self) -> Vec<Indicator> {
        let d = &self.0.declaration;
        Indicator::list(
            self.0.indicator_ids.iter().zip(&d.indicators).map(|(id, v)| Row { id: *id, value: v.clone() }).collect(),
        )
    }
}

/// One difference between two versions of a declaration.
#[derive(SimpleObject)]
pub struct DeclarationChange {
    /// What changed: a box (`funds.total`, `sections.plan`, `name` …), a row's field
    /// (`indicators.target`, `fundItems.amount`, `indicators.position` …), or a whole row
    /// (`indicators`, `fundItems`: added when `old` is null, removed when `new` is null).
    pub field: String,
    /// The indicator it concerns, if any.
    pub indicator_id: Option<ID>,
    /// The fund item it concerns, if any.
    pub fund_item_id: Option<ID>,
    /// The value before, as the form shows it (amounts in yuan, targets as typed); null when absent.
    pub old: Option<String>,
    /// The value after; null when absent.
    pub new: Option<String>,
}

impl From<Change> for DeclarationChange {
    fn from(c: Change) -> DeclarationChange {
        let (indicator_id, fund_item_id) = match c.row {
            Some(RowRef::Indicator(id)) => (Some(encode(Kind::Indicator, id)), None),
            Some(RowRef::FundItem(id)) => (None, Some(encode(Kind::FundItem, id))),
            None => (None, None),
        };
        DeclarationChange { field: c.field, indicator_id, fund_item_id, old: c.old, new: c.new }
    }
}
