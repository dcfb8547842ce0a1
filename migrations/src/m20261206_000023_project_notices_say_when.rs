//! A project's notice says what the project was when it was written: `project:<id>:<version>:
//! <status>:<live|deleted>`. Each instance reads a project when it hears its notice, which may be
//! after later writes (a draft created and submitted at once is read already submitted); the
//! event is what the notice says (a creation is version 1, in the status it was created in),
//! so that who may hear it and what it is called do not depend on how soon it was read. SQLite
//! has no notifications (its poll says the same, store `events.rs`): this step does nothing there.

use crate::columns::on_postgres;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The trigger function of migration 18 with `payload` as its notice.
fn project_noticed(payload: &str) -> String {
    format!(
        "CREATE OR REPLACE FUNCTION jixiao_project_noticed() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF TG_OP = 'INSERT' OR (NEW.version <> OLD.version AND NEW.status = OLD.status) THEN
                 PERFORM pg_notify('jixiao_events', {payload});
             END IF;
             RETURN NULL;
         END $$;"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let payload = "'project:' || NEW.id || ':' || NEW.version || ':' || NEW.status || ':'
            || CASE WHEN NEW.deleted_at IS NULL THEN 'live' ELSE 'deleted' END";
        on_postgres(m, &project_noticed(payload)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        on_postgres(m, &project_noticed("'project:' || NEW.id || ':' || NEW.version")).await
    }
}
