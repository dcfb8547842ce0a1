//! `project_totals` (migration 13) kept one row per (year, department, unit, status), and every
//! write of a unit's projects of one status updated that row and held it until it committed: a
//! unit's writers went one at a time (the mutation mix with 8 writers of one unit ran at less
//! than half its earlier rate, BENCHMARKS.md). Each row is now spread over [`STRIPES`] stripes:
//! a project always counts into stripe `id % 16`, so writers of different projects rarely share
//! a row. Every stripe row is still an exact count (of the live projects of its key and stripe),
//! so the summary reads them as before and sums the stripes with the rest (at most sixteen times
//! the rows, a few thousand for a year of 100,000 projects). The trigger itself
//! (`jixiao_count_project`) is unchanged: a project's old and new rows share its stripe, so they
//! are still locked in key order.
//!
//! Going down sums the stripes back into one row per key and restores the single-row trigger.

use crate::columns::on_postgres;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Stripes per (year, department, unit, status).
pub const STRIPES: i64 = 16;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Counted afresh into their stripes under the table's lock, as migration 13 counted
        // them: a project written meanwhile waits for the lock, then is counted once.
        on_postgres(m, &format!(
            "LOCK TABLE project_totals IN ACCESS EXCLUSIVE MODE;
             ALTER TABLE project_totals ADD COLUMN stripe SMALLINT NOT NULL DEFAULT 0;
             ALTER TABLE project_totals ALTER COLUMN stripe DROP DEFAULT;
             ALTER TABLE project_totals DROP CONSTRAINT project_totals_pkey;
             ALTER TABLE project_totals ADD PRIMARY KEY (fiscal_year, department_id, implementing_unit_id, status, stripe);
             CREATE OR REPLACE FUNCTION jixiao_count_into(p projects, sign INTEGER) RETURNS void LANGUAGE plpgsql AS $$
             BEGIN
                 INSERT INTO project_totals AS t
                     VALUES (p.fiscal_year, p.department_id, p.implementing_unit_id, p.status, sign,
                             sign * COALESCE(p.annual_request_fen, 0), (p.id % {STRIPES})::SMALLINT)
                 ON CONFLICT (fiscal_year, department_id, implementing_unit_id, status, stripe) DO UPDATE
                    SET projects = t.projects + EXCLUDED.projects,
                        annual_request_fen = t.annual_request_fen + EXCLUDED.annual_request_fen;
             END $$;
             DELETE FROM project_totals;
             INSERT INTO project_totals
                 SELECT fiscal_year, department_id, implementing_unit_id, status, COUNT(*),
                        COALESCE(SUM(annual_request_fen), 0), (id % {STRIPES})::SMALLINT
                   FROM projects WHERE deleted_at IS NULL
                  GROUP BY fiscal_year, department_id, implementing_unit_id, status, id % {STRIPES};"
        )).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        on_postgres(
            m,
            "LOCK TABLE project_totals IN ACCESS EXCLUSIVE MODE;
             CREATE TEMPORARY TABLE summed_totals ON COMMIT DROP AS
                 SELECT fiscal_year, department_id, implementing_unit_id, status,
                        SUM(projects)::BIGINT AS projects, SUM(annual_request_fen) AS annual_request_fen
                   FROM project_totals GROUP BY fiscal_year, department_id, implementing_unit_id, status;
             DELETE FROM project_totals;
             ALTER TABLE project_totals DROP CONSTRAINT project_totals_pkey;
             ALTER TABLE project_totals DROP COLUMN stripe;
             ALTER TABLE project_totals ADD PRIMARY KEY (fiscal_year, department_id, implementing_unit_id, status);
             INSERT INTO project_totals SELECT * FROM summed_totals;
             CREATE OR REPLACE FUNCTION jixiao_count_into(p projects, sign INTEGER) RETURNS void LANGUAGE plpgsql AS $$
             BEGIN
                 INSERT INTO project_totals AS t
                     VALUES (p.fiscal_year, p.department_id, p.implementing_unit_id, p.status, sign,
                             sign * COALESCE(p.annual_request_fen, 0))
                 ON CONFLICT (fiscal_year, department_id, implementing_unit_id, status) DO UPDATE
                    SET projects = t.projects + EXCLUDED.projects,
                        annual_request_fen = t.annual_request_fen + EXCLUDED.annual_request_fen;
             END $$;",
        )
        .await
    }
}
