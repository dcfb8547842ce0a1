//! Excel in: a workbook exported by Jixiao (one project or a department's book) read back into the
//! declaration file the JSON import takes, so that it goes through the same checks and the same
//! all-or-nothing transaction. Every value read keeps the cell it came from (`项目2!C14`), and a
//! problem the checks find is reported at that cell.
//!
//! The forms are found by their labels in column A, not by fixed rows, so rows a person added or
//! left blank do not matter; amounts may be numbers or text (`1,250,000.00`, `125万元`), with the
//! funds block's unit (元 or 万元) taken from its label; merged cells are read where their value is
//! (their first cell); trailing blank rows end the indicator table; hidden sheets are left out.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use jixiao_domain::document::{DocumentProject, OrgRef};
use jixiao_domain::funds::{FUND_BOXES, FundItemInput, FundsInput};
use jixiao_domain::{
    Category, DeclarationDocument, FormText, IndicatorInput, Level1, Level2, Message, Problem, ProblemCode, Sections,
};

use super::sheet::{Budget, Exhausted, Sheet, SheetError, read_sheet};
use super::write::META_SHEET;

/// A workbook read: the declaration file, and the cell each of its fields came from.
#[derive(Clone)]
pub struct ReadWorkbook {
    pub document: DeclarationDocument,
    /// `projects[1].funds.total` → `项目2!C8`.
    pub cells: HashMap<String, String>,
}

/// `A1`-style name of a cell (0-based row and column).
pub(super) fn cell_name(sheet: &str, row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut c = u64::from(col) + 1;
    while c > 0 {
        letters.insert(0, (b'A' + ((c - 1) % 26) as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{sheet}!{letters}{}", u64::from(row) + 1)
}

pub(super) fn problem(cell: String, zh: String, en: String) -> Problem {
    Problem::new(cell, ProblemCode::InvalidInput, Message::new(zh, en))
}

/// A cell's text as a person typed it (numbers without a needless `.0`).
pub(super) fn text(range: &Sheet, row: u32, col: u32) -> String {
    match range.get(row, col) {
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Some(Data::Float(f)) => format!("{f}"),
        Some(Data::Int(i)) => i.to_string(),
        // A date typed as a date: Excel counts days from 1899-12-30.
        Some(Data::DateTime(d)) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| epoch.checked_add_signed(chrono::Duration::days(d.as_f64().floor() as i64)))
            .map(|day| day.to_string())
            .unwrap_or_default(),
        Some(Data::DateTimeIso(s)) => s.chars().take(10).collect(),
        Some(Data::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// An amount in yuan with two places, from a number or a text (`1,250,000.00`, `125万元`,
/// `12.5 万`), multiplied by 10,000 when the block is in 万元. `None` for an empty cell.
fn amount(range: &Sheet, row: u32, col: u32, wan: bool, at: &str) -> Result<Option<String>, Problem> {
    let raw = match range.get(row, col) {
        // A spreadsheet number: at most 15 significant digits, so two places print it exactly.
        Some(Data::Float(f)) => format!("{f:.2}"),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Empty) | None => return Ok(None),
        Some(other) => other.to_string(),
    };
    if raw.is_empty() {
        return Ok(None);
    }
    let mut t: String = raw.chars().filter(|c| !matches!(c, ',' | '，' | ' ' | '¥' | '￥')).collect();
    let mut in_wan = wan;
    for suffix in ["万元", "万", "元"] {
        if let Some(stripped) = t.strip_suffix(suffix) {
            in_wan = suffix.starts_with('万');
            t = stripped.to_string();
            break;
        }
    }
    let valid = !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.') && t.matches('.').count() <= 1;
    if !valid {
        return Err(problem(
            at.to_string(),
            format!("“{raw}”不是金额：请填写数字，如 1250000.00 或 125万元"),
            format!("“{raw}” is not an amount: write a number, e.g. 1250000.00 or 125万元"),
        ));
    }
    if !in_wan {
        return Ok(Some(t));
    }
    Ok(Some(wan_to_yuan(&t)))
}

/// `125.5` 万元 → `1255000.00` yuan, exactly: the decimal point moves four places. A figure more
/// precise than the fen keeps its extra digits, for the amount check to refuse.
fn wan_to_yuan(t: &str) -> String {
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let frac = format!("{frac:0<4}");
    let (moved, rest) = frac.split_at(4);
    let yuan = format!("{whole}{moved}");
    let yuan = yuan.trim_start_matches('0');
    format!("{}.{}", if yuan.is_empty() { "0" } else { yuan }, if rest.is_empty() { "00" } else { rest })
}

/// The first row whose column A reads `label`.
fn row_of(range: &Sheet, label: &str) -> Option<u32> {
    range.rows().find(|r| text(range, *r, 0) == label)
}

/// Reads one form sheet into a project of the file, noting each field's cell.
fn form(
    name: &str,
    range: &Sheet,
    index: usize,
    cells: &mut HashMap<String, String>,
    problems: &mut Vec<Problem>,
) -> Option<DocumentProject> {
    let mut at = |field: &str, row: u32, col: u32| {
        let cell = cell_name(name, row, col);
        cells.insert(format!("projects[{index}].{field}"), cell.clone());
        cell
    };
    let Some(name_row) = row_of(range, "项目名称") else {
        problems.push(problem(
            name.to_string(),
            format!("工作表“{name}”不是申报表：没有“项目名称”一行"),
            format!("the sheet “{name}” is not a form: it has no 项目名称 row"),
        ));
        return None;
    };
    at("name", name_row, 1);
    let value = |label: &str| row_of(range, label).map(|r| text(range, r, 1)).unwrap_or_default();
    let category_row = row_of(range, "项目类别");
    let category = match category_row.map(|r| text(range, r, 1)).unwrap_or_default() {
        c if c.is_empty() => None,
        c => match Category::ALL.into_iter().find(|x| x.label() == c || x.code() == c) {
            Some(x) => Some(x),
            None => {
                let cell = at("category", category_row.unwrap_or(0), 1);
                problems.push(problem(
                    cell,
                    format!("项目类别“{c}”不在（经常性项目、一次性项目、阶段性项目）之中"),
                    format!("the category “{c}” is not one of 经常性项目, 一次性项目, 阶段性项目"),
                ));
                None
            }
        },
    };
    let date = |col: u32| category_row.map(|r| text(range, r, col)).filter(|t| !t.is_empty());
    let mut date_of = |field: &str, col: u32| -> Option<chrono::NaiveDate> {
        let t = date(col)?;
        let cell = at(field, category_row.unwrap_or(0), col);
        match t.parse() {
            Ok(d) => Some(d),
            Err(_) => {
                problems.push(problem(
                    cell,
                    format!("“{t}”不是日期：请写成 2023-01-01"),
                    format!("“{t}” is not a date: write it as 2023-01-01"),
                ));
                None
            }
        }
    };
    let planned_start = date_of("plannedStart", 3);
    let planned_end = date_of("plannedEnd", 5);
    // Funds: three rows of label/amount pairs after the block's label (元 or 万元).
    let mut funds = FundsInput::default();
    let funds_row = range.rows().find(|r| text(range, *r, 0).starts_with("项目资金"));
    if let Some(r) = funds_row {
        let wan = text(range, r, 0).contains("万元");
        let boxes: [&mut Option<String>; 7] = [
            &mut funds.total,
            &mut funds.fiscal,
            &mut funds.other,
            &mut funds.annual_request,
            &mut funds.current_year_appropriation,
            &mut funds.carryover,
            &mut funds.annual_other,
        ];
        for (n, ((field, _), slot)) in FUND_BOXES.iter().zip(boxes).enumerate() {
            let (row, col) = (r.saturating_add((n / 3) as u32), 2 + 2 * (n % 3) as u32);
            let cell = at(&format!("funds.{field}"), row, col);
            match amount(range, row, col, wan, &cell) {
                Ok(v) => *slot = v,
                Err(p) => problems.push(p),
            }
        }
    }
    // Fund items: rows under 资金明细, name in B, amount in F.
    let mut fund_items = Vec::new();
    if let Some(first) = row_of(range, "资金明细") {
        let mut row = first;
        while Some(row) <= range.last_row()
            && (row == first || text(range, row, 0).is_empty())
            && !text(range, row, 1).is_empty()
        {
            let i = fund_items.len();
            at(&format!("fundItems[{i}].name"), row, 1);
            let cell = at(&format!("fundItems[{i}].amount"), row, 5);
            match amount(range, row, 5, false, &cell) {
                Ok(v) => fund_items.push(FundItemInput { name: text(range, row, 1), amount: v.unwrap_or_default() }),
                Err(p) => problems.push(p),
            }
            let Some(next) = row.checked_add(1) else { break };
            row = next;
        }
    }
    let mut sections = Sections::default();
    {
        let s = &mut sections;
        for (field, slot) in [
            ("overview", &mut s.overview),
            ("basis", &mut s.basis),
            ("implementingBody", &mut s.implementing_body),
            ("plan", &mut s.plan),
            ("cycle", &mut s.cycle),
            ("budgetArrangement", &mut s.budget_arrangement),
        ] {
            let label = Sections::default()
                .labelled()
                .into_iter()
                .find(|(f, _, _)| *f == field)
                .map(|(_, (zh, _), _)| zh)
                .unwrap_or("");
            if let Some(r) = row_of(range, label) {
                at(&format!("sections.{field}"), r, 1);
                *slot = text(range, r, 1);
            }
        }
    }
    // The indicator table: 一级 and 二级 carried down their merged runs; blank rows end it.
    let mut indicators = Vec::new();
    if let Some(header) = row_of(range, "一级指标") {
        let (mut level1, mut level2) = (String::new(), String::new());
        for row in header.saturating_add(1)..=range.last_row().unwrap_or(header) {
            let (l1, l2, name, target) =
                (text(range, row, 0), text(range, row, 1), text(range, row, 2), text(range, row, 6));
            if l1.is_empty() && l2.is_empty() && name.is_empty() && target.is_empty() {
                break;
            }
            if !l1.is_empty() {
                level1 = l1;
            }
            if !l2.is_empty() {
                level2 = l2;
            }
            let i = indicators.len();
            let l1_cell = at(&format!("indicators[{i}].level1"), row, 0);
            let l2_cell = at(&format!("indicators[{i}].level2"), row, 1);
            at(&format!("indicators[{i}].name"), row, 2);
            at(&format!("indicators[{i}].target"), row, 6);
            let found1 = Level1::ALL.iter().copied().find(|x| x.label() == level1 || x.code() == level1);
            let found2 = Level2::ALL.iter().copied().find(|x| x.label() == level2 || x.code() == level2);
            if found1.is_none() {
                problems.push(problem(
                    l1_cell,
                    format!("一级指标“{level1}”不在指标目录中"),
                    format!("the level 1 “{level1}” is not in the catalog"),
                ));
            }
            if found2.is_none() {
                problems.push(problem(
                    l2_cell,
                    format!("二级指标“{level2}”不在指标目录中"),
                    format!("the level 2 “{level2}” is not in the catalog"),
                ));
            }
            if let (Some(level1), Some(level2)) = (found1, found2) {
                indicators.push(IndicatorInput { level1, level2, name, target, note: None, library_entry_id: None });
            }
        }
    }
    for (field, label) in [
        ("overallGoal", "项目总目标"),
        ("annualGoal", "年度总目标"),
        ("competentDepartment", "主管部门"),
        ("implementingUnit", "实施单位"),
    ] {
        if let Some(r) = row_of(range, label) {
            at(field, r, 1);
        }
    }
    Some(DocumentProject {
        text: FormText {
            name: text(range, name_row, 1),
            category,
            planned_start,
            planned_end,
            sections,
            overall_goal: value("项目总目标"),
            annual_goal: value("年度总目标"),
            indicator_framework: None,
        },
        competent_department: value("主管部门"),
        implementing_unit: value("实施单位"),
        funds,
        fund_items,
        indicators,
    })
}

/// Where a filled template goes: it has no `_jixiao` sheet, so the department (and the year, unless
/// its title gives it) come from whoever imports it, and its units are the department's own,
/// matched by the name typed under 实施单位.
#[derive(Clone, Debug)]
pub struct Destination {
    pub department: OrgRef,
    pub budget_units: Vec<OrgRef>,
    pub fiscal_year: Option<i32>,
}

/// The year in a form's title, `…绩效目标申报表（2023年度）`.
fn title_year(range: &Sheet) -> Option<i32> {
    let title = range.rows().map(|r| text(range, r, 0)).find(|t| !t.is_empty())?;
    let at = title.find("年度")?;
    let digits: String = title[..at].chars().rev().take_while(char::is_ascii_digit).collect();
    (digits.len() == 4).then(|| digits.chars().rev().collect::<String>().parse().ok()).flatten()
}

/// Whether a sheet is a form left entirely blank (a template's spare copy): skipped, not refused.
fn is_blank_form(project: &DocumentProject) -> bool {
    let t = &project.text;
    t.name.is_empty()
        && project.indicators.is_empty()
        && project.fund_items.is_empty()
        && project.funds == FundsInput::default()
        && t.overall_goal.is_empty()
        && t.annual_goal.is_empty()
}

/// Most a workbook may unpack to, and most parts it may have: a 500-project book is 4.9 MB in
/// 511 parts, so these leave room for any real declaration while a 4 MiB upload that would unpack
/// to gigabytes (a "zip bomb") is refused before calamine unpacks anything.
const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;
const MAX_PARTS: usize = 5_000;

/// Refuses a workbook whose directory declares more than [`MAX_UNPACKED_BYTES`] or [`MAX_PARTS`].
pub(super) fn check_unpacked_size(bytes: &[u8]) -> Result<(), Vec<Problem>> {
    let unreadable = |e: String| {
        vec![problem(
            "file".into(),
            format!("不是可读的 .xlsx 工作簿（{e}）"),
            format!("not a readable .xlsx workbook ({e})"),
        )]
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let parts = archive.len();
    let mut unpacked = 0u64;
    // The central directory's sizes, without unpacking anything; stop counting once over.
    for i in 0..parts.min(MAX_PARTS + 1) {
        let size = archive.by_index_raw(i).map_err(|e| unreadable(e.to_string()))?.size();
        unpacked = unpacked.saturating_add(size);
        if unpacked > MAX_UNPACKED_BYTES {
            break;
        }
    }
    if parts > MAX_PARTS || unpacked > MAX_UNPACKED_BYTES {
        let mb = MAX_UNPACKED_BYTES / 1024 / 1024;
        return Err(vec![problem(
            "file".into(),
            format!(
                "工作簿解压后有 {} MB、{parts} 个部分，超过上限（{mb} MB、{MAX_PARTS} 个）：请分成几个文件导入",
                unpacked / 1024 / 1024
            ),
            format!(
                "the workbook unpacks to {} MB in {parts} parts, more than the {mb} MB and {MAX_PARTS} parts allowed: import it as several files",
                unpacked / 1024 / 1024
            ),
        )]);
    }
    Ok(())
}

/// Why a workbook was read no further.
fn exhausted(why: Exhausted) -> Vec<Problem> {
    let (zh, en) = match why {
        Exhausted::Cells(cells) => (
            format!("工作簿的单元格超过 {cells} 个，未读完：请分成几个文件导入"),
            format!(
                "the workbook holds more than {cells} cells and was not read to its end: import it as several files"
            ),
        ),
        Exhausted::Time(limit) => (
            format!("工作簿 {} 秒内未能读完，已停止：请分成几个文件导入", limit.as_secs()),
            format!(
                "the workbook could not be read within {} s and was stopped: import it as several files",
                limit.as_secs()
            ),
        ),
        Exhausted::Abandoned => ("读取已取消".to_string(), "the read was cancelled".to_string()),
    };
    vec![problem("file".into(), zh, en)]
}

/// A sheet whose XML cannot be read: the workbook is refused (never "imported" with nothing in it).
fn unreadable_sheet(name: &str, cause: &str) -> Vec<Problem> {
    vec![problem(
        name.to_string(),
        format!("工作表“{name}”无法读取（{cause}）：请在 Excel 中打开并另存为 .xlsx 后重试"),
        format!("the sheet “{name}” cannot be read ({cause}): open it in Excel, save it as .xlsx and try again"),
    )]
}

/// Reads a workbook: one exported by Jixiao (its `_jixiao` sheet names the department, year and
/// units), or a filled template, which needs a [`Destination`]. Problems name their cells; none
/// means the document may be imported. The read spends `budget` (cells and time; see `sheet.rs`)
/// and stops, refused, when it runs out.
pub fn read(
    bytes: &[u8],
    destination: Option<&Destination>,
    budget: &mut Budget,
) -> Result<ReadWorkbook, Vec<Problem>> {
    check_unpacked_size(bytes)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        vec![problem(
            "file".into(),
            format!("不是可读的 .xlsx 工作簿（{e}）"),
            format!("not a readable .xlsx workbook ({e})"),
        )]
    })?;
    let names = book.sheet_names();
    // The visible worksheets are the forms; a hidden one was put aside by whoever hid it, and a
    // chart or macro sheet holds no cells.
    let hidden: std::collections::HashSet<String> = book
        .sheets_metadata()
        .iter()
        .filter(|m| m.visible != calamine::SheetVisible::Visible || m.typ != calamine::SheetType::WorkSheet)
        .map(|m| m.name.clone())
        .collect();
    let mut sheet = |book: &mut Xlsx<_>, name: &str| match read_sheet(book, name, budget) {
        Ok(sheet) => Ok(sheet),
        Err(SheetError::Exhausted(why)) => Err(exhausted(why)),
        Err(SheetError::Unreadable(cause)) => Err(unreadable_sheet(name, &cause)),
    };
    let meta = match names.iter().any(|n| n == META_SHEET) {
        true => Some(sheet(&mut book, META_SHEET)?),
        false => None,
    };
    let mut problems = Vec::new();
    let mut cells = HashMap::new();
    let mut projects = Vec::new();
    let mut year_in_title = None;
    for name in names.iter().filter(|n| !hidden.contains(n.as_str()) && n.as_str() != META_SHEET) {
        let range = sheet(&mut book, name)?;
        // A sheet named 项目… must be a form; another sheet is one if it has a 项目名称 row.
        if !name.starts_with("项目") && row_of(&range, "项目名称").is_none() {
            continue;
        }
        let mut own_cells = HashMap::new();
        let mut own_problems = Vec::new();
        if let Some(p) = form(name, &range, projects.len(), &mut own_cells, &mut own_problems) {
            if meta.is_none() && own_problems.is_empty() && is_blank_form(&p) {
                continue;
            }
            year_in_title = year_in_title.or_else(|| title_year(&range));
            projects.push(p);
        }
        cells.extend(own_cells);
        problems.extend(own_problems);
    }
    let (department, fiscal_year, budget_units) = match (&meta, destination) {
        (Some(meta), _) => (
            OrgRef { code: text(meta, 0, 1), name: text(meta, 1, 1) },
            text(meta, 2, 1).parse().unwrap_or(0),
            meta.rows()
                .filter(|r| text(meta, *r, 0) == "预算单位")
                .map(|r| OrgRef { code: text(meta, r, 1), name: text(meta, r, 2) })
                .collect(),
        ),
        (None, Some(to)) => {
            let Some(year) = to.fiscal_year.or(year_in_title) else {
                problems.push(problem(
                    "fiscalYear".into(),
                    "填报模板的标题中没有预算年度：请指明年度（如 2023）".into(),
                    "the template's title gives no fiscal year: say which year (e.g. 2023)".into(),
                ));
                return Err(problems);
            };
            fill_from_destination(&mut projects, to, &cells, &mut problems);
            (to.department.clone(), year, to.budget_units.clone())
        }
        (None, None) => {
            return Err(vec![problem(
                "file".into(),
                "这个工作簿没有 _jixiao 工作表（部门与单位编码），是一份填报模板：导入时请指明部门（jixiao import 的 --department 部门编码）".into(),
                "this workbook has no _jixiao sheet (the department's and units' codes), so it is a filled \
                 template: say which department it is for (jixiao import --department CODE)"
                    .into(),
            )]);
        }
    };
    if projects.is_empty() && problems.is_empty() {
        // Nothing to import is not a success: the person sent the wrong file, or one whose forms
        // could not be found.
        problems.push(problem(
            "file".into(),
            "工作簿中没有可导入的申报表（没有写有“项目名称”的工作表）：请上传从本系统下载并填好的模板或申报书".into(),
            "the workbook holds no form to import (no sheet with a 项目名称 row): upload the template or a book \
             downloaded from Jixiao, filled in"
                .into(),
        ));
        return Err(problems);
    }
    let document = DeclarationDocument {
        title: None,
        fiscal_year,
        department,
        budget_units,
        stated_summary: None,
        computed_total_funds: None,
        projects,
    };
    let workbook = ReadWorkbook { document, cells };
    if problems.is_empty() {
        return Ok(workbook);
    }
    // Every fault at once: what the import's check finds in what could be read is added, except
    // at a cell already told (a bad amount is not also a missing one).
    if let Err(more) = workbook.document.check() {
        let told: std::collections::HashSet<String> = problems.iter().map(|p| p.field.clone()).collect();
        problems.extend(workbook.at_cells(more).into_iter().filter(|p| !told.contains(&p.field)));
    }
    Err(problems)
}

/// A template's 主管部门 may be left blank (it is the destination's), and its 实施单位 must name
/// one of the department's units: a name that does not is told at its cell with the names that do.
fn fill_from_destination(
    projects: &mut [DocumentProject],
    to: &Destination,
    cells: &HashMap<String, String>,
    problems: &mut Vec<Problem>,
) {
    let names: Vec<&str> = to.budget_units.iter().map(|u| u.name.as_str()).collect();
    for (i, p) in projects.iter_mut().enumerate() {
        if p.competent_department.is_empty() {
            p.competent_department = to.department.name.clone();
        }
        let unit = p.implementing_unit.trim();
        if !names.contains(&unit) {
            let cell = cells
                .get(&format!("projects[{i}].implementingUnit"))
                .cloned()
                .unwrap_or_else(|| format!("projects[{i}].implementingUnit"));
            let (zh, en) = if unit.is_empty() {
                ("请填写实施单位".to_string(), "write the implementing unit (实施单位)".to_string())
            } else {
                (
                    format!("“{unit}”不是{}的预算单位", to.department.name),
                    format!("“{unit}” is not a budget unit of {}", to.department.name),
                )
            };
            problems.push(problem(
                cell,
                format!("{zh}（可填：{}）", names.join("、")),
                format!("{en} (one of: {})", names.join(", ")),
            ));
        }
    }
}

impl ReadWorkbook {
    /// The import's problems at the cells their fields came from (`projects[1].funds.total` →
    /// `项目2!C8`), the others as they are.
    pub fn at_cells(&self, problems: Vec<Problem>) -> Vec<Problem> {
        problems
            .into_iter()
            .map(|p| match self.cells.get(&p.field) {
                Some(cell) => Problem { field: cell.clone(), ..p },
                None => p,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wan_yuan_moves_the_point_exactly() {
        assert_eq!(wan_to_yuan("125"), "1250000.00");
        assert_eq!(wan_to_yuan("21.4167"), "214167.00");
        assert_eq!(wan_to_yuan("0.01"), "100.00");
        assert_eq!(wan_to_yuan("7.850412"), "78504.12");
        assert_eq!(wan_to_yuan("1.0000001"), "10000.001", "too precise: left for the amount check");
        assert_eq!(cell_name("项目2", 13, 2), "项目2!C14");
        assert_eq!(cell_name("汇总", 0, 27), "汇总!AB1");
    }
}
