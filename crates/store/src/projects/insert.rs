//! Writing a declaration's rows: the project row, its fund items and indicators.

use chrono::Utc;
use jixiao_domain::{Declaration, Message, Money, Status};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ConnectionTrait, EntityTrait,
};

use crate::entity::{fund_item, indicator, project};
use crate::error::{StoreError, StoreResult, UniqueKey};
use crate::record::ProjectRecord;

/// The whole declaration of a project, read inside the caller's transaction (which has already
/// found the project visible).
pub(crate) async fn load_declaration<C: ConnectionTrait>(conn: &C, p: &ProjectRecord) -> StoreResult<Declaration> {
    Ok(crate::snapshots::load_identified(conn, p).await?.declaration)
}

pub(super) fn duplicate_name(d: &Declaration) -> Message {
    Message::new(
        format!("本部门 {} 年度已申报名为“{}”的项目", d.fiscal_year, d.text.name),
        format!("the department already declared a project named \"{}\" for {}", d.text.name, d.fiscal_year),
    )
}

/// The declaration's own columns of the project row.
pub(super) fn declaration_row(d: &Declaration) -> project::ActiveModel {
    let (f, t) = (&d.funds, &d.text);
    project::ActiveModel {
        fiscal_year: Set(d.fiscal_year),
        name: Set(t.name.clone()),
        category: Set(t.category.map(|c| c.code().to_string())),
        planned_start: Set(t.planned_start),
        planned_end: Set(t.planned_end),
        overview: Set(t.sections.overview.clone()),
        basis: Set(t.sections.basis.clone()),
        implementing_body: Set(t.sections.implementing_body.clone()),
        plan: Set(t.sections.plan.clone()),
        cycle: Set(t.sections.cycle.clone()),
        budget_arrangement: Set(t.sections.budget_arrangement.clone()),
        overall_goal: Set(t.overall_goal.clone()),
        annual_goal: Set(t.annual_goal.clone()),
        indicator_framework: Set(t.indicator_framework.map(|f| f.code().to_string())),
        total_fen: Set(f.total.map(Money::fen)),
        fiscal_fen: Set(f.fiscal.map(Money::fen)),
        other_fen: Set(f.other.map(Money::fen)),
        annual_request_fen: Set(f.annual_request.map(Money::fen)),
        current_year_appropriation_fen: Set(f.current_year_appropriation.map(Money::fen)),
        carryover_fen: Set(f.carryover.map(Money::fen)),
        annual_other_fen: Set(f.annual_other.map(Money::fen)),
        ..Default::default()
    }
}

/// Now, to the microsecond: what the database keeps of a time, so that a record built from
/// what was written equals the row read back.
pub(crate) fn stored_now() -> chrono::DateTime<Utc> {
    use chrono::SubsecRound;
    Utc::now().trunc_subsecs(6)
}

/// `row` without the columns whose values are those of `was` (the row as stored): what an
/// UPDATE needs to write.
pub(super) fn changed_columns(mut row: project::ActiveModel, was: &project::ActiveModel) -> project::ActiveModel {
    use sea_orm::{ActiveModelTrait, Iterable};
    for column in project::Column::iter() {
        if let (Set(new), Set(old)) = (row.get(column), was.get(column))
            && new == old
        {
            row.not_set(column);
        }
    }
    row
}

/// Inserts a new DRAFT project with its fund items and indicators, inside the caller's transaction.
pub(crate) async fn insert_declaration<C: ConnectionTrait>(
    conn: &C,
    department_id: i64,
    unit_id: i64,
    declaration: &Declaration,
    created_by: Option<i64>,
) -> StoreResult<ProjectRecord> {
    let now = stored_now();
    let mut row = declaration_row(declaration);
    row.department_id = Set(department_id);
    row.implementing_unit_id = Set(unit_id);
    row.status = Set(Status::Draft.code().to_string());
    row.version = Set(1);
    row.created_by = Set(created_by);
    row.created_at = Set(now);
    row.updated_at = Set(now);
    row.submitted_at = Set(None);
    row.deleted_at = Set(None);
    let id = project::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(StoreError::unique_as(UniqueKey::ProjectName, duplicate_name(declaration)))?
        .last_insert_id;
    insert_children(conn, id, declaration).await?;
    crate::findings::insert_findings(conn, id, declaration).await?;
    // The row as written, built rather than returned: the insert names only the columns a new
    // draft sets, so an import also runs on a schema a few migration steps behind (the
    // migration test puts the seed in halfway up).
    Ok(ProjectRecord {
        id,
        department_id,
        implementing_unit_id: unit_id,
        fiscal_year: declaration.fiscal_year,
        status: Status::Draft,
        version: 1,
        text: declaration.text.clone(),
        funds: declaration.funds.clone(),
        created_at: now,
        updated_at: now,
        submitted_at: None,
        previous_project_id: None,
        approved_amount: None,
        approval_issue_id: None,
    })
}

pub(super) async fn insert_children<C: ConnectionTrait>(conn: &C, project_id: i64, d: &Declaration) -> StoreResult<()> {
    insert_fund_items(conn, project_id, d, &[]).await?;
    insert_indicators(conn, project_id, d, &[]).await
}

/// The row's id: the one given (a row put back as it was), or a new one.
pub(super) fn row_id(ids: &[i64], i: usize) -> sea_orm::ActiveValue<i64> {
    ids.get(i).map_or(NotSet, |id| Set(*id))
}

/// Inserts the declaration's fund items, with the ids in `ids` (as many as there are rows) or,
/// when it is empty, new ones.
pub(super) async fn insert_fund_items<C: ConnectionTrait>(
    conn: &C,
    project_id: i64,
    d: &Declaration,
    ids: &[i64],
) -> StoreResult<()> {
    if !d.fund_items.is_empty() {
        let rows = d.fund_items.iter().enumerate().map(|(i, item)| fund_item_row(row_id(ids, i), project_id, i, item));
        fund_item::Entity::insert_many(rows).exec(conn).await?;
    }
    Ok(())
}

/// Inserts the declaration's indicators, with the ids in `ids` or new ones (as for fund items).
pub(super) async fn insert_indicators<C: ConnectionTrait>(
    conn: &C,
    project_id: i64,
    d: &Declaration,
    ids: &[i64],
) -> StoreResult<()> {
    if !d.indicators.is_empty() {
        let rows = d.indicators.iter().enumerate().map(|(i, row)| indicator_row(row_id(ids, i), project_id, i, row));
        indicator::Entity::insert_many(rows).exec(conn).await?;
    }
    Ok(())
}

/// A fund item's row: `item` at `position` of project `project_id`.
pub(crate) fn fund_item_row(
    id: sea_orm::ActiveValue<i64>,
    project_id: i64,
    position: usize,
    item: &jixiao_domain::FundItem,
) -> fund_item::ActiveModel {
    fund_item::ActiveModel {
        id,
        project_id: Set(project_id),
        position: Set(position as i32),
        name: Set(item.name.clone()),
        amount_fen: Set(item.amount.fen()),
    }
}

/// An indicator's row: `row` at `position` of project `project_id`, its target as typed.
pub(crate) fn indicator_row(
    id: sea_orm::ActiveValue<i64>,
    project_id: i64,
    position: usize,
    row: &jixiao_domain::Indicator,
) -> indicator::ActiveModel {
    indicator::ActiveModel {
        id,
        project_id: Set(project_id),
        position: Set(position as i32),
        level1: Set(row.level1.code().to_string()),
        level2: Set(row.level2.code().to_string()),
        name: Set(row.name.clone()),
        target_text: Set(row.target.text().to_string()),
        note: Set(row.note.clone()),
        // Left out of the statement when there is none, so that importing works on a schema from
        // before the library (the migration tests import at step 12).
        library_entry_id: row.library_entry_id.map_or(sea_orm::ActiveValue::NotSet, |id| Set(Some(id))),
    }
}
