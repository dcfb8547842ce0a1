//! Each migration step runs up, down and up again on PostgreSQL.

use jixiao_migrations::{Migrator, MigratorTrait};

#[tokio::test]
async fn migrations_go_up_down_and_up_on_postgresql() {
    let db = jixiao_tests::TestDatabase::create().await;
    let store = db.store().await;
    assert_eq!(store.pending_migrations().await.unwrap(), 0);
    Migrator::down(store.connection(), None).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), Migrator::migrations().len());
    Migrator::up(store.connection(), None).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), 0);
}
