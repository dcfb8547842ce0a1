//! The steps of departments' monitoring reports on their overall goals.
form_history!("department_goal_report_reviews", report_id);
