//! A monitoring report as an instance of the reviewed-form lifecycle, and the instance every form
//! that lives by a report's rules is made from (the self-evaluation is one).

use jixiao_domain::monitoring::{ReportAction, ReportStatus};

use crate::lifecycle::{ReviewedForm, StepRules};

/// A form that lives by a report's rules (`ReportStatus`, `ReportAction`, `Actor::decide_report`:
/// the unit fills and submits, approvers accept or return), kept in `$table` with its history in
/// `$history` (a `form_history!` table whose form column is `$step_form`), its record `$record`.
macro_rules! report_rules_form {
    ($(#[$m:meta])* $form:ident, $table:ident, $history:ident, $step_form:ident, $record:ty, $noun:expr) => {
        $(#[$m])*
        pub(crate) struct $form;

        impl crate::lifecycle::ReviewedForm for $form {
            type Entity = crate::entity::$table::Entity;
            type History = crate::entity::$history::Entity;
            type Status = jixiao_domain::monitoring::ReportStatus;
            type Action = jixiao_domain::monitoring::ReportAction;
            type Record = $record;
            type StepExtra = ();

            const NOUN: (&'static str, &'static str) = $noun;
            const ID: crate::entity::$table::Column = crate::entity::$table::Column::Id;
            const STATUS: crate::entity::$table::Column = crate::entity::$table::Column::Status;
            const VERSION: crate::entity::$table::Column = crate::entity::$table::Column::Version;
            const DEPARTMENT: crate::entity::$table::Column = crate::entity::$table::Column::DepartmentId;
            const UPDATED_AT: crate::entity::$table::Column = crate::entity::$table::Column::UpdatedAt;
            const SUBMITTED_AT: crate::entity::$table::Column = crate::entity::$table::Column::SubmittedAt;
            const STEP_ID: crate::entity::$history::Column = crate::entity::$history::Column::Id;
            const STEP_FORM: crate::entity::$history::Column = crate::entity::$history::Column::$step_form;

            fn decide(
                actor: &jixiao_domain::Actor,
                action: Self::Action,
                department_id: i64,
                status: Self::Status,
            ) -> jixiao_domain::Decision {
                actor.decide_report(action.into(), department_id, status)
            }

            fn step_row(
                step: &crate::lifecycle::Step<'_, Self>,
                (): (),
            ) -> crate::entity::$history::ActiveModel {
                crate::entity::$history::ActiveModel::of_step(step)
            }
        }

        impl crate::lifecycle::FormRecord for $record {
            type Status = jixiao_domain::monitoring::ReportStatus;
            fn id(&self) -> i64 {
                self.id
            }
            fn department_id(&self) -> i64 {
                self.department_id
            }
            fn status(&self) -> Self::Status {
                self.status
            }
            fn version(&self) -> i32 {
                self.version
            }
        }
    };
}

pub(crate) use report_rules_form;

report_rules_form!(
    /// Monitoring reports.
    ReportForm,
    monitoring_report,
    monitoring_report_review,
    ReportId,
    super::records::ReportRecord,
    ("监控表", "report")
);

/// The steps of a form that lives by a report's rules.
pub(crate) fn report_steps<F: ReviewedForm<Status = ReportStatus, Action = ReportAction>>() -> StepRules<F> {
    StepRules {
        after: ReportStatus::after,
        check_comment: |action, comment| jixiao_domain::monitoring::check_step_comment(action, comment, F::NOUN),
        past_tense: |action| match action {
            ReportAction::Submit => "submitted",
            ReportAction::Accept => "accepted",
            ReportAction::Return => "returned",
        },
        label: ReportAction::label,
    }
}
