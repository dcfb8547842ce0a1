//! A position in PostgreSQL's write-ahead log (`pg_lsn`, written `16/B374D848`), as a number
//! that orders as the log does.

use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lsn(pub u64);

impl Lsn {
    /// Reads PostgreSQL's text form: two hexadecimal halves around a slash.
    pub fn parse(text: &str) -> Option<Lsn> {
        let (high, low) = text.trim().split_once('/')?;
        if high.is_empty() || low.is_empty() || high.len() > 8 || low.len() > 8 {
            return None;
        }
        let high = u64::from_str_radix(high, 16).ok()?;
        let low = u64::from_str_radix(low, 16).ok()?;
        Some(Lsn(high << 32 | low))
    }
}

impl fmt::Display for Lsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:X}/{:X}", self.0 >> 32, self.0 & 0xFFFF_FFFF)
    }
}

#[cfg(test)]
mod tests {
    use super::Lsn;

    #[test]
    fn reads_and_writes_postgres_text_and_orders_as_the_log() {
        let a = Lsn::parse("16/B374D848").unwrap();
        assert_eq!(a.0, 0x16_B374_D848);
        assert_eq!(a.to_string(), "16/B374D848");
        assert!(Lsn::parse("16/B374D849").unwrap() > a);
        assert!(Lsn::parse("17/0").unwrap() > a, "the high half counts first");
        assert_eq!(Lsn::parse("0/0"), Some(Lsn(0)));
        for bad in ["", "16", "/1", "1/", "x/1", "1/2/3", "123456789/0"] {
            assert_eq!(Lsn::parse(bad), None, "{bad:?}");
        }
    }
}
