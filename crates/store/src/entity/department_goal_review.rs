//! The steps of departments' overall goals.
form_history!("department_goal_reviews", form_id);
