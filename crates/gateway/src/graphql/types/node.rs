use async_graphql::{ID, Interface};

use crate::graphql::declaration::parts::{FundItem, Indicator};
use crate::graphql::declaration::project::Project;
use crate::graphql::declaration::review_remark::ReviewRemark;
use crate::graphql::evaluation::node::SelfEvaluation;
use crate::graphql::monitoring::report::MonitoringReport;
use crate::graphql::monitoring::types::MonitoringRound;
use crate::graphql::results::nodes::RectificationItem;
use crate::graphql::types::nodes::User;
use crate::graphql::types::nodes::{BudgetUnit, Department};

/// Anything with a global ID; `node(id:)` resolves it (every ID the API hands out).
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    Department(Department),
    BudgetUnit(BudgetUnit),
    Project(Project),
    User(User),
    Indicator(Indicator),
    FundItem(FundItem),
    ReviewRemark(ReviewRemark),
    MonitoringRound(MonitoringRound),
    MonitoringReport(MonitoringReport),
    SelfEvaluation(SelfEvaluation),
    RectificationItem(RectificationItem),
    LibraryEntry(crate::graphql::library::types::LibraryEntry),
    DepartmentGoals(crate::graphql::department_goals::types::DepartmentGoals),
    DepartmentGoalsReport(crate::graphql::department_goals::monitored::DepartmentGoalsReport),
    DepartmentGoalsEvaluation(crate::graphql::department_goals::evaluated::DepartmentGoalsEvaluation),
}
