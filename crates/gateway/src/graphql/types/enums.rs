//! The GraphQL enums. The domain's own enums are GraphQL enums when its `graphql` feature is on
//! (the gateway turns it on), with the descriptions the schema publishes on their variants; here
//! they take the names the schema knows them by. What only the API has is defined here.

use async_graphql::Enum;

pub use jixiao_domain::evaluation::{Achievement, Grade};
pub use jixiao_domain::monitoring::{
    BudgetComparison, DeviationReason, Light, Likelihood, ReportAction as MonitoringAction,
    ReportStatus as MonitoringReportStatus, TimeBasis,
};
pub use jixiao_domain::{
    Category as ProjectCategory, Comparator, Framework as IndicatorFramework, Level1 as IndicatorLevel1,
    Level2 as IndicatorLevel2, ProblemCode as UserErrorCode, ReviewAction, Role, Status as ProjectStatus, TargetKind,
};

/// What was done to a project.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ProjectEventAction {
    /// 新建
    Create,
    /// 修改 (the declaration or one of its rows)
    Edit,
    /// 删除
    Delete,
    /// 提交
    Submit,
    /// 撤回
    Withdraw,
    /// 审核通过
    Approve,
    /// 退回 (or 不予通过, graded 差)
    Reject,
    /// 申请调整
    StartAdjustment,
    /// 撤销调整
    CancelAdjustment,
    /// 部门审核通过
    Forward,
    /// 批复下达: issued to its department (`issueApprovals`)
    Issue,
    /// 绩效公开: its department recorded the year's publication (`markPublished`)
    Publish,
    /// 整改: one of its rectification items was opened, answered, closed or reopened
    Rectification,
}

impl ProjectEventAction {
    pub fn label(self) -> &'static str {
        match self {
            ProjectEventAction::Create => "新建",
            ProjectEventAction::Edit => "修改",
            ProjectEventAction::Delete => "删除",
            ProjectEventAction::Issue => "批复下达",
            ProjectEventAction::Publish => "绩效公开",
            ProjectEventAction::Rectification => "整改",
            step => jixiao_domain::ReviewAction::ALL
                .into_iter()
                .find(|a| ProjectEventAction::from(jixiao_store::events::ProjectAction::Step(*a)) == step)
                .map_or("", |a| a.label()),
        }
    }
}

impl From<jixiao_store::events::ProjectAction> for ProjectEventAction {
    fn from(a: jixiao_store::events::ProjectAction) -> Self {
        use jixiao_domain::ReviewAction as R;
        use jixiao_store::events::ProjectAction;
        match a {
            ProjectAction::Create => ProjectEventAction::Create,
            ProjectAction::Edit => ProjectEventAction::Edit,
            ProjectAction::Delete => ProjectEventAction::Delete,
            ProjectAction::Step(R::Submit) => ProjectEventAction::Submit,
            ProjectAction::Step(R::Withdraw) => ProjectEventAction::Withdraw,
            ProjectAction::Step(R::Approve) => ProjectEventAction::Approve,
            ProjectAction::Step(R::Reject) => ProjectEventAction::Reject,
            ProjectAction::Step(R::StartAdjustment) => ProjectEventAction::StartAdjustment,
            ProjectAction::Step(R::CancelAdjustment) => ProjectEventAction::CancelAdjustment,
            ProjectAction::Step(R::Forward) => ProjectEventAction::Forward,
            ProjectAction::Issue => ProjectEventAction::Issue,
            ProjectAction::Publish => ProjectEventAction::Publish,
            ProjectAction::Rectification => ProjectEventAction::Rectification,
        }
    }
}
