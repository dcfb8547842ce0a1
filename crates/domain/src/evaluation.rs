//! 绩效自评 (财预〔2020〕10号): at the end of the year a unit scores each project against its
//! targets in force, out of 100, and the bureau reads the grades.
//!
//! Everything is exact: points are held in hundredths (`Points(1000)` is 10.00 points), every
//! ratio is a fraction of integers, and each score is rounded half up to the hundredth once. The
//! rules are written out in `docs/self-evaluation.md`; each has a test at its boundaries below.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::catalog::Level1;
use crate::indicator::Indicator;
use crate::message::Message;
use crate::money::Money;
use crate::problem::{Problem, ProblemCode};
use crate::target_value::{Decimal, TargetKind, TargetValue};

mod quantitative;
pub use quantitative::{achieved_fraction, far_beyond};

/// Points in hundredths: `Points(5000)` is 50.00 points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Points(pub i64);

impl Points {
    pub const HUNDRED: Points = Points(10_000);

    /// Parses `8`, `8.5`, `8.25` (at most two places, not negative, at most 100).
    pub fn parse(text: &str) -> Option<Points> {
        let t = text.trim();
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 2
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || (t.contains('.') && frac.is_empty())
            || whole.len() > 3
        {
            return None;
        }
        let hundredths = whole.parse::<i64>().ok()? * 100 + format!("{frac:0<2}").parse::<i64>().ok()?;
        (hundredths <= Points::HUNDRED.0).then_some(Points(hundredths))
    }
}

impl fmt::Display for Points {
    /// `50.00`, `7.14`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// `w × num / den`, rounded half up to the hundredth (`w` in hundredths, the fraction in [0, 1]).
///
/// Exact for every fraction the rules make: with 18-digit targets and actuals `num` and `den`
/// reach 10^36, so `w × num` would pass u128's 3.4 × 10^38; the product is built bit by bit as a
/// quotient and a remainder of `den`, neither of which ever exceeds it.
fn share(w: Points, num: u128, den: u128) -> Points {
    if den == 0 {
        return w;
    }
    let w = u64::try_from(w.0.max(0)).unwrap_or(0);
    // num = n_q × den + n_r; then w × num = q × den + r, doubling and adding per bit of w.
    let (n_q, n_r) = (num / den, num % den);
    let (mut q, mut r) = (0u128, 0u128);
    for bit in (0..64).rev() {
        // Double: 2r < 2 den ≤ 2^128 only if den ≤ 2^127, true of every den the rules make (≤ 10^36).
        (q, r) = (q * 2, r * 2);
        if r >= den {
            (q, r) = (q + 1, r - den);
        }
        if w >> bit & 1 == 1 {
            (q, r) = (q + n_q, r + n_r);
            if r >= den {
                (q, r) = (q + 1, r - den);
            }
        }
    }
    // Half up: the remainder is at least half of den.
    let rounded = if r >= den - r { q + 1 } else { q };
    Points(i64::try_from(rounded).unwrap_or(i64::MAX))
}

/// 等级 (优良中差): a self-evaluation's, or the one a reviewer gives with a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = "Grade"))]
pub enum Grade {
    /// 优: 90 and above
    Excellent,
    /// 良: 80 and above
    Good,
    /// 中: 60 and above
    Fair,
    /// 差: below 60
    Poor,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Excellent, Grade::Good, Grade::Fair, Grade::Poor];

    /// 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below.
    pub fn of(total: Points) -> Grade {
        match total.0 {
            t if t >= 9_000 => Grade::Excellent,
            t if t >= 8_000 => Grade::Good,
            t if t >= 6_000 => Grade::Fair,
            _ => Grade::Poor,
        }
    }

    pub const fn code(self) -> &'static str {
        match self {
            Grade::Excellent => "EXCELLENT",
            Grade::Good => "GOOD",
            Grade::Fair => "FAIR",
            Grade::Poor => "POOR",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Grade::Excellent => "优",
            Grade::Good => "良",
            Grade::Fair => "中",
            Grade::Poor => "差",
        }
    }

    pub fn from_code(code: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.code() == code)
    }
}

// What the evaluator states of a qualitative target.
/// 定性指标的达成情况
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = "Achievement"))]
pub enum Achievement {
    /// 达成年度指标: a score in [0.8w, w]
    Achieved,
    /// 部分达成年度指标并具有一定效果: [0.6w, 0.8w)
    Partial,
    /// 未达成年度指标且效果较差: [0, 0.6w)
    NotAchieved,
}

impl Achievement {
    pub const ALL: [Achievement; 3] = [Achievement::Achieved, Achievement::Partial, Achievement::NotAchieved];

    pub const fn code(self) -> &'static str {
        match self {
            Achievement::Achieved => "ACHIEVED",
            Achievement::Partial => "PARTIAL",
            Achievement::NotAchieved => "NOT_ACHIEVED",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Achievement::Achieved => "达成年度指标",
            Achievement::Partial => "部分达成年度指标并具有一定效果",
            Achievement::NotAchieved => "未达成年度指标且效果较差",
        }
    }

    /// The band of scores for weight `w`: `(lowest, highest, highest included)`, in hundredths,
    /// the edges at 0.8w and 0.6w exact (a score is in hundredths, so 0.8w is compared as 5·score ≥ 4w).
    fn contains(self, w: Points, score: Points) -> bool {
        let (s, w) = (i128::from(score.0) * 10, i128::from(w.0));
        match self {
            Achievement::Achieved => s >= 8 * w && s <= 10 * w,
            Achievement::Partial => s >= 6 * w && s < 8 * w,
            Achievement::NotAchieved => s >= 0 && s < 6 * w,
        }
    }
}

/// One indicator as the evaluator fills it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndicatorResult {
    /// 实际完成值, typed like a target (`96%`, `18个`, `达成`).
    pub actual: Option<String>,
    /// For a qualitative target.
    pub achievement: Option<Achievement>,
    /// For a qualitative target: a score inside the achievement's band.
    pub score: Option<Points>,
    /// Why the row scored below its weight, or why it went far beyond its target.
    pub explanation: Option<String>,
    /// 扣分: points the evaluator takes off the row for a target set too low, at most its weight.
    pub deduction: Option<Points>,
    /// Why the points were taken off.
    pub deduction_reason: Option<String>,
}

/// Where each point goes: the execution rate's weight and each indicator's, in hundredths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Weights {
    pub execution: Points,
    pub indicators: Vec<Points>,
}

/// The default weights: 10 for the execution rate; 50 OUTPUT (shared with COST by indicator
/// counts where there are cost indicators, as the 2021 guideline has them), 30 BENEFIT, 10
/// SATISFACTION; a level 1 with no indicator gives its points to the others in proportion to
/// theirs; inside a level 1 the points split equally, the last indicator taking the remainder.
/// `None` when there is no indicator at all. (The framework needs no say: without cost
/// indicators the 2021 split gives OUTPUT the whole 50, as the 2023 one does.)
pub fn default_weights(indicators: &[Indicator]) -> Option<Weights> {
    if indicators.is_empty() {
        return None;
    }
    let count = |l1: Level1| indicators.iter().filter(|i| i.level1 == l1).count() as i64;
    let (out, cost) = (count(Level1::Output), count(Level1::Cost));
    let cost_points = if out + cost == 0 { 0 } else { 5_000 * cost / (out + cost) };
    let level1 = [
        (Level1::Output, 5_000 - cost_points),
        (Level1::Cost, cost_points),
        (Level1::Benefit, 3_000),
        (Level1::Satisfaction, 1_000),
    ];
    // Level 1s with no indicator give their points to the others, in proportion to theirs.
    let present: Vec<(Level1, i64)> = level1.iter().copied().filter(|(l1, _)| count(*l1) > 0).collect();
    let present_sum: i64 = present.iter().map(|(_, p)| p).sum();
    let mut given = Vec::new();
    let mut assigned = 0;
    for (n, (l1, points)) in present.iter().enumerate() {
        let p = if n + 1 == present.len() { 9_000 - assigned } else { 9_000 * points / present_sum.max(1) };
        assigned += p;
        given.push((*l1, p));
    }
    let mut weights = vec![Points(0); indicators.len()];
    for (l1, points) in given {
        let rows: Vec<usize> = indicators.iter().enumerate().filter(|(_, i)| i.level1 == l1).map(|(n, _)| n).collect();
        let each = points / rows.len() as i64;
        for (k, n) in rows.iter().enumerate() {
            weights[*n] = Points(if k + 1 == rows.len() { points - each * (rows.len() as i64 - 1) } else { each });
        }
    }
    Some(Weights { execution: Points(1_000), indicators: weights })
}

/// One indicator scored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndicatorScore {
    pub weight: Points,
    /// What the row earned less its deduction (never below 0).
    pub score: Points,
    /// The deduction taken off (0 without one, or with one above the weight: a problem).
    pub deduction: Points,
}

/// Why a row needs an explanation (10号 asks the reasons of shortfalls and of results far
/// beyond the target).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Why {
    Nothing,
    BelowFull,
    FarBeyond,
}

fn blank(text: Option<&str>) -> bool {
    text.is_none_or(|t| t.trim().is_empty())
}

/// A self-evaluation scored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scored {
    pub execution_weight: Points,
    pub execution_score: Points,
    pub indicators: Vec<IndicatorScore>,
    pub total: Points,
    pub grade: Grade,
}

impl Scored {
    /// Each level 1 present with its points and what its indicators scored, in the catalog's order.
    pub fn by_level1(&self, indicators: &[Indicator]) -> Vec<(Level1, Points, Points)> {
        Level1::ALL
            .iter()
            .filter_map(|l1| {
                let rows: Vec<&IndicatorScore> =
                    indicators.iter().zip(&self.indicators).filter(|(i, _)| i.level1 == *l1).map(|(_, s)| s).collect();
                (!rows.is_empty()).then(|| {
                    (*l1, Points(rows.iter().map(|s| s.weight.0).sum()), Points(rows.iter().map(|s| s.score.0).sum()))
                })
            })
            .collect()
    }
}

/// Scores a self-evaluation. `problems` are what the evaluator must fix before it counts (a unit
/// that differs from the target's, a qualitative score outside its band, a weight set that does
/// not sum to 100, a deduction above the row's weight); `incomplete` what blocks submission (a
/// missing actual value or achievement, an explanation missing below full marks or far beyond the
/// target, a deduction without its reason). Scores are computed all the same, a missing value
/// counting 0, so a form half filled shows where it stands.
pub fn score(
    indicators: &[Indicator],
    weights: &Weights,
    executed: Option<Money>,
    approved: Money,
    results: &[IndicatorResult],
) -> (Scored, Vec<Problem>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut incomplete = Vec::new();
    let sum: i64 = weights.execution.0 + weights.indicators.iter().map(|w| w.0).sum::<i64>();
    if sum != Points::HUNDRED.0 {
        problems.push(Problem::new(
            "weights",
            ProblemCode::InvalidInput,
            Message::new(
                format!("权重合计为 {}，应为 100（含预算执行率的权重）", Points(sum)),
                format!("the weights add up to {}, not 100 (the execution rate's included)", Points(sum)),
            ),
        ));
    }
    let execution_score = match executed {
        None => {
            incomplete.push(Problem::new(
                "budgetExecuted",
                ProblemCode::Incomplete,
                Message::new("请填写全年预算执行数", "fill in the budget executed over the year"),
            ));
            Points(0)
        }
        // The execution is scored against the amount approved (批复金额), not the request.
        // Nothing approved: nothing could be left unspent (`share` gives the whole weight over 0).
        Some(e) => {
            let (num, den) =
                (u128::try_from(e.fen().min(approved.fen())).unwrap_or(0), u128::try_from(approved.fen()).unwrap_or(1));
            share(weights.execution, num, den)
        }
    };
    let empty = IndicatorResult::default();
    let mut scores = Vec::new();
    for (n, i) in indicators.iter().enumerate() {
        let w = weights.indicators.get(n).copied().unwrap_or_default();
        let r = results.get(n).unwrap_or(&empty);
        let at = |f: &str| format!("indicators[{n}].{f}");
        let row = n + 1;
        let name = &i.name;
        let (earned, why) = if i.target.kind() == TargetKind::Qualitative {
            match (r.achievement, r.score) {
                (Some(a), Some(s)) if a.contains(w, s) => (s, if s < w { Why::BelowFull } else { Why::Nothing }),
                (Some(a), Some(s)) => {
                    problems.push(Problem::new(
                        at("score"),
                        ProblemCode::InvalidInput,
                        Message::new(
                            format!("第 {row} 行“{name}”评为“{}”，得分 {s} 不在该档（权重 {w}）之内", a.label()),
                            format!(
                                "row {row} “{name}” is {}, but the score {s} is outside that band (weight {w})",
                                a.code()
                            ),
                        ),
                    ));
                    (Points(0), Why::Nothing)
                }
                _ => {
                    incomplete.push(Problem::new(
                        at("achievement"),
                        ProblemCode::Incomplete,
                        Message::new(
                            format!("第 {row} 行“{name}”是定性指标，请选择达成情况并打分"),
                            format!("row {row} “{name}” is qualitative: state the achievement and a score"),
                        ),
                    ));
                    (Points(0), Why::Nothing)
                }
            }
        } else {
            match r.actual.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
                None => {
                    incomplete.push(Problem::new(
                        at("actual"),
                        ProblemCode::Incomplete,
                        Message::new(
                            format!("第 {row} 行“{name}”请填写实际完成值"),
                            format!("row {row} “{name}”: fill in the actual value"),
                        ),
                    ));
                    (Points(0), Why::Nothing)
                }
                Some(text) => match TargetValue::parse(text) {
                    Ok(actual) if actual.value().is_some() && actual.unit() == i.target.unit() => {
                        let a = actual.value().unwrap_or(Decimal::from_integer(0));
                        let (num, den) = achieved_fraction(&i.target, a);
                        let earned = share(w, num, den);
                        let why = if earned < w {
                            Why::BelowFull
                        } else if far_beyond(&i.target, a) {
                            Why::FarBeyond
                        } else {
                            Why::Nothing
                        };
                        (earned, why)
                    }
                    Ok(actual) if actual.value().is_some() => {
                        problems.push(Problem::new(
                            at("actual"),
                            ProblemCode::InvalidInput,
                            Message::new(
                                format!(
                                    "第 {row} 行“{name}”的实际值“{text}”单位为“{}”，与指标值“{}”的单位“{}”不同",
                                    actual.unit().unwrap_or("无"),
                                    i.target.text(),
                                    i.target.unit().unwrap_or("无")
                                ),
                                format!(
                                    "row {row} “{name}”: the actual “{text}” is in “{}”, the target “{}” in “{}”",
                                    actual.unit().unwrap_or("none"),
                                    i.target.text(),
                                    i.target.unit().unwrap_or("none")
                                ),
                            ),
                        ));
                        (Points(0), Why::Nothing)
                    }
                    _ => {
                        problems.push(Problem::new(
                            at("actual"),
                            ProblemCode::InvalidInput,
                            Message::new(
                                format!("第 {row} 行“{name}”的实际值“{text}”不是数值（指标值是“{}”）", i.target.text()),
                                format!(
                                    "row {row} “{name}”: the actual “{text}” is not a number (the target is “{}”)",
                                    i.target.text()
                                ),
                            ),
                        ));
                        (Points(0), Why::Nothing)
                    }
                },
            }
        };
        if why != Why::Nothing && blank(r.explanation.as_deref()) {
            let target = i.target.text();
            incomplete.push(Problem::new(
                at("explanation"),
                ProblemCode::Incomplete,
                match why {
                    Why::FarBeyond => Message::new(
                        format!("第 {row} 行“{name}”的实际完成值远超指标值“{target}”（越高越好的达到 120% 及以上，越低越好的在 80% 及以下），请说明原因"),
                        format!("row {row} “{name}” is far beyond its target “{target}” (120% or more of a floor, 80% or less of a ceiling): explain why"),
                    ),
                    _ => Message::new(
                        format!("第 {row} 行“{name}”未得满分，请说明原因"),
                        format!("row {row} “{name}” is below full marks: explain why"),
                    ),
                },
            ));
        }
        let deduction = match r.deduction.filter(|d| d.0 > 0) {
            None => Points(0),
            Some(d) if d > w => {
                problems.push(Problem::new(
                    at("deduction"),
                    ProblemCode::InvalidInput,
                    Message::new(
                        format!("第 {row} 行“{name}”扣分 {d} 超过该行权重 {w}"),
                        format!("row {row} “{name}”: the deduction {d} is more than the row's weight {w}"),
                    ),
                ));
                Points(0)
            }
            Some(d) => {
                if blank(r.deduction_reason.as_deref()) {
                    incomplete.push(Problem::new(
                        at("deductionReason"),
                        ProblemCode::Incomplete,
                        Message::new(
                            format!("第 {row} 行“{name}”扣分 {d}，请说明扣分理由（如指标值设定偏低）"),
                            format!("row {row} “{name}”: {d} points taken off; give the reason (such as a target set too low)"),
                        ),
                    ));
                }
                d
            }
        };
        let score = Points((earned.0 - deduction.0).max(0));
        scores.push(IndicatorScore { weight: w, score, deduction });
    }
    let total = Points(execution_score.0 + scores.iter().map(|s| s.score.0).sum::<i64>());
    (
        Scored {
            execution_weight: weights.execution,
            execution_score,
            indicators: scores,
            total,
            grade: Grade::of(total),
        },
        problems,
        incomplete,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Level2;

    fn t(text: &str) -> TargetValue {
        TargetValue::parse(text).unwrap()
    }

    fn d(text: &str) -> Decimal {
        t(text).value().unwrap()
    }

    /// The score of weight 10.00 for a target and an actual value, as shown.
    fn ten(name: &str, target: &str, actual: &str) -> String {
        let _ = name; // the name is not read: the table keeps it to show the rule is the comparator's
        let (num, den) = achieved_fraction(&t(target), d(actual));
        share(Points(1_000), num, den).to_string()
    }

    #[test]
    fn every_quantitative_rule_at_its_boundaries() {
        let table = [
            // ≥ and >: full at the target and above, in proportion below; t = 0 is full.
            ("完成率", ">=95%", "95%", "10.00"),
            ("完成率", ">=95%", "100%", "10.00"),
            ("完成率", ">=95%", "76%", "8.00"),
            ("完成率", ">95%", "0%", "0.00"),
            ("新增数", ">=0个", "0个", "10.00"),
            // 18 significant digits on both sides: exact, never an overflow.
            ("完成率", ">=0.999999999999999999", "0.999999999999999999", "10.00"),
            ("完成率", ">=0.999999999999999999", "0.5", "5.00"),
            ("覆盖人数", ">=999999999999999999人", "499999999999999999人", "5.00"),
            // = with a value other than 0: as ≥, whatever the name says (a name that says otherwise
            // is the declaration's finding EXACT_TARGET_READ_AS_FLOOR, not a scoring rule).
            ("完成率", "=100%", "100%", "10.00"),
            ("完成率", "=100%", "90%", "9.00"),
            ("活动次数", "=12次", "13次", "10.00"),
            ("办理时限", "=30天", "36天", "10.00"),
            ("差错率", "=2%", "1%", "5.00"),
            // = 0: lower is better, and anything above 0 earns nothing.
            ("重大安全事故次数", "=0次", "0次", "10.00"),
            ("重大安全事故次数", "=0次", "1次", "0.00"),
            ("重大安全事故次数", "=0次", "2次", "0.00"),
            ("差错率", "=0%", "0.01%", "0.00"),
            // ≤ and <: full at the target and below, falling to 0 at twice the target.
            ("投诉率", "<=5%", "5%", "10.00"),
            ("投诉率", "<=5%", "2%", "10.00"),
            ("投诉率", "<=5%", "6%", "8.00"),
            ("投诉率", "<5%", "10%", "0.00"),
            ("投诉率", "<=5%", "12%", "0.00"),
            ("投诉率", "<=0%", "0%", "10.00"),
            ("投诉率", "<=0%", "1%", "0.00"),
            // A range: full inside (both ends), in proportion below, as ≤ with t = u above.
            ("覆盖率", "80%-90%", "80%", "10.00"),
            ("覆盖率", "80%-90%", "90%", "10.00"),
            ("覆盖率", "80%-90%", "60%", "7.50"),
            ("覆盖率", "80%-90%", "99%", "9.00"),
            ("覆盖率", "80%-90%", "180%", "0.00"),
            // Rounding half up at .005: 10 × 2/3 = 6.666… → 6.67; 10 × 1/8 = 1.25; 1 × 0.5/… below.
            ("完成率", ">=3个", "2个", "6.67"),
            ("完成率", ">=8个", "1个", "1.25"),
        ];
        for (name, target, actual, want) in table {
            assert_eq!(ten(name, target, actual), want, "{name} {target} actual {actual}");
        }
        // .005 exactly rounds up: weight 0.01 × 1/2 = 0.005 → 0.01.
        assert_eq!(share(Points(1), 1, 2), Points(1));
        assert_eq!(share(Points(1), 1, 3), Points(0), "0.00333… → 0.00");
        assert_eq!(share(Points(3), 1, 2), Points(2), "0.015 → 0.02");
        // 18-digit targets and actuals: fractions of up to 10^36 over 10^36, still exact.
        let big = 10u128.pow(36);
        assert_eq!(share(Points(1250), big, big), Points(1250), "the whole weight, not 0.59");
        assert_eq!(share(Points(1250), big / 2, big), Points(625));
        assert_eq!(share(Points(1), big / 2, big), Points(1), "0.005 → 0.01, half up");
        assert_eq!(share(Points(1), big / 2 - 1, big), Points(0), "just under half rounds down");
        assert_eq!(share(Points(10_000), 999_999_999_999_999_999, 10u128.pow(18)), Points(10_000));
    }

    #[test]
    fn the_direction_is_the_comparators() {
        use crate::target_value::Direction::*;
        let table = [
            (">=95%", HigherIsBetter),
            (">3个", HigherIsBetter),
            ("=100%", HigherIsBetter),
            ("=12次", HigherIsBetter),
            ("<=5%", LowerIsBetter),
            ("<30天", LowerIsBetter),
            ("=0次", LowerIsBetter),
            ("=0.00%", LowerIsBetter),
            ("80%-90%", WithinRange),
        ];
        for (target, want) in table {
            assert_eq!(t(target).direction(), Some(want), "{target}");
        }
        assert_eq!(TargetValue::parse("提高").unwrap().direction(), None, "qualitative");
    }

    #[test]
    fn far_beyond_is_120_percent_of_a_floor_and_80_of_a_ceiling() {
        let table = [
            (">=100个", "120个", true),
            (">=100个", "119.99个", false),
            (">=100个", "100个", false),
            ("=10次", "12次", true),
            ("<=5%", "4%", true),
            ("<=5%", "4.01%", false),
            ("<=5%", "0%", true),
            ("80%-90%", "108%", true),
            ("80%-90%", "107.99%", false),
            // A target of 0 has no “far beyond”: =0次 met with 0 needs no reason.
            ("=0次", "0次", false),
            (">=0个", "5个", false),
        ];
        for (target, actual, want) in table {
            assert_eq!(far_beyond(&t(target), d(actual)), want, "{target} actual {actual}");
        }
    }

    #[test]
    fn rows_below_full_or_far_beyond_need_a_reason_and_deductions_take_points_off() {
        use Level1::*;
        let rows = [
            row(Output, Level2::Quantity, "调解案件数", ">=100件"),
            row(Output, Level2::Quality, "重大安全事故次数", "=0次"),
            row(Benefit, Level2::SocialBenefit, "投诉率", "<=5%"),
            row(Satisfaction, Level2::ServiceSatisfaction, "满意度", ">=90%"),
        ];
        let w = Weights {
            execution: Points(1_000),
            indicators: vec![Points(3_000), Points(2_000), Points(3_000), Points(1_000)],
        };
        let result = |actual: &str| IndicatorResult { actual: Some(actual.into()), ..Default::default() };
        let yuan = |y: i64| Money::from_fen(y * 100);
        let fields = |results: &[IndicatorResult]| {
            let (scored, problems, incomplete) = score(&rows, &w, Some(yuan(100)), yuan(100), results);
            let p: Vec<String> = problems.iter().map(|p| p.field.clone()).collect();
            let i: Vec<String> = incomplete.iter().map(|p| p.field.clone()).collect();
            (scored, p, i)
        };
        // On target everywhere: nothing to explain.
        let (scored, p, i) = fields(&[result("100件"), result("0次"), result("5%"), result("90%")]);
        assert!(p.is_empty() && i.is_empty(), "{p:?} {i:?}");
        assert_eq!(scored.total, Points::HUNDRED);
        // Below full (quantitative too), an accident against =0次, far beyond a floor and a ceiling.
        let (scored, _, i) = fields(&[result("120件"), result("1次"), result("4%"), result("89%")]);
        assert_eq!(
            i,
            [
                "indicators[0].explanation",
                "indicators[1].explanation",
                "indicators[2].explanation",
                "indicators[3].explanation"
            ]
        );
        assert_eq!(scored.indicators[1].score, Points(0), "=0次 with one accident earns nothing");
        // Explained: nothing missing.
        let explained = |actual: &str| IndicatorResult { explanation: Some("原因".into()), ..result(actual) };
        let (_, _, i) = fields(&[explained("120件"), explained("1次"), explained("4%"), explained("89%")]);
        assert!(i.is_empty(), "{i:?}");
        // A deduction for a target set too low: taken off, its reason required, at most the weight.
        let deducted = IndicatorResult { deduction: Some(Points(500)), ..explained("120件") };
        let (scored, p, i) = fields(&[deducted.clone(), result("0次"), result("5%"), result("90%")]);
        assert!(p.is_empty());
        assert_eq!(i, ["indicators[0].deductionReason"]);
        assert_eq!((scored.indicators[0].score, scored.indicators[0].deduction), (Points(2_500), Points(500)));
        assert_eq!(scored.total, Points(9_500));
        let reasoned = IndicatorResult { deduction_reason: Some("指标值低于上年实际".into()), ..deducted };
        let (_, p, i) = fields(&[reasoned.clone(), result("0次"), result("5%"), result("90%")]);
        assert!(p.is_empty() && i.is_empty(), "{p:?} {i:?}");
        let whole = IndicatorResult { deduction: Some(Points(3_000)), ..reasoned.clone() };
        let (scored, p, _) = fields(&[whole, result("0次"), result("5%"), result("90%")]);
        assert!(p.is_empty(), "the whole weight may be taken off");
        assert_eq!(scored.indicators[0].score, Points(0));
        let over = IndicatorResult { deduction: Some(Points(3_001)), ..reasoned };
        let (scored, p, _) = fields(&[over, result("0次"), result("5%"), result("90%")]);
        assert_eq!(p, ["indicators[0].deduction"]);
        assert_eq!(scored.indicators[0].score, Points(3_000), "a deduction refused takes nothing off");
    }

    #[test]
    fn what_each_row_needs_is_said_of_that_row_in_its_own_words() {
        use Level1::*;
        let rows = [
            row(Output, Level2::Quantity, "调解案件数", ">=100件"),
            row(Benefit, Level2::SocialBenefit, "社会影响", "提高"),
            row(Satisfaction, Level2::ServiceSatisfaction, "满意度", ">=90%"),
        ];
        let w = Weights { execution: Points(1_000), indicators: vec![Points(5_000), Points(3_000), Points(1_000)] };
        let yuan = |y: i64| Money::from_fen(y * 100);
        let run = |results: &[IndicatorResult], annual: Money| score(&rows, &w, Some(yuan(0)), annual, results);
        let qualitative = |s: i64| IndicatorResult {
            achievement: Some(Achievement::Achieved),
            score: Some(Points(s)),
            ..Default::default()
        };
        let actual = |a: &str| IndicatorResult { actual: Some(a.into()), ..Default::default() };
        // Nothing requested: nothing could be left unspent, the execution rate's weight is earned.
        let (scored, _, _) = run(&[actual("100件"), qualitative(3_000), actual("90%")], yuan(0));
        assert_eq!((scored.execution_score, scored.total), (Points(1_000), Points::HUNDRED));
        // A qualitative row at its weight needs no reason; below it, one, named by its row.
        let (_, _, incomplete) = run(&[actual("100件"), qualitative(2_999), actual("90%")], yuan(0));
        assert_eq!(incomplete.len(), 1);
        assert_eq!(incomplete[0].field, "indicators[1].explanation");
        assert!(incomplete[0].message.zh().contains("第 2 行“社会影响”未得满分"), "{:?}", incomplete[0]);
        // Far beyond: said so, not "below full".
        let (_, _, incomplete) = run(&[actual("120件"), qualitative(3_000), actual("90%")], yuan(0));
        assert!(incomplete[0].message.zh().contains("第 1 行“调解案件数”的实际完成值远超"), "{:?}", incomplete[0]);
        // A value in another unit, and a value that is not a number, each say what is wrong.
        let (_, problems, _) = run(&[actual("100天"), qualitative(3_000), actual("很满意")], yuan(0));
        assert!(problems[0].message.zh().contains("单位为“天”"), "{:?}", problems[0]);
        assert!(problems[1].message.zh().contains("不是数值"), "{:?}", problems[1]);
        // A deduction of 0 is none: no reason asked.
        let none = IndicatorResult { deduction: Some(Points(0)), ..actual("100件") };
        let (_, problems, incomplete) = run(&[none, qualitative(3_000), actual("90%")], yuan(0));
        assert!(problems.is_empty() && incomplete.is_empty(), "{problems:?} {incomplete:?}");
    }

    #[test]
    fn qualitative_bands_have_exact_edges() {
        use Achievement::*;
        let w = Points(1_000);
        assert!(Achieved.contains(w, Points(1_000)) && Achieved.contains(w, Points(800)));
        assert!(!Achieved.contains(w, Points(799)) && !Achieved.contains(w, Points(1_001)));
        assert!(
            Partial.contains(w, Points(600)) && Partial.contains(w, Points(799)) && !Partial.contains(w, Points(800))
        );
        assert!(
            NotAchieved.contains(w, Points(0))
                && NotAchieved.contains(w, Points(599))
                && !NotAchieved.contains(w, Points(600))
        );
        let odd = Points(714);
        assert!(Achieved.contains(odd, Points(572)), "0.8 × 7.14 = 5.712: 5.72 is in");
        assert!(!Achieved.contains(odd, Points(571)), "5.71 is below 5.712");
    }

    fn row(l1: Level1, l2: Level2, name: &str, target: &str) -> Indicator {
        Indicator { level1: l1, level2: l2, name: name.into(), target: t(target), note: None, library_entry_id: None }
    }

    #[test]
    fn default_weights_split_the_hundred() {
        use Level1::*;
        let rows = [
            row(Output, Level2::Quantity, "a", ">=1个"),
            row(Output, Level2::Quality, "b", ">=90%"),
            row(Output, Level2::Timeliness, "c", "<=5天"),
            row(Benefit, Level2::SocialBenefit, "d", "提高"),
            row(Satisfaction, Level2::ServiceSatisfaction, "e", ">=90%"),
        ];
        let w = default_weights(&rows).unwrap();
        let shown: Vec<String> = w.indicators.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown, ["16.66", "16.66", "16.68", "30.00", "10.00"], "the last takes the remainder");
        assert_eq!(w.execution, Points(1_000));
        // No satisfaction indicator: its 10 points go to output and benefit in proportion (50:30).
        let w = default_weights(&rows[..4]).unwrap();
        let shown: Vec<String> = w.indicators.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown, ["18.75", "18.75", "18.75", "33.75"], "56.25 and 33.75");
        let sum: i64 = w.indicators.iter().map(|p| p.0).sum::<i64>() + w.execution.0;
        assert_eq!(sum, 10_000);
        // Under the 2021 guideline, cost and output share the 50 by their counts (1 of 4).
        let mut central = rows.to_vec();
        central.push(row(Cost, Level2::EconomicCost, "f", "<=10万元"));
        let w = default_weights(&central).unwrap();
        let shown: Vec<String> = w.indicators.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown, ["12.50", "12.50", "12.50", "30.00", "10.00", "12.50"]);
        assert_eq!(default_weights(&[]), None);
    }

    #[test]
    fn a_whole_evaluation_with_its_problems() {
        use Level1::*;
        let rows = [
            row(Output, Level2::Quantity, "调解案件数", ">=120件"),
            row(Benefit, Level2::SocialBenefit, "社会影响", "提高"),
            row(Satisfaction, Level2::ServiceSatisfaction, "满意度", ">=90%"),
        ];
        let w = default_weights(&rows).unwrap();
        let results = [
            IndicatorResult {
                actual: Some("90件".into()),
                explanation: Some("下半年案件受理量下降".into()),
                ..Default::default()
            },
            IndicatorResult {
                achievement: Some(Achievement::Partial),
                score: Some(Points(2_000)),
                explanation: Some("部分街镇未覆盖".into()),
                ..Default::default()
            },
            IndicatorResult { actual: Some("95%".into()), ..Default::default() },
        ];
        let yuan = |y: i64| Money::from_fen(y * 100);
        let (scored, problems, incomplete) = score(&rows, &w, Some(yuan(80_000)), yuan(100_000), &results);
        assert!(problems.is_empty() && incomplete.is_empty(), "{problems:?} {incomplete:?}");
        // 10 × 0.8 = 8; 50 × 90/120 = 37.5; 20 (partial, in [18, 24)); 10.
        let shown: Vec<String> = scored.indicators.iter().map(|s| s.score.to_string()).collect();
        assert_eq!(
            (scored.execution_score.to_string(), shown),
            ("8.00".to_string(), vec!["37.50".to_string(), "20.00".into(), "10.00".into()])
        );
        assert_eq!((scored.total, scored.grade), (Points(7_550), Grade::Fair));
        assert_eq!(
            scored.by_level1(&rows),
            [
                (Output, Points(5_000), Points(3_750)),
                (Benefit, Points(3_000), Points(2_000)),
                (Satisfaction, Points(1_000), Points(1_000))
            ]
        );
        // A unit that differs, a score outside its band, weights that do not sum, a missing actual.
        let wrong = [
            IndicatorResult { actual: Some("90天".into()), ..Default::default() },
            IndicatorResult {
                achievement: Some(Achievement::Achieved),
                score: Some(Points(2_000)),
                ..Default::default()
            },
            IndicatorResult::default(),
        ];
        let bad = Weights { execution: Points(1_000), indicators: vec![Points(5_000), Points(3_000), Points(500)] };
        let (scored, problems, incomplete) = score(&rows, &bad, None, yuan(100_000), &wrong);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["weights", "indicators[0].actual", "indicators[1].score"]);
        assert!(problems[1].message.zh().contains("天") && problems[1].message.zh().contains("件"), "names both units");
        let missing: Vec<&str> = incomplete.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(missing, ["budgetExecuted", "indicators[2].actual"]);
        assert_eq!(scored.total, Points(0));
        assert_eq!(Grade::of(Points(9_000)), Grade::Excellent);
        assert_eq!(Grade::of(Points(8_999)), Grade::Good);
        assert_eq!(Grade::of(Points(6_000)), Grade::Fair);
        assert_eq!(Grade::of(Points(5_999)), Grade::Poor);
    }

    #[test]
    fn points_are_read_with_at_most_two_places_up_to_a_hundred() {
        let read = |t: &str| Points::parse(t).map(|p| p.0);
        for (text, hundredths) in [
            ("8", 800),
            ("8.5", 850),
            ("8.25", 825),
            (" 7.1 ", 710),
            ("0", 0),
            ("0.05", 5),
            ("100", 10_000),
            ("100.00", 10_000),
            ("099", 9_900),
        ] {
            assert_eq!(read(text), Some(hundredths), "{text}");
        }
        for text in ["", ".5", "-1", "1a", "a", "8.", "8.123", "8.a", "8.-1", "100.01", "101", "0100", "1000", "8..5"] {
            assert_eq!(read(text), None, "{text}");
        }
    }

    #[test]
    fn grades_and_achievements_keep_their_codes_and_labels() {
        let grades: Vec<(&str, &str)> = Grade::ALL.iter().map(|g| (g.code(), g.label())).collect();
        assert_eq!(grades, [("EXCELLENT", "优"), ("GOOD", "良"), ("FAIR", "中"), ("POOR", "差")]);
        let achievements: Vec<&str> = Achievement::ALL.iter().map(|a| a.code()).collect();
        assert_eq!(achievements, ["ACHIEVED", "PARTIAL", "NOT_ACHIEVED"]);
        let labels: Vec<&str> = Achievement::ALL.iter().map(|a| a.label()).collect();
        assert_eq!(labels, ["达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差"]);
        for g in Grade::ALL {
            assert_eq!(Grade::from_code(g.code()), Some(g));
        }
        assert_eq!(Grade::from_code("BEST"), None);
    }

    /// Each achievement's band of scores, at its edges, for a weight of 10.00.
    #[test]
    fn each_achievement_has_its_band_of_scores() {
        let w = Points(1_000);
        let table = [
            (Achievement::Achieved, [(1_000, true), (800, true), (799, false), (1_001, false)]),
            (Achievement::Partial, [(799, true), (600, true), (599, false), (800, false)]),
            (Achievement::NotAchieved, [(0, true), (599, true), (600, false), (-1, false)]),
        ];
        for (achievement, cases) in table {
            for (score, inside) in cases {
                assert_eq!(achievement.contains(w, Points(score)), inside, "{achievement:?} {score}");
            }
        }
    }

    #[test]
    fn cost_indicators_share_output_points_by_their_counts() {
        use Level1::*;
        let output = || row(Output, Level2::Quantity, "a", ">=1个");
        let cost = || row(Cost, Level2::EconomicCost, "c", "<=10万元");
        let benefit = || row(Benefit, Level2::SocialBenefit, "b", "提高");
        let shown = |rows: &[Indicator]| -> Vec<String> {
            let w = default_weights(rows).unwrap();
            assert_eq!(w.indicators.iter().map(|p| p.0).sum::<i64>() + w.execution.0, 10_000, "the hundred");
            w.indicators.iter().map(|p| p.to_string()).collect()
        };
        // One of each: 25 and 25 of the 50; then the 10 of an absent satisfaction spread.
        assert_eq!(shown(&[output(), cost(), benefit()]), ["28.12", "28.12", "33.76"]);
        // Two and two: still half each (5,000 × 2 / 4).
        assert_eq!(
            shown(&[output(), output(), cost(), cost(), benefit()]),
            ["14.06", "14.06", "14.06", "14.06", "33.76"]
        );
        // Cost alone takes the whole 50; output alone likewise; neither, nothing of it.
        assert_eq!(shown(&[cost(), benefit()]), ["56.25", "33.75"]);
        assert_eq!(shown(&[output(), benefit()]), ["56.25", "33.75"]);
        assert_eq!(shown(&[benefit(), benefit()]), ["45.00", "45.00"]);
        // One cost of three: 16.66 of the 50, and the last level 1 takes what rounding left.
        assert_eq!(shown(&[output(), output(), cost(), benefit()]), ["18.75", "18.75", "18.74", "33.76"]);
    }
}
