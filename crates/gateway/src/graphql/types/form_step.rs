//! One step of the history of a form that lives by a report's rules (a monitoring report, a
//! self-evaluation): the same fields for each, one GraphQL type per form, made here once.

/// `$name`: the GraphQL object of a step of one such form; `$(#[$comment])*` documents its
/// `comment` field.
macro_rules! report_step_object {
    ($(#[$doc:meta])* $name:ident, $(#[$comment:meta])*) => {
        pub struct $name(pub jixiao_store::lifecycle::StepRecord<
            jixiao_domain::monitoring::ReportStatus,
            jixiao_domain::monitoring::ReportAction,
        >);

        $(#[$doc])*
        #[async_graphql::Object]
        impl $name {
            async fn action(&self) -> $crate::graphql::types::enums::MonitoringAction {
                self.0.action.into()
            }
            async fn from_status(&self) -> $crate::graphql::types::enums::MonitoringReportStatus {
                self.0.from_status.into()
            }
            async fn to_status(&self) -> $crate::graphql::types::enums::MonitoringReportStatus {
                self.0.to_status.into()
            }
            $(#[$comment])*
            async fn comment(&self) -> &str {
                &self.0.comment
            }
            /// Who acted, when you may see them.
            async fn actor(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::Result<Option<$crate::graphql::types::nodes::User>> {
                let found = $crate::graphql::access::access(ctx)?
                    .loader()
                    .load_one($crate::graphql::organization::loaders::UserKey(self.0.actor_id))
                    .await?;
                Ok(found.map($crate::graphql::types::nodes::User))
            }
            async fn at(&self) -> $crate::graphql::scalars::DateTime {
                $crate::graphql::scalars::DateTime(self.0.at)
            }
        }
    };
}

report_step_object!(
    /// One step of a report's history.
    MonitoringReview,
    /// The approver's comment, or the reason a report was returned.
);

report_step_object!(
    /// One step of a self-evaluation's history.
    EvaluationReview,
);
