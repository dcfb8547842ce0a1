//! The audit trail's reading side: pages of records, newest first, for admins and security
//! auditors only (`Actor::may_read_audit_log`), asked before anything is read.

use chrono::{DateTime, Utc};
use jixiao_domain::{Actor, Message};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::Store;
use crate::audit::chain::{AuditRecord, objects_column};
use crate::entity::audit_record::{Column, Entity};
use crate::error::{StoreError, StoreResult};

/// Which records a page shows; every condition given must hold.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub actor_id: Option<i64>,
    pub operation: Option<String>,
    /// `Kind:row`.
    pub object: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
}

impl AuditFilter {
    fn condition(&self) -> Condition {
        let mut c = Condition::all();
        // PostgreSQL's text holds no NUL: a filter with one matches no record (asking would only
        // make the database refuse the statement, an internal error for a plain miss).
        let texts = [&self.operation, &self.object, &self.outcome];
        if texts.iter().any(|t| t.as_deref().is_some_and(|t| t.contains('\0'))) {
            return c.add(sea_orm::sea_query::Expr::value(false));
        }
        if let Some(id) = self.actor_id {
            c = c.add(Column::ActorId.eq(id));
        }
        if let Some(op) = &self.operation {
            c = c.add(Column::Operation.eq(op.as_str()));
        }
        if let Some(object) = &self.object {
            // Kept between spaces: a LIKE on ` Project:4 ` cannot match ` Project:42 `.
            let pattern = objects_column(std::slice::from_ref(object));
            let escaped = pattern.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            c = c.add(Column::Objects.like(format!("%{escaped}%")));
        }
        if let Some(from) = self.from {
            c = c.add(Column::At.gte(from));
        }
        if let Some(to) = self.to {
            c = c.add(Column::At.lt(to));
        }
        if let Some(outcome) = &self.outcome {
            c = c.add(Column::Outcome.eq(outcome.as_str()));
        }
        c
    }
}

/// The trail as one admin or auditor reads it.
pub struct AuditTrail<'a> {
    store: &'a Store,
}

impl Store {
    /// The audit trail for `actor`, if they may read it.
    pub fn audit_trail(&self, actor: Actor) -> StoreResult<AuditTrail<'_>> {
        if !actor.may_read_audit_log() {
            return Err(StoreError::Forbidden(Message::new(
                "只有管理员和安全审计员可以查阅审计日志",
                "only admins and security auditors read the audit trail",
            )));
        }
        Ok(AuditTrail { store: self })
    }
}

impl AuditTrail<'_> {
    /// Records newest first, before the record `before` (keyset), at most `limit`.
    pub async fn page(&self, filter: &AuditFilter, before: Option<i64>, limit: u64) -> StoreResult<Vec<AuditRecord>> {
        let mut q = Entity::find().filter(filter.condition());
        if let Some(before) = before {
            q = q.filter(Column::Id.lt(before));
        }
        Ok(q.order_by_desc(Column::Id).limit(limit).all(self.store.connection()).await?)
    }

    pub async fn count(&self, filter: &AuditFilter) -> StoreResult<u64> {
        Ok(Entity::find().filter(filter.condition()).count(self.store.connection()).await?)
    }
}
