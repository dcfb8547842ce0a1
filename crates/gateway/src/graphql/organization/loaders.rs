//! The organization's batched look-ups: departments, units, users and approvers' departments,
//! each through the caller's scope (users by the users rule).

use jixiao_store::{BudgetUnit, Department, User};

use crate::graphql::loaders::loader;

loader!(DepartmentKey: one Department = |scope, ids| scope.departments_by_ids(&ids));

loader!(UnitKey: one BudgetUnit = |scope, ids| scope.units_by_ids(&ids));

loader!(UnitsOfDepartment: list BudgetUnit = |scope, ids| scope.units_of_departments(&ids));

loader!(UserKey: one User = |scope, ids| scope.users_by_ids(&ids));

loader!(AssignedDepartmentsOf: list i64 = |scope, ids| scope.assigned_departments(&ids));
