//! Screens that update themselves: every workflow step and every edit of a project, and every
//! step of a monitoring report, is announced on the channel `jixiao_events`, whoever made it
//! (this service, another instance, the command line). The payload carries ids only
//! (`review:<id>`, `project:<id>:<version>`, `report_review:<id>`): each instance reads what it
//! announces and shows each subscriber only what they may see. NOTIFY is transactional: a step
//! rolled back is never announced. SQLite has no notifications; there the service polls (store
//! `events.rs`) and this step does nothing.

use crate::columns::on_postgres;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        on_postgres(
            m,
            "CREATE OR REPLACE FUNCTION jixiao_review_noticed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 PERFORM pg_notify('jixiao_events', 'review:' || NEW.id);
                 RETURN NULL;
             END $$;
             CREATE TRIGGER reviews_noticed AFTER INSERT ON reviews
                 FOR EACH ROW EXECUTE FUNCTION jixiao_review_noticed();
             -- An edit: a new project, or a new version in the same status (a step changes the
             -- status and is announced by its review row instead).
             CREATE OR REPLACE FUNCTION jixiao_project_noticed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 IF TG_OP = 'INSERT' OR (NEW.version <> OLD.version AND NEW.status = OLD.status) THEN
                     PERFORM pg_notify('jixiao_events', 'project:' || NEW.id || ':' || NEW.version);
                 END IF;
                 RETURN NULL;
             END $$;
             CREATE TRIGGER projects_noticed AFTER INSERT OR UPDATE ON projects
                 FOR EACH ROW EXECUTE FUNCTION jixiao_project_noticed();
             CREATE OR REPLACE FUNCTION jixiao_report_review_noticed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 PERFORM pg_notify('jixiao_events', 'report_review:' || NEW.id);
                 RETURN NULL;
             END $$;
             CREATE TRIGGER report_reviews_noticed AFTER INSERT ON monitoring_report_reviews
                 FOR EACH ROW EXECUTE FUNCTION jixiao_report_review_noticed();",
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        on_postgres(
            m,
            "DROP TRIGGER IF EXISTS reviews_noticed ON reviews; DROP FUNCTION IF EXISTS jixiao_review_noticed();
             DROP TRIGGER IF EXISTS projects_noticed ON projects; DROP FUNCTION IF EXISTS jixiao_project_noticed();
             DROP TRIGGER IF EXISTS report_reviews_noticed ON monitoring_report_reviews;
             DROP FUNCTION IF EXISTS jixiao_report_review_noticed();",
        )
        .await
    }
}
