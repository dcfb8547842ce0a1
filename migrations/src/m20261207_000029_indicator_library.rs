//! 指标库: the indicator library. One row per entry (共性 entries of the bureau for every
//! department, 个性 entries of one department), every change of an entry kept whole in
//! `library_entry_versions`, and each indicator row's link to the entry it was picked from
//! (a plain column: SQLite cannot add a foreign key to an existing table; entries are retired,
//! never removed, so the link always resolves).

use crate::columns::{id, index, on_postgres, reference, text, timestamp};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose writes are announced on `jixiao_declarations` from this step on, and each
/// one's trigger.
const NOTICED: [(&str, &str); 2] = [
    ("library_entries", "library_entries_declarations_noticed"),
    ("self_evaluations", "self_evaluations_declarations_noticed"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("library_entries")
                .col(id())
                .col(ColumnDef::new("scope").string_len(16).not_null())
                // NULL for a COMMON entry.
                .col(ColumnDef::new("department_id").big_integer().null())
                .col(ColumnDef::new("level1").string_len(24).not_null())
                .col(ColumnDef::new("level2").string_len(40).not_null())
                .col(text("name"))
                .col(text("unit"))
                .col(ColumnDef::new("direction").string_len(24).not_null())
                .col(text("definition"))
                .col(text("formula"))
                .col(ColumnDef::new("value_basis").string_len(16).not_null())
                .col(ColumnDef::new("reference_value").text().null())
                .col(ColumnDef::new("benchmark_value").text().null())
                .col(ColumnDef::new("status").string_len(16).not_null())
                // The other spellings of the same indicator, a JSON array of strings.
                .col(text("aliases"))
                .col(ColumnDef::new("version").integer().not_null())
                .col(ColumnDef::new("created_by").big_integer().not_null())
                .col(timestamp("created_at"))
                .col(timestamp("updated_at"))
                .foreign_key(&mut reference("department_id", "departments"))
                .foreign_key(&mut reference("created_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("library_entry_versions")
                .col(id())
                .col(ColumnDef::new("entry_id").big_integer().not_null())
                .col(ColumnDef::new("version").integer().not_null())
                .col(ColumnDef::new("action").string_len(16).not_null())
                // The entry as it was after the change, as JSON.
                .col(text("entry"))
                .col(ColumnDef::new("changed_by").big_integer().not_null())
                .col(timestamp("changed_at"))
                .foreign_key(&mut reference("entry_id", "library_entries"))
                .foreign_key(&mut reference("changed_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("library_entry_versions_entry", "library_entry_versions", &["entry_id", "version"], true))
            .await?;
        let db = m.get_connection();
        // One confirmed entry of a name under a level 2 in each scope: the library's spelling is
        // one. (COALESCE: a unique index over a NULL department would let two common ones in.)
        db.execute_unprepared(
            "CREATE UNIQUE INDEX library_entries_confirmed ON library_entries \
             (COALESCE(department_id, 0), level2, name) WHERE status = 'CONFIRMED'",
        )
        .await?;
        m.create_index(index("library_entries_listing", "library_entries", &["department_id", "level2", "id"], false))
            .await?;
        m.alter_table(
            Table::alter()
                .table("indicators")
                .add_column(ColumnDef::new("library_entry_id").big_integer().null())
                .to_owned(),
        )
        .await?;
        m.create_index(index("indicators_library_entry", "indicators", &["library_entry_id"], false)).await?;
        // What forms are checked against as the user types is kept between checks and forgotten
        // at every write that changes it (migration 20): the library, and the actual values its
        // rule on targets reads, are among it now.
        let mut sql = String::new();
        for (table, trigger) in NOTICED {
            sql.push_str(&format!(
                "CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                     FOR EACH STATEMENT EXECUTE FUNCTION jixiao_declarations_noticed();"
            ));
        }
        on_postgres(m, &sql).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let held = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT 1 AS n FROM library_entries LIMIT 1",
            ))
            .await?;
        if held.is_some() {
            return Err(DbErr::Migration(
                "library_entries holds the indicator library: the older schema cannot keep it".to_string(),
            ));
        }
        let mut sql = String::new();
        for (table, trigger) in NOTICED {
            sql.push_str(&format!("DROP TRIGGER IF EXISTS {trigger} ON {table};"));
        }
        on_postgres(m, &sql).await?;
        m.drop_index(Index::drop().name("indicators_library_entry").table("indicators").to_owned()).await?;
        m.alter_table(Table::alter().table("indicators").drop_column("library_entry_id").to_owned()).await?;
        m.drop_table(Table::drop().table("library_entry_versions").to_owned()).await?;
        m.drop_table(Table::drop().table("library_entries").to_owned()).await
    }
}
