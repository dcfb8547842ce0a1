//! SeaORM entities: one file a table, mirroring the migrations. Rows only; the meaning of the
//! columns (money in fen, status codes, target texts) is turned into domain types in `mapping`.

/// The history table of a form that lives the reviewed life: the same columns for each (`$form`
/// the form's id), and whatever more a form records with a step (a project's grade), left
/// unset by `of_step`.
macro_rules! form_history {
    ($table:tt, $form:ident $(, $(#[$extra_meta:meta])* $extra:ident: $extra_type:ty)* $(,)?) => {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
        #[sea_orm(table_name = $table)]
        pub struct Model {
            #[sea_orm(primary_key)]
            pub id: i64,
            pub $form: i64,
            pub action: String,
            pub from_status: String,
            pub to_status: String,
            pub actor_id: i64,
            pub comment: String,
            pub at: DateTimeUtc,
            $($(#[$extra_meta])* pub $extra: $extra_type,)*
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}

        impl crate::lifecycle::StepRow for Model {
            fn id(&self) -> i64 {
                self.id
            }
            fn form_id(&self) -> i64 {
                self.$form
            }
            fn action(&self) -> &str {
                &self.action
            }
            fn from_status(&self) -> &str {
                &self.from_status
            }
            fn to_status(&self) -> &str {
                &self.to_status
            }
            fn actor_id(&self) -> i64 {
                self.actor_id
            }
            fn comment(&self) -> &str {
                &self.comment
            }
            fn at(&self) -> DateTimeUtc {
                self.at
            }
        }

        impl ActiveModel {
            /// The row of one step (what more the form records, unset).
            pub(crate) fn of_step<F: crate::lifecycle::ReviewedForm>(
                step: &crate::lifecycle::Step<'_, F>,
            ) -> ActiveModel {
                use jixiao_domain::{FormAction, FormStatus};
                use sea_orm::ActiveValue::{NotSet, Set};
                ActiveModel {
                    id: NotSet,
                    $form: Set(step.form_id),
                    action: Set(step.action.code().to_string()),
                    from_status: Set(step.from.code().to_string()),
                    to_status: Set(step.to.code().to_string()),
                    actor_id: Set(step.actor_id),
                    comment: Set(step.comment.to_string()),
                    at: Set(step.at),
                    $($extra: NotSet,)*
                }
            }
        }
    };
}

pub mod approval_issue;
pub mod approver_assignment;
pub mod audit_record;
pub mod budget_decision;
pub mod budget_unit;
pub mod deadline;
pub mod deadline_change;
pub mod department;
pub mod department_goal;
pub mod department_goal_evaluation;
pub mod department_goal_evaluation_review;
pub mod department_goal_report;
pub mod department_goal_report_review;
pub mod department_goal_review;
pub mod finance_evaluation;
pub mod fund_item;
pub mod indicator;
pub mod library_entry;
pub mod library_entry_version;
pub mod login_throttle;
pub mod monitoring_report;
pub mod monitoring_report_review;
pub mod monitoring_round;
pub mod project;
pub mod project_finding;
pub mod project_snapshot;
pub mod publication;
pub mod rectification_item;
pub mod rectification_item_step;
pub mod result_rule;
pub mod review;
pub mod review_remark;
pub mod self_evaluation;
pub mod self_evaluation_review;
pub mod submission_snapshot;
pub mod trusted_document;
pub mod user;
