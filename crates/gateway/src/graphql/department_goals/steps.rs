//! A department-wide form's history: one object per step, with a project's statuses and steps.

use crate::graphql::types::form_step::form_step_object;

form_step_object!(
    /// One step of a department-wide form's history.
    DepartmentGoalsReview,
    jixiao_domain::Status,
    jixiao_domain::ReviewAction,
    jixiao_domain::Status,
    jixiao_domain::ReviewAction,
    /// The reason (to send back, to adjust) or the reviewer's comment.
);
