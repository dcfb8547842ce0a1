//! 良 carries the agreed amendments (财预〔2015〕88号): an approval graded GOOD may complete the
//! declaration with its department — its text boxes and its indicator rows (name, target, note) —
//! inside the approval's own transaction, checked as any edit is, so that what is approved (the
//! snapshot in force) is what was agreed, and `Project.changes` shows it against the submission.

use jixiao_domain::{Declaration, FormText, Message, ProblemCode};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::*;
use crate::entity::{indicator, project};
use crate::error::{StoreError, StoreResult};
use crate::record::ProjectRecord;

/// What an approval graded GOOD changes.
pub struct Amendments {
    /// Changes to the text boxes (goals, sections), applied to the declaration as submitted.
    pub text: Box<dyn FnOnce(&mut FormText) + Send>,
    /// Changes to indicator rows, by id; a field left out stays.
    pub indicators: Vec<IndicatorAmendment>,
}

/// One indicator row's agreed change.
#[derive(Clone, Debug, Default)]
pub struct IndicatorAmendment {
    pub id: i64,
    pub name: Option<String>,
    pub target: Option<String>,
    /// `Some(None)` clears the note.
    pub note: Option<Option<String>>,
}

impl Projects<'_> {
    /// Applies `amendments` to the declaration of `current` (being approved in `conn`'s
    /// transaction): the result must be a valid declaration and complete enough to submit, the
    /// indicator rows keep their ids, and the stored findings follow. Returns the amended text.
    pub(super) async fn amend<C: ConnectionTrait>(
        &self,
        conn: &C,
        current: &ProjectRecord,
        amendments: Amendments,
    ) -> StoreResult<FormText> {
        let stored = crate::snapshots::load_identified(conn, current).await?;
        let mut input = stored.declaration.to_input();
        (amendments.text)(&mut input.text);
        let mut changed_rows = Vec::new();
        for (n, a) in amendments.indicators.into_iter().enumerate() {
            let position = stored.indicator_ids.iter().position(|id| *id == a.id).ok_or_else(|| {
                StoreError::problem(
                    &format!("amendments.indicators[{n}].id"),
                    ProblemCode::InvalidInput,
                    Message::new("这条指标不属于本项目", "this indicator is not one of the project's"),
                )
            })?;
            let row = &mut input.indicators[position];
            if let Some(name) = a.name {
                row.name = name;
            }
            if let Some(target) = a.target {
                row.target = target;
            }
            if let Some(note) = a.note {
                row.note = note;
            }
            changed_rows.push(position);
        }
        let declaration: Declaration = input.check().map_err(StoreError::Rejected)?;
        declaration.check_submission().map_err(StoreError::Rejected)?;
        if declaration.text != stored.declaration.text {
            let row = changed_columns(declaration_row(&declaration), &declaration_row(&stored.declaration));
            project::Entity::update_many().set(row).filter(project::Column::Id.eq(current.id)).exec(conn).await?;
        }
        for position in changed_rows {
            let id = stored.indicator_ids[position];
            let amended = indicator_row(Set(id), current.id, position, &declaration.indicators[position]);
            indicator::Entity::update(amended).exec(conn).await?;
        }
        crate::findings::store_findings(conn, current.id, &declaration).await?;
        Ok(declaration.text)
    }
}
