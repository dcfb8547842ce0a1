//! The objects of the to-do screen.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use jixiao_domain::todo::{DeadlineStage, TodoKind, Waits};
use jixiao_store::todo::{DeadlineChange, DeadlineRecord, OverdueCount, TodoCount, TodoItem};

use crate::graphql::access::access;
use crate::graphql::declaration::project::Project;
use crate::graphql::organization::loaders::UserKey;
use crate::graphql::scalars::{Date, DateTime};
use crate::graphql::types::connection::PageInfo;
use crate::graphql::types::nodes::{Department, User};
use crate::ids::{Kind, encode};

/// One thing waiting for you.
pub struct TodoItemView(pub TodoItem);

/// The item's own id: what it asks (its kind) of which object, stable while it waits, so that a
/// screen can match `todoEvents` to its rows.
pub fn item_id(item: &TodoItem) -> ID {
    use base64::Engine;
    ID(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("Todo:{}:{}", item.kind.code(), item.object_id)))
}

#[Object(name = "TodoItem")]
impl TodoItemView {
    async fn id(&self) -> ID {
        item_id(&self.0)
    }
    /// What it asks of you.
    async fn kind(&self) -> TodoKind {
        self.0.kind
    }
    /// The stage whose deadline it has (none for a step no rule times).
    async fn stage(&self) -> Option<DeadlineStage> {
        self.0.stage()
    }
    /// The global id of what waits: its project (START_SELF_EVALUATION too: no evaluation exists
    /// yet), monitoring report, self-evaluation or rectification item (`node(id)` reads it); none
    /// for PUBLISH, which concerns the department's year (`department`, `fiscalYear`).
    async fn subject_id(&self) -> Option<ID> {
        let kind = match self.0.kind.waits_in() {
            Waits::Project(_) | Waits::EvaluationToStart => Kind::Project,
            Waits::MonitoringReport(_) => Kind::MonitoringReport,
            Waits::SelfEvaluation(_) => Kind::SelfEvaluation,
            Waits::Rectification(_) => Kind::RectificationItem,
            Waits::Publication => return None,
        };
        Some(encode(kind, self.0.object_id))
    }
    /// The project it concerns (none for PUBLISH).
    async fn project(&self, ctx: &Context<'_>) -> Result<Option<Project>> {
        match self.0.project_id {
            Some(id) => Project::visible(ctx, id).await,
            None => Ok(None),
        }
    }
    async fn department(&self, ctx: &Context<'_>) -> Result<Department> {
        Department::of(ctx, self.0.department_id).await
    }
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    /// Since when it waits for you: made, sent back, submitted, opened or issued.
    async fn since(&self) -> DateTime {
        DateTime(self.0.since)
    }
    /// By when (the stage's deadline, a department's extension first); none when no deadline is set.
    async fn deadline(&self) -> Option<Date> {
        self.0.deadline.map(Date)
    }
    /// The deadline has passed (counted in days in China; the deadline itself is in time).
    async fn overdue(&self) -> bool {
        self.0.overdue
    }
    /// Why it was sent back (ANSWER_RETURN and the returned reports and evaluations) or reopened (RECTIFY).
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// Remarks not answered yet (ANSWER_REMARKS; 0 otherwise).
    async fn open_remarks(&self) -> i64 {
        self.0.open_remarks
    }
    /// For approvers: of a department assigned to you (every department when you have none).
    async fn assigned(&self) -> bool {
        self.0.assigned
    }
}

#[derive(SimpleObject)]
#[graphql(name = "TodoEdge")]
pub struct TodoEdge {
    pub cursor: String,
    pub node: TodoItemView,
}

#[derive(SimpleObject)]
#[graphql(name = "TodoConnection")]
pub struct TodoConnection {
    pub edges: Vec<TodoEdge>,
    pub page_info: PageInfo,
}

/// How many of one kind wait for you.
#[derive(SimpleObject)]
pub struct TodoKindCount {
    pub kind: TodoKind,
    pub count: i64,
    pub overdue: i64,
}

/// The badges: everything waiting for you, by kind.
#[derive(SimpleObject)]
pub struct TodoCounts {
    pub total: i64,
    pub overdue: i64,
    /// Every kind that can wait for your role, with 0 where none does.
    pub by_kind: Vec<TodoKindCount>,
}

impl From<Vec<TodoCount>> for TodoCounts {
    fn from(counts: Vec<TodoCount>) -> TodoCounts {
        TodoCounts {
            total: counts.iter().map(|c| c.count).sum(),
            overdue: counts.iter().map(|c| c.overdue).sum(),
            by_kind: counts
                .into_iter()
                .map(|c| TodoKindCount { kind: c.kind, count: c.count, overdue: c.overdue })
                .collect(),
        }
    }
}

/// The department of an extension; none for a deadline of every department.
async fn extended_for(ctx: &Context<'_>, department_id: Option<i64>) -> Result<Option<Department>> {
    match department_id {
        Some(id) => Department::of(ctx, id).await.map(Some),
        None => Ok(None),
    }
}

/// A stage's deadline of a year: for every department, or one department's extension.
pub struct Deadline(pub DeadlineRecord);

#[Object]
impl Deadline {
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    async fn stage(&self) -> DeadlineStage {
        self.0.stage
    }
    /// The department an extension is for; none for the deadline of every department.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        extended_for(ctx, self.0.department_id).await
    }
    async fn due_on(&self) -> Date {
        Date(self.0.due_on)
    }
    /// Who set it last, when you may see them.
    async fn set_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(access(ctx)?.loader().load_one(UserKey(self.0.set_by)).await?.map(User))
    }
    async fn set_at(&self) -> DateTime {
        DateTime(self.0.set_at)
    }
}

/// One change of a deadline, as kept.
pub struct DeadlineChangeView(pub DeadlineChange);

#[Object(name = "DeadlineChange")]
impl DeadlineChangeView {
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    async fn stage(&self) -> DeadlineStage {
        self.0.stage
    }
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        extended_for(ctx, self.0.department_id).await
    }
    /// None: set for the first time.
    async fn due_before(&self) -> Option<Date> {
        self.0.due_before.map(Date)
    }
    /// None: cleared (an extension withdrawn).
    async fn due_after(&self) -> Option<Date> {
        self.0.due_after.map(Date)
    }
    async fn changed_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(access(ctx)?.loader().load_one(UserKey(self.0.changed_by)).await?.map(User))
    }
    async fn changed_at(&self) -> DateTime {
        DateTime(self.0.changed_at)
    }
}

/// How many items of one stage are overdue in one department.
pub struct Overdue(pub OverdueCount);

#[Object(name = "OverdueCount")]
impl Overdue {
    async fn department(&self, ctx: &Context<'_>) -> Result<Department> {
        Department::of(ctx, self.0.department_id).await
    }
    async fn stage(&self) -> DeadlineStage {
        self.0.stage
    }
    async fn count(&self) -> i64 {
        self.0.count
    }
}
