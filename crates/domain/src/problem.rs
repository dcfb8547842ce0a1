//! A problem the user can fix, with the field it concerns: what `userErrors` carry.

use std::fmt;

use crate::message::Message;

// Stable codes of problems a user can fix; front ends switch on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = "UserErrorCode"))]
pub enum ProblemCode {
    // A value is missing, too long, malformed or not allowed here.
    InvalidInput,
    // The funds do not add up (or the fund items do not sum to the annual request).
    FundsMismatch,
    // A target value parses as neither quantitative nor qualitative.
    InvalidTarget,
    // The declaration is not complete enough to submit.
    Incomplete,
    // The project changed since the version the client edited.
    VersionConflict,
    // The project's status does not allow this action.
    InvalidTransition,
    // Something with the same unique key exists already.
    AlreadyExists,
    // When one thing is acted on, this is the top-level NOT_FOUND error instead.
    /// Of several things acted on at once (`approveProjects`), this one does not exist or you
    /// may not see it.
    NotFound,
    // When one thing is acted on, this is the top-level FORBIDDEN error instead.
    /// Of several things acted on at once, this one you may not act on.
    Forbidden,
}

impl ProblemCode {
    pub const fn label(self) -> &'static str {
        match self {
            ProblemCode::InvalidInput => "输入有误",
            ProblemCode::FundsMismatch => "资金不平衡",
            ProblemCode::InvalidTarget => "指标值无法识别",
            ProblemCode::Incomplete => "内容不完整",
            ProblemCode::VersionConflict => "已被他人修改",
            ProblemCode::InvalidTransition => "当前状态不允许此操作",
            ProblemCode::AlreadyExists => "已存在",
            ProblemCode::NotFound => "不存在或无权查看",
            ProblemCode::Forbidden => "无权操作",
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            ProblemCode::InvalidInput => "INVALID_INPUT",
            ProblemCode::FundsMismatch => "FUNDS_MISMATCH",
            ProblemCode::InvalidTarget => "INVALID_TARGET",
            ProblemCode::Incomplete => "INCOMPLETE",
            ProblemCode::VersionConflict => "VERSION_CONFLICT",
            ProblemCode::InvalidTransition => "INVALID_TRANSITION",
            ProblemCode::AlreadyExists => "ALREADY_EXISTS",
            ProblemCode::NotFound => "NOT_FOUND",
            ProblemCode::Forbidden => "FORBIDDEN",
        }
    }
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem: the input path it concerns (`funds.total`, `indicators[3].target`), a message a
/// person can act on, and a stable code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: Message,
    pub code: ProblemCode,
}

impl Problem {
    pub fn new(field: impl Into<String>, code: ProblemCode, message: Message) -> Problem {
        Problem { field: field.into(), message, code }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]: {}", self.field, self.code, self.message)
    }
}

/// What a box of the form is called, in Chinese and English: `("项目名称", "the project name")`.
pub type Label<'a> = (&'a str, &'a str);

/// What is wrong with a text for a box: a NUL, blank where required, or too long.
pub fn text_problem(label: Label, text: &str, max: usize, required: bool) -> Option<Message> {
    let (zh, en) = label;
    let chars = text.chars().count();
    if text.contains('\0') {
        Some(Message::new(
            format!("{zh}含有空字符（\\u0000），请删除后再保存"),
            format!("{en} contains a NUL character (\\u0000): remove it"),
        ))
    } else if required && text.trim().is_empty() {
        Some(Message::new(format!("请填写{zh}"), format!("{en} is required")))
    } else if chars > max {
        Some(Message::new(
            format!("{zh}共 {chars} 个字，最多 {max} 个字"),
            format!("{en} is {chars} characters long; at most {max} are allowed"),
        ))
    } else {
        None
    }
}

/// Collects problems so that a check reports every one at once rather than stopping at the first.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn push(&mut self, field: impl Into<String>, code: ProblemCode, message: Message) {
        self.0.push(Problem::new(field, code, message));
    }

    pub fn extend(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Requires a text to be non-blank (when `required`) and at most `max` characters, without
    /// NUL (which no database text can hold). `label` names the box in Chinese and English.
    pub fn check_text(&mut self, field: &str, label: Label, text: &str, max: usize, required: bool) {
        if let Some(message) = text_problem(label, text, max, required) {
            self.push(field, ProblemCode::InvalidInput, message);
        }
    }

    pub fn into_result<T>(self, value: T) -> Result<T, Vec<Problem>> {
        if self.0.is_empty() { Ok(value) } else { Err(self.0) }
    }

    pub fn into_vec(self) -> Vec<Problem> {
        self.0
    }
}
