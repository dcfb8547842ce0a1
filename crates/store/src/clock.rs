//! What time it is, for the rules that depend on the day (what is overdue, when a deadline has
//! passed). The system's clock in service; in tests a file holding an RFC 3339 time
//! (`JIXIAO_CLOCK_FILE`), read each time it is asked, so that a test moves a running service to
//! the day after a deadline instead of waiting for it. Times written to the database (when a row
//! was made or changed) stay the system's: the test clock moves only what is due.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

#[derive(Clone, Debug, Default)]
pub enum Clock {
    #[default]
    System,
    /// The time written in this file (tests only).
    File(Arc<PathBuf>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::File(path) => std::fs::read_to_string(path.as_ref())
                .ok()
                .and_then(|text| DateTime::parse_from_rfc3339(text.trim()).ok())
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| {
                    tracing::warn!(path = %path.display(), "the test clock's file holds no RFC 3339 time: using the system's");
                    Utc::now()
                }),
        }
    }

    /// How often a screen that follows what is due looks at the clock: a minute on the system's
    /// clock (a deadline passes at midnight), a fifth of a second on a test's, which moves when
    /// the test writes it.
    pub fn check_every(&self) -> std::time::Duration {
        match self {
            Clock::System => std::time::Duration::from_secs(60),
            Clock::File(_) => std::time::Duration::from_millis(200),
        }
    }

    /// Today in China, the day deadlines are counted in.
    pub fn today(&self) -> NaiveDate {
        jixiao_domain::dates::china_today(self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_clock_reads_its_file_each_time() {
        let path = std::env::temp_dir().join(format!("jixiao-clock-{}", std::process::id()));
        std::fs::write(&path, "2022-10-31T15:59:59Z\n").unwrap();
        let clock = Clock::File(Arc::new(path.clone()));
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2022, 10, 31).unwrap());
        std::fs::write(&path, "2022-10-31T16:00:00Z").unwrap();
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2022, 11, 1).unwrap(), "midnight in China");
        std::fs::write(&path, "not a time").unwrap();
        assert!((clock.now() - Utc::now()).num_seconds().abs() < 60, "an unreadable file falls back");
        std::fs::remove_file(path).unwrap();
    }
}
