//! Excel out: the 申报表 as the bureau prints it, one project or a department's whole year, made
//! with rust_xlsxwriter (`workbook.rs`) from what the caller may see (`data.rs`), served over HTTP
//! (`http.rs`) and by `jixiao export`.

pub mod data;
pub mod http;
pub mod workbook;
