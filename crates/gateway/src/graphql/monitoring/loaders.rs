//! Monitoring's batched look-ups: rounds, each report's history, each project's reports.

use jixiao_store::monitoring::{ReportRecord, ReportReviewRecord, RoundRecord};

use crate::graphql::loaders::loader;

loader!(RoundKey: one RoundRecord = |scope, ids| scope.monitoring().rounds_by_ids(&ids));

loader!(ReportReviewsOf: list ReportReviewRecord = |scope, ids| scope.monitoring().reviews_of(&ids));

loader!(ReportsOfProject: list ReportRecord = |scope, ids| scope.monitoring().reports_of_projects(&ids));
