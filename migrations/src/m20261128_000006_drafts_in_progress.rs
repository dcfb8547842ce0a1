//! Drafts hold work in progress: a project's category and its seven amounts may be unknown
//! (NULL) until the form is filled; the findings say what is missing and block submission.
//!
//! PostgreSQL drops the NOT NULL constraints. SQLite cannot alter a column; removing a NOT NULL
//! constraint changes nothing on disk, so, as SQLite documents for exactly this case
//! (<https://www.sqlite.org/lang_altertable.html#otheralter>), the table's stored definition is
//! edited in place under `writable_schema` and the schema version bumped, in one transaction.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};

/// The columns that become nullable.
const COLUMNS: [&str; 8] = [
    "category",
    "total_fen",
    "fiscal_fen",
    "other_fen",
    "annual_request_fen",
    "current_year_appropriation_fen",
    "carryover_fen",
    "annual_other_fen",
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        set_not_null(m, false).await
    }

    /// Only while no project holds an unknown value (which nothing before this step could read).
    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let any_null = COLUMNS.iter().map(|c| format!("{c} IS NULL")).collect::<Vec<_>>().join(" OR ");
        let sql = format!("SELECT COUNT(*) AS n FROM projects WHERE {any_null}");
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
        let unknown: i64 = row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0);
        if unknown > 0 {
            return Err(DbErr::Migration(format!(
                "{unknown} projects hold an unknown category or amount: fill them in or delete them before going back"
            )));
        }
        set_not_null(m, true).await
    }
}

/// Adds (`required`) or drops the NOT NULL of every column of [`COLUMNS`].
async fn set_not_null(m: &SchemaManager<'_>, required: bool) -> Result<(), DbErr> {
    let db = m.get_connection();
    if db.get_database_backend() != DbBackend::Sqlite {
        let mut alter = Table::alter();
        alter.table("projects");
        for column in COLUMNS {
            let mut definition = ColumnDef::new(column);
            if required {
                definition.not_null()
            } else {
                definition.null()
            };
            alter.modify_column(definition);
        }
        return m.alter_table(alter.to_owned()).await;
    }
    let txn = db.begin().await?;
    let one = |sql: &str| Statement::from_string(DbBackend::Sqlite, sql.to_string());
    let row = txn
        .query_one_raw(one("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'projects'"))
        .await?
        .ok_or_else(|| DbErr::Migration("the projects table is missing".into()))?;
    let sql: String = row.try_get("", "sql")?;
    let changed = with_not_null(&sql, &COLUMNS, required)?;
    let version: i64 = txn
        .query_one_raw(one("PRAGMA schema_version"))
        .await?
        .ok_or_else(|| DbErr::Migration("no schema version".into()))?
        .try_get_by_index(0)?;
    txn.execute_unprepared("PRAGMA writable_schema = ON").await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'projects'",
        [changed.into()],
    ))
    .await?;
    txn.execute_unprepared(&format!("PRAGMA schema_version = {}", version + 1)).await?;
    txn.execute_unprepared("PRAGMA writable_schema = OFF").await?;
    txn.commit().await?;
    // The schema was edited under the connection's feet: make sure SQLite agrees.
    let check = db.query_one_raw(one("PRAGMA integrity_check")).await?;
    let verdict: String = check.map(|r| r.try_get_by_index(0)).transpose()?.unwrap_or_default();
    if verdict != "ok" {
        return Err(DbErr::Migration(format!("SQLite integrity check after the change: {verdict}")));
    }
    Ok(())
}

/// `sql` (a CREATE TABLE) with NOT NULL added to (`required`) or removed from each of
/// `columns`; an error if a column's definition is not found (better to stop than to
/// half-change a schema).
fn with_not_null(sql: &str, columns: &[&str], required: bool) -> Result<String, DbErr> {
    let mut out = sql.to_string();
    for column in columns {
        let quoted = format!("\"{column}\" ");
        let start = out.find(&quoted).ok_or_else(|| DbErr::Migration(format!("column {column} not found")))?;
        // The definition runs to the next column (`, "`) or to the table's closing parenthesis.
        let end = out[start..]
            .find(", \"")
            .or_else(|| out[start..].find(",\""))
            .map(|e| start + e)
            .unwrap_or_else(|| out.rfind(')').unwrap_or(out.len()));
        let definition = out[start..end].trim_end().to_string();
        let end = start + definition.len();
        match (definition.find(" NOT NULL"), required) {
            (Some(at), false) => out.replace_range(start + at..start + at + " NOT NULL".len(), ""),
            (None, true) => out.insert_str(end, " NOT NULL"),
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_named_columns_lose_not_null() {
        let sql = r#"CREATE TABLE "projects" ( "id" integer NOT NULL PRIMARY KEY, "category" varchar(20) NOT NULL, "total_fen" bigint NOT NULL, "name" varchar NOT NULL )"#;
        let relaxed = super::with_not_null(sql, &["category", "total_fen"], false).unwrap();
        assert_eq!(
            relaxed,
            r#"CREATE TABLE "projects" ( "id" integer NOT NULL PRIMARY KEY, "category" varchar(20), "total_fen" bigint, "name" varchar NOT NULL )"#
        );
        assert_eq!(super::with_not_null(&relaxed, &["category", "total_fen"], true).unwrap(), sql, "and back");
        let last = r#"CREATE TABLE "p" ( "id" integer, "total_fen" bigint NOT NULL )"#;
        assert_eq!(
            super::with_not_null(last, &["total_fen"], false).unwrap(),
            r#"CREATE TABLE "p" ( "id" integer, "total_fen" bigint )"#
        );
        assert!(super::with_not_null(sql, &["missing"], false).is_err());
    }
}
