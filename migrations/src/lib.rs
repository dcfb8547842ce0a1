//! The schema of Jixiao as migration steps. The same steps build PostgreSQL (production, tests)
//! and the embedded SQLite default; SeaQuery writes each backend's dialect.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261126_000001_create_schema;
mod m20261126_000002_login_failures;
mod m20261127_000003_project_findings;
mod m20261127_000004_hardening;
mod m20261127_000005_previous_project;
mod m20261128_000006_drafts_in_progress;
mod m20261129_000007_indicator_framework;
mod m20261130_000008_targets_in_force;
mod m20261130_000009_monitoring;
mod m20261130_000010_self_evaluations;
mod m20261201_000011_user_changes;
mod m20261201_000012_summary_index;
mod m20261202_000013_project_totals;
mod m20261202_000014_approver_assignments;
mod m20261203_000015_review_grades;
mod m20261203_000016_department_review;
mod m20261203_000017_review_remarks;
mod m20261204_000018_event_notices;
mod m20261205_000019_striped_totals;
mod m20261206_000020_declaration_notices;
mod m20261206_000021_audit_log;
mod m20261206_000022_round_budget_rule;
mod m20261206_000023_project_notices_say_when;
mod m20261206_000024_approved_amounts_and_publication;
mod m20261206_000025_results_applied;
mod m20261207_000026_trusted_documents;
mod m20261207_000027_rectification_history;
mod m20261207_000028_deadlines;
mod m20261207_000029_indicator_library;
pub mod m20261207_000030_change_notices;
mod m20261207_000031_department_goals;
mod m20261208_000032_department_goal_reports;
mod m20261208_000033_department_goal_events;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_create_schema::Migration),
            Box::new(m20261126_000002_login_failures::Migration),
            Box::new(m20261127_000003_project_findings::Migration),
            Box::new(m20261127_000004_hardening::Migration),
            Box::new(m20261127_000005_previous_project::Migration),
            Box::new(m20261128_000006_drafts_in_progress::Migration),
            Box::new(m20261129_000007_indicator_framework::Migration),
            Box::new(m20261130_000008_targets_in_force::Migration),
            Box::new(m20261130_000009_monitoring::Migration),
            Box::new(m20261130_000010_self_evaluations::Migration),
            Box::new(m20261201_000011_user_changes::Migration),
            Box::new(m20261201_000012_summary_index::Migration),
            Box::new(m20261202_000013_project_totals::Migration),
            Box::new(m20261202_000014_approver_assignments::Migration),
            Box::new(m20261203_000015_review_grades::Migration),
            Box::new(m20261203_000016_department_review::Migration),
            Box::new(m20261203_000017_review_remarks::Migration),
            Box::new(m20261204_000018_event_notices::Migration),
            Box::new(m20261205_000019_striped_totals::Migration),
            Box::new(m20261206_000020_declaration_notices::Migration),
            Box::new(m20261206_000021_audit_log::Migration),
            Box::new(m20261206_000022_round_budget_rule::Migration),
            Box::new(m20261206_000023_project_notices_say_when::Migration),
            Box::new(m20261206_000024_approved_amounts_and_publication::Migration),
            Box::new(m20261206_000025_results_applied::Migration),
            Box::new(m20261207_000026_trusted_documents::Migration),
            Box::new(m20261207_000027_rectification_history::Migration),
            Box::new(m20261207_000028_deadlines::Migration),
            Box::new(m20261207_000029_indicator_library::Migration),
            Box::new(m20261207_000030_change_notices::Migration),
            Box::new(m20261207_000031_department_goals::Migration),
            Box::new(m20261208_000032_department_goal_reports::Migration),
            Box::new(m20261208_000033_department_goal_events::Migration),
        ]
    }
}
