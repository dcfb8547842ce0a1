//! `todoEvents`: the caller's list kept current on an open screen. Each subscriber keeps the
//! list it last read (up to [`TRACKED`] items) and reads it again when something that could change
//! it happens on any instance (an event of a department it follows, heard through the store's one
//! listener), or at the clock's check (the day turning over, which makes items overdue; deadlines
//! and self-evaluations, which send no event, are seen then too). What differs from the list before is
//! sent: an item that arrived, one that is done, one that became overdue, each once.
//!
//! Bounded: one read per subscriber per burst of events (they are gathered for
//! [`GATHER`] first), [`TRACKED`] items per read, and the subscriptions' own cap (`ws_slots.rs`).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use async_graphql::futures_util::Stream;
use async_graphql::futures_util::stream;
use async_graphql::{Context, ID, Object, Result};
use jixiao_domain::todo::{TodoEventAction, TodoKind};
use jixiao_domain::{Actor, Role};
use jixiao_store::events::{Event, ProjectAction};
use jixiao_store::todo::TodoItem;
use tokio::sync::broadcast::error::RecvError;

use super::types::{TodoItemView, item_id};
use crate::error::ApiError;
use crate::graphql::access::{Access, access};
use crate::graphql::scalars::DateTime;
use crate::metrics::{Metrics, OpenSubscription};

/// Items a subscriber follows: the first of its list in its order (an approver of a whole
/// province's year has more waiting than one screen shows; those beyond are seen as earlier ones
/// are done).
pub const TRACKED: u64 = 1000;
/// How long a subscriber gathers events before it reads its list again.
pub const GATHER: Duration = Duration::from_millis(100);

/// Something that happened to an item of your list.
pub struct TodoEvent {
    action: TodoEventAction,
    item: TodoItem,
    at: chrono::DateTime<chrono::Utc>,
}

#[Object]
impl TodoEvent {
    async fn action(&self) -> TodoEventAction {
        self.action
    }
    /// The item's id, as `todo` gave it.
    async fn item_id(&self) -> ID {
        item_id(&self.item)
    }
    /// The item as it is now; null once DONE.
    async fn item(&self) -> Option<TodoItemView> {
        (self.action != TodoEventAction::Done).then(|| TodoItemView(self.item.clone()))
    }
    async fn at(&self) -> DateTime {
        DateTime(self.at)
    }
}

type Key = (TodoKind, i64);

/// The list as last read.
async fn read(access: &Access) -> Result<HashMap<Key, TodoItem>> {
    let page = access.scope.todo().page(None, TRACKED).await.map_err(ApiError::from)?;
    Ok(page.items.into_iter().map(|(_, item)| ((item.kind, item.object_id), item)).collect())
}

/// What changed from `before` to `now`, arrivals and overdue ones in the list's order.
fn changes(before: &HashMap<Key, TodoItem>, now: &HashMap<Key, TodoItem>) -> Vec<(TodoEventAction, TodoItem)> {
    let mut out = Vec::new();
    for (key, item) in before {
        if !now.contains_key(key) {
            out.push((TodoEventAction::Done, item.clone()));
        }
    }
    for (key, item) in now {
        match before.get(key) {
            None => out.push((TodoEventAction::Arrived, item.clone())),
            Some(old) if item.overdue && !old.overdue => out.push((TodoEventAction::Overdue, item.clone())),
            Some(_) => {}
        }
    }
    out.sort_by_key(|(action, item)| (item.deadline, item.since, *action, item.kind, item.object_id));
    out
}

/// Whether `event` may change `actor`'s list: an event of a department whose items can wait
/// for them (any, for an approver), and for reviewers not a creation, edit or deletion (only a
/// declaration being filled, corrected or adjusted is made, edited or deleted, and none of those
/// waits for a reviewer).
fn concerns(actor: &Actor, event: &Event) -> bool {
    let department = match event {
        Event::Project(e) => {
            let of_a_draft = matches!(e.action, ProjectAction::Create | ProjectAction::Edit | ProjectAction::Delete);
            if of_a_draft && matches!(actor.role, Role::Approver | Role::DepartmentReviewer) {
                return false;
            }
            e.project.department_id
        }
        Event::Report(e) => e.report.department_id,
        // No item of the list is a department's overall goals (yet).
        Event::Goals(_) => return false,
    };
    actor.todo_department().is_none_or(|d| d == department)
}

struct State<'a> {
    access: &'a Access,
    receiver: tokio::sync::broadcast::Receiver<Arc<Event>>,
    list: HashMap<Key, TodoItem>,
    pending: VecDeque<(TodoEventAction, TodoItem)>,
    check: tokio::time::Interval,
    open: OpenSubscription,
}

/// Waits for a reason to read the list again: an event that concerns the caller (then the
/// others that come within [`GATHER`]), or the clock's check. `Err` when the events ended.
async fn wake(state: &mut State<'_>) -> std::result::Result<(), ()> {
    let actor = state.access.actor;
    loop {
        tokio::select! {
            _ = state.check.tick() => return Ok(()),
            heard = state.receiver.recv() => match heard {
                Ok(event) if concerns(&actor, &event) => break,
                Ok(_) => {}
                // Fallen behind: whatever was missed is read with the list.
                Err(RecvError::Lagged(_)) => break,
                Err(RecvError::Closed) => return Err(()),
            },
        }
    }
    let until = tokio::time::Instant::now() + GATHER;
    while let Ok(heard) = tokio::time::timeout_at(until, state.receiver.recv()).await {
        if let Err(RecvError::Closed) = heard {
            return Err(());
        }
    }
    Ok(())
}

/// `todoEvents`.
pub async fn todo_events<'ctx>(ctx: &Context<'ctx>) -> Result<impl Stream<Item = Result<TodoEvent>> + 'ctx> {
    let access = access(ctx)?;
    let metrics = ctx.data::<Arc<Metrics>>()?.clone();
    // Listening before the first read: nothing done between the two is missed.
    let receiver = access.scope.events();
    let list = read(access).await?;
    let open = OpenSubscription::new(metrics);
    let mut check = tokio::time::interval(access.scope.clock_check());
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    check.reset();
    let state = State { access, receiver, list, pending: VecDeque::new(), check, open };
    Ok(stream::unfold(Some(state), |state| async move {
        let mut state = state?;
        loop {
            if let Some((action, item)) = state.pending.pop_front() {
                state.access.forget_everything();
                state.open.0.subscription_events_sent.fetch_add(1, Ordering::Relaxed);
                let event = TodoEvent { action, item, at: chrono::Utc::now() };
                return Some((Ok(event), Some(state)));
            }
            if wake(&mut state).await.is_err() {
                return None;
            }
            match read(state.access).await {
                Ok(now) => {
                    state.pending.extend(changes(&state.list, &now));
                    state.list = now;
                }
                Err(e) => return Some((Err(e), None)),
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    fn item(kind: TodoKind, id: i64, overdue: bool) -> TodoItem {
        TodoItem {
            kind,
            object_id: id,
            project_id: Some(id),
            department_id: 1,
            fiscal_year: 2023,
            since: Utc.timestamp_opt(1_666_000_000 + id, 0).unwrap(),
            deadline: NaiveDate::from_ymd_opt(2022, 10, 31),
            overdue,
            reason: None,
            open_remarks: 0,
            assigned: true,
        }
    }

    fn list(items: &[TodoItem]) -> HashMap<Key, TodoItem> {
        items.iter().map(|i| ((i.kind, i.object_id), i.clone())).collect()
    }

    #[test]
    fn arrivals_departures_and_deadlines_passing_are_each_told_once() {
        let before = list(&[item(TodoKind::FillDeclaration, 1, false), item(TodoKind::FillDeclaration, 2, false)]);
        let now = list(&[
            item(TodoKind::FillDeclaration, 2, true),
            item(TodoKind::AnswerReturn, 1, false),
            item(TodoKind::FillDeclaration, 3, false),
        ]);
        let told: Vec<_> = changes(&before, &now).into_iter().map(|(a, i)| (a, i.kind, i.object_id)).collect();
        assert_eq!(
            told,
            vec![
                (TodoEventAction::Arrived, TodoKind::AnswerReturn, 1),
                (TodoEventAction::Done, TodoKind::FillDeclaration, 1),
                (TodoEventAction::Overdue, TodoKind::FillDeclaration, 2),
                (TodoEventAction::Arrived, TodoKind::FillDeclaration, 3),
            ]
        );
        assert!(changes(&now, &now).is_empty(), "nothing new, nothing told (an overdue item stays told)");
    }
}
