//! Forms checked as the user types compare their indicators with those of the department's other
//! projects of the year; each instance keeps those between checks (store
//! `indicator_names_cache.rs`) and must forget them the moment anything they were read from
//! changes, whoever changes it (this service, another instance, the command line, an operator
//! in psql). Every statement that writes `projects`, `indicators` or `budget_units` therefore
//! announces itself on `jixiao_declarations`, once per statement (PostgreSQL folds identical
//! notices of one transaction into one), on commit only. SQLite has no notifications; there
//! nothing is kept and this step does nothing.

use crate::columns::on_postgres;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose writes are announced, and each one's trigger.
const NOTICED: [(&str, &str); 3] = [
    ("projects", "projects_declarations_noticed"),
    ("indicators", "indicators_declarations_noticed"),
    ("budget_units", "budget_units_declarations_noticed"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut sql = String::from(
            "CREATE OR REPLACE FUNCTION jixiao_declarations_noticed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 PERFORM pg_notify('jixiao_declarations', TG_TABLE_NAME);
                 RETURN NULL;
             END $$;",
        );
        for (table, trigger) in NOTICED {
            sql.push_str(&format!(
                "CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                     FOR EACH STATEMENT EXECUTE FUNCTION jixiao_declarations_noticed();"
            ));
        }
        on_postgres(m, &sql).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut sql = String::new();
        for (table, trigger) in NOTICED {
            sql.push_str(&format!("DROP TRIGGER IF EXISTS {trigger} ON {table};"));
        }
        sql.push_str("DROP FUNCTION IF EXISTS jixiao_declarations_noticed();");
        on_postgres(m, &sql).await
    }
}
