//! Editing a declaration whole, and deleting a project.

use chrono::Utc;
use jixiao_domain::{DeclarationInput, Message, ProblemCode, ProjectOp};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

use super::*;
use crate::entity::{budget_unit, fund_item, indicator, project};
use crate::error::{StoreError, StoreResult, UniqueKey};
use crate::error::{allow, version_conflict};
use crate::record::ProjectRecord;

impl Projects<'_> {
    /// Edits the declaration of a DRAFT or REJECTED project whose version is still
    /// `expected_version`: `edit` changes the declaration as entered, the result is checked
    /// whole and replaces the old one. `unit_id` moves it to another unit of the same department.
    pub async fn update(
        &self,
        id: i64,
        expected_version: i32,
        unit_id: Option<i64>,
        edit: impl FnOnce(&mut DeclarationInput),
    ) -> StoreResult<ProjectRecord> {
        let txn = self.db.begin().await?;
        let current = self.find_visible(&txn, id).await?;
        allow(self.actor.decide(ProjectOp::Edit, current.department_id, current.status))?;
        ensure_editable(&current)?;
        ensure_version(&current, expected_version)?;
        let stored = load_declaration(&txn, &current).await?;
        let before = stored.to_input();
        let mut input = before.clone();
        edit(&mut input);
        let declaration = input.check().map_err(StoreError::Rejected)?;
        let declaration = &declaration;
        let unit_id = match unit_id {
            Some(u) if u != current.implementing_unit_id => {
                let unit = budget_unit::Entity::find_by_id(u).one(&txn).await?.ok_or_else(unknown_unit)?;
                if unit.department_id != current.department_id {
                    return Err(StoreError::problem(
                        "implementingUnitId",
                        ProblemCode::InvalidInput,
                        Message::new(
                            "该实施单位属于另一个部门：项目不能转到其他部门",
                            "the implementing unit belongs to another department; a project stays in its department",
                        ),
                    ));
                }
                unit.id
            }
            _ => current.implementing_unit_id,
        };
        // Only the columns that change are written: an edit of a goal leaves the counted
        // columns alone (so the totals trigger, `UPDATE OF` them, does not fire) and, with no
        // indexed column written, PostgreSQL can update the row in place (HOT).
        let mut row = changed_columns(declaration_row(declaration), &declaration_row(&stored));
        if unit_id != current.implementing_unit_id {
            row.implementing_unit_id = Set(unit_id);
        }
        let now = stored_now();
        row.version = Set(current.version + 1);
        row.updated_at = Set(now);
        let result = project::Entity::update_many()
            .set(row)
            .filter(cas(id, current.status, expected_version))
            .exec(&txn)
            .await
            .map_err(StoreError::unique_as(UniqueKey::ProjectName, duplicate_name(declaration)))?;
        if result.rows_affected != 1 {
            return Err(version_conflict());
        }
        // A list sent whole replaces the old rows (new ids); a list left as it was keeps its rows
        // and their ids, so that row edits by others stay addressable.
        if input.fund_items != before.fund_items {
            fund_item::Entity::delete_many().filter(fund_item::Column::ProjectId.eq(id)).exec(&txn).await?;
            insert_fund_items(&txn, id, declaration, &[]).await?;
        }
        if input.indicators != before.indicators {
            indicator::Entity::delete_many().filter(indicator::Column::ProjectId.eq(id)).exec(&txn).await?;
            insert_indicators(&txn, id, declaration, &[]).await?;
        }
        crate::findings::store_findings(&txn, id, declaration).await?;
        self.commit(txn).await?;
        // The row as just written (what reading it again would give).
        Ok(ProjectRecord {
            implementing_unit_id: unit_id,
            fiscal_year: declaration.fiscal_year,
            version: current.version + 1,
            text: declaration.text.clone(),
            funds: declaration.funds.clone(),
            updated_at: now,
            ..current
        })
    }

    /// Deletes a DRAFT or REJECTED project. It disappears from every query; its review
    /// history, if any, is kept.
    pub async fn delete(&self, id: i64) -> StoreResult<()> {
        let txn = self.db.begin().await?;
        let current = self.find_visible(&txn, id).await?;
        allow(self.actor.decide(ProjectOp::Delete, current.department_id, current.status))?;
        ensure_deletable(&current)?;
        let result = project::Entity::update_many()
            .col_expr(project::Column::DeletedAt, Expr::value(Utc::now()))
            .col_expr(project::Column::Version, Expr::value(current.version + 1))
            .filter(cas(id, current.status, current.version))
            .exec(&txn)
            .await?;
        if result.rows_affected != 1 {
            return Err(version_conflict());
        }
        self.commit(txn).await?;
        Ok(())
    }
}
