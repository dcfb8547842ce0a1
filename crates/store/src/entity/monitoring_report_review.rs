//! The steps of monitoring reports.
form_history!("monitoring_report_reviews", report_id);
