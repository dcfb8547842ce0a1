//! What happened, for screens that update themselves. PostgreSQL announces every workflow step,
//! every edit of a project and every step of a monitoring report on `jixiao_events` (migration
//! 18, ids only, whoever made the change, on commit only), every step of a department's overall
//! goals, their reports and self-evaluations (migration 33, `goals.rs`), and every change of a user on
//! `jixiao_users` (migration 11). Each serving instance listens once, reads what each notice
//! names once (nothing while nobody on it subscribes), and hands the result to all its
//! subscribers through one bounded broadcast channel (and the ids of changed users through
//! another, for the connections' checks); each subscriber is shown only what its caller may see
//! (the gateway's `subscription.rs`). On SQLite, which has no notifications, the instance looks
//! twice a second instead: at the step tables for new steps, and at every project's version and
//! status for the creations, edits and deletions the trigger would have announced.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use jixiao_domain::monitoring::{ReportAction, ReportStatus};
use jixiao_domain::{ReviewAction, Status};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio::sync::broadcast;

mod goals;

pub use goals::{GoalsEvent, GoalsStage};

use crate::entity::{
    department_goal_evaluation_review, department_goal_report_review, department_goal_review, monitoring_report,
    monitoring_report_review, project, review,
};
use crate::error::StoreResult;
use crate::monitoring::{ReportRecord, ReportReviewRecord};
use crate::record::{ProjectRecord, ReviewRecord};

/// The channel the triggers notify.
pub const CHANNEL: &str = "jixiao_events";

/// Events held for subscribers that have not taken them yet, unless the service is told
/// otherwise (`JIXIAO_EVENT_BUFFER`). A subscriber that falls further behind than this is told so
/// and dropped: one slow screen never holds up the others.
pub const BUFFERED_EVENTS: usize = 1024;

/// What was done to a project.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectAction {
    Create,
    Edit,
    Delete,
    /// A workflow step (submit, approve …).
    Step(ReviewAction),
    /// 批复下达: issued to its department under an act.
    Issue,
    /// 绩效公开: its department published its year.
    Publish,
    /// 整改: one of its rectification items was opened, answered, closed or reopened.
    Rectification,
}

/// A project as it is right after something was done to it.
#[derive(Clone, Debug)]
pub struct ProjectEvent {
    pub project: ProjectRecord,
    /// Deleted by this event (the project is shown to no one any more).
    pub deleted: bool,
    pub action: ProjectAction,
    /// The status before a step; `None` for edits.
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub at: DateTime<Utc>,
}

/// A monitoring report right after a step of its workflow.
#[derive(Clone, Debug)]
pub struct ReportEvent {
    pub report: ReportRecord,
    pub action: ReportAction,
    pub from_status: ReportStatus,
    pub to_status: ReportStatus,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub enum Event {
    Project(ProjectEvent),
    Report(ReportEvent),
    /// A step of a department's overall goals, of their report or of their self-evaluation.
    Goals(GoalsEvent),
}

/// One instance's events, from one source to every subscriber.
#[derive(Debug)]
pub struct EventHub {
    sender: broadcast::Sender<Arc<Event>>,
    /// Users changed, apart from the events: every connection watches these, and should not
    /// wake for every project event to do so.
    users: broadcast::Sender<i64>,
    started: AtomicBool,
    /// Whether events are being heard now (the listener connected, or polling).
    listening: AtomicBool,
    /// Notices handled so far (read for subscribers or not): what tells that a write was heard.
    heard: AtomicU64,
}

impl Default for EventHub {
    fn default() -> Self {
        EventHub::holding(BUFFERED_EVENTS)
    }
}

impl EventHub {
    /// A hub whose subscribers may fall at most `events` behind.
    pub fn holding(events: usize) -> EventHub {
        EventHub {
            sender: broadcast::channel(events.max(1)).0,
            users: broadcast::channel(BUFFERED_EVENTS).0,
            started: AtomicBool::new(false),
            listening: AtomicBool::new(false),
            heard: AtomicU64::new(0),
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.sender.subscribe()
    }

    /// The ids of users changed from now on (disabled, a new role or password …).
    pub fn user_changes(&self) -> broadcast::Receiver<i64> {
        self.users.subscribe()
    }

    pub fn listening(&self) -> bool {
        self.listening.load(Ordering::Relaxed)
    }

    /// How many notices this instance has handled.
    pub fn heard(&self) -> u64 {
        self.heard.load(Ordering::Relaxed)
    }

    /// Whether the source was started (only once per instance).
    fn start_once(&self) -> bool {
        !self.started.swap(true, Ordering::AcqRel)
    }

    fn publish(&self, event: Event) {
        // No subscriber: nobody to tell.
        let _ = self.sender.send(Arc::new(event));
    }

    /// Starts the source: a listener on PostgreSQL (reconnecting after a second when the
    /// connection is lost), polling on SQLite. At most once; spawned on the current runtime.
    pub(crate) fn start(hub: Arc<EventHub>, db: DatabaseConnection, listen_url: Option<String>) {
        if !hub.start_once() {
            return;
        }
        match listen_url {
            Some(url) => tokio::spawn(listen(hub, db, url)),
            None => tokio::spawn(poll(hub, db)),
        };
    }
}

/// What a notice names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Notice {
    Review(i64),
    /// A project created, edited or deleted, and what it was then when the notice says so.
    Project(i64, Option<Written>),
    ReportReview(i64),
    /// A project issued (`issue:<id>`) or published (`publish:<id>`), announced by the store.
    Announced(i64, ProjectAction),
    /// A step of a department's overall goals (`goals_review:<id>` …).
    Goals(GoalsStage, i64),
}

/// A project as one write left it (migration 23's notice; SQLite's poll): the event is this
/// write's, however much later the project is read and whatever was written since.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Written {
    version: i32,
    status: Status,
    deleted: bool,
}

fn notice(payload: &str) -> Option<Notice> {
    let (kind, rest) = payload.split_once(':')?;
    let mut parts = rest.split(':');
    let id = parts.next()?.parse().ok()?;
    match kind {
        "review" => Some(Notice::Review(id)),
        "project" => {
            // `project:<id>:<version>` before migration 23: read as the project is now.
            let written = match (parts.next(), parts.next(), parts.next()) {
                (Some(version), Some(status), Some(deleted)) => Some(Written {
                    version: version.parse().ok()?,
                    status: Status::from_code(status)?,
                    deleted: match deleted {
                        "deleted" => true,
                        "live" => false,
                        _ => return None,
                    },
                }),
                _ => None,
            };
            Some(Notice::Project(id, written))
        }
        "report_review" => Some(Notice::ReportReview(id)),
        "issue" => Some(Notice::Announced(id, ProjectAction::Issue)),
        "publish" => Some(Notice::Announced(id, ProjectAction::Publish)),
        "rectify" => Some(Notice::Announced(id, ProjectAction::Rectification)),
        _ => goals::notice(kind).map(|stage| Notice::Goals(stage, id)),
    }
}

/// Reads what a notice names, as it is now (`None`: gone meanwhile).
async fn resolve(db: &DatabaseConnection, notice: Notice) -> StoreResult<Option<Event>> {
    Ok(match notice {
        Notice::Review(id) => {
            let Some(step) = review::Entity::find_by_id(id).one(db).await? else { return Ok(None) };
            let step = ReviewRecord::try_from(step)?;
            let Some(row) = project::Entity::find_by_id(step.project_id).one(db).await? else { return Ok(None) };
            let deleted = row.deleted_at.is_some();
            Some(Event::Project(ProjectEvent {
                project: row.try_into()?,
                deleted,
                action: ProjectAction::Step(step.action),
                from_status: Some(step.from_status),
                to_status: step.to_status,
                at: step.at,
            }))
        }
        Notice::Project(id, written) => {
            let Some(row) = project::Entity::find_by_id(id).one(db).await? else { return Ok(None) };
            let deleted_now = row.deleted_at.is_some();
            let project: ProjectRecord = row.try_into()?;
            let then =
                written.unwrap_or(Written { version: project.version, status: project.status, deleted: deleted_now });
            let action = match (then.deleted, then.version) {
                (true, _) => ProjectAction::Delete,
                (false, 1) => ProjectAction::Create,
                _ => ProjectAction::Edit,
            };
            Some(Event::Project(ProjectEvent {
                deleted: then.deleted,
                action,
                from_status: None,
                to_status: then.status,
                at: project.updated_at,
                project,
            }))
        }
        Notice::Announced(id, action) => {
            let Some(row) = project::Entity::find_by_id(id).one(db).await? else { return Ok(None) };
            let project: ProjectRecord = row.try_into()?;
            Some(Event::Project(ProjectEvent {
                deleted: false,
                action,
                from_status: None,
                to_status: project.status,
                at: Utc::now(),
                project,
            }))
        }
        Notice::ReportReview(id) => {
            let Some(step) = monitoring_report_review::Entity::find_by_id(id).one(db).await? else { return Ok(None) };
            let step = ReportReviewRecord::read(&step)?;
            let Some(row) = monitoring_report::Entity::find_by_id(step.form_id).one(db).await? else {
                return Ok(None);
            };
            Some(Event::Report(ReportEvent {
                report: row.try_into()?,
                action: step.action,
                from_status: step.from_status,
                to_status: step.to_status,
                at: step.at,
            }))
        }
        Notice::Goals(stage, id) => goals::resolve(db, stage, id).await?.map(Event::Goals),
    })
}

async fn publish(hub: &EventHub, db: &DatabaseConnection, notice: Notice) {
    // Nobody subscribed on this instance: nothing is read. An event is read for the subscribers
    // there are when it is heard; one subscribing later sees only what happens after.
    if hub.sender.receiver_count() > 0 {
        match resolve(db, notice).await {
            Ok(Some(event)) => hub.publish(event),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, ?notice, "cannot read what a notice names: its event is not sent"),
        }
    }
    // Counted once handled, whatever it cost: a count that moves says the notice was heard.
    hub.heard.fetch_add(1, Ordering::Relaxed);
}

async fn listen(hub: Arc<EventHub>, db: DatabaseConnection, url: String) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        match PgListener::connect(&url).await {
            Ok(mut listener) => match listener.listen_all([CHANNEL, crate::user_cache::CHANNEL]).await {
                Ok(()) => {
                    hub.listening.store(true, Ordering::Relaxed);
                    tracing::debug!("listening for events");
                    while let Ok(Some(n)) = listener.try_recv().await {
                        if n.channel() == crate::user_cache::CHANNEL {
                            if let Ok(id) = n.payload().parse() {
                                let _ = hub.users.send(id);
                            }
                        } else if let Some(notice) = notice(n.payload()) {
                            publish(&hub, &db, notice).await;
                        }
                    }
                    tracing::warn!(
                        "lost the connection that listens for events: subscribers miss events until it is back"
                    );
                }
                Err(e) => tracing::warn!(error = %e, "cannot listen for events"),
            },
            Err(e) => tracing::warn!(error = %e, "cannot connect to listen for events"),
        }
        hub.listening.store(false, Ordering::Relaxed);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Each project's version, status and whether it is deleted, by id (SQLite's stand-in for the
/// project trigger).
type Versions = std::collections::BTreeMap<i64, (i32, String, bool)>;

async fn versions(db: &DatabaseConnection) -> Option<Versions> {
    let rows: Vec<(i64, i32, String, Option<DateTime<Utc>>)> = project::Entity::find()
        .select_only()
        .columns([project::Column::Id, project::Column::Version, project::Column::Status, project::Column::DeletedAt])
        .into_tuple()
        .all(db)
        .await
        .ok()?;
    Some(rows.into_iter().map(|(id, version, status, deleted)| (id, (version, status, deleted.is_some()))).collect())
}

/// The notices the trigger would have sent between `before` and `now`: each new project, and
/// each with a new version in the same status (a step changes the status and is announced from
/// the step tables), in id order, each as the poll found it.
fn edited(before: &Versions, now: &Versions) -> Vec<Notice> {
    now.iter()
        .filter(|(id, (version, status, _))| match before.get(id) {
            None => true,
            Some((was, was_status, _)) => was != version && was_status == status,
        })
        .map(|(id, (version, status, deleted))| {
            let written =
                Status::from_code(status).map(|status| Written { version: *version, status, deleted: *deleted });
            Notice::Project(*id, written)
        })
        .collect()
}

/// The ids in `E`'s `id` column above `after`, in order (SQLite: the steps made since the last
/// look); with no `after`, the newest id alone (where the poll starts).
async fn ids_after<E: EntityTrait>(db: &DatabaseConnection, id: E::Column, after: Option<i64>) -> Vec<i64> {
    let query = E::find().select_only().column(id);
    let query = match after {
        Some(after) => query.filter(id.gt(after)).order_by_asc(id),
        None => query.order_by_desc(id).limit(1),
    };
    query.into_tuple().all(db).await.unwrap_or_default()
}

/// The step tables SQLite's poll follows, each announced as its trigger would.
const STEP_TABLES: [StepTable; 5] = [
    StepTable::Review,
    StepTable::ReportReview,
    StepTable::Goals(GoalsStage::Declaration),
    StepTable::Goals(GoalsStage::Monitoring),
    StepTable::Goals(GoalsStage::SelfEvaluation),
];

#[derive(Clone, Copy)]
enum StepTable {
    Review,
    ReportReview,
    Goals(GoalsStage),
}

impl StepTable {
    /// The ids of the steps taken after step `after`, in order (`None`: the newest step's).
    async fn after(self, db: &DatabaseConnection, after: Option<i64>) -> Vec<i64> {
        use department_goal_evaluation_review as evaluation_step;
        use department_goal_report_review as report_step;
        use department_goal_review as goals_step;
        match self {
            StepTable::Review => ids_after::<review::Entity>(db, review::Column::Id, after).await,
            StepTable::ReportReview => {
                ids_after::<monitoring_report_review::Entity>(db, monitoring_report_review::Column::Id, after).await
            }
            StepTable::Goals(GoalsStage::Declaration) => {
                ids_after::<goals_step::Entity>(db, goals_step::Column::Id, after).await
            }
            StepTable::Goals(GoalsStage::Monitoring) => {
                ids_after::<report_step::Entity>(db, report_step::Column::Id, after).await
            }
            StepTable::Goals(GoalsStage::SelfEvaluation) => {
                ids_after::<evaluation_step::Entity>(db, evaluation_step::Column::Id, after).await
            }
        }
    }

    fn notice(self, id: i64) -> Notice {
        match self {
            StepTable::Review => Notice::Review(id),
            StepTable::ReportReview => Notice::ReportReview(id),
            StepTable::Goals(stage) => Notice::Goals(stage, id),
        }
    }
}

/// SQLite: the steps made, and the projects created, edited or deleted, since the last look,
/// twice a second.
async fn poll(hub: Arc<EventHub>, db: DatabaseConnection) {
    // The last step of each table when the poll starts: what was taken before is not news.
    let mut last = [0; STEP_TABLES.len()];
    for (table, last) in STEP_TABLES.iter().zip(&mut last) {
        *last = table.after(&db, None).await.first().copied().unwrap_or(0);
    }
    let mut last_versions = versions(&db).await.unwrap_or_default();
    hub.listening.store(true, Ordering::Relaxed);
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if let Some(now) = versions(&db).await {
            for notice in edited(&last_versions, &now) {
                publish(&hub, &db, notice).await;
            }
            last_versions = now;
        }
        for (table, last) in STEP_TABLES.iter().zip(&mut last) {
            for id in table.after(&db, Some(*last)).await {
                *last = id;
                publish(&hub, &db, table.notice(id)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_announces_what_the_project_trigger_would() {
        let of = |rows: &[(i64, i32, &str, bool)]| -> Versions {
            rows.iter().map(|(id, v, s, d)| (*id, (*v, s.to_string(), *d))).collect()
        };
        let before = of(&[(1, 1, "DRAFT", false), (2, 3, "DRAFT", false), (3, 2, "SUBMITTED", false)]);
        // 1 unchanged; 2 deleted; 3 stepped (its step is announced from the step table); 4 new.
        let now =
            of(&[(1, 1, "DRAFT", false), (2, 4, "DRAFT", true), (3, 3, "APPROVED", false), (4, 1, "DRAFT", false)]);
        let written = |version, deleted| Some(Written { version, status: Status::Draft, deleted });
        assert_eq!(
            edited(&before, &now),
            vec![Notice::Project(2, written(4, true)), Notice::Project(4, written(1, false))]
        );
        assert_eq!(edited(&now, &now), Vec::<Notice>::new());
    }

    #[test]
    fn notices_carry_ids_and_what_a_project_was_when_written() {
        assert_eq!(notice("review:42"), Some(Notice::Review(42)));
        // Before migration 23, and since.
        assert_eq!(notice("project:7:3"), Some(Notice::Project(7, None)));
        let written = Written { version: 3, status: Status::Rejected, deleted: true };
        assert_eq!(notice("project:7:3:REJECTED:deleted"), Some(Notice::Project(7, Some(written))));
        let live = Written { version: 1, status: Status::Draft, deleted: false };
        assert_eq!(notice("project:8:1:DRAFT:live"), Some(Notice::Project(8, Some(live))));
        assert_eq!(notice("report_review:9"), Some(Notice::ReportReview(9)));
        assert_eq!(notice("goals_review:10"), Some(Notice::Goals(GoalsStage::Declaration, 10)));
        assert_eq!(notice("goals_report_review:11"), Some(Notice::Goals(GoalsStage::Monitoring, 11)));
        assert_eq!(notice("goals_evaluation_review:12"), Some(Notice::Goals(GoalsStage::SelfEvaluation, 12)));
        for bad in [
            "",
            "review",
            "review:x",
            "user:1",
            "goals_review:x",
            "goals:1",
            "project:",
            "project:7:x:DRAFT:live",
            "project:7:1:NOPE:live",
            "project:7:1:DRAFT:gone",
        ] {
            assert_eq!(notice(bad), None, "{bad}");
        }
    }
}
