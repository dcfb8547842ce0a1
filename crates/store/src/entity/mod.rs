//! SeaORM entities: one file a table, mirroring the migrations. Rows only; the meaning of the
//! columns (money in fen, status codes, target texts) is turned into domain types in `mapping`.

pub mod approver_assignment;
pub mod audit_record;
pub mod budget_unit;
pub mod department;
pub mod fund_item;
pub mod indicator;
pub mod login_throttle;
pub mod monitoring_report;
pub mod monitoring_report_review;
pub mod monitoring_round;
pub mod project;
pub mod project_finding;
pub mod project_snapshot;
pub mod review;
pub mod review_remark;
pub mod self_evaluation;
pub mod self_evaluation_review;
pub mod submission_snapshot;
pub mod user;
