use async_graphql::{ID, Interface};

use super::declaration::{FundItem, Indicator};
use super::nodes::User;
use super::nodes::{BudgetUnit, Department};
use super::project::Project;
use super::review_remark::ReviewRemark;
use crate::graphql::evaluation::node::SelfEvaluation;
use crate::graphql::monitoring::report::MonitoringReport;
use crate::graphql::monitoring::types::MonitoringRound;

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
}
