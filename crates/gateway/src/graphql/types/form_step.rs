//! One step of the history of a reviewed form (a monitoring report, a self-evaluation, a
//! department's overall goals): the same fields for each, one GraphQL type per form, made here once.

/// `$name`: the GraphQL object of a step of one such form, whose history holds `$status` and
/// `$action` and shows them as `$shown_status` and `$shown_action`; `$(#[$comment])*` documents
/// its `comment` field.
macro_rules! form_step_object {
    ($(#[$doc:meta])* $name:ident, $status:ty, $action:ty, $shown_status:ty, $shown_action:ty, $(#[$comment:meta])*) => {
        pub struct $name(pub jixiao_store::lifecycle::StepRecord<$status, $action>);

        $(#[$doc])*
        #[async_graphql::Object]
        impl $name {
            async fn action(&self) -> $shown_action {
                self.0.action.into()
            }
            async fn from_status(&self) -> $shown_status {
                self.0.from_status.into()
            }
            async fn to_status(&self) -> $shown_status {
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

pub(crate) use form_step_object;

/// A step of a form that lives by a report's rules.
macro_rules! report_step_object {
    ($(#[$doc:meta])* $name:ident, $(#[$comment:meta])*) => {
        form_step_object!(
            $(#[$doc])* $name,
            jixiao_domain::monitoring::ReportStatus,
            jixiao_domain::monitoring::ReportAction,
            $crate::graphql::types::enums::MonitoringReportStatus,
            $crate::graphql::types::enums::MonitoringAction,
            $(#[$comment])*
        );
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
