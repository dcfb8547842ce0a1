//! Ordering and keyset pagination of project lists.
//!
//! A page is "the next rows after (key, id)" in the chosen order, ties broken by id, so pages
//! never repeat or skip a row, stay stable while rows are inserted, and never scan an OFFSET.
//! Empty keys (a project not yet submitted has no submission time) sort last in both
//! directions, the same on PostgreSQL and SQLite.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, Order};

use crate::entity::project::Column;
use crate::record::ProjectRecord;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProjectOrderField {
    /// Creation order.
    #[default]
    Id,
    Name,
    /// 项目资金总额
    TotalFunds,
    PlannedStart,
    UpdatedAt,
    SubmittedAt,
}

impl ProjectOrderField {
    /// The ordering's name inside a cursor. Cursors live in clients' hands, so these strings
    /// never change, whatever the variants are called (they are the names cursors have carried
    /// since the first release).
    pub const fn cursor_tag(self) -> &'static str {
        match self {
            ProjectOrderField::Id => "Id",
            ProjectOrderField::Name => "Name",
            ProjectOrderField::TotalFunds => "TotalFunds",
            ProjectOrderField::PlannedStart => "PlannedStart",
            ProjectOrderField::UpdatedAt => "UpdatedAt",
            ProjectOrderField::SubmittedAt => "SubmittedAt",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProjectOrder {
    pub field: ProjectOrderField,
    pub descending: bool,
}

/// A row's value of the ordering key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SortKey {
    Int(i64),
    /// An amount in fen; a draft's may be unknown.
    Amount(Option<i64>),
    Text(String),
    Date(Option<NaiveDate>),
    Time(Option<DateTime<Utc>>),
}

/// Where a page starts: after the row with this key and id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keyset {
    pub key: SortKey,
    pub id: i64,
}

impl ProjectOrderField {
    fn column(self) -> Column {
        match self {
            ProjectOrderField::Id => Column::Id,
            ProjectOrderField::Name => Column::Name,
            ProjectOrderField::TotalFunds => Column::TotalFen,
            ProjectOrderField::PlannedStart => Column::PlannedStart,
            ProjectOrderField::UpdatedAt => Column::UpdatedAt,
            ProjectOrderField::SubmittedAt => Column::SubmittedAt,
        }
    }

    fn nullable(self) -> bool {
        matches!(self, ProjectOrderField::TotalFunds | ProjectOrderField::PlannedStart | ProjectOrderField::SubmittedAt)
    }
}

impl ProjectOrder {
    /// The key of a row in this order (what its cursor holds).
    pub fn key_of(&self, p: &ProjectRecord) -> SortKey {
        match self.field {
            ProjectOrderField::Id => SortKey::Int(p.id),
            ProjectOrderField::Name => SortKey::Text(p.text.name.clone()),
            ProjectOrderField::TotalFunds => SortKey::Amount(p.funds.total.map(|m| m.fen())),
            ProjectOrderField::PlannedStart => SortKey::Date(p.text.planned_start),
            ProjectOrderField::UpdatedAt => SortKey::Time(Some(p.updated_at)),
            ProjectOrderField::SubmittedAt => SortKey::Time(p.submitted_at),
        }
    }

    /// How to read this order forwards, or backwards (for `last`/`before`): backwards is the
    /// same order reversed, empty keys included.
    pub(crate) fn scan(&self, backward: bool) -> Scan {
        Scan { field: self.field, descending: self.descending != backward, nulls_first: backward }
    }
}

/// One direction of reading an order.
pub(crate) struct Scan {
    field: ProjectOrderField,
    descending: bool,
    nulls_first: bool,
}

impl Scan {
    /// `ORDER BY` terms: empty keys last (first when reading backwards), then the key, then id.
    pub(crate) fn terms(&self) -> Vec<(SimpleExpr, Order)> {
        let dir = if self.descending { Order::Desc } else { Order::Asc };
        let col = self.field.column();
        let mut terms = Vec::new();
        if self.field.nullable() {
            terms.push((Expr::col(col).is_null(), if self.nulls_first { Order::Desc } else { Order::Asc }));
        }
        if self.field != ProjectOrderField::Id {
            terms.push((Expr::col(col).into(), dir.clone()));
        }
        terms.push((Expr::col(Column::Id).into(), dir));
        terms
    }

    /// The rows strictly after `after` in this order.
    pub(crate) fn after(&self, after: &Keyset) -> Condition {
        let col = self.field.column();
        let id_beyond = if self.descending { Column::Id.lt(after.id) } else { Column::Id.gt(after.id) };
        let value: Option<sea_orm::Value> = match &after.key {
            SortKey::Int(v) => Some((*v).into()),
            SortKey::Amount(v) => v.map(Into::into),
            SortKey::Text(v) => Some(v.clone().into()),
            SortKey::Date(v) => v.map(Into::into),
            SortKey::Time(v) => v.map(Into::into),
        };
        if self.field == ProjectOrderField::Id {
            return Condition::all().add(id_beyond);
        }
        let empty_later = Condition::all().add(col.is_null()).add(id_beyond.clone());
        match (value, self.nulls_first) {
            // Empty keys come last: after one, only later empty keys.
            (None, false) => empty_later,
            // Empty keys come first: after one, later empty keys and every filled key.
            (None, true) => Condition::any().add(empty_later).add(col.is_not_null()),
            (Some(v), nulls_first) => {
                let beyond = if self.descending { col.lt(v.clone()) } else { col.gt(v.clone()) };
                let same_key_later = Condition::all().add(col.eq(v)).add(id_beyond);
                let mut c = Condition::any().add(beyond).add(same_key_later);
                if self.field.nullable() && !nulls_first {
                    c = c.add(col.is_null());
                }
                c
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ProjectOrderField::*;

    /// Renaming a variant must not change a cursor a client holds.
    #[test]
    fn cursor_tags_never_change() {
        let tags: Vec<&str> =
            [Id, Name, TotalFunds, PlannedStart, UpdatedAt, SubmittedAt].iter().map(|f| f.cursor_tag()).collect();
        assert_eq!(tags, ["Id", "Name", "TotalFunds", "PlannedStart", "UpdatedAt", "SubmittedAt"]);
    }
}
