//! `departmentGoalsEvents`: screens that follow departments' overall goals. Every step of a
//! form (申报), of its report in a monitoring round (监控) and of its self-evaluation (自评),
//! heard once per instance (store `events`), is kept for each subscriber that may see it by the
//! status the step left it in (the same rules as queries: a form's by `Actor::can_see`, a report's
//! and a self-evaluation's by `Actor::can_see_report`) and that its filter asks for.

use async_graphql::futures_util::Stream;
use async_graphql::{Context, ID, InputObject, Result, SimpleObject, Union};
use jixiao_domain::department_goals::DepartmentGoalsStage;
use jixiao_store::events::{Event, GoalsEvent};

use super::objects::{DepartmentGoals, DepartmentGoalsEvaluation, DepartmentGoalsReport};
use super::steps::DepartmentGoalsReview;
use crate::graphql::access::access;
use crate::graphql::event_stream::{Counting, events};
use crate::graphql::types::form_step::{EvaluationReview, MonitoringReview};
use crate::ids::{Kind, decode};

/// Which steps of departments' overall goals to send (all given conditions hold).
#[derive(InputObject, Default)]
pub struct DepartmentGoalsEventFilter {
    /// Only the forms of this fiscal year (and their reports and self-evaluations).
    pub fiscal_year: Option<i32>,
    /// Only this department's.
    pub department_id: Option<ID>,
    /// Only steps of these stages; all when absent or empty.
    pub stages: Option<Vec<DepartmentGoalsStage>>,
}

/// 申报: a step of a department's overall goals (submitted, approved, sent back …).
#[derive(SimpleObject)]
pub struct DepartmentGoalsStepEvent {
    /// The form as it is right after.
    department_goals: DepartmentGoals,
    step: DepartmentGoalsReview,
}

/// 监控: a step of the goals' report in a monitoring round.
#[derive(SimpleObject)]
pub struct DepartmentGoalsReportEvent {
    /// The report as it is right after.
    report: DepartmentGoalsReport,
    step: MonitoringReview,
}

/// 自评: a step of the goals' self-evaluation.
#[derive(SimpleObject)]
pub struct DepartmentGoalsEvaluationEvent {
    /// The self-evaluation as it is right after.
    self_evaluation: DepartmentGoalsEvaluation,
    step: EvaluationReview,
}

/// 部门整体绩效动态: one step of a department's overall goals, of their report or of their
/// self-evaluation (tell them apart by `__typename`).
#[derive(Union)]
pub enum DepartmentGoalsEvent {
    Step(DepartmentGoalsStepEvent),
    Report(DepartmentGoalsReportEvent),
    Evaluation(DepartmentGoalsEvaluationEvent),
}

impl From<GoalsEvent> for DepartmentGoalsEvent {
    fn from(e: GoalsEvent) -> Self {
        match e {
            GoalsEvent::Step { goals, step } => DepartmentGoalsEvent::Step(DepartmentGoalsStepEvent {
                department_goals: DepartmentGoals::new(goals),
                step: DepartmentGoalsReview(step),
            }),
            GoalsEvent::Report { report, step, .. } => DepartmentGoalsEvent::Report(DepartmentGoalsReportEvent {
                report: DepartmentGoalsReport::alone(report),
                step: MonitoringReview(step),
            }),
            GoalsEvent::Evaluation { evaluation, step } => {
                DepartmentGoalsEvent::Evaluation(DepartmentGoalsEvaluationEvent {
                    self_evaluation: DepartmentGoalsEvaluation::alone(evaluation),
                    step: EvaluationReview(step),
                })
            }
        }
    }
}

/// The stream `Subscription.departmentGoalsEvents` answers with.
pub async fn department_goals_events<'ctx>(
    ctx: &Context<'ctx>,
    filter: Option<DepartmentGoalsEventFilter>,
) -> Result<impl Stream<Item = Result<DepartmentGoalsEvent>> + 'ctx> {
    let access = access(ctx)?;
    let counting = Counting::of(ctx)?;
    let filter = filter.unwrap_or_default();
    let department = filter.department_id.as_ref().map(|d| decode(d, Kind::Department)).transpose()?;
    let stages = filter.stages.unwrap_or_default();
    let actor = access.actor;
    // Seen by the status the step left its subject in, as projects' events are.
    let keeps = move |e: &GoalsEvent| {
        let seen = match e {
            GoalsEvent::Step { step, .. } => actor.can_see(e.department_id(), step.to_status),
            GoalsEvent::Report { step, .. } | GoalsEvent::Evaluation { step, .. } => {
                actor.can_see_report(e.department_id(), step.to_status)
            }
        };
        seen && filter.fiscal_year.is_none_or(|y| y == e.fiscal_year())
            && department.is_none_or(|d| d == e.department_id())
            && (stages.is_empty() || stages.contains(&e.stage()))
    };
    Ok(events(access, counting, move |event| {
        std::future::ready(Ok(match &*event {
            Event::Goals(e) if keeps(e) => Some(e.clone().into()),
            _ => None,
        }))
    }))
}
