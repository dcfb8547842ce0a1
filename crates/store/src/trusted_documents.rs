//! Trusted documents (migration 26): a front end's operations by the ids its build gave them,
//! shared by every instance. A document never changes under its id: loading a manifest again
//! adds what is new and leaves the rest, and a different text under a known id is refused, so
//! no instance can hold a stale copy.

use chrono::Utc;
use jixiao_domain::{Message, ProblemCode};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

use crate::Store;
use crate::entity::trusted_document::{ActiveModel, Column, Entity};
use crate::error::{StoreError, StoreResult};

/// What loading a manifest did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    pub added: usize,
    pub already_there: usize,
}

impl Store {
    /// The document trusted under `id`, if any.
    pub async fn trusted_document(&self, id: &str) -> StoreResult<Option<String>> {
        Ok(Entity::find_by_id(id.to_string()).one(&self.db).await?.map(|row| row.document))
    }

    /// Adds `documents` (id, text) in one transaction: all of them, or none when an id is
    /// already trusted with another text (its id in the error).
    pub async fn add_trusted_documents(&self, documents: &[(String, String)], added_by: &str) -> StoreResult<Loaded> {
        let txn = self.db.begin().await?;
        let mut loaded = Loaded::default();
        // In chunks: a manifest may hold thousands of operations, and a statement's parameters
        // are bounded (SQLite's 32,766, PostgreSQL's 65,535).
        for chunk in documents.chunks(500) {
            let ids = chunk.iter().map(|(id, _)| id.clone());
            let known = Entity::find().filter(Column::Id.is_in(ids)).all(&txn).await?;
            let mut fresh = Vec::new();
            for (id, text) in chunk {
                match known.iter().find(|row| &row.id == id) {
                    Some(row) if row.document == *text => loaded.already_there += 1,
                    Some(_) => {
                        let message = Message::new(
                            format!("文档 {id} 已以另一段文本登记：同一 id 的文档不能更改，请为新文本生成新 id"),
                            format!(
                                "document {id} is already trusted with another text: a document never changes under its id; give the new text a new id"
                            ),
                        );
                        return Err(StoreError::problem("id", ProblemCode::AlreadyExists, message));
                    }
                    None if fresh.iter().any(|a: &ActiveModel| a.id.as_ref() == id) => loaded.already_there += 1,
                    None => fresh.push(ActiveModel {
                        id: Set(id.clone()),
                        document: Set(text.clone()),
                        added_by: Set(added_by.to_string()),
                        added_at: Set(Utc::now()),
                    }),
                }
            }
            loaded.added += fresh.len();
            if !fresh.is_empty() {
                Entity::insert_many(fresh).exec(&txn).await?;
            }
        }
        txn.commit().await?;
        Ok(loaded)
    }
}
