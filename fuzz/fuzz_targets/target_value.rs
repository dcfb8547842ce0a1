#![no_main]
//! Any text in: a target value (whose text is exactly the input) or an error, never a panic;
//! and a parsed number reads back the same.

use jixiao_domain::{Money, TargetValue};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(t) = TargetValue::parse(text) {
        assert_eq!(t.text(), text);
        if let (Some(v), Some(unit)) = (t.value(), t.unit()) {
            let again = TargetValue::parse(&format!("={v}{unit}")).expect("a displayed value parses");
            assert_eq!(again.value(), Some(v));
        }
    }
    if let Ok(m) = Money::parse_yuan(text) {
        assert_eq!(Money::parse_yuan(&m.to_string()), Ok(m));
    }
});
