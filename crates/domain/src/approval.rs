//! 批复: what an approval grants and how approvals are issued (批复下达).
//!
//! "谁批复预算，谁批复目标": the bureau approves a project's targets together with its budget, and
//! the budget approved (批复金额) may be less than the request (核减). What later stages measure
//! against (a monitoring report's and a self-evaluation's execution rate) is the amount approved,
//! not the amount asked for. Approved projects then go out to their department under one issuing
//! act (批复文号 and date) per department and year.

use chrono::NaiveDate;

use crate::{Message, Money, Problem, ProblemCode};

/// The longest 批复文号 kept (a real one, "松财预〔2023〕12号", is a dozen characters).
pub const MAX_DOCUMENT_NO: usize = 100;

/// The amount an approval grants: `given`, or the whole `request` when none is given. Never above
/// the request; a cut (核减) below it needs the approver's comment saying why; never nothing (a
/// project given nothing is sent back, not approved).
pub fn approved_amount(request: Option<Money>, given: Option<Money>, comment: &str) -> Result<Money, Problem> {
    let Some(approved) = given else { return Ok(request.unwrap_or_default()) };
    let approved = within_request(request, approved)?;
    let request = request.unwrap_or_default();
    if approved < request && comment.trim().is_empty() {
        return Err(Problem::new(
            "comment",
            ProblemCode::InvalidInput,
            Message::new(
                format!("核减 {} 元须在意见中写明理由", cut(request, approved)),
                format!("a cut of {} needs its reason in the comment", cut(request, approved)),
            ),
        ));
    }
    Ok(approved)
}

/// The amount the bureau decided beforehand (结果应用's 安排数), granted by an approval that names
/// none: its reason was given with the decision, so only its bounds are checked here.
pub fn approved_as_decided(request: Option<Money>, decided: Money) -> Result<Money, Problem> {
    within_request(request, decided)
}

/// Never above the request, never nothing.
fn within_request(request: Option<Money>, approved: Money) -> Result<Money, Problem> {
    let request = request.unwrap_or_default();
    let field = "approvedAmount";
    if approved > request {
        return Err(Problem::new(
            field,
            ProblemCode::InvalidInput,
            Message::new(
                format!("批复金额 {approved} 元超过了年度资金申请总额 {request} 元：批复不能多于申请"),
                format!(
                    "the approved amount {approved} exceeds the annual request {request}: an approval cannot grant more than was asked"
                ),
            ),
        ));
    }
    if approved == Money::ZERO {
        return Err(Problem::new(
            field,
            ProblemCode::InvalidInput,
            Message::new(
                "批复金额不能为零：不予安排资金的项目请退回",
                "the approved amount cannot be zero: send back a project that gets no funds",
            ),
        ));
    }
    Ok(approved)
}

/// 核减: how much less than the request was approved (nothing when approved whole).
pub fn cut(request: Money, approved: Money) -> Money {
    Money::from_fen((request.fen() - approved.fen()).max(0))
}

/// Checks an issuing act's document number: its text, trimmed, not empty, not too long.
pub fn document_no(text: &str) -> Result<String, Problem> {
    let trimmed = text.trim();
    let problem = |zh: String, en: String| Problem::new("documentNo", ProblemCode::InvalidInput, Message::new(zh, en));
    if trimmed.is_empty() {
        return Err(problem("请填写批复文号".into(), "give the approval's document number".into()));
    }
    if trimmed.chars().count() > MAX_DOCUMENT_NO {
        return Err(problem(
            format!("批复文号最长 {MAX_DOCUMENT_NO} 个字"),
            format!("a document number has at most {MAX_DOCUMENT_NO} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(problem(
            "批复文号含有控制字符，请删除".into(),
            "the document number contains control characters: remove them".into(),
        ));
    }
    Ok(trimmed.to_string())
}

/// An act is dated within its fiscal year's budget cycle: from the autumn before the year (a
/// budget approved early) to the end of the year after it (a late adjustment's act).
pub fn check_issued_on(fiscal_year: i32, issued_on: NaiveDate) -> Result<(), Problem> {
    use chrono::Datelike;
    if (fiscal_year - 1..=fiscal_year + 1).contains(&issued_on.year()) {
        return Ok(());
    }
    Err(Problem::new(
        "issuedOn",
        ProblemCode::InvalidInput,
        Message::new(
            format!(
                "批复日期 {issued_on} 不在 {fiscal_year} 年度的预算周期内（{} 年至 {} 年）",
                fiscal_year - 1,
                fiscal_year + 1
            ),
            format!(
                "the act's date {issued_on} is outside the budget cycle of {fiscal_year} ({} to {})",
                fiscal_year - 1,
                fiscal_year + 1
            ),
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(text: &str) -> Money {
        Money::parse_yuan(text).unwrap()
    }

    #[test]
    fn an_approval_grants_the_request_unless_told_otherwise() {
        assert_eq!(approved_amount(Some(yuan("2371500.00")), None, ""), Ok(yuan("2371500.00")));
        assert_eq!(approved_amount(Some(yuan("2371500.00")), Some(yuan("2371500.00")), ""), Ok(yuan("2371500.00")));
        assert_eq!(approved_amount(None, None, ""), Ok(Money::ZERO), "a request unknown grants nothing");
    }

    #[test]
    fn a_cut_needs_its_reason_and_never_exceeds_the_request() {
        let request = Some(yuan("2371500.00"));
        let cut_without_reason = approved_amount(request, Some(yuan("2300000.00")), "  ").unwrap_err();
        assert_eq!(
            (cut_without_reason.field.as_str(), cut_without_reason.code),
            ("comment", ProblemCode::InvalidInput)
        );
        assert!(cut_without_reason.message.zh().contains("71500.00"), "{}", cut_without_reason.message.zh());
        assert_eq!(approved_amount(request, Some(yuan("2300000.00")), "压减会务费"), Ok(yuan("2300000.00")));
        assert_eq!(approved_amount(request, Some(yuan("2371499.99")), "一分").map(|m| m.fen()), Ok(237_149_999));
        let above = approved_amount(request, Some(yuan("2371500.01")), "多给").unwrap_err();
        assert_eq!(above.field, "approvedAmount");
        assert!(above.message.en().contains("exceeds"), "{}", above.message.en());
        assert!(approved_amount(request, Some(Money::ZERO), "不给").is_err(), "nothing is a rejection");
        assert_eq!(approved_amount(request, Some(Money::from_fen(1)), "一分钱").map(|m| m.fen()), Ok(1));
    }

    #[test]
    fn a_decided_amount_is_granted_without_a_comment_within_the_request() {
        let request = Some(yuan("100000.00"));
        assert_eq!(approved_as_decided(request, yuan("90000.00")), Ok(yuan("90000.00")));
        assert!(approved_as_decided(request, yuan("100000.01")).is_err());
        assert!(approved_as_decided(request, Money::ZERO).is_err(), "held: send it back instead");
    }

    #[test]
    fn the_cut_is_the_difference_and_never_negative() {
        assert_eq!(cut(yuan("2371500.00"), yuan("2300000.00")), yuan("71500.00"));
        assert_eq!(cut(yuan("100.00"), yuan("100.00")), Money::ZERO);
        assert_eq!(cut(yuan("100.00"), yuan("100.01")), Money::ZERO);
    }

    #[test]
    fn document_numbers_are_trimmed_bounded_and_printable() {
        assert_eq!(document_no("  松财预〔2023〕12号 ").as_deref(), Ok("松财预〔2023〕12号"));
        assert!(document_no("   ").is_err());
        assert!(document_no(&"号".repeat(MAX_DOCUMENT_NO)).is_ok());
        assert!(document_no(&"号".repeat(MAX_DOCUMENT_NO + 1)).is_err());
        assert!(document_no("松财\n预").is_err());
    }

    #[test]
    fn an_act_is_dated_within_its_budget_cycle() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(check_issued_on(2023, day(2023, 1, 20)).is_ok());
        assert!(check_issued_on(2023, day(2022, 1, 1)).is_ok());
        assert!(check_issued_on(2023, day(2024, 12, 31)).is_ok());
        assert!(check_issued_on(2023, day(2021, 12, 31)).is_err());
        assert!(check_issued_on(2023, day(2025, 1, 1)).is_err());
    }
}
