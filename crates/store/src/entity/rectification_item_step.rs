//! The steps of rectification items.
form_history!("rectification_item_steps", item_id);
