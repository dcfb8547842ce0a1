//! The root of every mutation: each feature's mutations merged into one type.

// The parts, by feature folder: the declaration's (`declaration/mutations.rs`, row by row in
// `declaration/row_mutations.rs`, bulk decisions, remarks and imports beside them), the
// organization's (`organization/mutations.rs`), monitoring's (`monitoring/mutations.rs`) and
// self-evaluation's (`evaluation/mutations.rs`). The doc comment below is the schema's description of
// `Mutation`, kept as published (schema.graphql is a contract): its file names are those of
// when it was written.
/// Every mutation: the declaration's (here), its row-by-row edits (`row_mutation.rs`), the
/// organization's (`admin_mutation.rs`), monitoring's (`monitoring_mutation.rs`) and
/// self-evaluation's (`evaluation_mutation.rs`), bulk decisions (`bulk_mutation.rs`) and review
/// remarks (`remark_mutation.rs`).
#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(
    crate::graphql::declaration::mutations::DeclarationMutation,
    crate::graphql::declaration::row_mutations::RowMutation,
    crate::graphql::organization::mutations::AdminMutation,
    crate::graphql::monitoring::mutations::MonitoringMutation,
    crate::graphql::evaluation::mutations::EvaluationMutation,
    crate::graphql::declaration::import_mutations::ImportMutation,
    crate::graphql::declaration::bulk_mutations::BulkMutation,
    crate::graphql::declaration::remark_mutations::RemarkMutation,
    crate::graphql::publication::mutations::PublicationMutation,
    crate::graphql::results::mutations::ResultsMutation,
    crate::graphql::todo::mutations::TodoMutation,
    crate::graphql::library::mutations::LibraryMutation,
    crate::graphql::department_goals::mutations::DepartmentGoalsMutation,
    crate::graphql::department_goals::report_mutations::DepartmentGoalsReportMutation,
);
