//! The monitoring report as a type of its own, so that a project can list its reports while the
//! report's fields (in `types.rs`) lead back to the project without a circle of imports.

use jixiao_store::monitoring::ReportRecord;

/// 监控表 (its fields: `types.rs`).
pub struct MonitoringReport(pub ReportRecord);
