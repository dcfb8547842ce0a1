//! 年度指标值: the target value of a performance indicator.
//!
//! A target is either quantitative — a comparator, an exact decimal and a unit (`=100%`,
//! `>=85%`, `≤30天`, `10次`, a range `80%-90%`) — or qualitative, a word such as 提高, 下降, 良好,
//! 有效, 及时. The text as entered is always kept beside the parsed form. Full-width forms that
//! Chinese input methods produce (`＞＝90％`, `≥`, `～`) are read as their ASCII equivalents.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest target text accepted; the form's cell is short.
pub const MAX_TARGET_CHARS: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = "TargetKind"))]
pub enum TargetKind {
    Quantitative,
    Qualitative,
    // Such as `≥` or half a range; an ERROR finding until it reads.
    /// Kept as typed in a draft; a TARGET_INVALID finding says why it does not read.
    Invalid,
}

/// Which way a quantitative target is met, as self-evaluation scores it (财预〔2020〕10号) and
/// monitoring lights it: `≥` and `>` higher is better, `≤` and `<` lower is better, `=` higher is
/// better unless its value is 0, a range within its two ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
    WithinRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = "Comparator"))]
pub enum Comparator {
    // Also what a bare number such as `10次` means.
    /// `=`
    Eq,
    /// `>=`, `≥`
    Ge,
    /// `<=`, `≤`
    Le,
    /// `>`
    Gt,
    /// `<`
    Lt,
    // `80%-90%`, `80~90%`.
    /// between `value` and `upperValue`, both included
    Range,
}

impl TargetKind {
    pub const fn label(self) -> &'static str {
        match self {
            TargetKind::Quantitative => "定量",
            TargetKind::Qualitative => "定性",
            TargetKind::Invalid => "无法识别",
        }
    }
}

impl Comparator {
    pub const fn label(self) -> &'static str {
        match self {
            Comparator::Eq => "等于",
            Comparator::Ge => "大于等于",
            Comparator::Le => "小于等于",
            Comparator::Gt => "大于",
            Comparator::Lt => "小于",
            Comparator::Range => "区间",
        }
    }

    pub const fn code(self) -> &'static str {
        match self {
            Comparator::Eq => "EQ",
            Comparator::Ge => "GE",
            Comparator::Le => "LE",
            Comparator::Gt => "GT",
            Comparator::Lt => "LT",
            Comparator::Range => "RANGE",
        }
    }
}

/// An exact non-negative decimal: `units / 10^scale`. Canonical (no trailing fractional zeros),
/// so equal values are equal structs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decimal {
    units: u64,
    scale: u8,
}

impl Decimal {
    pub const fn from_integer(n: u64) -> Decimal {
        Decimal { units: n, scale: 0 }
    }

    /// Parses ASCII digits with an optional fractional part (`85`, `99.5`, `0.75`).
    fn parse(text: &str) -> Option<Decimal> {
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) || (text.contains('.') && frac.is_empty()) {
            return None;
        }
        let frac = frac.trim_end_matches('0');
        let whole = whole.trim_start_matches('0');
        if whole.len() + frac.len() > 18 {
            return None;
        }
        let joined = format!("{whole}{frac}");
        let units = if joined.is_empty() { 0 } else { joined.parse().ok()? };
        Some(Decimal { units, scale: frac.len() as u8 })
    }

    pub const fn is_zero(self) -> bool {
        self.units == 0
    }

    /// The value as a fraction `(numerator, denominator)`, for exact arithmetic.
    pub fn fraction(self) -> (u128, u128) {
        (u128::from(self.units), 10u128.pow(u32::from(self.scale)))
    }

    fn scaled_to(self, scale: u8) -> u128 {
        u128::from(self.units) * 10u128.pow(u32::from(scale - self.scale))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let scale = self.scale.max(other.scale);
        self.scaled_to(scale).cmp(&other.scaled_to(scale))
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scale == 0 {
            return write!(f, "{}", self.units);
        }
        let pow = 10u64.pow(u32::from(self.scale));
        write!(f, "{}.{:0width$}", self.units / pow, self.units % pow, width = usize::from(self.scale))
    }
}

/// A parsed target value, with the text as entered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetValue {
    text: String,
    parsed: Parsed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Parsed {
    Quantitative {
        comparator: Comparator,
        value: Decimal,
        upper: Option<Decimal>,
        unit: String,
    },
    Qualitative,
    /// The text does not read as a target; why not.
    Invalid(TargetError),
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("a target value is required (e.g. \"=100%\", \">=85%\" or \"提高\")")]
    Empty,
    #[error("target value \"{0}\" is longer than {MAX_TARGET_CHARS} characters")]
    TooLong(String),
    #[error("target value \"{0}\" has a comparator but no number after it (e.g. \">=85%\")")]
    MissingNumber(String),
    #[error(
        "target value \"{0}\" is not a number with a unit: write e.g. \">=85%\", \"<=30天\", \"80%-90%\" or a word such as \"提高\""
    )]
    Malformed(String),
    #[error("target value \"{0}\" is a range whose lower end is above its upper end")]
    ReversedRange(String),
    #[error("target value \"{0}\" is a range whose two ends have different units")]
    MixedUnits(String),
}

impl TargetError {
    /// What a person reads, naming the value typed.
    pub fn message(&self) -> crate::Message {
        let zh = match self {
            TargetError::Empty => "请填写指标值（如 \"=100%\"、\">=85%\" 或 \"提高\"）".to_string(),
            TargetError::TooLong(v) => format!("指标值 \"{v}\" 超过 {MAX_TARGET_CHARS} 个字"),
            TargetError::MissingNumber(v) => format!("指标值 \"{v}\" 有比较符号但缺少数值（如 \">=85%\"）"),
            TargetError::Malformed(v) => format!(
                "指标值 \"{v}\" 无法识别：请填写带单位的数值，如 \">=85%\"、\"<=30天\"、\"80%-90%\"，或文字如 \"提高\""
            ),
            TargetError::ReversedRange(v) => format!("指标值 \"{v}\" 是区间，但下限大于上限"),
            TargetError::MixedUnits(v) => format!("指标值 \"{v}\" 是区间，但两端单位不同"),
        };
        crate::Message::new(zh, self.to_string())
    }
}

impl TargetValue {
    pub fn parse(text: &str) -> Result<TargetValue, TargetError> {
        if text.chars().count() > MAX_TARGET_CHARS {
            return Err(TargetError::TooLong(text.chars().take(20).collect::<String>() + "…"));
        }
        let normalized = normalize(text);
        if normalized.is_empty() {
            return Err(TargetError::Empty);
        }
        let parsed = parse_normalized(&normalized, text)?;
        Ok(TargetValue { text: text.to_string(), parsed })
    }

    /// The target as typed: its value when it parses, or else the text kept as typed with why it
    /// does not read ([`TargetKind::Invalid`]): a draft holds a target being typed (`≥`).
    pub fn as_typed(text: &str) -> TargetValue {
        TargetValue::parse(text).unwrap_or_else(|e| TargetValue { text: text.to_string(), parsed: Parsed::Invalid(e) })
    }

    /// Why the target does not read, when it does not.
    pub fn error(&self) -> Option<&TargetError> {
        match &self.parsed {
            Parsed::Invalid(e) => Some(e),
            _ => None,
        }
    }

    /// The text exactly as entered.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn kind(&self) -> TargetKind {
        match self.parsed {
            Parsed::Quantitative { .. } => TargetKind::Quantitative,
            Parsed::Qualitative => TargetKind::Qualitative,
            Parsed::Invalid(_) => TargetKind::Invalid,
        }
    }

    pub fn comparator(&self) -> Option<Comparator> {
        match &self.parsed {
            Parsed::Quantitative { comparator, .. } => Some(*comparator),
            Parsed::Qualitative | Parsed::Invalid(_) => None,
        }
    }

    /// Which way the target is met, from its comparator alone (the name is not read: a name that
    /// says otherwise is a finding, `EXACT_TARGET_READ_AS_FLOOR`, not a scoring rule).
    pub fn direction(&self) -> Option<Direction> {
        Some(match self.comparator()? {
            Comparator::Ge | Comparator::Gt => Direction::HigherIsBetter,
            Comparator::Le | Comparator::Lt => Direction::LowerIsBetter,
            // “重大安全事故次数 =0次”: none is the aim, and more is worse.
            Comparator::Eq if self.value()?.is_zero() => Direction::LowerIsBetter,
            Comparator::Eq => Direction::HigherIsBetter,
            Comparator::Range => Direction::WithinRange,
        })
    }

    /// The number (the lower end of a range), as an exact decimal.
    pub fn value(&self) -> Option<Decimal> {
        match &self.parsed {
            Parsed::Quantitative { value, .. } => Some(*value),
            Parsed::Qualitative | Parsed::Invalid(_) => None,
        }
    }

    /// The upper end of a range.
    pub fn upper(&self) -> Option<Decimal> {
        match &self.parsed {
            Parsed::Quantitative { upper, .. } => *upper,
            Parsed::Qualitative | Parsed::Invalid(_) => None,
        }
    }

    /// The unit (`%`, `天`, `万元` …), empty for a bare number; `None` for a qualitative target.
    pub fn unit(&self) -> Option<&str> {
        match &self.parsed {
            Parsed::Quantitative { unit, .. } => Some(unit),
            Parsed::Qualitative | Parsed::Invalid(_) => None,
        }
    }
}

/// Maps full-width and typographic forms to ASCII, drops whitespace, and reads `>=` as `≥`, `<=`
/// as `≤` and `==` as `=`. One pass: every indicator's target is read with its row, and three
/// `str::replace` passes were most of what reading a page's targets cost (BENCHMARKS.md, step 9).
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Whether the last `=` written stands for a pair already (`==` is read left to right, so
    // `===` is `==`, as `str::replace` would read it).
    let mut pair_read = false;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '＝' => '=',
            '＞' => '>',
            '＜' => '<',
            '％' => '%',
            '．' => '.',
            '～' | '〜' => '~',
            '－' | '—' | '–' | '至' => '-',
            '≧' => '≥',
            '≦' => '≤',
            other => other,
        };
        if c == '=' {
            match out.chars().next_back() {
                Some('>') => {
                    out.pop();
                    out.push('≥');
                    pair_read = false;
                    continue;
                }
                Some('<') => {
                    out.pop();
                    out.push('≤');
                    pair_read = false;
                    continue;
                }
                Some('=') if !pair_read => {
                    pair_read = true;
                    continue;
                }
                _ => {}
            }
        }
        pair_read = false;
        out.push(c);
    }
    out
}

fn is_comparator(c: char) -> bool {
    matches!(c, '=' | '>' | '<' | '≥' | '≤')
}

fn parse_normalized(s: &str, original: &str) -> Result<Parsed, TargetError> {
    let first = s.chars().next().unwrap_or(' ');
    let (comparator, rest) = match first {
        '=' => (Some(Comparator::Eq), &s[1..]),
        '≥' => (Some(Comparator::Ge), &s['≥'.len_utf8()..]),
        '≤' => (Some(Comparator::Le), &s['≤'.len_utf8()..]),
        '>' => (Some(Comparator::Gt), &s[1..]),
        '<' => (Some(Comparator::Lt), &s[1..]),
        _ => (None, s),
    };
    let starts_with_digit = rest.starts_with(|c: char| c.is_ascii_digit());
    if comparator.is_none() && !starts_with_digit {
        // Words with no leading comparator or number: a qualitative target ("提高", and also
        // "较上年提高5%", which states a change rather than a level). Text that starts like a
        // number but is not one is refused rather than stored.
        if s.starts_with(['.', '-', '~', '%', '‰']) {
            return Err(TargetError::Malformed(original.to_string()));
        }
        return Ok(Parsed::Qualitative);
    }
    if !starts_with_digit {
        return Err(
            if rest.is_empty() || !rest.starts_with(is_comparator) && !rest.contains(|c: char| c.is_ascii_digit()) {
                TargetError::MissingNumber(original.to_string())
            } else {
                TargetError::Malformed(original.to_string())
            },
        );
    }
    let (value, after) = take_number(rest).ok_or_else(|| TargetError::Malformed(original.to_string()))?;
    // A range: `80%-90%`, `80-90%`, `80~90%`. Only without a leading comparator.
    if let Some(sep) = after.find(['-', '~']) {
        if comparator.is_some() {
            return Err(TargetError::Malformed(original.to_string()));
        }
        let unit_low = &after[..sep];
        let (upper, unit_high) =
            take_number(&after[sep + 1..]).ok_or_else(|| TargetError::Malformed(original.to_string()))?;
        let unit = check_unit(unit_high, original)?;
        if !unit_low.is_empty() && check_unit(unit_low, original)? != unit {
            return Err(TargetError::MixedUnits(original.to_string()));
        }
        if upper < value {
            return Err(TargetError::ReversedRange(original.to_string()));
        }
        return Ok(Parsed::Quantitative { comparator: Comparator::Range, value, upper: Some(upper), unit });
    }
    let unit = check_unit(after, original)?;
    Ok(Parsed::Quantitative { comparator: comparator.unwrap_or(Comparator::Eq), value, upper: None, unit })
}

/// Splits a leading decimal number off `s`.
fn take_number(s: &str) -> Option<(Decimal, &str)> {
    let end = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    Decimal::parse(&s[..end]).map(|d| (d, &s[end..]))
}

/// A unit is `%`, `‰`, or a short word (个, 次, 天, 万元, 人次, 次/年); never digits or comparators.
fn check_unit(unit: &str, original: &str) -> Result<String, TargetError> {
    let ok = unit.is_empty()
        || unit == "%"
        || unit == "‰"
        || (unit.chars().count() <= 10
            && unit.chars().all(|c| c.is_alphabetic() || c == '/' || c == '·')
            && !unit.contains(|c: char| c.is_ascii_digit()));
    if ok { Ok(unit.to_string()) } else { Err(TargetError::Malformed(original.to_string())) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quant(text: &str) -> (Comparator, String, Option<String>, String) {
        let t = TargetValue::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(t.kind(), TargetKind::Quantitative, "{text}");
        assert_eq!(t.text(), text, "text is kept as entered");
        (
            t.comparator().unwrap(),
            t.value().unwrap().to_string(),
            t.upper().map(|u| u.to_string()),
            t.unit().unwrap().to_string(),
        )
    }

    #[test]
    fn quantitative_targets() {
        use Comparator::*;
        let table: &[(&str, Comparator, &str, Option<&str>, &str)] = &[
            ("=100%", Eq, "100", None, "%"),
            (">=85%", Ge, "85", None, "%"),
            ("≥95%", Ge, "95", None, "%"),
            ("＞＝90%", Ge, "90", None, "%"),
            ("＞＝９０％", Ge, "90", None, "%"),
            ("<=30天", Le, "30", None, "天"),
            ("≤30天", Le, "30", None, "天"),
            (">0", Gt, "0", None, ""),
            ("<5%", Lt, "5", None, "%"),
            ("10次", Eq, "10", None, "次"),
            ("12", Eq, "12", None, ""),
            ("=99.5%", Eq, "99.5", None, "%"),
            ("=99.50%", Eq, "99.5", None, "%"),
            ("= 100 %", Eq, "100", None, "%"),
            ("≥0.75万元", Ge, "0.75", None, "万元"),
            ("80%-90%", Range, "80", Some("90"), "%"),
            ("80%~90%", Range, "80", Some("90"), "%"),
            ("80-90%", Range, "80", Some("90"), "%"),
            ("3～5个", Range, "3", Some("5"), "个"),
            ("2次/年", Eq, "2", None, "次/年"),
        ];
        for (text, cmp, value, upper, unit) in table {
            assert_eq!(quant(text), (*cmp, value.to_string(), upper.map(str::to_string), unit.to_string()), "{text}");
        }
    }

    /// The one-pass reading gives what the three replacements it stands for gave.
    #[test]
    fn normalizing_reads_comparator_pairs_as_replacements_would() {
        fn by_replacing(text: &str) -> String {
            let mapped: String = text
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| match c {
                    '＝' => '=',
                    '＞' => '>',
                    '＜' => '<',
                    other => other,
                })
                .collect();
            mapped.replace(">=", "≥").replace("<=", "≤").replace("==", "=")
        }
        let alphabet = ['=', '>', '<', '＝', '＞', ' ', '5', '≥'];
        let mut cases = vec![String::new()];
        for _ in 0..5 {
            cases = cases.iter().flat_map(|c| alphabet.iter().map(move |a| format!("{c}{a}"))).collect();
            for case in &cases {
                assert_eq!(normalize(case), by_replacing(case), "{case:?}");
            }
        }
    }

    #[test]
    fn qualitative_targets() {
        for text in
            ["提高", "下降", "良好", "有效", "及时", "高", "减少", "改善", "显著提升", "较上年提高5%", "  提高 "]
        {
            let t = TargetValue::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(t.kind(), TargetKind::Qualitative, "{text}");
            assert_eq!(t.text(), text);
            assert_eq!(t.comparator(), None);
            assert_eq!(t.value(), None);
        }
    }

    #[test]
    fn invalid_targets_name_the_value() {
        let table: &[(&str, TargetError)] = &[
            ("", TargetError::Empty),
            ("   ", TargetError::Empty),
            (">=", TargetError::MissingNumber(">=".into())),
            ("=", TargetError::MissingNumber("=".into())),
            (">=abc", TargetError::MissingNumber(">=abc".into())),
            (">=<5%", TargetError::Malformed(">=<5%".into())),
            ("==>5", TargetError::Malformed("==>5".into())),
            ("5%abc%", TargetError::Malformed("5%abc%".into())),
            ("1.2.3%", TargetError::Malformed("1.2.3%".into())),
            ("90%-80%", TargetError::ReversedRange("90%-80%".into())),
            ("80%-90天", TargetError::MixedUnits("80%-90天".into())),
            (">=80%-90%", TargetError::Malformed(">=80%-90%".into())),
            ("%", TargetError::Malformed("%".into())),
            ("-5%", TargetError::Malformed("-5%".into())),
        ];
        for (text, err) in table {
            assert_eq!(TargetValue::parse(text).as_ref().err(), Some(err), "{text}");
            assert!(err.to_string().contains(text.trim()) || text.trim().is_empty(), "message names {text}");
        }
        let typed = TargetValue::as_typed("≥");
        assert_eq!((typed.kind(), typed.text(), typed.value()), (TargetKind::Invalid, "≥", None));
        assert_eq!(typed.error(), Some(&TargetError::MissingNumber("≥".into())));
        assert_eq!(TargetValue::as_typed("提高").kind(), TargetKind::Qualitative);
        let long = "好".repeat(MAX_TARGET_CHARS + 1);
        assert!(matches!(TargetValue::parse(&long), Err(TargetError::TooLong(_))));
    }

    #[test]
    fn decimals_compare_exactly() {
        let d = |s| Decimal::parse(s).unwrap();
        assert!(d("99.5") < d("100"));
        assert_eq!(d("85.0"), d("85"));
        assert_eq!(d("0.10").to_string(), "0.1");
        assert_eq!(d("007").to_string(), "7");
        assert_eq!(d("0.05").to_string(), "0.05");
    }

    #[test]
    fn comparators_and_kinds_keep_their_codes_and_labels() {
        use Comparator::*;
        let comparators: Vec<(&str, &str)> =
            [Eq, Ge, Le, Gt, Lt, Range].iter().map(|c| (c.code(), c.label())).collect();
        assert_eq!(
            comparators,
            [("EQ", "等于"), ("GE", "大于等于"), ("LE", "小于等于"), ("GT", "大于"), ("LT", "小于"), ("RANGE", "区间")]
        );
        let kinds: Vec<&str> = [TargetKind::Quantitative, TargetKind::Qualitative, TargetKind::Invalid]
            .iter()
            .map(|k| k.label())
            .collect();
        assert_eq!(kinds, ["定量", "定性", "无法识别"]);
    }

    /// Digits with an optional fraction, at most 18 significant digits; nothing else.
    #[test]
    fn decimals_are_digits_with_an_optional_fraction() {
        let read = |t: &str| Decimal::parse(t).map(|d| (d.units, d.scale));
        assert_eq!(read("85"), Some((85, 0)));
        assert_eq!(read("99.50"), Some((995, 1)));
        assert_eq!(read("0.75"), Some((75, 2)));
        assert_eq!(read("000"), Some((0, 0)));
        assert_eq!(read("123456789012345678"), Some((123_456_789_012_345_678, 0)));
        for bad in [".5", "5a", "a5", "+5", "5.a", "5.+5", "5.", "", "1234567890123456789", "12345678901234567.89"] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }

    /// What a target that starts with a comparator but goes wrong is called; a range may have
    /// equal ends; a target of exactly the longest length is read.
    #[test]
    fn edges_of_reading_a_target() {
        for text in [">=<", ">=x5"] {
            assert_eq!(TargetValue::parse(text).err(), Some(TargetError::Malformed(text.into())), "{text}");
        }
        let range = TargetValue::parse("80-80%").unwrap();
        assert_eq!(
            (range.comparator(), range.value(), range.upper()),
            (Some(Comparator::Range), range.upper(), range.value())
        );
        assert!(range.value().is_some(), "equal ends are a range, not a reversed one");
        assert_eq!(TargetValue::parse(&"好".repeat(MAX_TARGET_CHARS)).map(|t| t.kind()), Ok(TargetKind::Qualitative));
        assert!(matches!(TargetValue::parse(&"好".repeat(MAX_TARGET_CHARS + 1)), Err(TargetError::TooLong(_))));
    }
}
