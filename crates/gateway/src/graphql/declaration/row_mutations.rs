//! Editing a declaration one row at a time, as people fill the form: add, change, remove or
//! move one indicator or one fund item. The rules are the store's (`jixiao_store::rows`): the
//! project's submitters, DRAFT or REJECTED, at `expectedVersion`; the answer carries the project
//! at its new version and the row with its (stable) id.

use async_graphql::{Context, Object, Result};
use jixiao_domain::{FundItemInput, IndicatorInput, Message, Problem, ProblemCode};
use jixiao_store::{FormRow, Row, RowEdit, RowEdited, RowTarget};

use crate::graphql::access::{Access, access};
use crate::graphql::declaration::loaders::{FundItemsOf, IndicatorsOf};
use crate::graphql::declaration::parts::{FundItem, Indicator};
use crate::graphql::declaration::project::Project;
use crate::graphql::declaration::row_inputs::{
    AddFundItemInput, AddIndicatorInput, MoveFundItemInput, MoveIndicatorInput, RemoveFundItemInput,
    RemoveIndicatorInput, UpdateFundItemInput, UpdateIndicatorInput,
};
use crate::graphql::library::pick::fill_picked;
use crate::graphql::payload::{FundItemPayload, IndicatorPayload, UserError, outcome, user_errors};
use crate::ids::{Kind, decode};

#[derive(Default)]
pub struct RowMutation;

/// A position as the store takes it, or the user error for a negative one.
fn position(given: i32) -> Result<usize, Problem> {
    usize::try_from(given).map_err(|_| {
        Problem::new(
            "position",
            ProblemCode::InvalidInput,
            Message::new(
                format!("位置从 0 开始，不能为 {given}"),
                format!("positions count from 0; {given} is not one"),
            ),
        )
    })
}

/// A row edit as saved, or the user errors.
type Edited<V> = (Option<RowEdited<V>>, Vec<UserError>);

/// Runs one row edit. What it wrote is known: the project's rows are left in the request's
/// cache, so that the payload (the row, `project { indicators fundItems }`) is answered without
/// reading them again.
async fn edit<T: FormRow>(
    access: &Access,
    target: RowTarget,
    expected_version: i32,
    edit: RowEdit<T>,
) -> Result<Edited<T::Value>> {
    let result = access.projects().edit_row(target, expected_version, edit).await;
    let (saved, user_errors) = outcome(result)?;
    if let Some(saved) = &saved {
        let (fund_items, indicators) = saved.rows();
        let loader = access.loader();
        loader.feed_one(FundItemsOf(saved.project.id), fund_items).await;
        loader.feed_one(IndicatorsOf(saved.project.id), indicators).await;
    }
    Ok((saved, user_errors))
}

/// The row edited, at its place in the list as saved.
fn at_its_place<V: Clone, O>(
    saved: &RowEdited<V>,
    rows: Vec<Row<V>>,
    list: fn(Vec<Row<V>>) -> Vec<O>,
    id_of: fn(&O) -> i64,
) -> Option<O> {
    let id = saved.row.as_ref()?.id;
    list(rows).into_iter().find(|o| id_of(o) == id)
}

fn indicator_payload((saved, user_errors): Edited<jixiao_domain::Indicator>) -> IndicatorPayload {
    let Some(saved) = saved else { return IndicatorPayload { project: None, indicator: None, user_errors } };
    let indicator = at_its_place(&saved, saved.rows().1, Indicator::list, |i| i.id);
    IndicatorPayload { project: Some(Project(saved.project)), indicator, user_errors }
}

fn fund_item_payload((saved, user_errors): Edited<jixiao_domain::FundItem>) -> FundItemPayload {
    let Some(saved) = saved else { return FundItemPayload { project: None, fund_item: None, user_errors } };
    let fund_item = at_its_place(&saved, saved.rows().0, FundItem::list, |i| i.id);
    FundItemPayload { project: Some(Project(saved.project)), fund_item, user_errors }
}

/// A refusal before anything is tried (a negative position).
fn refused<T>(problem: Problem) -> (Option<T>, Vec<UserError>) {
    (None, vec![problem.into()])
}

#[Object]
impl RowMutation {
    /// Adds an indicator at `position` (left out: last). A draft may hold a target being typed
    /// or a level 2 under another level 1: the findings say so (ERROR), and submitting waits.
    async fn add_indicator(&self, ctx: &Context<'_>, input: AddIndicatorInput) -> Result<IndicatorPayload> {
        let access = access(ctx)?;
        let project_id = decode(&input.project_id, Kind::Project)?;
        let position = match input.position.map(position).transpose() {
            Ok(p) => p,
            Err(problem) => return Ok(indicator_payload(refused(problem))),
        };
        let mut problems = Vec::new();
        let mut row = input.indicator.into_domain("indicator", &mut problems);
        let slice = std::slice::from_mut(&mut row);
        let problems = fill_picked(&access.scope, slice, problems, |_| "indicator".to_string()).await?;
        if !problems.is_empty() {
            return Ok(IndicatorPayload { project: None, indicator: None, user_errors: user_errors(problems) });
        }
        let target = RowTarget::NewIn { project_id };
        let done = edit(access, target, input.expected_version, RowEdit::Add { position, row }).await?;
        Ok(indicator_payload(done))
    }

    /// Changes the fields given of one indicator.
    async fn update_indicator(&self, ctx: &Context<'_>, input: UpdateIndicatorInput) -> Result<IndicatorPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::Indicator)?;
        let version = input.expected_version;
        let change: RowEdit<IndicatorInput> = RowEdit::Update(Box::new(input.change()));
        let done = edit(access, RowTarget::Existing { id }, version, change).await?;
        Ok(indicator_payload(done))
    }

    /// Removes one indicator; those after it move up.
    async fn remove_indicator(&self, ctx: &Context<'_>, input: RemoveIndicatorInput) -> Result<IndicatorPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::Indicator)?;
        let done =
            edit::<IndicatorInput>(access, RowTarget::Existing { id }, input.expected_version, RowEdit::Remove).await?;
        Ok(indicator_payload(done))
    }

    /// Moves one indicator to `position` (past the end: last); positions stay 0, 1, 2 … in order.
    async fn move_indicator(&self, ctx: &Context<'_>, input: MoveIndicatorInput) -> Result<IndicatorPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::Indicator)?;
        let position = match position(input.position) {
            Ok(p) => p,
            Err(problem) => return Ok(indicator_payload(refused(problem))),
        };
        let moved = RowEdit::<IndicatorInput>::Move { position };
        let done = edit(access, RowTarget::Existing { id }, input.expected_version, moved).await?;
        Ok(indicator_payload(done))
    }

    /// Adds a fund item at `position` (left out: last). Items that do not yet add up to the
    /// annual request are saved, with a FUND_ITEMS_MISMATCH finding until they do.
    async fn add_fund_item(&self, ctx: &Context<'_>, input: AddFundItemInput) -> Result<FundItemPayload> {
        let access = access(ctx)?;
        let project_id = decode(&input.project_id, Kind::Project)?;
        let position = match input.position.map(position).transpose() {
            Ok(p) => p,
            Err(problem) => return Ok(fund_item_payload(refused(problem))),
        };
        let row = FundItemInput::from(input.fund_item);
        let target = RowTarget::NewIn { project_id };
        let done = edit(access, target, input.expected_version, RowEdit::Add { position, row }).await?;
        Ok(fund_item_payload(done))
    }

    /// Changes the name or amount of one fund item.
    async fn update_fund_item(&self, ctx: &Context<'_>, input: UpdateFundItemInput) -> Result<FundItemPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::FundItem)?;
        let version = input.expected_version;
        let change: RowEdit<FundItemInput> = RowEdit::Update(Box::new(input.change()));
        let done = edit(access, RowTarget::Existing { id }, version, change).await?;
        Ok(fund_item_payload(done))
    }

    /// Removes one fund item; those after it move up.
    async fn remove_fund_item(&self, ctx: &Context<'_>, input: RemoveFundItemInput) -> Result<FundItemPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::FundItem)?;
        let done =
            edit::<FundItemInput>(access, RowTarget::Existing { id }, input.expected_version, RowEdit::Remove).await?;
        Ok(fund_item_payload(done))
    }

    /// Moves one fund item to `position` (past the end: last).
    async fn move_fund_item(&self, ctx: &Context<'_>, input: MoveFundItemInput) -> Result<FundItemPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::FundItem)?;
        let position = match position(input.position) {
            Ok(p) => p,
            Err(problem) => return Ok(fund_item_payload(refused(problem))),
        };
        let moved = RowEdit::<FundItemInput>::Move { position };
        let done = edit(access, RowTarget::Existing { id }, input.expected_version, moved).await?;
        Ok(fund_item_payload(done))
    }
}
