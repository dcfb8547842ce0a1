//! Remarks on a line of the form (审核意见): a reviewer points at a box (`funds.total`,
//! `sections.basis`) or an indicator (by id, optionally with the box within it, `target`) and
//! says what is wrong; the unit answers each one before it submits again, and the next reviewer
//! sees which were answered.

use crate::message::Message;
use crate::problem::{Problem, ProblemCode, Problems};

/// The longest remark or answer, in characters.
pub const MAX_REMARK: usize = 2_000;
/// The longest field path, in characters.
pub const MAX_FIELD_PATH: usize = 200;
/// The most remarks one project may carry (a form has fewer lines than this).
pub const MAX_REMARKS: u64 = 200;

/// What a reviewer writes: where (a field path, an indicator, or both) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemarkInput<'a> {
    pub field: Option<&'a str>,
    pub indicator_id: Option<i64>,
    pub text: &'a str,
}

/// A field path as the API names the form's boxes: names of letters, digits and `_`, joined by
/// dots, each optionally indexed (`indicators[3].target`).
fn is_field_path(path: &str) -> bool {
    !path.is_empty()
        && path.split('.').all(|part| {
            let (name, index) = match part.split_once('[') {
                Some((name, rest)) => (name, Some(rest)),
                None => (part, None),
            };
            let name_ok = !name.is_empty()
                && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            let index_ok = index.is_none_or(|rest| {
                rest.strip_suffix(']').is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            });
            name_ok && index_ok
        })
}

/// Checks a remark: it points somewhere (a well-formed field path or an indicator) and says
/// something (1–2,000 characters, no NUL). Every problem at once.
pub fn check_remark(remark: &RemarkInput<'_>) -> Result<(), Vec<Problem>> {
    let mut problems = Problems::default();
    let field = remark.field.map(str::trim).filter(|f| !f.is_empty());
    if field.is_none() && remark.indicator_id.is_none() {
        problems.push(
            "field",
            ProblemCode::InvalidInput,
            Message::new(
                "请指明意见针对的栏目（field）或绩效指标（indicatorId）",
                "say which box (field) or indicator (indicatorId) the remark is about",
            ),
        );
    }
    if let Some(path) = field
        && (path.chars().count() > MAX_FIELD_PATH || !is_field_path(path))
    {
        problems.push(
            "field",
            ProblemCode::InvalidInput,
            Message::new(
                format!("栏目路径「{}」无法识别：应形如 funds.total 或 indicators[3].target", short(path)),
                format!(
                    "the field path {:?} does not read: write it like funds.total or indicators[3].target",
                    short(path)
                ),
            ),
        );
    }
    problems.check_text("text", ("审核意见", "the remark"), remark.text, MAX_REMARK, true);
    problems.into_result(())
}

/// The problem of a remark beyond [`MAX_REMARKS`] on one project.
pub fn too_many() -> Problem {
    Problem::new(
        "projectId",
        ProblemCode::InvalidInput,
        Message::new(
            format!("该项目已有 {MAX_REMARKS} 条审核意见，不能再添加：请合并意见，或退回后由单位逐条答复"),
            format!(
                "this project has {MAX_REMARKS} remarks already, the most allowed: combine them, or send it back to be answered"
            ),
        ),
    )
}

/// Checks an answer to a remark: 1–2,000 characters, no NUL.
pub fn check_answer(answer: &str) -> Result<(), Vec<Problem>> {
    let mut problems = Problems::default();
    problems.check_text("answer", ("答复", "the answer"), answer, MAX_REMARK, true);
    problems.into_result(())
}

/// The problem a submission has while a remark is still unanswered: the unit must answer each
/// before it submits again. `remark` is the remark's text, quoted shortened.
pub fn unanswered(index: usize, remark: &str) -> Problem {
    Problem::new(
        format!("remarks[{index}]"),
        ProblemCode::Incomplete,
        Message::new(
            format!("审核意见「{}」尚未答复：请逐条答复后再提交", short(remark)),
            format!("the remark {:?} is not answered yet: answer each remark before submitting again", short(remark)),
        ),
    )
}

/// At most 30 characters of a text, for quoting it in a message.
fn short(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(30).collect();
    if chars.next().is_some() { format!("{head}…") } else { head }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(r: Result<(), Vec<Problem>>) -> Vec<String> {
        r.err().unwrap_or_default().into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn field_paths_read_as_the_api_names_boxes() {
        for ok in ["name", "funds.total", "indicators[3].target", "sections.basis", "fund_items[0]"] {
            assert!(is_field_path(ok), "{ok}");
        }
        for bad in ["", ".", "funds.", "a..b", "x[]", "x[a]", "x[1", "3d", "名称", "funds total", "a]"] {
            assert!(!is_field_path(bad), "{bad}");
        }
    }

    #[test]
    fn a_remark_points_somewhere_and_says_something() {
        let ok = RemarkInput { field: Some("funds.total"), indicator_id: None, text: "资金测算依据不足" };
        assert!(check_remark(&ok).is_ok());
        assert!(check_remark(&RemarkInput { field: None, indicator_id: Some(7), text: "指标值过低" }).is_ok());
        assert_eq!(fields(check_remark(&RemarkInput { field: Some("  "), indicator_id: None, text: "x" })), ["field"]);
        assert_eq!(
            fields(check_remark(&RemarkInput { field: Some("资金"), indicator_id: None, text: " " })),
            ["field", "text"]
        );
        let long = "长".repeat(MAX_REMARK + 1);
        assert_eq!(fields(check_remark(&RemarkInput { field: None, indicator_id: Some(1), text: &long })), ["text"]);
        assert_eq!(fields(check_answer("")), ["answer"]);
        assert!(check_answer("已补充测算依据").is_ok());
        assert!(unanswered(2, &"很长的意见".repeat(10)).message.zh().ends_with("请逐条答复后再提交"));
    }

    /// A path of the longest length is read; one longer is refused (and quoted cut short).
    #[test]
    fn field_paths_have_a_length_and_quotes_are_cut_at_thirty_characters() {
        let at_limit = "a".repeat(MAX_FIELD_PATH);
        let remark =
            |field: &str| fields(check_remark(&RemarkInput { field: Some(field), indicator_id: None, text: "x" }));
        assert!(remark(&at_limit).is_empty());
        assert_eq!(remark(&format!("{at_limit}a")), ["field"]);
        assert_eq!(short("资金测算依据不足"), "资金测算依据不足", "a short text is quoted whole");
        let long = "一二三四五六七八九十".repeat(4);
        assert_eq!(short(&long), format!("{}…", "一二三四五六七八九十".repeat(3)));
        assert!(unanswered(2, &long).message.zh().contains(&short(&long)));
    }
}
