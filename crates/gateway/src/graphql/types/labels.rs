//! `labels`: the Chinese label (and an English one) of every value of every enum of the API, so
//! that a front end shows 草稿 for `DRAFT` without a translation table of its own. Each list is
//! built from the GraphQL enum's own values, so a value added to an enum cannot go unlabelled.

use async_graphql::SimpleObject;
use async_graphql::resolver_utils::EnumType;

use crate::graphql::declaration::findings::FindingSeverity;
use crate::graphql::declaration::project_list::{OrderDirection, ProjectOrderBy};
use crate::graphql::types::enums::{
    Achievement, BudgetComparison, Comparator, DeviationReason, Grade, IndicatorFramework, IndicatorLevel1,
    IndicatorLevel2, Light, Likelihood, MonitoringAction, MonitoringReportStatus, ProjectCategory, ProjectEventAction,
    ProjectStatus, ReviewAction, Role, TargetKind, TimeBasis, UserErrorCode,
};

/// One enum's values with their labels.
#[derive(SimpleObject)]
pub struct EnumLabels {
    /// The enum's name in the schema, e.g. `ProjectStatus`.
    pub r#enum: &'static str,
    pub values: Vec<EnumValueLabel>,
}

#[derive(SimpleObject)]
pub struct EnumValueLabel {
    /// The value as the API sends it, e.g. `DRAFT`.
    pub value: &'static str,
    /// 中文, e.g. 草稿.
    pub label: &'static str,
    /// English, e.g. `Draft`.
    pub english: String,
}

/// `SUBMITTED_AT` → `Submitted at`.
fn english(value: &str) -> String {
    let words = value.to_lowercase().replace('_', " ");
    let mut chars = words.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn of<E: EnumType>(name: &'static str, label: impl Fn(E) -> &'static str) -> EnumLabels {
    let values = E::items()
        .iter()
        .map(|item| EnumValueLabel { value: item.name, label: label(item.value), english: english(item.name) })
        .collect();
    EnumLabels { r#enum: name, values }
}

pub fn labels() -> Vec<EnumLabels> {
    use jixiao_domain as d;
    vec![
        of("ProjectStatus", |v: ProjectStatus| d::Status::from(v).label()),
        of("ProjectCategory", |v: ProjectCategory| d::Category::from(v).label()),
        of("ReviewAction", |v: ReviewAction| d::ReviewAction::from(v).label()),
        of("Role", |v: Role| d::Role::from(v).label()),
        of("IndicatorFramework", |v: IndicatorFramework| d::Framework::from(v).label()),
        of("IndicatorLevel1", |v: IndicatorLevel1| d::Level1::from(v).label()),
        of("IndicatorLevel2", |v: IndicatorLevel2| d::Level2::from(v).label()),
        of("Comparator", |v: Comparator| d::Comparator::from(v).label()),
        of("TargetKind", |v: TargetKind| d::TargetKind::from(v).label()),
        of("FindingSeverity", |v: FindingSeverity| d::Severity::from(v).label()),
        of("Likelihood", |v: Likelihood| d::monitoring::Likelihood::from(v).label()),
        of("DeviationReason", |v: DeviationReason| d::monitoring::DeviationReason::from(v).label()),
        of("Light", |v: Light| d::monitoring::Light::from(v).label()),
        of("BudgetComparison", |v: BudgetComparison| v.label()),
        of("TimeBasis", |v: TimeBasis| v.label()),
        of("MonitoringReportStatus", |v: MonitoringReportStatus| d::monitoring::ReportStatus::from(v).label()),
        of("MonitoringAction", |v: MonitoringAction| d::monitoring::ReportAction::from(v).label()),
        of("Grade", |v: Grade| d::evaluation::Grade::from(v).label()),
        of("ProjectEventAction", |v: ProjectEventAction| v.label()),
        of("Achievement", |v: Achievement| d::evaluation::Achievement::from(v).label()),
        of("TodoKind", |v: d::todo::TodoKind| v.label()),
        of("DeadlineStage", |v: d::todo::DeadlineStage| v.label()),
        of("TodoEventAction", |v: d::todo::TodoEventAction| v.label()),
        of("DepartmentGoalsStage", |v: d::department_goals::DepartmentGoalsStage| v.label()),
        of("LibraryScope", |v: d::library::LibraryScope| v.label()),
        of("IndicatorDirection", |v: d::library::IndicatorDirection| v.label()),
        of("ValueBasis", |v: d::library::ValueBasis| v.label()),
        of("LibraryEntryStatus", |v: d::library::LibraryEntryStatus| v.label()),
        of("LibraryChange", |v: d::library::LibraryChange| v.label()),
        of("UserErrorCode", |v: UserErrorCode| d::ProblemCode::from(v).label()),
        of("ProjectOrderBy", |v: ProjectOrderBy| match v {
            ProjectOrderBy::Created => "创建时间",
            ProjectOrderBy::Name => "项目名称",
            ProjectOrderBy::TotalFunds => "项目资金总额",
            ProjectOrderBy::PlannedStart => "计划开始日期",
            ProjectOrderBy::UpdatedAt => "更新时间",
            ProjectOrderBy::SubmittedAt => "提交时间",
        }),
        of("OrderDirection", |v: OrderDirection| match v {
            OrderDirection::Asc => "升序",
            OrderDirection::Desc => "降序",
        }),
        // 结果应用 and 整改.
        of("BudgetAction", |v: d::results::BudgetAction| v.label()),
        of("SuggestedAction", |v: d::results::SuggestedAction| v.label()),
        of("ResultSource", |v: d::results::ResultSource| v.label()),
        of("RectificationStatus", |v: d::results::RectificationStatus| v.label()),
        of("RectificationAction", |v: d::rectification::RectificationAction| v.label()),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn english_labels_read_as_words() {
        assert_eq!(super::english("SUBMITTED_AT"), "Submitted at");
        assert_eq!(super::english("DRAFT"), "Draft");
    }
}
