//! Inputs of the row-by-row editing mutations (`addIndicator` … `moveFundItem`). Each names the
//! project's `expectedVersion`: an edit made on a stale copy of the form changes nothing
//! (VERSION_CONFLICT). A `position` counts from 0; past the end means last.

use async_graphql::{ID, InputObject, MaybeUndefined};
use jixiao_domain as domain;

use crate::graphql::declaration::inputs::{FundItemInput, IndicatorInput, patch};
use crate::graphql::types::enums::{IndicatorLevel1, IndicatorLevel2};

#[derive(InputObject)]
pub struct AddIndicatorInput {
    pub project_id: ID,
    pub expected_version: i32,
    /// Where the row goes; left out: last.
    pub position: Option<i32>,
    pub indicator: IndicatorInput,
}

/// The fields given change, the others stay; `note: null` clears the note.
#[derive(InputObject)]
pub struct UpdateIndicatorInput {
    pub id: ID,
    pub expected_version: i32,
    pub level1: Option<IndicatorLevel1>,
    pub level2: Option<IndicatorLevel2>,
    pub name: Option<String>,
    pub target: Option<String>,
    pub note: MaybeUndefined<String>,
}

impl UpdateIndicatorInput {
    /// The change, to apply to the row as stored.
    pub fn change(self) -> impl FnOnce(&mut domain::IndicatorInput) + Send {
        move |row| {
            if let Some(v) = self.level1 {
                row.level1 = v.into();
            }
            if let Some(v) = self.level2 {
                row.level2 = v.into();
            }
            if let Some(v) = self.name {
                row.name = v;
            }
            if let Some(v) = self.target {
                row.target = v;
            }
            patch(self.note, &mut row.note);
        }
    }
}

#[derive(InputObject)]
pub struct AddFundItemInput {
    pub project_id: ID,
    pub expected_version: i32,
    /// Where the item goes; left out: last.
    pub position: Option<i32>,
    pub fund_item: FundItemInput,
}

/// The fields given change, the others stay.
#[derive(InputObject)]
pub struct UpdateFundItemInput {
    pub id: ID,
    pub expected_version: i32,
    pub name: Option<String>,
    /// Yuan, e.g. "1250000.00".
    pub amount: Option<String>,
}

impl UpdateFundItemInput {
    pub fn change(self) -> impl FnOnce(&mut domain::FundItemInput) + Send {
        move |row| {
            if let Some(v) = self.name {
                row.name = v;
            }
            if let Some(v) = self.amount {
                row.amount = v;
            }
        }
    }
}

/// The inputs of removing and moving a row, one type per mutation (as clients name them in
/// their variables), the same fields for indicators and fund items.
macro_rules! remove_and_move {
    ($remove:ident, $move:ident, $what:literal) => {
        #[doc = concat!("Removes one ", $what, ".")]
        #[derive(InputObject)]
        pub struct $remove {
            pub id: ID,
            pub expected_version: i32,
        }

        #[doc = concat!("Moves one ", $what, " to `position`; the others close up around it.")]
        #[derive(InputObject)]
        pub struct $move {
            pub id: ID,
            pub expected_version: i32,
            pub position: i32,
        }
    };
}

remove_and_move!(RemoveIndicatorInput, MoveIndicatorInput, "indicator");
remove_and_move!(RemoveFundItemInput, MoveFundItemInput, "fund item");
