//! What an actual value earns against a quantitative target, and when it needs an explanation
//! (财预〔2020〕10号). The direction is the target's ([`TargetValue::direction`]): its comparator,
//! never the indicator's name. Every comparison is between fractions of integers: exact.

use crate::target_value::{Decimal, Direction, TargetValue};

/// `(numerator, denominator)` of a non-negative rational.
type Fraction = (u128, u128);

const FULL: Fraction = (1, 1);
const NOTHING: Fraction = (0, 1);

/// `a` and `t` over a common denominator.
fn common(a: Decimal, t: Decimal) -> (u128, u128) {
    let (a, t) = (a.fraction(), t.fraction());
    (a.0 * t.1, t.0 * a.1)
}

/// Higher is better: `a ≥ t` earns the whole weight, less in proportion (`a / t`); `t = 0` is full.
fn at_least(a: Decimal, t: Decimal) -> Fraction {
    let (a, t) = common(a, t);
    if t == 0 || a >= t { FULL } else { (a, t) }
}

/// Lower is better: `a ≤ t` earns the whole weight, falling in proportion to 0 at twice the target
/// (`(2t − a) / t`). With `t = 0` (`=0次`, `≤0`), anything above 0 earns nothing.
fn at_most(a: Decimal, t: Decimal) -> Fraction {
    let (a, t) = common(a, t);
    if a <= t {
        FULL
    } else if a >= 2 * t {
        NOTHING
    } else {
        (2 * t - a, t)
    }
}

/// The share of the weight an actual value earns, as a fraction in [0, 1].
pub fn achieved_fraction(target: &TargetValue, actual: Decimal) -> Fraction {
    let (Some(t), Some(direction)) = (target.value(), target.direction()) else { return NOTHING };
    match direction {
        Direction::HigherIsBetter => at_least(actual, t),
        Direction::LowerIsBetter => at_most(actual, t),
        // Below the range as its lower end's floor; from there on as its upper end's ceiling
        // (full inside the range, falling above it).
        Direction::WithinRange => match at_least(actual, t) {
            FULL => at_most(actual, target.upper().unwrap_or(t)),
            below => below,
        },
    }
}

/// Whether a result is so far beyond its target that 10号 asks why (a target set too low, or luck):
/// at least 120% of a higher-is-better target (or of a range's upper end), at most 80% of a
/// lower-is-better one. A target of 0 has no "far beyond".
pub fn far_beyond(target: &TargetValue, actual: Decimal) -> bool {
    let (Some(t), Some(direction)) = (target.value(), target.direction()) else { return false };
    let beyond = |bound: Decimal, above: bool| {
        let (a, b) = common(actual, bound);
        b > 0 && if above { 10 * a >= 12 * b } else { 10 * a <= 8 * b }
    };
    match direction {
        Direction::HigherIsBetter => beyond(t, true),
        Direction::LowerIsBetter => beyond(t, false),
        Direction::WithinRange => beyond(target.upper().unwrap_or(t), true),
    }
}
