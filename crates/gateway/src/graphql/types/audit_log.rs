//! `auditLog`: the audit trail (安全审计), newest first, a page at a time; admins and security
//! auditors only.

use async_graphql::{ComplexObject, Context, ID, InputObject, Result, SimpleObject};
use jixiao_store::{AuditFilter, AuditRecord};
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::graphql::access::signed_in;
use crate::graphql::scalars::DateTime;
use crate::graphql::types::connection::{PageInfo, PageRequest, decode_cursor, encode_cursor};
use crate::ids::{Kind, decode, from_readable, readable};

/// Which records to show (all given conditions hold).
#[derive(InputObject, Default)]
pub struct AuditLogFilter {
    /// Who acted.
    pub actor_id: Option<ID>,
    /// `login`, `mutation.approveProject`, `download.book`, `cli.import`, `audit.prune` …
    pub operation: Option<String>,
    /// Records that name this object (any global ID).
    pub object_id: Option<ID>,
    /// From this moment on.
    pub from: Option<DateTime>,
    /// Before this moment.
    pub to: Option<DateTime>,
    /// `ok`, `rejected`, or an error code (`FORBIDDEN`, `UNAUTHENTICATED` …).
    pub outcome: Option<String>,
}

/// One thing done, as the trail keeps it.
#[derive(SimpleObject)]
pub struct AuditEntry {
    pub id: ID,
    pub at: DateTime,
    /// Who acted (null for a login that failed, the command line, or someone who was not signed in).
    pub actor_id: Option<ID>,
    /// Their username, the name a login tried, `operator` for the command line, `-` for nobody.
    pub actor: String,
    pub address: String,
    pub request_id: String,
    pub operation: String,
    /// The objects acted on, as global IDs.
    pub object_ids: Vec<ID>,
    pub version_before: Option<i64>,
    pub version_after: Option<i64>,
    pub outcome: String,
    pub detail: String,
}

impl From<AuditRecord> for AuditEntry {
    fn from(r: AuditRecord) -> AuditEntry {
        AuditEntry {
            id: ID(r.id.to_string()),
            at: DateTime(r.at),
            actor_id: r.actor_id.map(|id| crate::ids::encode(Kind::User, id)),
            actor: r.actor,
            address: r.address,
            request_id: r.request_id,
            operation: r.operation,
            object_ids: r.objects.split_whitespace().filter_map(from_readable).collect(),
            version_before: r.version_before,
            version_after: r.version_after,
            outcome: r.outcome,
            detail: r.detail,
        }
    }
}

#[derive(SimpleObject)]
pub struct AuditEntryEdge {
    pub cursor: String,
    pub node: AuditEntry,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AuditEntryConnection {
    pub edges: Vec<AuditEntryEdge>,
    pub page_info: PageInfo,
    #[graphql(skip)]
    pub filter: AuditFilter,
}

#[ComplexObject]
impl AuditEntryConnection {
    async fn nodes(&self) -> Vec<&AuditEntry> {
        self.edges.iter().map(|e| &e.node).collect()
    }

    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
        let trail = signed_in(ctx)?.scope.audit_trail().map_err(ApiError::from)?;
        Ok(trail.count(&self.filter).await.map_err(ApiError::from)? as i64)
    }
}

impl AuditLogFilter {
    pub fn into_store(self) -> ApiResult<AuditFilter> {
        let object = match &self.object_id {
            Some(id) => Some(readable(&id.0).ok_or_else(|| {
                ApiError::bad_input(
                    "objectId 不是有效的 ID：请原样使用接口返回的 id",
                    "objectId is not a valid ID: use an id exactly as the API returned it",
                )
            })?),
            None => None,
        };
        Ok(AuditFilter {
            actor_id: self.actor_id.as_ref().map(|a| decode(a, Kind::User)).transpose()?,
            operation: self.operation,
            object,
            from: self.from.map(|d| d.0),
            to: self.to.map(|d| d.0),
            outcome: self.outcome,
        })
    }
}

pub async fn audit_connection(
    ctx: &Context<'_>,
    filter: Option<AuditLogFilter>,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<AuditEntryConnection> {
    const ORDER: &str = "audit";
    let trail = signed_in(ctx)?.scope.audit_trail()?;
    let filter = filter.unwrap_or_default().into_store()?;
    let page = PageRequest::new(first, after, None, None)?;
    let before = page.cursor.as_deref().map(|c| decode_cursor(c, ORDER).map(|(_, id)| id)).transpose()?;
    let rows = trail.page(&filter, before, page.size + 1).await?;
    let (edges, page_info) = page.finish(rows, |r| encode_cursor(ORDER, Value::Null, r.id));
    let edges = edges.into_iter().map(|(cursor, r)| AuditEntryEdge { cursor, node: r.into() }).collect();
    Ok(AuditEntryConnection { edges, page_info, filter })
}
