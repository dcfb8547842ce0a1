//! Screens that update themselves: `projectEvents`, `monitoringEvents` and (from
//! `department_goals/events.rs`) `departmentGoalsEvents` over WebSocket (the
//! graphql-transport-ws protocol, `ws.rs`). Every instance reads each event once (store
//! `events.rs`); here each subscriber keeps what its caller may see (the same rule as queries,
//! `Actor::can_see`) and what its filter asks for, and its fields are resolved as any query's,
//! through the caller's scope. The stream each is made of (and SLOW_SUBSCRIBER for one that falls
//! behind): `event_stream.rs`.

use std::sync::Arc;

use async_graphql::futures_util::Stream;
use async_graphql::{Context, ID, InputObject, Object, Result, Subscription};
use jixiao_domain::{Actor, Status};
use jixiao_store::events::{Event, ProjectEvent, ReportEvent};

use crate::graphql::access::{Access, access};
use crate::graphql::declaration::project::Project;
use crate::graphql::event_stream::{Counting, events};
use crate::graphql::monitoring::report::MonitoringReport;
use crate::graphql::scalars::DateTime;
use crate::graphql::types::enums::{MonitoringAction, MonitoringReportStatus, ProjectEventAction, ProjectStatus};
use crate::ids::{Kind, decode, encode};

#[derive(Default)]
pub struct Subscription;

/// Which project events to send (all given conditions hold).
#[derive(InputObject, Default)]
pub struct ProjectEventFilter {
    /// Only this department's projects.
    pub department_id: Option<ID>,
    /// Only events that leave the project in one of these statuses (`toStatus`).
    pub statuses: Option<Vec<ProjectStatus>>,
    /// An approver's own departments (对口科室); all for an approver with none. As assigned when
    /// each event comes: departments assigned or taken away while subscribed count at once.
    pub assigned_to_me: Option<bool>,
}

/// Which monitoring events to send.
#[derive(InputObject, Default)]
pub struct MonitoringEventFilter {
    /// Only this round's reports.
    pub round_id: Option<ID>,
    /// Only steps that leave the report in one of these statuses (`toStatus`).
    pub statuses: Option<Vec<MonitoringReportStatus>>,
}

/// Something done to a project you may see.
pub struct ProjectEventView(ProjectEvent);

#[Object(name = "ProjectEvent")]
impl ProjectEventView {
    async fn project_id(&self) -> ID {
        encode(Kind::Project, self.0.project.id)
    }
    /// The project as it is right after; `null` when the event deleted it.
    async fn project(&self) -> Option<Project> {
        (!self.0.deleted).then(|| Project(self.0.project.clone()))
    }
    async fn action(&self) -> ProjectEventAction {
        self.0.action.into()
    }
    /// The status before a workflow step; `null` for creations and edits.
    async fn from_status(&self) -> Option<ProjectStatus> {
        self.0.from_status.map(Into::into)
    }
    async fn to_status(&self) -> ProjectStatus {
        self.0.to_status.into()
    }
    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }
}

/// A step of a monitoring report you may see.
pub struct MonitoringEventView(ReportEvent);

#[Object(name = "MonitoringEvent")]
impl MonitoringEventView {
    async fn report(&self) -> MonitoringReport {
        MonitoringReport(self.0.report.clone())
    }
    async fn action(&self) -> MonitoringAction {
        self.0.action.into()
    }
    async fn from_status(&self) -> MonitoringReportStatus {
        self.0.from_status.into()
    }
    async fn to_status(&self) -> MonitoringReportStatus {
        self.0.to_status.into()
    }
    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }
}

/// What a project subscriber keeps.
struct ProjectWanted {
    actor: Actor,
    department: Option<i64>,
    statuses: Vec<Status>,
    /// Only the caller's departments (none assigned: every department), as assigned when the
    /// event comes: an admin may assign or take away departments while the screen is open.
    assigned_to_me: bool,
}

impl ProjectWanted {
    /// Whether `e` is kept, its department's assignment aside. Seen and filtered by the status
    /// the event left the project in, not the one it has by the time the event is read (a draft
    /// created and submitted at once was a draft when created: no approver hears its creation).
    fn keeps(&self, e: &ProjectEvent) -> bool {
        let department = e.project.department_id;
        self.actor.can_see(department, e.to_status)
            && self.department.is_none_or(|d| d == department)
            && (self.statuses.is_empty() || self.statuses.contains(&e.to_status))
    }

    /// Whether `department` is one the caller works on now (read for each event that passes
    /// the other conditions: events come at the pace people write).
    async fn assigned(&self, access: &Access, department: i64) -> Result<bool> {
        if !self.assigned_to_me {
            return Ok(true);
        }
        let mut assigned = access.scope.assigned_departments(&[self.actor.user_id]).await?;
        let mine = assigned.remove(&self.actor.user_id).unwrap_or_default();
        Ok(mine.is_empty() || mine.contains(&department))
    }
}

#[Subscription]
impl Subscription {
    /// 项目动态: every creation, edit, deletion and workflow step of a project you may see (as
    /// queries show them: drafts only to their department), as it happens, on every instance.
    async fn project_events<'ctx>(
        &self,
        ctx: &Context<'ctx>,
        filter: Option<ProjectEventFilter>,
    ) -> Result<impl Stream<Item = Result<ProjectEventView>> + 'ctx> {
        let access = access(ctx)?;
        let counting = Counting::of(ctx)?;
        let filter = filter.unwrap_or_default();
        let department = filter.department_id.as_ref().map(|d| decode(d, Kind::Department)).transpose()?;
        let wanted = Arc::new(ProjectWanted {
            actor: access.actor,
            department,
            statuses: filter.statuses.unwrap_or_default().into_iter().map(Into::into).collect(),
            assigned_to_me: filter.assigned_to_me == Some(true),
        });
        Ok(events(access, counting, move |event| {
            let wanted = wanted.clone();
            async move {
                Ok(match &*event {
                    Event::Project(e)
                        if wanted.keeps(e) && wanted.assigned(access, e.project.department_id).await? =>
                    {
                        Some(ProjectEventView(e.clone()))
                    }
                    _ => None,
                })
            }
        }))
    }

    /// 待办动态: an item of your list (`todo`) arrived, was done or became overdue, on any instance,
    /// each once. Read `todo` first, then follow it with this.
    async fn todo_events<'ctx>(
        &self,
        ctx: &Context<'ctx>,
    ) -> Result<impl Stream<Item = Result<crate::graphql::todo::events::TodoEvent>> + 'ctx> {
        crate::graphql::todo::events::todo_events(ctx).await
    }

    /// 部门整体绩效动态: every step of a department's overall goals (申报), of their report in a
    /// monitoring round (监控) and of their self-evaluation (自评) that you may see.
    async fn department_goals_events<'ctx>(
        &self,
        ctx: &Context<'ctx>,
        filter: Option<crate::graphql::department_goals::events::DepartmentGoalsEventFilter>,
    ) -> Result<impl Stream<Item = Result<crate::graphql::department_goals::events::DepartmentGoalsEvent>> + 'ctx> {
        crate::graphql::department_goals::events::department_goals_events(ctx, filter).await
    }

    /// 监控动态: every step (submit, accept, return) of a monitoring report you may see.
    async fn monitoring_events<'ctx>(
        &self,
        ctx: &Context<'ctx>,
        filter: Option<MonitoringEventFilter>,
    ) -> Result<impl Stream<Item = Result<MonitoringEventView>> + 'ctx> {
        let access = access(ctx)?;
        let counting = Counting::of(ctx)?;
        let filter = filter.unwrap_or_default();
        let round = filter.round_id.as_ref().map(|r| decode(r, Kind::MonitoringRound)).transpose()?;
        let statuses: Vec<jixiao_domain::monitoring::ReportStatus> =
            filter.statuses.unwrap_or_default().into_iter().map(Into::into).collect();
        let actor = access.actor;
        // By the status the step left the report in, as for projects.
        let keeps = move |e: &ReportEvent| {
            actor.can_see_report(e.report.department_id, e.to_status)
                && round.is_none_or(|r| r == e.report.round_id)
                && (statuses.is_empty() || statuses.contains(&e.to_status))
        };
        Ok(events(access, counting, move |event| {
            std::future::ready(Ok(match &*event {
                Event::Report(e) if keeps(e) => Some(MonitoringEventView(e.clone())),
                _ => None,
            }))
        }))
    }
}
