//! `declarationSummary` of a year counted every live project of the year, even from an index
//! alone (24 ms for 100,000 projects). `project_totals` keeps, per (year, department, unit,
//! status), how many live projects there are and the sum of their annual requests, kept current
//! by a trigger on every write to `projects` (any writer: the service, the command line, psql), so
//! the summary reads a few hundred rows whatever the number of projects. Department and status
//! are all the callers' visibility filters on, so every caller's summary can be read from it.
//!
//! The price: the writers of one unit's projects of one status queue on that row until they
//! commit (a unit's writers are a handful of people; each write holds it for one short
//! transaction). SQLite (the embedded demo) keeps counting the projects themselves; there this
//! step does nothing.

use crate::columns::on_postgres;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The trigger exists before the existing projects are counted, in one transaction: a
        // project written meanwhile waits for the lock CREATE TRIGGER takes, then is counted once.
        on_postgres(m, "CREATE TABLE project_totals (
                 fiscal_year INTEGER NOT NULL,
                 department_id BIGINT NOT NULL,
                 implementing_unit_id BIGINT NOT NULL,
                 status VARCHAR(32) NOT NULL,
                 projects BIGINT NOT NULL,
                 annual_request_fen NUMERIC NOT NULL,
                 PRIMARY KEY (fiscal_year, department_id, implementing_unit_id, status)
             );
             -- Adds one project (sign 1) or takes it away (sign -1) from its row.
             CREATE FUNCTION jixiao_count_into(p projects, sign INTEGER) RETURNS void LANGUAGE plpgsql AS $$
             BEGIN
                 INSERT INTO project_totals AS t
                     VALUES (p.fiscal_year, p.department_id, p.implementing_unit_id, p.status, sign,
                             sign * COALESCE(p.annual_request_fen, 0))
                 ON CONFLICT (fiscal_year, department_id, implementing_unit_id, status) DO UPDATE
                    SET projects = t.projects + EXCLUDED.projects,
                        annual_request_fen = t.annual_request_fen + EXCLUDED.annual_request_fen;
             END $$;
             -- A write that moves a project from one row to another (a status change) touches
             -- both rows; they are always locked in key order, so two writers moving projects
             -- between the same two rows in opposite directions (one submits, one withdraws)
             -- queue instead of deadlocking.
             CREATE FUNCTION jixiao_count_project() RETURNS trigger LANGUAGE plpgsql AS $$
             DECLARE
                 counted_before BOOLEAN := TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL;
                 counted_after BOOLEAN := TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL;
                 added_first BOOLEAN := TG_OP = 'UPDATE'
                     AND ROW(NEW.fiscal_year, NEW.department_id, NEW.implementing_unit_id, NEW.status)
                       < ROW(OLD.fiscal_year, OLD.department_id, OLD.implementing_unit_id, OLD.status);
             BEGIN
                 IF counted_after AND added_first THEN
                     PERFORM jixiao_count_into(NEW, 1);
                 END IF;
                 IF counted_before THEN
                     PERFORM jixiao_count_into(OLD, -1);
                 END IF;
                 IF counted_after AND NOT added_first THEN
                     PERFORM jixiao_count_into(NEW, 1);
                 END IF;
                 RETURN NULL;
             END $$;
             CREATE TRIGGER projects_counted
                 AFTER INSERT OR DELETE
                    OR UPDATE OF fiscal_year, department_id, implementing_unit_id, status, annual_request_fen, deleted_at
                 ON projects FOR EACH ROW EXECUTE FUNCTION jixiao_count_project();
             INSERT INTO project_totals
                 SELECT fiscal_year, department_id, implementing_unit_id, status, COUNT(*), COALESCE(SUM(annual_request_fen), 0)
                   FROM projects WHERE deleted_at IS NULL
                  GROUP BY fiscal_year, department_id, implementing_unit_id, status;").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        on_postgres(
            m,
            "DROP TRIGGER IF EXISTS projects_counted ON projects; DROP FUNCTION IF EXISTS jixiao_count_project();
             DROP FUNCTION IF EXISTS jixiao_count_into(projects, INTEGER); DROP TABLE IF EXISTS project_totals;",
        )
        .await
    }
}
