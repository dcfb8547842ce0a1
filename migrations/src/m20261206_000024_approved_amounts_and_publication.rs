//! 批复金额, 批复下达 and 绩效公开.
//!
//! - `project_snapshots.approved_fen`: what each approval granted; `projects.approved_fen`: the
//!   amount approved in force (its latest approval's; NULL: never approved). Existing approvals
//!   keep their request as their approved amount (read from the snapshot's own declaration).
//! - `monitoring_reports.approved_fen`, `self_evaluations.approved_fen`: what their execution rate
//!   divides by, until now the annual request in force they already hold.
//! - `approval_issues`: one issuing act (批复文号, date) of a department's year;
//!   `projects.approval_issue_id` the act that issued a project.
//! - `publications`: a department's year as published (date, address).
//! - PostgreSQL's `project_totals` (migrations 13, 19) sum the approved amounts too.
//!
//! Going down is refused once an act was issued or a publication recorded, or an approval cut a
//! request: the older schema could hold none of them.

use crate::columns::{id, index, on_postgres, reference, timestamp};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The count function of migration 19 with the approved amounts summed beside the requests.
const COUNT_INTO: &str =
    "CREATE OR REPLACE FUNCTION jixiao_count_into(p projects, sign INTEGER) RETURNS void LANGUAGE plpgsql AS $$
     BEGIN
         INSERT INTO project_totals AS t
             VALUES (p.fiscal_year, p.department_id, p.implementing_unit_id, p.status, sign,
                     sign * COALESCE(p.annual_request_fen, 0), (p.id % 16)::SMALLINT,
                     sign * COALESCE(p.approved_fen, 0))
         ON CONFLICT (fiscal_year, department_id, implementing_unit_id, status, stripe) DO UPDATE
            SET projects = t.projects + EXCLUDED.projects,
                annual_request_fen = t.annual_request_fen + EXCLUDED.annual_request_fen,
                approved_fen = t.approved_fen + EXCLUDED.approved_fen;
     END $$;";

/// The trigger of migration 13, woken by a change of the approved amount as well.
fn counted_trigger(columns: &str) -> String {
    format!(
        "DROP TRIGGER projects_counted ON projects;
         CREATE TRIGGER projects_counted
             AFTER INSERT OR DELETE OR UPDATE OF {columns}
             ON projects FOR EACH ROW EXECUTE FUNCTION jixiao_count_project();"
    )
}

const COUNTED_BEFORE: &str = "fiscal_year, department_id, implementing_unit_id, status, annual_request_fen, deleted_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("approval_issues")
                .col(id())
                .col(ColumnDef::new("department_id").big_integer().not_null())
                .col(ColumnDef::new("fiscal_year").integer().not_null())
                .col(ColumnDef::new("document_no").string_len(400).not_null())
                .col(ColumnDef::new("issued_on").date().not_null())
                .col(ColumnDef::new("issued_by").big_integer().not_null())
                .col(timestamp("issued_at"))
                .foreign_key(&mut reference("department_id", "departments"))
                .foreign_key(&mut reference("issued_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "approval_issues_department_year",
            "approval_issues",
            &["department_id", "fiscal_year"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("publications")
                .col(ColumnDef::new("department_id").big_integer().not_null())
                .col(ColumnDef::new("fiscal_year").integer().not_null())
                .col(ColumnDef::new("published_on").date().not_null())
                .col(ColumnDef::new("url").string_len(8000).not_null())
                .col(ColumnDef::new("published_by").big_integer().not_null())
                .col(timestamp("published_at"))
                .primary_key(Index::create().col("department_id").col("fiscal_year"))
                .foreign_key(&mut reference("department_id", "departments"))
                .foreign_key(&mut reference("published_by", "users"))
                .to_owned(),
        )
        .await?;
        // One column per statement: SQLite alters one at a time.
        for (table, column) in [
            ("projects", ColumnDef::new("approved_fen").big_integer().null().to_owned()),
            ("projects", ColumnDef::new("approval_issue_id").big_integer().null().to_owned()),
            ("project_snapshots", ColumnDef::new("approved_fen").big_integer().null().to_owned()),
            ("monitoring_reports", ColumnDef::new("approved_fen").big_integer().not_null().default(0).to_owned()),
            ("self_evaluations", ColumnDef::new("approved_fen").big_integer().not_null().default(0).to_owned()),
        ] {
            m.alter_table(Table::alter().table(table).add_column(column).to_owned()).await?;
        }
        on_postgres(
            m,
            "ALTER TABLE projects ADD CONSTRAINT projects_approval_issue_fk
                 FOREIGN KEY (approval_issue_id) REFERENCES approval_issues (id) ON DELETE RESTRICT;",
        )
        .await?;
        let db = m.get_connection();
        // Every approval so far granted its request: the one in the declaration it kept.
        let request = match db.get_database_backend() {
            DbBackend::Postgres => {
                "ROUND((declaration::jsonb #>> '{declaration,funds,annualRequest}')::numeric * 100)::bigint"
            }
            _ => {
                "CAST(ROUND(CAST(json_extract(declaration, '$.declaration.funds.annualRequest') AS REAL) * 100) AS INTEGER)"
            }
        };
        db.execute_unprepared(&format!("UPDATE project_snapshots SET approved_fen = COALESCE({request}, 0)")).await?;
        // An approved project's own declaration is the one in force; an adjusting one's is its
        // latest snapshot.
        db.execute_unprepared(
            "UPDATE projects SET approved_fen = COALESCE(annual_request_fen, 0) WHERE status = 'APPROVED';
             UPDATE projects SET approved_fen = COALESCE((SELECT s.approved_fen FROM project_snapshots s
                     WHERE s.project_id = projects.id ORDER BY s.version DESC LIMIT 1), annual_request_fen, 0)
              WHERE status IN ('ADJUSTING', 'ADJUSTMENT_SUBMITTED');
             UPDATE monitoring_reports SET approved_fen = annual_request_fen;
             UPDATE self_evaluations SET approved_fen = annual_request_fen;",
        )
        .await?;
        on_postgres(
            m,
            &format!(
                "LOCK TABLE project_totals IN ACCESS EXCLUSIVE MODE;
                 ALTER TABLE project_totals ADD COLUMN approved_fen NUMERIC NOT NULL DEFAULT 0;
                 {COUNT_INTO}
                 {}
                 DELETE FROM project_totals;
                 INSERT INTO project_totals
                     SELECT fiscal_year, department_id, implementing_unit_id, status, COUNT(*),
                            COALESCE(SUM(annual_request_fen), 0), (id % 16)::SMALLINT, COALESCE(SUM(approved_fen), 0)
                       FROM projects WHERE deleted_at IS NULL
                      GROUP BY fiscal_year, department_id, implementing_unit_id, status, id % 16;",
                counted_trigger(&format!("{COUNTED_BEFORE}, approved_fen"))
            ),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let sql = "SELECT (SELECT COUNT(*) FROM approval_issues) + (SELECT COUNT(*) FROM publications)
                        + (SELECT COUNT(*) FROM projects WHERE approved_fen IS NOT NULL
                                AND approved_fen <> COALESCE(annual_request_fen, 0) AND status = 'APPROVED') AS n";
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
        let kept: i64 = row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0);
        if kept > 0 {
            return Err(DbErr::Migration(format!(
                "{kept} issuing acts, publications or cut approvals exist: the older schema cannot hold them"
            )));
        }
        on_postgres(
            m,
            &format!(
                "LOCK TABLE project_totals IN ACCESS EXCLUSIVE MODE;
                 {}
                 CREATE OR REPLACE FUNCTION jixiao_count_into(p projects, sign INTEGER) RETURNS void LANGUAGE plpgsql AS $$
                 BEGIN
                     INSERT INTO project_totals AS t
                         VALUES (p.fiscal_year, p.department_id, p.implementing_unit_id, p.status, sign,
                                 sign * COALESCE(p.annual_request_fen, 0), (p.id % 16)::SMALLINT)
                     ON CONFLICT (fiscal_year, department_id, implementing_unit_id, status, stripe) DO UPDATE
                        SET projects = t.projects + EXCLUDED.projects,
                            annual_request_fen = t.annual_request_fen + EXCLUDED.annual_request_fen;
                 END $$;
                 ALTER TABLE project_totals DROP COLUMN approved_fen;
                 ALTER TABLE projects DROP CONSTRAINT projects_approval_issue_fk;",
                counted_trigger(COUNTED_BEFORE)
            ),
        )
        .await?;
        for (table, column) in [
            ("projects", "approved_fen"),
            ("projects", "approval_issue_id"),
            ("project_snapshots", "approved_fen"),
            ("monitoring_reports", "approved_fen"),
            ("self_evaluations", "approved_fen"),
        ] {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned()).await?;
        }
        m.drop_table(Table::drop().table("publications").to_owned()).await?;
        m.drop_table(Table::drop().table("approval_issues").to_owned()).await
    }
}
