//! The objects of the graph that point at each other (a project names its department, a
//! department lists its projects, a review names its actor, a user their department). GraphQL's
//! graph is cyclic by nature; the files are not: the wrappers are declared here, in a file that
//! imports none of its siblings, and each type's resolvers live in its own file
//! (`organization.rs`, `user.rs`), which names the others through here.

/// 主管部门 (resolvers in `organization.rs`).
pub struct Department(pub jixiao_store::Department);

/// 预算单位 / 实施单位 (resolvers in `organization.rs`).
pub struct BudgetUnit(pub jixiao_store::BudgetUnit);

/// 用户 (resolvers in `user.rs`).
pub struct User(pub jixiao_store::User);
