//! What a list that is not paged costs in the complexity limit: its most rows times what each row
//! costs. A project's `indicators` (up to 200) count as 200 rows, so pages of projects multiply by
//! what they hold, as the work and the answer do. (Pages cost their page size: `page_cost`.)

pub fn list_cost(max_rows: usize, child_complexity: usize) -> usize {
    max_rows.saturating_mul(child_complexity.max(1))
}
