//! The department-wide form's batched look-ups: each form's reports and self-evaluation, and
//! the histories of all three, one statement for every form of a response.

use jixiao_store::department_goals::{DepartmentGoalsStep, GoalsEvaluationRecord, GoalsReportRecord, GoalsReportStep};

use crate::graphql::loaders::loader;

loader!(GoalReportsOf: list GoalsReportRecord = |scope, ids| scope.department_goals().reports_of(&ids));

loader!(GoalEvaluationOf: one GoalsEvaluationRecord = |scope, ids| scope.department_goals().evaluations_of(&ids));

loader!(GoalReportStepsOf: list GoalsReportStep = |scope, ids| scope.department_goals().report_histories(&ids));

loader!(GoalEvaluationStepsOf: list GoalsReportStep = |scope, ids| scope.department_goals().evaluation_histories(&ids));

loader!(GoalStepsOf: list DepartmentGoalsStep = |scope, ids| scope.department_goals().histories(&ids));
