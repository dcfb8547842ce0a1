//! The steps of self-evaluations.
form_history!("self_evaluation_reviews", evaluation_id);
