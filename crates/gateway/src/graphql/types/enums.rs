//! The domain's enums as GraphQL enums (the domain knows nothing of GraphQL; `remote` derives
//! the conversions both ways).

use async_graphql::Enum;

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "ProjectStatus", remote = "jixiao_domain::Status")]
pub enum ProjectStatus {
    /// 草稿: private to its department.
    Draft,
    /// 已提交: waiting for review.
    Submitted,
    /// 已审核通过: frozen; its declaration is the one in force.
    Approved,
    /// 已退回: to be edited and submitted again.
    Rejected,
    /// 调整中: an approved project being adjusted; the approved declaration stays in force.
    Adjusting,
    /// 调整待审核: an adjustment waiting for the approvers.
    AdjustmentSubmitted,
    /// 不予通过: sent back graded 差 (POOR); final, it can only be copied into a new draft.
    NotApproved,
    /// 部门审核中: submitted in a department that reviews first; waiting for its department
    /// reviewer to pass it on to the bureau (SUBMITTED) or send it back (REJECTED).
    DepartmentReview,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "ProjectCategory", remote = "jixiao_domain::Category")]
pub enum ProjectCategory {
    /// 经常性项目
    Recurring,
    /// 一次性项目
    OneOff,
    /// 阶段性项目 (multi-year)
    Phased,
}

/// 指标体系: which catalog of levels a project's indicators follow.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "IndicatorFramework", remote = "jixiao_domain::Framework")]
pub enum IndicatorFramework {
    /// 上海 2023 年表式: 成本指标 under 产出指标, 可持续影响指标 under 效益指标 (the seed's).
    #[graphql(name = "SHANGHAI_2023")]
    Shanghai2023,
    /// 财预〔2021〕101号: 成本指标 as a level 1 of its own, and required.
    #[graphql(name = "CENTRAL_2021")]
    Central2021,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "IndicatorLevel1", remote = "jixiao_domain::Level1")]
pub enum IndicatorLevel1 {
    Output,
    Cost,
    Benefit,
    Satisfaction,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "IndicatorLevel2", remote = "jixiao_domain::Level2")]
pub enum IndicatorLevel2 {
    Quantity,
    Quality,
    Timeliness,
    Cost,
    EconomicCost,
    SocialCost,
    EcologicalCost,
    EconomicBenefit,
    SocialBenefit,
    EcologicalBenefit,
    SustainableImpact,
    ServiceSatisfaction,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "Role", remote = "jixiao_domain::Role")]
pub enum Role {
    Submitter,
    Approver,
    Admin,
    /// 部门审核人: reviews one department's declarations before they reach the bureau.
    DepartmentReviewer,
    /// 安全审计员: reads the audit trail (`auditLog`) and nothing else.
    SecurityAuditor,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "ReviewAction", remote = "jixiao_domain::ReviewAction")]
pub enum ReviewAction {
    Submit,
    Withdraw,
    Approve,
    Reject,
    /// 申请调整 (with the reason)
    StartAdjustment,
    /// 撤销调整: back to the declaration in force
    CancelAdjustment,
    /// 部门审核通过: passed on by the department's reviewer to the bureau
    Forward,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "TargetKind", remote = "jixiao_domain::TargetKind")]
pub enum TargetKind {
    Quantitative,
    Qualitative,
    /// Kept as typed in a draft; a TARGET_INVALID finding says why it does not read.
    Invalid,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "Comparator", remote = "jixiao_domain::Comparator")]
pub enum Comparator {
    /// `=`
    Eq,
    /// `>=`, `≥`
    Ge,
    /// `<=`, `≤`
    Le,
    /// `>`
    Gt,
    /// `<`
    Lt,
    /// between `value` and `upperValue`, both included
    Range,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "UserErrorCode", remote = "jixiao_domain::ProblemCode")]
pub enum UserErrorCode {
    InvalidInput,
    FundsMismatch,
    InvalidTarget,
    Incomplete,
    VersionConflict,
    InvalidTransition,
    AlreadyExists,
    /// Of several things acted on at once (`approveProjects`), this one does not exist or you
    /// may not see it.
    NotFound,
    /// Of several things acted on at once, this one you may not act on.
    Forbidden,
}

/// 完成可能性: how likely a target in force is to be met by the end of the year.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "Likelihood", remote = "jixiao_domain::monitoring::Likelihood")]
pub enum Likelihood {
    /// 确定能完成
    Certain,
    /// 有可能完成
    Possible,
    /// 完全不可能完成
    Impossible,
}

/// 偏差原因
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "DeviationReason", remote = "jixiao_domain::monitoring::DeviationReason")]
pub enum DeviationReason {
    /// 经费保障
    Funding,
    /// 制度保障
    Policy,
    /// 人员保障
    Staffing,
    /// 硬件条件保障
    Facilities,
    /// 其他
    Other,
}

/// 红黄绿灯
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "Light", remote = "jixiao_domain::monitoring::Light")]
pub enum Light {
    Green,
    Yellow,
    Red,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "MonitoringReportStatus", remote = "jixiao_domain::monitoring::ReportStatus")]
pub enum MonitoringReportStatus {
    /// 填报中: the unit's to fill.
    Draft,
    /// 已提交: waiting for the approvers.
    Submitted,
    /// 已接收
    Accepted,
    /// 已退回: to be corrected and submitted again.
    Returned,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "MonitoringAction", remote = "jixiao_domain::monitoring::ReportAction")]
pub enum MonitoringAction {
    Submit,
    Accept,
    Return,
}

/// 等级 (优良中差): a self-evaluation's, or the one a reviewer gives with a decision.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "Grade", remote = "jixiao_domain::evaluation::Grade")]
pub enum Grade {
    /// 优: 90 and above
    Excellent,
    /// 良: 80 and above
    Good,
    /// 中: 60 and above
    Fair,
    /// 差: below 60
    Poor,
}

/// 定性指标的达成情况
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "Achievement", remote = "jixiao_domain::evaluation::Achievement")]
pub enum Achievement {
    /// 达成年度指标: a score in [0.8w, w]
    Achieved,
    /// 部分达成年度指标并具有一定效果: [0.6w, 0.8w)
    Partial,
    /// 未达成年度指标且效果较差: [0, 0.6w)
    NotAchieved,
}

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
}

impl ProjectEventAction {
    pub fn label(self) -> &'static str {
        match self {
            ProjectEventAction::Create => "新建",
            ProjectEventAction::Edit => "修改",
            ProjectEventAction::Delete => "删除",
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
        }
    }
}
