//! Screens that follow department-wide goals: every step of a department's overall goals, of
//! their monitoring report in a round and of their self-evaluation is announced on
//! `jixiao_events`, as migration 18 announces a project's and a report's, ids only
//! (`goals_review:<id>`, `goals_report_review:<id>`, `goals_evaluation_review:<id>`), on commit
//! only, whoever took the step. One function serves the three tables: each trigger names its kind.
//! SQLite has no notifications; there the service follows the step tables (store `events`).

use crate::columns::on_postgres;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each step table and the kind its notices say.
const STEPS: [(&str, &str); 3] = [
    ("department_goal_reviews", "goals_review"),
    ("department_goal_report_reviews", "goals_report_review"),
    ("department_goal_evaluation_reviews", "goals_evaluation_review"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut sql = String::from(
            "CREATE OR REPLACE FUNCTION jixiao_step_noticed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 PERFORM pg_notify('jixiao_events', TG_ARGV[0] || ':' || NEW.id);
                 RETURN NULL;
             END $$;",
        );
        for (table, kind) in STEPS {
            sql.push_str(&format!(
                "CREATE TRIGGER {table}_noticed AFTER INSERT ON {table}
                     FOR EACH ROW EXECUTE FUNCTION jixiao_step_noticed('{kind}');"
            ));
        }
        on_postgres(m, &sql).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut sql = String::new();
        for (table, _) in STEPS {
            sql.push_str(&format!("DROP TRIGGER IF EXISTS {table}_noticed ON {table};"));
        }
        sql.push_str("DROP FUNCTION IF EXISTS jixiao_step_noticed();");
        on_postgres(m, &sql).await
    }
}
