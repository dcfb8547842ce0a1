//! Properties of the parsers that hold for every input, not only the ones in the tables:
//! any text in, a value or a clear error out, never a panic; display then parse gives the same
//! value back; sums never lose a fen.

use jixiao_domain::{Comparator, Money, TargetKind, TargetValue};
use proptest::prelude::*;

const MAX_FEN: i64 = Money::MAX.fen();

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_text_is_an_amount_or_a_clear_error(text in "\\PC{0,30}") {
        if let Err(e) = Money::parse_yuan(&text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn amounts_survive_display_and_parse(fen in 0..=MAX_FEN) {
        let m = Money::from_fen(fen);
        prop_assert_eq!(Money::parse_yuan(&m.to_string()), Ok(m));
    }

    #[test]
    fn sums_never_lose_a_fen(fens in proptest::collection::vec(0i64..=10_000_000_000, 0..200)) {
        let parsed: Money = fens.iter().map(|&f| Money::parse_yuan(&Money::from_fen(f).to_string()).unwrap()).sum();
        prop_assert_eq!(parsed.fen(), fens.iter().sum::<i64>());
    }

    #[test]
    fn any_text_is_a_target_or_a_clear_error(text in "\\PC{0,40}") {
        match TargetValue::parse(&text) {
            Ok(t) => prop_assert_eq!(t.text(), text.as_str()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn quantitative_targets_parse_to_what_they_say(
        cmp in prop::sample::select(vec![("=", Comparator::Eq), (">=", Comparator::Ge), ("≥", Comparator::Ge), ("<=", Comparator::Le), ("≤", Comparator::Le), (">", Comparator::Gt), ("<", Comparator::Lt)]),
        whole in 0u64..1_000_000,
        frac in proptest::option::of(1u32..100),
        unit in prop::sample::select(vec!["%", "天", "次", "个", "万元", "", "人次"]),
    ) {
        let number = match frac { Some(f) => format!("{whole}.{f:02}"), None => whole.to_string() };
        let text = format!("{}{number}{unit}", cmp.0);
        let t = TargetValue::parse(&text).unwrap();
        prop_assert_eq!(t.kind(), TargetKind::Quantitative);
        prop_assert_eq!(t.comparator(), Some(cmp.1));
        prop_assert_eq!(t.unit(), Some(unit));
        // The exact decimal: display it and parse again, same value.
        let value = t.value().unwrap().to_string();
        let again = TargetValue::parse(&format!("={value}{unit}")).unwrap();
        prop_assert_eq!(again.value(), t.value());
        let canonical = if number.contains('.') { number.trim_end_matches('0').trim_end_matches('.').to_string() } else { number.clone() };
        prop_assert_eq!(value, canonical);
    }
}
