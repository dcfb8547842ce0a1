//! Remarks on a line of the form: a reviewer adds them while deciding, the unit answers each
//! while it edits (every one must be answered before it submits again).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use crate::graphql::access::access;
use crate::graphql::declaration::review_remark::ReviewRemark;
use crate::graphql::payload::{UserError, outcome};
use crate::ids::{Kind, decode};

#[derive(InputObject)]
pub struct AddReviewRemarkInput {
    pub project_id: ID,
    /// The box the remark is about, as a field path (`funds.total`, `indicators[3].target`).
    pub field: Option<String>,
    /// The indicator the remark is about. At least one of `field` and `indicatorId`.
    pub indicator_id: Option<ID>,
    /// What is wrong, 1 to 2,000 characters.
    pub text: String,
}

#[derive(InputObject)]
pub struct AnswerReviewRemarkInput {
    pub id: ID,
    /// What was done about it, 1 to 2,000 characters.
    pub answer: String,
}

#[derive(SimpleObject)]
pub struct ReviewRemarkPayload {
    pub remark: Option<ReviewRemark>,
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct RemarkMutation;

#[Object]
impl RemarkMutation {
    /// 审核意见: a remark on a box or an indicator of a project under review, by whoever may
    /// decide it now (an approver on a SUBMITTED project or adjustment, the department reviewer
    /// on a DEPARTMENT_REVIEW one). At most 200 remarks per project.
    async fn add_review_remark(&self, ctx: &Context<'_>, input: AddReviewRemarkInput) -> Result<ReviewRemarkPayload> {
        let access = access(ctx)?;
        let project_id = decode(&input.project_id, Kind::Project)?;
        let indicator_id = input.indicator_id.as_ref().map(|i| decode(i, Kind::Indicator)).transpose()?;
        let result = access.projects().add_remark(project_id, input.field.as_deref(), indicator_id, &input.text).await;
        let (remark, user_errors) = outcome(result)?;
        Ok(ReviewRemarkPayload { remark: remark.map(ReviewRemark), user_errors })
    }

    /// Answers a remark while the project is being edited (again, if need be: the last answer
    /// stands). Submitters of the project's department.
    async fn answer_review_remark(
        &self,
        ctx: &Context<'_>,
        input: AnswerReviewRemarkInput,
    ) -> Result<ReviewRemarkPayload> {
        let access = access(ctx)?;
        let id = decode(&input.id, Kind::ReviewRemark)?;
        let (remark, user_errors) = outcome(access.projects().answer_remark(id, &input.answer).await)?;
        Ok(ReviewRemarkPayload { remark: remark.map(ReviewRemark), user_errors })
    }
}
