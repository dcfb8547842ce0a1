//! The words a reviewer reads indicator names by, kept as data: which level 2 a name's words
//! point to, which changed words name different measures (so two names are not near-duplicates),
//! the measure words that count things, and the words that speak of the future.
//!
//! Chinese names put what they measure last (信访事项办理**率**, 服务周期内空气**质量**), so
//! most cues are read at the end of a name; a few words (满意度, 及时, 成本) mark the measure
//! wherever they stand.

use crate::catalog::{Framework, Level2};

/// Words in an indicator name that say which level 2 it belongs under.
pub struct Level2Cue {
    /// What the words mark, for the message: (Chinese, English).
    pub what: (&'static str, &'static str),
    /// The name contains one of these…
    pub contains: &'static [&'static str],
    /// …or ends with one of these.
    pub ends_with: &'static [&'static str],
    /// Where such a name belongs, the one to name first.
    pub fits: &'static [Level2],
    /// When not empty, the name is misfiled only under these level 2s (a cue that says only
    /// where a name does not belong); elsewhere anything outside `fits` is.
    pub only_wrong_under: &'static [Level2],
}

impl Level2Cue {
    /// The cue word found in `name`, if any.
    pub fn word_in(&self, name: &str) -> Option<&'static str> {
        self.contains
            .iter()
            .find(|w| name.contains(**w))
            .or_else(|| self.ends_with.iter().find(|w| name.ends_with(**w)))
            .copied()
    }

    /// Whether a name with this cue is misfiled under `level2`.
    pub fn misfiled_under(&self, level2: Level2) -> bool {
        !self.fits.contains(&level2) && (self.only_wrong_under.is_empty() || self.only_wrong_under.contains(&level2))
    }

    /// The level 2 to suggest under `framework`: the first that fits and that it has.
    pub fn suggestion(&self, framework: Framework) -> Option<Level2> {
        self.fits.iter().copied().find(|l2| framework.parent_of(*l2).is_some())
    }
}

const COSTS: &[Level2] = &[Level2::Cost, Level2::EconomicCost, Level2::SocialCost, Level2::EcologicalCost];

/// The cues in the order they are tried: the first whose words a name has decides. 满意度
/// first (服务及时性满意度 is a satisfaction); 及时 before 完成率 (信访事项及时完成率 is about time).
pub const LEVEL2_CUES: &[Level2Cue] = &[
    Level2Cue {
        what: ("满意度", "a satisfaction"),
        contains: &["满意度", "满意率", "满意程度"],
        ends_with: &[],
        fits: &[Level2::ServiceSatisfaction],
        only_wrong_under: &[],
    },
    Level2Cue {
        what: ("时效", "timeliness"),
        contains: &["及时", "按时", "准时"],
        // Not 时间 or 时长: 群众办事等候时间 is an effect on people, rightly a social benefit.
        ends_with: &["时限", "周期", "时效"],
        fits: &[Level2::Timeliness],
        only_wrong_under: &[],
    },
    Level2Cue {
        what: ("成本", "a cost"),
        contains: &["成本"],
        ends_with: &["经费", "资金", "费用"],
        fits: COSTS,
        only_wrong_under: &[],
    },
    Level2Cue {
        what: ("产出数量", "an output quantity"),
        contains: &["完成率", "数量", "次数", "个数"],
        ends_with: &[],
        fits: &[Level2::Quantity, Level2::Quality, Level2::Timeliness],
        only_wrong_under: &[],
    },
    Level2Cue {
        what: ("考核结果", "an assessment result"),
        contains: &["考核成绩", "考核结果", "考核排名", "考评成绩", "考评结果"],
        ends_with: &[],
        fits: &[Level2::SocialBenefit, Level2::SustainableImpact],
        only_wrong_under: &[],
    },
    Level2Cue {
        what: ("人员能力提升", "staff capability"),
        contains: &["人员业务", "人员能力", "人员素质", "人员技能", "干部能力", "干部素质", "队伍能力", "队伍素质"],
        ends_with: &[],
        fits: &[Level2::SustainableImpact, Level2::SocialBenefit],
        only_wrong_under: &[Level2::EconomicBenefit],
    },
];

/// The first cue whose words `name` has, with the word.
pub fn level2_cue(name: &str) -> Option<(&'static Level2Cue, &'static str)> {
    LEVEL2_CUES.iter().find_map(|cue| cue.word_in(name).map(|w| (cue, w)))
}

/// Measure words that differ by one or two characters yet measure different things: two names
/// that are the same but for one of these pairs, in the same place, are two indicators, not one
/// written twice (维稳工作开展及时性 / 维稳工作开展有效性, 信访事项办理率 / 信访事项办理效率).
pub const DISTINCT_MEASURES: &[(&str, &str)] = &[
    ("及时性", "有效性"),
    ("及时率", "有效率"),
    ("办理率", "办理效率"),
    ("完成率", "合格率"),
    ("完成率", "及时率"),
    ("完成率", "到位率"),
    ("合格率", "优良率"),
    ("合格率", "达标率"),
    ("受理率", "办结率"),
    ("办结率", "满意率"),
    ("覆盖率", "知晓率"),
    ("知晓率", "满意度"),
    ("使用率", "完好率"),
    ("发生率", "处置率"),
    ("人数", "人次"),
    ("总量", "增量"),
    ("数量", "质量"),
    ("投诉率", "差错率"),
];

/// Whether `a` and `b` are the same name but for one pair of [`DISTINCT_MEASURES`] in the same
/// place (either way round).
pub fn distinct_measures(a: &str, b: &str) -> bool {
    let ends = CommonEnds::of(a.as_bytes(), b.as_bytes());
    DISTINCT_MEASURES.iter().any(|&(x, y)| ends.swaps(a, b, x, y) || ends.swaps(a, b, y, x))
}

/// How many bytes two names share at their start and at their end: measured once per pair of
/// names, then asked of every pair of measures.
struct CommonEnds {
    prefix: usize,
    suffix: usize,
}

impl CommonEnds {
    fn of(a: &[u8], b: &[u8]) -> CommonEnds {
        let prefix = a.iter().zip(b).take_while(|(p, q)| p == q).count();
        let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(p, q)| p == q).count();
        CommonEnds { prefix, suffix }
    }

    /// Whether `b` is `a` with one occurrence of `x` replaced by `y` (`self` being their ends).
    ///
    /// Without searching: the replacement can only start where `a` and `b` still agree before
    /// it (at most their common prefix) and end where they agree again after it (their common
    /// suffix), so only the few places between those two bounds are tried. A checked form
    /// compares every pair of its indicators' names with every pair of measures; searching each
    /// name for each measure was a tenth of a `checkDeclaration` (BENCHMARKS.md, step 12).
    fn swaps(&self, a: &str, b: &str, x: &str, y: &str) -> bool {
        let (a, b, x, y) = (a.as_bytes(), b.as_bytes(), x.as_bytes(), y.as_bytes());
        if b.len() + x.len() != a.len() + y.len() || x.len() > a.len() {
            return false;
        }
        let last = a.len() - x.len();
        // `x` and `y` are whole UTF-8 text, so a byte match starts on a character boundary.
        (last.saturating_sub(self.suffix)..=self.prefix.min(last))
            .any(|i| a[i..].starts_with(x) && b[i..].starts_with(y))
    }
}

#[cfg(test)]
fn swaps(a: &str, b: &str, x: &str, y: &str) -> bool {
    CommonEnds::of(a.as_bytes(), b.as_bytes()).swaps(a, b, x, y)
}

/// Measure words (量词) that follow a count of things: 18 个街镇, 15 家单位, 2 名信访老户.
pub const COUNT_WORDS: &[char] = &[
    '个', '次', '场', '家', '人', '处', '份', '件', '期', '批', '项', '名', '所', '台', '套', '篇', '户', '座', '辆',
    '间', '册',
];

/// Words that put a statement in the future: 将 (will), 拟 (plans to), 计划于 …
pub const FUTURE_WORDS: &[&str] = &["将", "拟", "计划于", "计划在", "计划对", "计划将", "预计", "准备"];
/// Words that contain 将 without the future: 将近 (nearly), 将军, 将来 is future and kept.
pub const NOT_FUTURE: &[&str] = &["将近", "将军"];

#[cfg(test)]
mod tests {
    use super::*;

    /// The bounded comparison finds what searching for every occurrence found.
    #[test]
    fn swaps_agree_with_searching_every_occurrence() {
        fn by_searching(a: &str, b: &str, x: &str, y: &str) -> bool {
            b.len() + x.len() == a.len() + y.len()
                && a.match_indices(x).any(|(i, _)| {
                    b.starts_with(&a[..i]) && b[i..].starts_with(y) && b[i + y.len()..] == a[i + x.len()..]
                })
        }
        let stems = ["", "信访", "事项", "维稳工作开展", "率", "人"];
        let mut names = Vec::new();
        for before in stems {
            for &(x, y) in DISTINCT_MEASURES {
                for after in stems {
                    names.push(format!("{before}{x}{after}"));
                    names.push(format!("{before}{y}{after}"));
                    names.push(format!("{before}{x}{x}{after}"));
                }
            }
        }
        for a in &names {
            for b in &names {
                for &(x, y) in DISTINCT_MEASURES {
                    assert_eq!(swaps(a, b, x, y), by_searching(a, b, x, y), "{a} / {b} ({x} → {y})");
                }
            }
        }
    }

    #[test]
    fn names_are_read_by_their_measure_word() {
        let fits = |name: &str| level2_cue(name).map(|(cue, _)| cue.fits[0]);
        assert_eq!(fits("受益群众满意度"), Some(Level2::ServiceSatisfaction));
        assert_eq!(fits("服务及时性满意度"), Some(Level2::ServiceSatisfaction), "the satisfaction decides");
        assert_eq!(fits("市民对空气质量改善的满意程度"), Some(Level2::ServiceSatisfaction), "满意程度 is 满意度");
        assert_eq!(fits("信访事项及时完成率"), Some(Level2::Timeliness), "timely completion is about time");
        assert_eq!(fits("服务周期"), Some(Level2::Timeliness));
        assert_eq!(fits("服务周期内空气质量"), None, "a period that only qualifies the measure");
        assert_eq!(fits("成本控制"), Some(Level2::Cost));
        assert_eq!(fits("市民中心运行维护经费"), Some(Level2::Cost));
        assert_eq!(fits("资金使用率"), None, "资金 not as the measure");
        assert_eq!(fits("信访宣传工作计划完成率"), Some(Level2::Quantity));
        assert_eq!(fits("市信访工作目标责任考核成绩"), Some(Level2::SocialBenefit));
        assert_eq!(fits("信息化专业人员业务提升度"), Some(Level2::SustainableImpact));
        assert_eq!(fits("矛盾纠纷化解率"), None);
    }

    #[test]
    fn a_cue_is_wrong_outside_where_it_fits() {
        let (people, _) = level2_cue("专业人员业务提升度").unwrap();
        assert!(people.misfiled_under(Level2::EconomicBenefit));
        assert!(!people.misfiled_under(Level2::Quality), "only an economic benefit is wrong for it");
        let (done, _) = level2_cue("计划完成率").unwrap();
        assert!(done.misfiled_under(Level2::SustainableImpact) && !done.misfiled_under(Level2::Quality));
        let (cost, _) = level2_cue("成本控制").unwrap();
        assert_eq!(cost.suggestion(Framework::Shanghai2023), Some(Level2::Cost));
        assert_eq!(cost.suggestion(Framework::Central2021), Some(Level2::EconomicCost));
        assert_eq!(people.suggestion(Framework::Central2021), Some(Level2::SocialBenefit));
    }

    #[test]
    fn distinct_measures_both_ways_and_only_in_place() {
        for (x, y) in DISTINCT_MEASURES {
            let (a, b) = (format!("信访工作{x}"), format!("信访工作{y}"));
            assert!(distinct_measures(&a, &b) && distinct_measures(&b, &a), "{a} / {b}");
        }
        assert!(distinct_measures("维稳工作开展及时性", "维稳工作开展有效性"));
        assert!(distinct_measures("信访事项办理率", "信访事项办理效率"));
        assert!(!distinct_measures("受益群众满意度", "受益对象满意度"), "群众/对象 is not a measure");
        assert!(!distinct_measures("维稳工作开展及时性", "宣传工作开展有效性"), "the rest differs too");
        assert!(!distinct_measures("信访事项办理率", "信访事项办理率"));
    }
}
