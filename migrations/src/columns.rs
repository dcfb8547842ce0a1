//! The column and key shapes every step uses, so that money, times and references are declared
//! the same way in every table.

use sea_orm_migration::prelude::*;

pub fn id() -> ColumnDef {
    ColumnDef::new("id").big_integer().not_null().auto_increment().primary_key().to_owned()
}

pub fn text(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().not_null().to_owned()
}

pub fn fen(name: &'static str) -> ColumnDef {
    // Money is whole fen: exact, and summed exactly by SQL on both backends.
    ColumnDef::new(name).big_integer().not_null().check(Expr::col(name).gte(0)).to_owned()
}

pub fn timestamp(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).timestamp_with_time_zone().not_null().to_owned()
}

pub fn reference(column: &'static str, table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create().from_col(column).to(table, "id").on_delete(ForeignKeyAction::Restrict).to_owned()
}

pub fn owned_by_project() -> ForeignKeyCreateStatement {
    // Fund items and indicators are parts of the declaration: they go with their project.
    ForeignKey::create().from_col("project_id").to("projects", "id").on_delete(ForeignKeyAction::Cascade).to_owned()
}

pub fn index(name: &str, table: &'static str, columns: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create().name(name).table(table).to_owned();
    for c in columns {
        stmt.col(*c);
    }
    if unique {
        stmt.unique();
    }
    stmt
}

/// Runs `sql` on PostgreSQL only: triggers that count or announce (NOTIFY) are PostgreSQL's, and
/// on SQLite, which has no notifications, nothing is kept that they would keep current.
pub async fn on_postgres(m: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
    let db = m.get_connection();
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

/// The trigger that announces every write of `table` on `jixiao_changes`, so that the answers
/// kept between requests are dropped (migration 30 gave it to every table there was; a later
/// table gets it here, run through [`on_postgres`]).
pub fn announce_changes(table: &str) -> String {
    format!(
        "CREATE TRIGGER {table}_changes_noticed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
             FOR EACH STATEMENT EXECUTE FUNCTION jixiao_changes_noticed();"
    )
}

/// A form's review history: one row per step (its action, the statuses from and to, who, their
/// comment, when), kept forever and never updated; `form` is the form's id in `form_table`.
pub fn history_table(table: &'static str, form: &'static str, form_table: &'static str) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(id())
        .col(ColumnDef::new(form).big_integer().not_null())
        .col(ColumnDef::new("action").string_len(16).not_null())
        .col(ColumnDef::new("from_status").string_len(16).not_null())
        .col(ColumnDef::new("to_status").string_len(16).not_null())
        .col(ColumnDef::new("actor_id").big_integer().not_null())
        .col(text("comment"))
        .col(timestamp("at"))
        .foreign_key(&mut reference(form, form_table))
        .foreign_key(&mut reference("actor_id", "users"))
        .to_owned()
}
