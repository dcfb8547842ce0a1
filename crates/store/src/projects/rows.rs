//! Editing a declaration one row at a time: add, change, remove or move one indicator or fund
//! item (`addIndicator` … `moveFundItem`).
//!
//! Each edit is one transaction with the same rules as a whole-form save: the project must be
//! visible, editable by the actor, DRAFT or REJECTED, and still at the version the client
//! loaded (compare-and-set, the version goes up by one); the form after the edit is checked
//! whole, its findings are rewritten. Rows keep their ids across edits; positions stay dense
//! (0, 1, 2 …) in the order the form shows.

use jixiao_domain::{Declaration, DeclarationInput, FundItem, FundItemInput, Indicator, IndicatorInput, Problem};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, TransactionTrait,
};

use crate::entity::{fund_item, indicator, project};
use crate::error::{StoreError, StoreResult};
use crate::projects::{Projects, allow, cas, ensure_editable, ensure_version, stored_now, version_conflict};
use crate::record::{ProjectRecord, Row};
use crate::snapshots::IdentifiedDeclaration;

/// Which row an edit concerns: a new one of a project, or an existing one by its id.
#[derive(Clone, Copy, Debug)]
pub enum RowTarget {
    NewIn { project_id: i64 },
    Existing { id: i64 },
}

/// One edit of one row. `position` is where the row goes, from 0; past the end (or none, for
/// an added row) means last.
pub enum RowEdit<T> {
    Add { position: Option<usize>, row: T },
    Update(Box<dyn FnOnce(&mut T) + Send>),
    Remove,
    Move { position: usize },
}

/// A kind of row of the form: how it is found in the declaration and in the database.
pub trait FormRow: Clone + PartialEq + Send + Sync + Sized {
    /// The row as the checked declaration holds it.
    type Value: Clone + Send;
    /// The list's name in input paths (`indicators`, `fundItems`).
    const LIST: &'static str;
    /// The row's name in an `add…` input (`indicator`, `fundItem`).
    const ONE: &'static str;
    fn list(input: &mut DeclarationInput) -> &mut Vec<Self>;
    /// The project of the row `id`, if there is one.
    fn project_of(txn: &DatabaseTransaction, id: i64) -> impl Future<Output = StoreResult<Option<i64>>> + Send;
    /// The ids of the project's rows of this kind, in position order.
    fn ids(d: &mut IdentifiedDeclaration) -> &mut Vec<i64>;
    /// The rows of the checked declaration, in position order.
    fn values(d: &Declaration) -> &[Self::Value];
    /// Deletes the rows `ids`.
    fn delete(txn: &DatabaseTransaction, ids: Vec<i64>) -> impl Future<Output = StoreResult<()>> + Send;
    /// Moves the rows `ids` out of the way of the unique (project, position) key, to negative
    /// positions, before they are written to their new ones.
    fn park(txn: &DatabaseTransaction, ids: Vec<i64>) -> impl Future<Output = StoreResult<()>> + Send;
    /// Writes the row at `index` of the checked declaration as row `id` (a new row for none),
    /// at position `index`; returns its id.
    fn save(
        txn: &DatabaseTransaction,
        project_id: i64,
        id: Option<i64>,
        d: &Declaration,
        index: usize,
    ) -> impl Future<Output = StoreResult<i64>> + Send;
}

impl Projects<'_> {
    /// Applies `edit` to one row. The project's rows are read once, with their ids; nothing is
    /// read again after the writes, since what was written is known.
    pub async fn edit_row<T: FormRow>(
        &self,
        target: RowTarget,
        expected_version: i32,
        edit: RowEdit<T>,
    ) -> StoreResult<RowEdited<T::Value>> {
        let txn = self.db().begin().await?;
        let project_id = match target {
            RowTarget::NewIn { project_id } => project_id,
            RowTarget::Existing { id } => T::project_of(&txn, id).await?.ok_or(StoreError::NotFound)?,
        };
        let current = self.find_visible(&txn, project_id).await?;
        allow(self.actor().decide(jixiao_domain::ProjectOp::Edit, current.department_id, current.status))?;
        ensure_editable(&current)?;
        ensure_version(&current, expected_version)?;

        let mut stored = crate::snapshots::load_identified(&txn, &current).await?;
        let mut input = stored.declaration.to_input();
        let mut ids: Vec<Option<i64>> = T::ids(&mut stored).iter().copied().map(Some).collect();
        let old_ids = ids.clone();
        let rows = T::list(&mut input);
        // How the edited row's fields are named in the mutation's input.
        let row_path = if matches!(edit, RowEdit::Add { .. }) { format!("{}.", T::ONE) } else { String::new() };
        let at = |id: i64| ids.iter().position(|i| *i == Some(id)).ok_or(StoreError::NotFound);
        let edited = match (edit, target) {
            (RowEdit::Add { position, row }, _) => {
                let index = position.unwrap_or(rows.len()).min(rows.len());
                rows.insert(index, row);
                ids.insert(index, None);
                Some(index)
            }
            (RowEdit::Update(change), RowTarget::Existing { id }) => {
                let index = at(id)?;
                change(&mut rows[index]);
                Some(index)
            }
            (RowEdit::Remove, RowTarget::Existing { id }) => {
                let index = at(id)?;
                rows.remove(index);
                ids.remove(index);
                None
            }
            (RowEdit::Move { position }, RowTarget::Existing { id }) => {
                let index = at(id)?;
                let row = rows.remove(index);
                let id = ids.remove(index);
                let to = position.min(rows.len());
                rows.insert(to, row);
                ids.insert(to, id);
                Some(to)
            }
            (_, RowTarget::NewIn { .. }) => return Err(StoreError::NotFound),
        };
        let declaration = input
            .check()
            .map_err(|problems| StoreError::Rejected(as_row_problems::<T>(problems, edited, &row_path)))?;

        let now = stored_now();
        let bumped = project::Entity::update_many()
            .col_expr(project::Column::Version, Expr::value(current.version + 1))
            .col_expr(project::Column::UpdatedAt, Expr::value(now))
            .filter(cas(project_id, current.status, expected_version))
            .exec(&txn)
            .await?;
        if bumped.rows_affected != 1 {
            return Err(version_conflict());
        }
        let removed: Vec<i64> = old_ids.iter().flatten().filter(|id| !ids.contains(&Some(**id))).copied().collect();
        if !removed.is_empty() {
            T::delete(&txn, removed).await?;
        }
        // Only rows whose position changes are rewritten, besides the edited one.
        let old_position = |id: i64| old_ids.iter().position(|i| *i == Some(id));
        let moved: Vec<i64> =
            ids.iter().enumerate().filter_map(|(i, id)| id.filter(|id| old_position(*id) != Some(i))).collect();
        if !moved.is_empty() {
            T::park(&txn, moved.clone()).await?;
        }
        let mut saved_ids = Vec::with_capacity(ids.len());
        for (index, id) in ids.iter().enumerate() {
            let is_edited = edited == Some(index);
            saved_ids.push(if is_edited || id.is_none_or(|id| moved.contains(&id)) {
                T::save(&txn, project_id, *id, &declaration, index).await?
            } else {
                id.expect("a row neither new nor moved keeps its id")
            });
        }
        crate::findings::store_findings(&txn, project_id, &declaration).await?;
        self.commit(txn).await?;
        let row = edited.map(|index| Row { id: saved_ids[index], value: T::values(&declaration)[index].clone() });
        *T::ids(&mut stored) = saved_ids;
        stored.declaration = declaration;
        Ok(RowEdited {
            // The row as just written (what reading it again would give).
            project: ProjectRecord { version: current.version + 1, updated_at: now, ..current },
            saved: stored,
            row,
        })
    }
}

/// A row edit as saved.
pub struct RowEdited<V> {
    pub project: ProjectRecord,
    /// The declaration after the edit, with every row's id.
    pub saved: IdentifiedDeclaration,
    /// The edited row (none once removed), with its id.
    pub row: Option<Row<V>>,
}

impl<V> RowEdited<V> {
    /// The fund items and the indicators as saved, each with its id, in the form's order.
    pub fn rows(&self) -> (Vec<Row<FundItem>>, Vec<Row<Indicator>>) {
        let d = &self.saved;
        (with_ids(&d.fund_item_ids, &d.declaration.fund_items), with_ids(&d.indicator_ids, &d.declaration.indicators))
    }
}

/// Rows with their ids.
fn with_ids<T: Clone>(ids: &[i64], values: &[T]) -> Vec<Row<T>> {
    ids.iter().zip(values).map(|(id, value)| Row { id: *id, value: value.clone() }).collect()
}

/// The problems of the form after a row edit, with the edited row's paths as its input names
/// them: `indicators[3].target` is `indicator.target` in `addIndicator`'s input and `target`
/// in `updateIndicator`'s.
fn as_row_problems<T: FormRow>(problems: Vec<Problem>, edited: Option<usize>, row_path: &str) -> Vec<Problem> {
    let Some(index) = edited else { return problems };
    let prefix = format!("{}[{index}].", T::LIST);
    problems
        .into_iter()
        .map(|mut p| {
            if let Some(rest) = p.field.strip_prefix(&prefix) {
                p.field = format!("{row_path}{rest}");
            }
            p
        })
        .collect()
}

/// [`FormRow`] for the input rows `$input` of the list `$list` (`$ids` in an
/// [`IdentifiedDeclaration`]), kept in `$table` as `$value` rows built by `$row`.
macro_rules! form_row {
    ($input:ty, $value:ty, $table:ident, $list:ident, $ids:ident, $path:literal, $one:literal, $row:path) => {
        impl FormRow for $input {
            type Value = $value;
            const LIST: &'static str = $path;
            const ONE: &'static str = $one;

            fn list(input: &mut DeclarationInput) -> &mut Vec<Self> {
                &mut input.$list
            }

            fn ids(d: &mut IdentifiedDeclaration) -> &mut Vec<i64> {
                &mut d.$ids
            }

            fn values(d: &Declaration) -> &[$value] {
                &d.$list
            }

            async fn project_of(txn: &DatabaseTransaction, id: i64) -> StoreResult<Option<i64>> {
                Ok($table::Entity::find_by_id(id).one(txn).await?.map(|r| r.project_id))
            }

            async fn delete(txn: &DatabaseTransaction, ids: Vec<i64>) -> StoreResult<()> {
                $table::Entity::delete_many().filter($table::Column::Id.is_in(ids)).exec(txn).await?;
                Ok(())
            }

            async fn park(txn: &DatabaseTransaction, ids: Vec<i64>) -> StoreResult<()> {
                $table::Entity::update_many()
                    .col_expr($table::Column::Position, Expr::val(-1).sub(Expr::col($table::Column::Position)))
                    .filter($table::Column::Id.is_in(ids))
                    .exec(txn)
                    .await?;
                Ok(())
            }

            async fn save(
                txn: &DatabaseTransaction,
                project_id: i64,
                id: Option<i64>,
                d: &Declaration,
                index: usize,
            ) -> StoreResult<i64> {
                let model = $row(id.map_or(NotSet, Set), project_id, index, &d.$list[index]);
                Ok(match id {
                    Some(id) => {
                        $table::Entity::update(model).exec(txn).await?;
                        id
                    }
                    None => $table::Entity::insert(model).exec_with_returning(txn).await?.id,
                })
            }
        }
    };
}

form_row!(
    IndicatorInput,
    Indicator,
    indicator,
    indicators,
    indicator_ids,
    "indicators",
    "indicator",
    crate::projects::indicator_row
);
form_row!(
    FundItemInput,
    FundItem,
    fund_item,
    fund_items,
    fund_item_ids,
    "fundItems",
    "fundItem",
    crate::projects::fund_item_row
);
