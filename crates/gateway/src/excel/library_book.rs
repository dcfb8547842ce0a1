//! The indicator library as a workbook: `/export/library.xlsx` writes the entries the reader may
//! read, one row each, and `importIndicatorLibrary` reads the same sheet back (the bureau's list of
//! common indicators is an Excel file today). Enums are written as their Chinese labels and read
//! as labels or codes; texts are written as strings, never formulas. A book exported and imported
//! again changes nothing: confirmed entries exist, and rows shown as proposed or retired are left out.

use calamine::{Reader, Xlsx};
use jixiao_domain::library::{EntryContent, IndicatorDirection, ValueBasis};
use jixiao_domain::{Level1, Level2, Problem};
use jixiao_store::library::{ImportedEntry, LibraryEntryRecord};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::read::{cell_name, check_unpacked_size, problem, text};
use super::sheet::{Budget, read_sheet};

pub const SHEET: &str = "指标库";

/// The columns, in order; those after 其他写法 are written for the reader and ignored on import.
const HEADERS: [&str; 17] = [
    "范围",
    "主管部门代码",
    "主管部门",
    "一级指标",
    "二级指标",
    "三级指标",
    "计量单位",
    "指标方向",
    "指标解释",
    "计算公式",
    "指标值确定依据",
    "参考值",
    "标杆值",
    "其他写法",
    "状态",
    "使用项目数",
    "历史值",
];

/// Other spellings share one cell, separated so.
const ALIAS_SEPARATOR: char = '、';

/// One entry as the workbook shows it.
pub struct LibraryRow {
    pub record: LibraryEntryRecord,
    pub department: Option<(String, String)>,
    pub uses: i64,
    pub history_value: Option<String>,
}

pub fn library_workbook(rows: &[LibraryRow]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name(SHEET)?;
    for (col, header) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, *header, &bold)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let e = &r.record.entry;
        let (code, name) = r.department.clone().unwrap_or_default();
        let cells = [
            r.record.scope.label().to_string(),
            code,
            name,
            e.level1.label().to_string(),
            e.level2.label().to_string(),
            e.name.clone(),
            e.unit.clone(),
            e.direction.label().to_string(),
            e.definition.clone(),
            e.formula.clone(),
            e.value_basis.label().to_string(),
            e.reference_value.clone().unwrap_or_default(),
            e.benchmark_value.clone().unwrap_or_default(),
            e.aliases.join(&ALIAS_SEPARATOR.to_string()),
            r.record.status.label().to_string(),
            r.uses.to_string(),
            r.history_value.clone().unwrap_or_default(),
        ];
        for (col, text) in cells.iter().enumerate() {
            ws.write_string(i as u32 + 1, col as u16, text)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofit();
    workbook.save_to_buffer()
}

/// A value of a coded enum from its label or its code.
fn coded<T: Copy>(all: &[T], label: fn(T) -> &'static str, code: fn(T) -> &'static str, t: &str) -> Option<T> {
    all.iter().copied().find(|v| label(*v) == t || code(*v) == t)
}

/// The column of an entry's field (`aliases[2]` → 其他写法).
fn column_of(field: &str) -> u32 {
    match field.split('[').next().unwrap_or(field) {
        "level1" => 3,
        "level2" => 4,
        "name" => 5,
        "unit" => 6,
        "direction" => 7,
        "definition" => 8,
        "formula" => 9,
        "valueBasis" => 10,
        "referenceValue" => 11,
        "benchmarkValue" => 12,
        _ => 13,
    }
}

/// The library sheet read back.
pub struct ReadLibrary {
    /// One checked entry per row (a row shown as 已确认, or without a status).
    pub entries: Vec<ImportedEntry>,
    /// The names of the rows shown as 待确认 or 已停用: left out.
    pub skipped: Vec<String>,
}

/// The library sheet read back, every problem at its cell.
pub fn read_library(bytes: &[u8], budget: &mut Budget) -> Result<ReadLibrary, Vec<Problem>> {
    check_unpacked_size(bytes)?;
    let unreadable = |e: String| {
        vec![problem(
            "file".into(),
            format!("不是可读的 .xlsx 工作簿（{e}）"),
            format!("not a readable .xlsx workbook ({e})"),
        )]
    };
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    if !book.sheet_names().iter().any(|n| n == SHEET) {
        return Err(vec![problem(
            "file".into(),
            format!("工作簿中没有名为“{SHEET}”的工作表：请使用 /export/library.xlsx 导出的格式"),
            format!("the workbook has no sheet named “{SHEET}”: use the layout /export/library.xlsx writes"),
        )]);
    }
    let sheet = read_sheet(&mut book, SHEET, budget).map_err(|e| match e {
        super::sheet::SheetError::Unreadable(e) => unreadable(e),
        super::sheet::SheetError::Exhausted(e) => unreadable(format!("{e:?}")),
    })?;
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for row in sheet.rows().filter(|r| *r > 0) {
        let at = |col: u32| cell_name(SHEET, row, col);
        let cell = |col: u32| text(&sheet, row, col);
        if (0..14).all(|c| cell(c).is_empty()) {
            continue;
        }
        // A row the book shows as proposed or retired is not the bureau's word: left out.
        let status = cell(14);
        if !matches!(status.as_str(), "" | "已确认" | "CONFIRMED") {
            skipped.push(cell(5));
            continue;
        }
        let scope = cell(0);
        let department = matches!(scope.as_str(), "个性指标" | "DEPARTMENT");
        if !department && !matches!(scope.as_str(), "" | "共性指标" | "COMMON") {
            problems.push(problem(
                at(0),
                format!("“{scope}”不是可选的范围：请填写共性指标或个性指标"),
                format!("“{scope}” is not a scope: write 共性指标 or 个性指标"),
            ));
        }
        let code = cell(1);
        if code.contains('\0') {
            // Excel writes control characters as `_x0000_`, which the reader turns back into them.
            problems.push(problem(
                at(1),
                "主管部门代码中有不可见的控制字符（NUL）：请重新输入".to_string(),
                "the department code holds an invisible control character (NUL): type it again".to_string(),
            ));
        } else if department && code.is_empty() {
            problems.push(problem(
                at(1),
                "个性指标须填写主管部门代码".to_string(),
                "a department's indicator needs its department's code".to_string(),
            ));
        }
        let level1 = coded(Level1::ALL, Level1::label, Level1::code, &cell(3));
        let level2 = coded(Level2::ALL, Level2::label, Level2::code, &cell(4));
        let direction = coded(IndicatorDirection::ALL, IndicatorDirection::label, IndicatorDirection::code, &cell(7));
        let basis = coded(ValueBasis::ALL, ValueBasis::label, ValueBasis::code, &cell(10));
        // A value written but not one of the list is told as written; an empty one by the check below.
        let unknown: Vec<(u32, &str, &str)> = [
            (3, level1.is_none(), ("一级指标", "level 1")),
            (4, level2.is_none(), ("二级指标", "level 2")),
            (7, direction.is_none(), ("指标方向", "direction")),
            (10, basis.is_none(), ("指标值确定依据", "value basis")),
        ]
        .into_iter()
        .filter(|(col, missing, _)| *missing && !cell(*col).is_empty())
        .map(|(col, _, (zh, en))| (col, zh, en))
        .collect();
        for (col, zh, en) in &unknown {
            problems.push(problem(
                at(*col),
                format!("“{}”不是可选的{zh}", cell(*col)),
                format!("“{}” is not a {en}", cell(*col)),
            ));
        }
        let optional = |col: u32| Some(cell(col)).filter(|t| !t.is_empty());
        let content = EntryContent {
            level1,
            level2,
            name: cell(5),
            unit: cell(6),
            direction,
            definition: cell(8),
            formula: cell(9),
            value_basis: basis,
            reference_value: optional(11),
            benchmark_value: optional(12),
            aliases: cell(13).split(ALIAS_SEPARATOR).map(str::to_string).filter(|a| !a.trim().is_empty()).collect(),
        };
        match content.check() {
            Err(found) => problems.extend(
                found
                    .into_iter()
                    .map(|p| (column_of(&p.field), p))
                    .filter(|(col, _)| !unknown.iter().any(|(c, _, _)| c == col))
                    .map(|(col, p)| Problem { field: at(col), ..p }),
            ),
            Ok(entry) => out.push(ImportedEntry {
                at: at(5),
                department_at: at(1),
                department_code: department.then_some(code),
                entry,
            }),
        }
    }
    if problems.is_empty() { Ok(ReadLibrary { entries: out, skipped }) } else { Err(problems) }
}
