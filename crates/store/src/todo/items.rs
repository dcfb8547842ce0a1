//! The caller's to-do list, a page at a time, and its counts by kind: one statement each.
//!
//! Order: for an approver their assigned departments' items first (all departments alike when
//! they have no assignment), then by deadline (none last), then the longest waiting, then kind
//! and id, so that a page's cursor names a place in that order that no later change moves.

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_domain::Role;
use jixiao_domain::todo::{TodoKind, is_overdue};
use sea_orm::{ConnectionTrait, QueryResult, Statement};

use super::waiting::{Sql, Whose, waiting};
use super::{Todo, TodoCount, TodoItem};
use crate::error::{StoreError, StoreResult};

/// Where a page ends, in the list's order: the next page starts after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TodoCursor {
    pub rank: i32,
    /// The deadline, or 9999-12-31 for none (last).
    pub deadline_key: NaiveDate,
    pub since: DateTime<Utc>,
    pub kind: TodoKind,
    pub object_id: i64,
}

/// One page of the list.
#[derive(Clone, Debug, Default)]
pub struct TodoPage {
    pub items: Vec<(TodoCursor, TodoItem)>,
    pub has_next_page: bool,
}

/// The deadline a missing one sorts as.
fn no_deadline() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date")
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Database(sea_orm::DbErr::Custom(format!("a to-do item with an unreadable {what}")))
}

impl Todo<'_> {
    /// Up to `limit` items after `after`, in the list's order.
    pub async fn page(&self, after: Option<&TodoCursor>, limit: u64) -> StoreResult<TodoPage> {
        let backend = self.db.get_database_backend();
        let mut sql = Sql::default();
        let Some(union) = waiting(&mut sql, Whose::Actor(self.actor), true, backend) else {
            return Ok(TodoPage::default());
        };
        // An approver's assigned departments first (all alike when they have none): a join, and
        // "has any" asked once, not once per item.
        let (rank, assigned) = if self.actor.role == Role::Approver {
            self.not_for_class.store(true, std::sync::atomic::Ordering::Relaxed);
            let user = sql.bind(self.actor.user_id);
            (
                format!(
                    "CASE WHEN aa.department_id IS NOT NULL \
                       OR NOT EXISTS (SELECT 1 FROM approver_assignments ab WHERE ab.user_id = {user}) THEN 0 ELSE 1 END"
                ),
                format!(
                    " LEFT JOIN approver_assignments aa ON aa.user_id = {user} AND aa.department_id = t.department_id"
                ),
            )
        } else {
            ("0".to_string(), String::new())
        };
        let no_deadline = sql.bind(no_deadline());
        let after = match after {
            Some(c) => format!(
                "WHERE (q.rank, q.deadline_key, q.since, q.kind, q.object_id) > ({}, {}, {}, {}, {})",
                sql.bind(c.rank),
                sql.bind(c.deadline_key),
                sql.bind(c.since),
                sql.bind(c.kind.code()),
                sql.bind(c.object_id)
            ),
            None => String::new(),
        };
        let one_more = sql.bind(i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX));
        sql.text = format!(
            "SELECT * FROM (SELECT t.*, {rank} AS rank, COALESCE(t.deadline, {no_deadline}) AS deadline_key \
               FROM ({union}) t{assigned}) q {after} \
             ORDER BY q.rank, q.deadline_key, q.since, q.kind, q.object_id LIMIT {one_more}"
        );
        let rows = self.db.query_all_raw(Statement::from_sql_and_values(backend, sql.text, sql.values)).await?;
        let today = self.today();
        let mut items = rows.iter().map(|row| read_item(row, today)).collect::<StoreResult<Vec<_>>>()?;
        let has_next_page = items.len() as u64 > limit;
        items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(TodoPage { items, has_next_page })
    }

    /// How many items of each kind wait for the caller, and how many of them are overdue; every
    /// kind the caller can have is listed, with 0 where none waits.
    pub async fn counts(&self) -> StoreResult<Vec<TodoCount>> {
        let backend = self.db.get_database_backend();
        let mut sql = Sql::default();
        let kinds = self.actor.todo_kinds();
        let Some(union) = waiting(&mut sql, Whose::Actor(self.actor), false, backend) else {
            return Ok(Vec::new());
        };
        let today = sql.bind(self.today());
        sql.text = format!(
            "SELECT t.kind, CAST(COUNT(*) AS BIGINT) AS n, \
               CAST(SUM(CASE WHEN t.deadline < {today} THEN 1 ELSE 0 END) AS BIGINT) AS late \
             FROM ({union}) t GROUP BY t.kind"
        );
        let rows = self.db.query_all_raw(Statement::from_sql_and_values(backend, sql.text, sql.values)).await?;
        let mut counts: Vec<TodoCount> =
            kinds.into_iter().map(|kind| TodoCount { kind, count: 0, overdue: 0 }).collect();
        for row in rows {
            let code: String = row.try_get("", "kind")?;
            let kind = TodoKind::from_code(&code).ok_or_else(|| corrupt("kind"))?;
            if let Some(c) = counts.iter_mut().find(|c| c.kind == kind) {
                c.count = row.try_get("", "n")?;
                c.overdue = row.try_get::<Option<i64>>("", "late")?.unwrap_or(0);
            }
        }
        Ok(counts)
    }
}

fn read_item(row: &QueryResult, today: NaiveDate) -> StoreResult<(TodoCursor, TodoItem)> {
    let code: String = row.try_get("", "kind")?;
    let kind = TodoKind::from_code(&code).ok_or_else(|| corrupt("kind"))?;
    let deadline: Option<NaiveDate> = row.try_get("", "deadline")?;
    let rank: i32 = row.try_get("", "rank")?;
    let item = TodoItem {
        kind,
        object_id: row.try_get("", "object_id")?,
        project_id: row.try_get("", "project_id")?,
        department_id: row.try_get("", "department_id")?,
        fiscal_year: row.try_get("", "fiscal_year")?,
        since: row.try_get("", "since")?,
        deadline,
        overdue: is_overdue(deadline, today),
        reason: row.try_get("", "reason")?,
        open_remarks: row.try_get("", "open_remarks")?,
        assigned: rank == 0,
    };
    let cursor = TodoCursor {
        rank,
        deadline_key: deadline.unwrap_or_else(no_deadline),
        since: item.since,
        kind,
        object_id: item.object_id,
    };
    Ok((cursor, item))
}
