//! The grade a reviewer gives with a decision (财预〔2015〕88号, 第二十七条): 优 approve, 良
//! approve after the agreed edits, 中 send back to be revised, 差 not approved (a final status
//! the unit can only copy into a new draft), with the scores of the four criteria — 完整性,
//! 相关性, 适当性, 可行性, each 0–25 — whose sum must fall in the grade's band (the same bands as
//! a self-evaluation: ≥ 90 优, ≥ 80 良, ≥ 60 中, else 差).

use serde::{Deserialize, Serialize};

use crate::evaluation::{Grade, Points};
use crate::message::Message;
use crate::problem::{Problem, ProblemCode, Problems};
use crate::workflow::{ReviewAction, Status};

/// The most each criterion scores.
pub const MAX_CRITERION: i32 = 25;

/// The four criteria's scores, each 0–25.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriteriaScores {
    /// 完整性: the declaration is whole (every table, every required line).
    pub completeness: i32,
    /// 相关性: the goals and indicators follow from the project's purpose.
    pub relevance: i32,
    /// 适当性: the targets and the money are in proportion.
    pub appropriateness: i32,
    /// 可行性: the plan can be carried out as written.
    pub feasibility: i32,
}

impl CriteriaScores {
    /// (field, label, score) of each criterion, in the form's order.
    pub fn each(&self) -> [(&'static str, &'static str, i32); 4] {
        [
            ("completeness", "完整性", self.completeness),
            ("relevance", "相关性", self.relevance),
            ("appropriateness", "适当性", self.appropriateness),
            ("feasibility", "可行性", self.feasibility),
        ]
    }

    pub fn total(&self) -> i32 {
        self.each().iter().map(|(_, _, s)| s).sum()
    }
}

/// A grade with the decision, and the scores it rests on when the reviewer gave them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grading {
    pub grade: Grade,
    pub scores: Option<CriteriaScores>,
}

impl Grading {
    /// The grading a reviewer asked for: none, a grade, or a grade with its scores. Scores
    /// without a grade are refused rather than graded by their band: the reviewer states the
    /// grade, the scores back it.
    pub fn asked(grade: Option<Grade>, scores: Option<CriteriaScores>) -> Result<Option<Grading>, Problem> {
        match (grade, scores) {
            (Some(grade), scores) => Ok(Some(Grading { grade, scores })),
            (None, None) => Ok(None),
            (None, Some(_)) => Err(Problem::new(
                "grade",
                ProblemCode::InvalidInput,
                Message::new(
                    "给出了四项得分，请同时给出等级（优、良、中、差）",
                    "scores were given without a grade: give the grade too",
                ),
            )),
        }
    }
}

impl Grade {
    /// Whether a project of this grade is approved (优, 良) or sent back (中, 差).
    pub const fn approves(self) -> bool {
        matches!(self, Grade::Excellent | Grade::Good)
    }
}

/// Checks a grading given with `action` on a project now in `from`: the grade must agree with
/// the decision, a 差 cannot end an adjustment (the approved targets stay in force: send it
/// back instead), each score must be 0–25 and their sum in the grade's band. Every problem is
/// reported at once, at `input.grade` or `input.scores.<criterion>`.
pub fn check_grading(action: ReviewAction, from: Status, grading: &Grading) -> Result<(), Vec<Problem>> {
    let mut problems = Problems::default();
    let grade = grading.grade;
    match action {
        ReviewAction::Approve if !grade.approves() => problems.push(
            "grade",
            ProblemCode::InvalidInput,
            Message::new(
                format!("评为{}的项目不能审核通过：中请退回修改，差为不予通过（均用退回）", grade.label()),
                format!(
                    "a project graded {} is not approved: send it back (FAIR to be revised, POOR not approved)",
                    grade.code()
                ),
            ),
        ),
        ReviewAction::Reject if grade.approves() => problems.push(
            "grade",
            ProblemCode::InvalidInput,
            Message::new(
                format!("评为{}的项目应审核通过，而不是退回", grade.label()),
                format!("a project graded {} is approved, not sent back", grade.code()),
            ),
        ),
        ReviewAction::Reject if grade == Grade::Poor && from == Status::AdjustmentSubmitted => problems.push(
            "grade",
            ProblemCode::InvalidInput,
            Message::new(
                "调整申请不能评为差：退回调整即可，已批复的目标仍然有效",
                "an adjustment cannot be graded POOR: send it back; the approved targets stay in force",
            ),
        ),
        ReviewAction::Reject if from == Status::DepartmentReview => problems.push(
            "grade",
            ProblemCode::InvalidInput,
            Message::new(
                "部门审核不评级：等级由财政审核时给出",
                "a department's review is not graded: the bureau grades when it decides",
            ),
        ),
        ReviewAction::Approve | ReviewAction::Reject => {}
        _ => problems.push(
            "grade",
            ProblemCode::InvalidInput,
            Message::new("只有审核通过或退回时才能评级", "a grade is given only when approving or sending back"),
        ),
    }
    if let Some(scores) = grading.scores {
        let mut in_range = true;
        for (field, label, score) in scores.each() {
            if !(0..=MAX_CRITERION).contains(&score) {
                in_range = false;
                problems.push(
                    format!("scores.{field}"),
                    ProblemCode::InvalidInput,
                    Message::new(
                        format!("{label}得分为 {score}，须在 0 到 {MAX_CRITERION} 分之间"),
                        format!("the {field} score is {score}; it must be between 0 and {MAX_CRITERION}"),
                    ),
                );
            }
        }
        let total = scores.total();
        let band = Grade::of(Points(i64::from(total) * 100));
        if in_range && band != grade {
            problems.push(
                "grade",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("四项得分合计 {total} 分，对应等级为{}，与所评等级{}不符", band.label(), grade.label()),
                    format!("the four scores add up to {total}, which is {}, not {}", band.code(), grade.code()),
                ),
            );
        }
    }
    problems.into_result(())
}

/// 良 carries the agreed amendments (财预〔2015〕88号): only an approval graded 良 GOOD completes the
/// declaration with its department inside the approval. 优 needs no change; 中 and 差 send the
/// declaration back, where the unit makes the changes itself.
pub fn check_amendments(action: ReviewAction, grade: Option<Grade>) -> Result<(), Problem> {
    if action == ReviewAction::Approve && grade == Some(Grade::Good) {
        return Ok(());
    }
    Err(Problem::new(
        "amendments",
        ProblemCode::InvalidInput,
        Message::new(
            "只有评为“良”的审核通过可以附带与部门商定的修改：“优”无需修改，“中”“差”请退回由单位修改",
            "only an approval graded GOOD carries the amendments agreed with the department: EXCELLENT needs none, FAIR and POOR send the declaration back for the unit to change",
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(each: [i32; 4]) -> Option<CriteriaScores> {
        let [completeness, relevance, appropriateness, feasibility] = each;
        Some(CriteriaScores { completeness, relevance, appropriateness, feasibility })
    }

    fn fields(r: Result<(), Vec<Problem>>) -> Vec<String> {
        r.err().unwrap_or_default().into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn only_an_approval_graded_good_carries_amendments() {
        assert!(check_amendments(ReviewAction::Approve, Some(Grade::Good)).is_ok());
        for (action, grade) in [
            (ReviewAction::Approve, Some(Grade::Excellent)),
            (ReviewAction::Approve, None),
            (ReviewAction::Reject, Some(Grade::Fair)),
            (ReviewAction::Reject, Some(Grade::Poor)),
            (ReviewAction::Reject, Some(Grade::Good)),
        ] {
            assert_eq!(check_amendments(action, grade).unwrap_err().field, "amendments", "{action:?} {grade:?}");
        }
    }

    #[test]
    fn scores_need_a_grade() {
        assert_eq!(Grading::asked(None, None), Ok(None));
        assert_eq!(Grading::asked(Some(Grade::Good), None), Ok(Some(Grading { grade: Grade::Good, scores: None })));
        assert_eq!(Grading::asked(None, scores([25, 25, 25, 25])).unwrap_err().field, "grade");
    }

    #[test]
    fn the_grade_must_agree_with_the_decision() {
        use ReviewAction::*;
        for grade in Grade::ALL {
            let g = Grading { grade, scores: None };
            assert_eq!(check_grading(Approve, Status::Submitted, &g).is_ok(), grade.approves(), "{grade:?}");
            assert_eq!(check_grading(Reject, Status::Submitted, &g).is_ok(), !grade.approves(), "{grade:?}");
            assert!(check_grading(Submit, Status::Draft, &g).is_err());
        }
        let poor = Grading { grade: Grade::Poor, scores: None };
        assert_eq!(fields(check_grading(Reject, Status::AdjustmentSubmitted, &poor)), ["grade"]);
        let fair = Grading { grade: Grade::Fair, scores: None };
        assert!(check_grading(Reject, Status::AdjustmentSubmitted, &fair).is_ok());
        assert_eq!(fields(check_grading(Reject, Status::DepartmentReview, &fair)), ["grade"], "the bureau grades");
    }

    #[test]
    fn the_scores_sum_falls_in_the_grades_band_at_its_edges() {
        let check = |grade, each| {
            check_grading(ReviewAction::Reject, Status::Submitted, &Grading { grade, scores: scores(each) })
        };
        let approve = |grade, each| {
            check_grading(ReviewAction::Approve, Status::Submitted, &Grading { grade, scores: scores(each) })
        };
        assert!(approve(Grade::Excellent, [25, 25, 20, 20]).is_ok(), "90 is 优");
        assert_eq!(fields(approve(Grade::Excellent, [25, 25, 20, 19])), ["grade"], "89 is 良");
        assert!(approve(Grade::Good, [25, 25, 20, 19]).is_ok());
        assert!(approve(Grade::Good, [20, 20, 20, 20]).is_ok(), "80 is 良");
        assert!(check(Grade::Fair, [20, 20, 20, 19]).is_ok(), "79 is 中");
        assert!(check(Grade::Fair, [15, 15, 15, 15]).is_ok(), "60 is 中");
        assert_eq!(fields(check(Grade::Fair, [15, 15, 15, 14])), ["grade"], "59 is 差");
        assert!(check(Grade::Poor, [0, 0, 0, 0]).is_ok());
    }

    #[test]
    fn each_score_is_checked_and_all_problems_come_at_once() {
        let g = Grading { grade: Grade::Excellent, scores: scores([26, -1, 25, 25]) };
        assert_eq!(
            fields(check_grading(ReviewAction::Reject, Status::Submitted, &g)),
            ["grade", "scores.completeness", "scores.relevance"]
        );
    }
}
