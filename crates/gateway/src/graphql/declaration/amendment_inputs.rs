//! The amendments a 良 (GOOD) approval carries, as the API takes them.

use async_graphql::{ID, InputObject, MaybeUndefined};
use jixiao_domain::indicator::MAX_INDICATORS;
use jixiao_store::projects::amendments::{Amendments, IndicatorAmendment};

use crate::error::{ApiError, ApiResult};
use crate::graphql::declaration::inputs::SectionsInput;
use crate::ids::{Kind, decode};

/// 良 (GOOD) carries the amendments agreed with the department (财预〔2015〕88号): text boxes and
/// indicator rows completed within the approval, checked as any edit is (and complete enough to
/// submit), kept in the snapshot in force and shown by `Project.changes` against the submission.
/// Only with `grade: GOOD`.
#[derive(InputObject)]
pub struct ApprovalAmendmentsInput {
    /// The sections given replace theirs.
    pub sections: Option<SectionsInput>,
    pub overall_goal: Option<String>,
    pub annual_goal: Option<String>,
    /// At most 200 rows.
    #[graphql(default)]
    pub indicators: Vec<IndicatorAmendmentInput>,
}

/// One indicator row's agreed change; a field left out stays.
#[derive(InputObject)]
pub struct IndicatorAmendmentInput {
    /// The row (`Project.indicators.id`).
    pub id: ID,
    /// 三级指标
    pub name: Option<String>,
    /// 年度指标值 as text, e.g. "≥95%".
    pub target: Option<String>,
    /// `null` clears it.
    pub note: MaybeUndefined<String>,
}

/// One project's amendments in `approveProjects`.
#[derive(InputObject)]
pub struct ProjectAmendmentsInput {
    /// One of the `ids` approved.
    pub project_id: ID,
    pub amendments: ApprovalAmendmentsInput,
}

impl ApprovalAmendmentsInput {
    pub fn into_store(self) -> ApiResult<Amendments> {
        if self.indicators.len() > MAX_INDICATORS {
            return Err(ApiError::bad_input(
                format!("amendments.indicators 最多 {MAX_INDICATORS} 行"),
                format!("amendments.indicators holds at most {MAX_INDICATORS} rows"),
            ));
        }
        let indicators = self
            .indicators
            .into_iter()
            .map(|a| {
                Ok(IndicatorAmendment {
                    id: decode(&a.id, Kind::Indicator)?,
                    name: a.name,
                    target: a.target,
                    note: match a.note {
                        MaybeUndefined::Undefined => None,
                        MaybeUndefined::Null => Some(None),
                        MaybeUndefined::Value(note) => Some(Some(note)),
                    },
                })
            })
            .collect::<ApiResult<Vec<_>>>()?;
        let (sections, overall_goal, annual_goal) = (self.sections, self.overall_goal, self.annual_goal);
        let text = Box::new(move |t: &mut jixiao_domain::FormText| {
            if let Some(sections) = sections {
                sections.apply_to(&mut t.sections);
            }
            if let Some(goal) = overall_goal {
                t.overall_goal = goal;
            }
            if let Some(goal) = annual_goal {
                t.annual_goal = goal;
            }
        });
        Ok(Amendments { text, indicators })
    }
}
