//! Rows picked from the library on their way to the store: every path that takes indicator rows
//! (`createProject`, `updateProject`, `addIndicator`, `checkDeclaration`) fills them here.

use jixiao_domain::{IndicatorInput, Problem};
use jixiao_store::{Scope, StoreError};

use crate::error::ApiError;

/// Fills the rows of `rows` picked from the library (`Library::fill_picked`) and answers every
/// problem of them: `problems` (what reading them found) and the entries that cannot be picked.
pub async fn fill_picked(
    scope: &Scope,
    rows: &mut [IndicatorInput],
    mut problems: Vec<Problem>,
    at: impl Fn(usize) -> String,
) -> Result<Vec<Problem>, ApiError> {
    match scope.library().fill_picked(rows, at).await {
        Ok(()) => {}
        Err(StoreError::Rejected(refused)) => problems.extend(refused),
        Err(other) => return Err(other.into()),
    }
    Ok(problems)
}
