//! Excel: the 申报表 as the bureau prints it, one project or a department's whole year, made with
//! rust_xlsxwriter (`write.rs`) from what the caller may see (`data.rs`), served over HTTP
//! (`http.rs`) and by `jixiao export`; and read back with calamine (`read.rs`, cell by cell under a budget: `sheet.rs`) into the store
//! (`import.rs`) by `jixiao import` and the `importDeclaration` mutation.

pub mod audit_book;
pub mod data;
pub mod goals_book;
pub mod goals_http;
pub mod http;
pub mod import;
pub mod library_book;
pub mod library_http;
pub mod read;
pub mod sheet;
pub mod write;
