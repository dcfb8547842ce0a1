//! The organization's batched look-ups: departments, units, users and approvers' departments,
//! each through the caller's scope (users by the users rule).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use jixiao_store::{BudgetUnit, Department, User};

use crate::error::ApiError;
use crate::graphql::loaders::{Batch, every_key, ids, key, rekey};

key!(DepartmentKey);
key!(UnitKey);
key!(UnitsOfDepartment);
key!(UserKey);
key!(AssignedDepartmentsOf);

impl Loader<DepartmentKey> for Batch {
    type Value = Department;
    type Error = ApiError;
    async fn load(&self, keys: &[DepartmentKey]) -> Result<HashMap<DepartmentKey, Department>, ApiError> {
        Ok(rekey(self.scope.departments_by_ids(&ids(keys, |k| k.0)).await?, DepartmentKey))
    }
}

impl Loader<UnitKey> for Batch {
    type Value = BudgetUnit;
    type Error = ApiError;
    async fn load(&self, keys: &[UnitKey]) -> Result<HashMap<UnitKey, BudgetUnit>, ApiError> {
        Ok(rekey(self.scope.units_by_ids(&ids(keys, |k| k.0)).await?, UnitKey))
    }
}

impl Loader<UnitsOfDepartment> for Batch {
    type Value = Vec<BudgetUnit>;
    type Error = ApiError;
    async fn load(&self, keys: &[UnitsOfDepartment]) -> Result<HashMap<UnitsOfDepartment, Vec<BudgetUnit>>, ApiError> {
        Ok(every_key(keys, rekey(self.scope.units_of_departments(&ids(keys, |k| k.0)).await?, UnitsOfDepartment)))
    }
}

impl Loader<UserKey> for Batch {
    type Value = User;
    type Error = ApiError;
    async fn load(&self, keys: &[UserKey]) -> Result<HashMap<UserKey, User>, ApiError> {
        Ok(rekey(self.scope.users_by_ids(&ids(keys, |k| k.0)).await?, UserKey))
    }
}

impl Loader<AssignedDepartmentsOf> for Batch {
    type Value = Vec<i64>;
    type Error = ApiError;
    async fn load(&self, keys: &[AssignedDepartmentsOf]) -> Result<HashMap<AssignedDepartmentsOf, Vec<i64>>, ApiError> {
        Ok(every_key(keys, rekey(self.scope.assigned_departments(&ids(keys, |k| k.0)).await?, AssignedDepartmentsOf)))
    }
}
