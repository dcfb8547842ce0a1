use async_graphql::{ID, Interface};

use super::nodes::User;
use super::nodes::{BudgetUnit, Department};
use super::project::Project;

/// Anything with a global ID; `node(id:)` resolves it.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    Department(Department),
    BudgetUnit(BudgetUnit),
    Project(Project),
    User(User),
}
