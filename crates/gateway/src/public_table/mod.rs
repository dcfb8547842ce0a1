//! The public table (绩效公开表) a department posts: `GET /export/publication/{departmentCode}/
//! {fiscalYear}.html` (a plain page that prints well: Chinese, no scripts) and `.xlsx` (the
//! forms as the bureau prints them). Both are drawn from `jixiao_store::publication::PublicTable`,
//! which holds nothing internal (no status, findings, remarks, grades or reviewers' names).

pub mod html;
pub mod http;
pub mod xlsx;
