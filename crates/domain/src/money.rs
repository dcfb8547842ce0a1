//! Money, exact to the fen (分).
//!
//! Amounts are held as a whole number of fen in an `i64`: exact, identical on PostgreSQL and
//! SQLite (BIGINT), and summable in SQL. On the wire an amount is a decimal string in yuan with
//! two places ("214167.00"). No float ever holds an amount.

use std::fmt;
use std::ops::Add;

use serde::{Deserialize, Serialize};

/// The largest amount the form accepts: 1,000,000,000,000.00 yuan (一万亿元), about a thirtieth of
/// the whole national budget: no single project's funds come near it, and a typing slip of a few
/// extra digits is caught. Totals are summed as [`Total`], which cannot overflow.
const MAX_FEN: i64 = 100_000_000_000_000;

/// An amount of money in fen (1 yuan = 100 fen).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(i64);

/// Why a text is not an amount. The message names the value so a person can find it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("an amount is required (a decimal number of yuan such as \"1000.00\")")]
    Empty,
    #[error("\"{0}\" is negative: amounts are zero or more")]
    Negative(String),
    #[error("\"{0}\" has more than two decimal places: amounts are exact to the fen (0.01 yuan)")]
    TooPrecise(String),
    #[error("\"{0}\" is not an amount: write yuan as digits with at most two decimals, e.g. \"214167.00\"")]
    Malformed(String),
    #[error("\"{0}\" is too large: amounts go up to 1000000000000.00 yuan (一万亿元)")]
    TooLarge(String),
}

impl MoneyError {
    /// What a person reads, naming the value typed.
    pub fn message(&self) -> crate::Message {
        use crate::Message;
        match self {
            MoneyError::Empty => Message::new("请填写金额（以元为单位的数字，如 \"1000.00\"）", self.to_string()),
            MoneyError::Negative(v) => Message::new(format!("金额 \"{v}\" 为负数：金额应为零或正数"), self.to_string()),
            MoneyError::TooPrecise(v) => {
                Message::new(format!("金额 \"{v}\" 超过两位小数：金额精确到分（0.01 元）"), self.to_string())
            }
            MoneyError::Malformed(v) => Message::new(
                format!("\"{v}\" 不是金额：请以元为单位填写数字，最多两位小数，如 \"214167.00\""),
                self.to_string(),
            ),
            MoneyError::TooLarge(v) => {
                Message::new(format!("金额 \"{v}\" 过大：最多 1000000000000.00 元（一万亿元）"), self.to_string())
            }
        }
    }
}

impl Money {
    pub const ZERO: Money = Money(0);
    /// The largest amount accepted.
    pub const MAX: Money = Money(MAX_FEN);

    pub const fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Parses a yuan amount as written on the form: `"214167.00"`, `"214167"`, `"0.5"`.
    /// Signs, grouping commas, exponents and a third decimal place are refused, not rounded.
    pub fn parse_yuan(text: &str) -> Result<Money, MoneyError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(MoneyError::Empty);
        }
        if t.starts_with('-') {
            return Err(MoneyError::Negative(text.to_string()));
        }
        let (whole, frac) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(frac) || (t.contains('.') && frac.is_empty()) {
            return Err(MoneyError::Malformed(text.to_string()));
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooPrecise(text.to_string()));
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 13 {
            return Err(MoneyError::TooLarge(text.to_string()));
        }
        let yuan: i64 =
            if whole.is_empty() { 0 } else { whole.parse().map_err(|_| MoneyError::Malformed(text.to_string()))? };
        let mut cents = 0i64;
        for (i, b) in frac.bytes().enumerate() {
            cents += i64::from(b - b'0') * if i == 0 { 10 } else { 1 };
        }
        let fen = yuan * 100 + cents;
        if fen > MAX_FEN {
            return Err(MoneyError::TooLarge(text.to_string()));
        }
        Ok(Money(fen))
    }

    /// The amount in 万元 (ten thousand yuan), rounded half up to two places, as the forms state
    /// totals ("291.42 万元" for 2,914,171.00 yuan).
    pub fn wan_yuan(self) -> String {
        Total::from(self).wan_yuan()
    }
}

impl fmt::Display for Money {
    /// Yuan with exactly two decimals: `214167.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Total::from(self).fmt(f)
    }
}

/// A sum of amounts, in fen, wide enough that no number of projects can overflow it (`i128`:
/// 10^36 yuan). Shown like [`Money`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Total(i128);

impl Total {
    pub const ZERO: Total = Total(0);

    pub const fn from_fen(fen: i128) -> Total {
        Total(fen)
    }

    pub const fn fen(self) -> i128 {
        self.0
    }

    /// In 万元, rounded half up to two places.
    pub fn wan_yuan(self) -> String {
        // One hundredth of a 万元 is 100 yuan, i.e. 10,000 fen.
        let hundredths = (self.0 + 5_000).div_euclid(10_000);
        format!("{}.{:02}", hundredths / 100, hundredths % 100)
    }
}

impl From<Money> for Total {
    fn from(m: Money) -> Total {
        Total(i128::from(m.0))
    }
}

impl From<&Money> for Total {
    fn from(m: &Money) -> Total {
        Total(i128::from(m.0))
    }
}

impl Add for Total {
    type Output = Total;
    fn add(self, rhs: Total) -> Total {
        Total(self.0.saturating_add(rhs.0))
    }
}

impl fmt::Display for Total {
    /// Yuan with exactly two decimals: `214167.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_yuan_exactly() {
        let cases = [
            ("214167.00", 21_416_700),
            ("214167", 21_416_700),
            ("0.5", 50),
            ("0.05", 5),
            ("0", 0),
            (" 1.10 ", 110),
            ("007.01", 701),
            ("1000000000000.00", 100_000_000_000_000),
        ];
        for (text, fen) in cases {
            assert_eq!(Money::parse_yuan(text), Ok(Money::from_fen(fen)), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_an_exact_amount() {
        assert_eq!(Money::parse_yuan(""), Err(MoneyError::Empty));
        assert!(matches!(Money::parse_yuan("-1.00"), Err(MoneyError::Negative(_))));
        assert!(matches!(Money::parse_yuan("1.001"), Err(MoneyError::TooPrecise(_))));
        assert!(matches!(Money::parse_yuan("10000000000000"), Err(MoneyError::TooLarge(_))));
        assert!(matches!(Money::parse_yuan("1000000000000.01"), Err(MoneyError::TooLarge(_))));
        assert!(matches!(Money::parse_yuan("9999999999999.99"), Err(MoneyError::TooLarge(_))));
        for bad in ["1,000.00", "1e5", "abc", ".5", "5.", "+5", "１００", "NaN", "1.2.3"] {
            assert!(matches!(Money::parse_yuan(bad), Err(MoneyError::Malformed(_))), "{bad}");
        }
    }

    #[test]
    fn displays_two_places_and_wan_yuan() {
        assert_eq!(Money::from_fen(21_416_700).to_string(), "214167.00");
        assert_eq!(Money::from_fen(5).to_string(), "0.05");
        assert_eq!(Money::from_fen(291_417_100).wan_yuan(), "291.42");
        assert_eq!(Money::from_fen(10_000_000).wan_yuan(), "10.00");
        // 49.99 yuan rounds down, 50.00 yuan rounds up to 0.01 万元.
        assert_eq!(Money::from_fen(4_999).wan_yuan(), "0.00");
        assert_eq!(Money::from_fen(5_000).wan_yuan(), "0.01");
    }

    #[test]
    fn totals_hold_sums_beyond_i64() {
        let huge = (0..100_000).fold(Total::ZERO, |t, _| t + Total::from(Money::MAX));
        assert_eq!(huge.to_string(), "100000000000000000.00");
        assert_eq!(huge.wan_yuan(), "10000000000000.00");
        assert_eq!(Total::from_fen(i128::from(i64::MAX) * 4).fen(), i128::from(i64::MAX) * 4);
    }

    #[test]
    fn round_trips_through_display() {
        for fen in [0, 1, 99, 100, 123_456_789] {
            let m = Money::from_fen(fen);
            assert_eq!(Money::parse_yuan(&m.to_string()), Ok(m));
        }
    }
}
