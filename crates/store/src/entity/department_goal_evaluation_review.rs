//! The steps of departments' self-evaluations of their overall goals.
form_history!("department_goal_evaluation_reviews", evaluation_id);
