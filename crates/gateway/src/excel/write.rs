//! The 申报表 as a workbook, laid out as the bureau prints it: title, header block, funds in yuan
//! with two places, fund items, the six narrative sections, the two goals, and the indicator table
//! with 一级/二级 cells merged over their rows; A4, fit to the page's width, the title rows
//! repeated, the unit and page numbers in the footer; a CJK font throughout. A department's book
//! adds a summary sheet (the declaration's first paragraph as a table, a row per project).
//!
//! Amounts are written as numbers (so that a sheet can sum them) from their exact decimal text;
//! every amount has at most two places and fewer than 16 digits, which an Excel number holds
//! exactly to the fen.

use jixiao_domain::funds::FUND_BOXES;
use jixiao_domain::{Category, Declaration, FormText, Funds, Level1, Level2, Money, Sections, Total};
use rust_xlsxwriter::{DataValidation, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::data::FormData;

/// The CJK font the sheets are set in (宋体, as government forms are printed).
const FONT: &str = "宋体";
/// Columns A–G.
const LAST_COL: u16 = 6;

/// The formats of a sheet, made once per workbook.
pub struct Formats {
    pub(crate) title: Format,
    pub(crate) label: Format,
    pub(crate) text: Format,
    pub(crate) wrap: Format,
    pub(crate) money: Format,
    pub(crate) center: Format,
}

impl Formats {
    pub fn new() -> Formats {
        let base = || {
            Format::new()
                .set_font_name(FONT)
                .set_font_size(10.5)
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::VerticalCenter)
        };
        Formats {
            title: Format::new()
                .set_font_name(FONT)
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            label: base().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
            text: base(),
            wrap: base().set_text_wrap().set_align(FormatAlign::Top),
            money: base().set_num_format("#,##0.00"),
            center: base().set_align(FormatAlign::Center).set_text_wrap(),
        }
    }
}

fn yuan(m: Option<Money>) -> Option<f64> {
    m.and_then(|m| m.to_string().parse().ok())
}

fn write_money(ws: &mut Worksheet, row: u32, col: u16, m: Option<Money>, f: &Formats) -> Result<(), XlsxError> {
    match yuan(m) {
        Some(v) => ws.write_number_with_format(row, col, v, &f.money)?,
        None => ws.write_blank(row, col, &f.money)?,
    };
    Ok(())
}

/// About how many characters of Chinese text fit on one line of columns B–G (each CJK character
/// is two width units wide; B–G are 90 units).
const CHARS_PER_LINE: usize = 44;

/// A label in column A and a text over B–G, the row as tall as its lines: a spreadsheet does not
/// grow a merged row to fit, so a long 立项依据 would print cut off.
fn line(ws: &mut Worksheet, row: u32, label: &str, text: &str, f: &Formats) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 0, label, &f.label)?;
    ws.merge_range(row, 1, row, LAST_COL, text, &f.wrap)?;
    let lines: usize = text.split('\n').map(|l| l.chars().count().div_ceil(CHARS_PER_LINE).max(1)).sum();
    if lines > 1 {
        ws.set_row_height(row, (lines.min(400) as f64) * 14.0)?;
    }
    Ok(())
}

/// What one sheet shows: the declaration and the words around it.
pub struct FormView<'a> {
    pub declaration: &'a Declaration,
    pub department: &'a str,
    pub unit: &'a str,
    pub status: String,
}

impl<'a> FormView<'a> {
    pub fn of(data: &'a FormData) -> FormView<'a> {
        let status = match &data.approval {
            Some((who, at)) => format!(
                "状态：{}　　审核通过：{} {}{}",
                data.record.status.label(),
                who,
                at.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8")).format("%Y-%m-%d %H:%M"),
                data.record.approved_amount.map(|m| format!("　　批复金额：{m} 元")).unwrap_or_default()
            ),
            None => format!("状态：{}", data.record.status.label()),
        };
        FormView { declaration: &data.declaration, department: &data.department, unit: &data.unit, status }
    }
}

/// Where the template puts its drop-down lists.
pub struct Layout {
    /// The 项目类别 cell.
    pub category: (u32, u16),
    /// The 实施单位 cell.
    pub unit: (u32, u16),
    /// The first row after the indicator table's header.
    pub indicators_from: u32,
}

/// Lays out one project's form on `ws`.
pub fn form_sheet(ws: &mut Worksheet, view: &FormView<'_>, f: &Formats) -> Result<Layout, XlsxError> {
    let d = view.declaration;
    let t = &d.text;
    for (col, width) in [(0u16, 14.0), (1, 14.0), (2, 16.0), (3, 14.0), (4, 16.0), (5, 14.0), (6, 16.0)] {
        ws.set_column_width(col, width)?;
    }
    ws.merge_range(0, 0, 0, LAST_COL, &format!("{}绩效目标申报表（{}年度）", t.name, d.fiscal_year), &f.title)?;
    ws.set_row_height(0, 30)?;
    ws.merge_range(1, 0, 1, LAST_COL, &view.status, &f.text)?;
    let mut row = 2;
    line(ws, row, "项目名称", &t.name, f)?;
    row += 1;
    line(ws, row, "主管部门", view.department, f)?;
    row += 1;
    let unit = (row, 1);
    line(ws, row, "实施单位", view.unit, f)?;
    row += 1;
    let category = (row, 1);
    ws.write_string_with_format(row, 0, "项目类别", &f.label)?;
    ws.write_string_with_format(row, 1, t.category.map_or("", |c| c.label()), &f.text)?;
    ws.write_string_with_format(row, 2, "计划开始日期", &f.label)?;
    ws.write_string_with_format(row, 3, &t.planned_start.map(|x| x.to_string()).unwrap_or_default(), &f.text)?;
    ws.write_string_with_format(row, 4, "计划完成日期", &f.label)?;
    ws.merge_range(row, 5, row, LAST_COL, &t.planned_end.map(|x| x.to_string()).unwrap_or_default(), &f.text)?;
    row += 1;
    // Funds: the project's three boxes, then the year's four.
    let amounts = d.funds.amounts();
    ws.merge_range(row, 0, row + 2, 0, "项目资金（元）", &f.label)?;
    for (n, ((_, (label, _)), amount)) in FUND_BOXES.iter().zip(amounts).enumerate() {
        let (r, c) = (row + (n / 3) as u32, 1 + 2 * (n % 3) as u16);
        ws.write_string_with_format(r, c, *label, &f.label)?;
        write_money(ws, r, c + 1, amount, f)?;
    }
    ws.merge_range(row + 2, 3, row + 2, LAST_COL, "", &f.text)?;
    row += 3;
    // Fund items.
    if !d.fund_items.is_empty() {
        // One item is one cell: a merge of a single cell makes the whole workbook unwritable.
        merge_or_write(ws, row, row + d.fund_items.len() as u32 - 1, 0, "资金明细", &f.label)?;
        for item in &d.fund_items {
            ws.merge_range(row, 1, row, 4, &item.name, &f.text)?;
            ws.merge_range(row, 5, row, LAST_COL, "", &f.money)?;
            write_money(ws, row, 5, Some(item.amount), f)?;
            row += 1;
        }
    }
    for (_, (label, _), text) in t.sections.labelled() {
        line(ws, row, label, text, f)?;
        row += 1;
    }
    line(ws, row, "项目总目标", &t.overall_goal, f)?;
    row += 1;
    line(ws, row, "年度总目标", &t.annual_goal, f)?;
    row += 1;
    // The indicator table: 一级 and 二级 merged over their runs of rows.
    ws.write_string_with_format(row, 0, "一级指标", &f.label)?;
    ws.write_string_with_format(row, 1, "二级指标", &f.label)?;
    ws.merge_range(row, 2, row, 5, "三级指标", &f.label)?;
    ws.write_string_with_format(row, LAST_COL, "指标值", &f.label)?;
    row += 1;
    let first = row;
    for i in &d.indicators {
        ws.merge_range(row, 2, row, 5, &i.name, &f.text)?;
        ws.write_string_with_format(row, LAST_COL, i.target.text(), &f.center)?;
        row += 1;
    }
    let rows = &d.indicators;
    let mut start = 0;
    while start < rows.len() {
        let mut end = start;
        while end + 1 < rows.len() && rows[end + 1].level1 == rows[start].level1 {
            end += 1;
        }
        merge_or_write(ws, first + start as u32, first + end as u32, 0, rows[start].level1.label(), &f.center)?;
        let mut s2 = start;
        while s2 <= end {
            let mut e2 = s2;
            while e2 < end && rows[e2 + 1].level2 == rows[s2].level2 {
                e2 += 1;
            }
            merge_or_write(ws, first + s2 as u32, first + e2 as u32, 1, rows[s2].level2.label(), &f.center)?;
            s2 = e2 + 1;
        }
        start = end + 1;
    }
    // Print: A4 portrait, one page wide, the title rows on every page, the unit and page numbers below.
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 1)?;
    ws.set_footer(&format!("&L{}&R第 &P 页，共 &N 页", view.unit.replace('&', "&&")));
    Ok(Layout { category, unit, indicators_from: first })
}

fn merge_or_write(ws: &mut Worksheet, from: u32, to: u32, col: u16, text: &str, f: &Format) -> Result<(), XlsxError> {
    if from == to {
        ws.write_string_with_format(from, col, text, f)?;
    } else {
        ws.merge_range(from, col, to, col, text, f)?;
    }
    Ok(())
}

/// The hidden sheet that says where a workbook's forms belong, so that `jixiao import` can take
/// it back: the department's code and name, the fiscal year, and each unit's code and name.
pub const META_SHEET: &str = "_jixiao";

/// What the hidden sheet holds.
pub struct Meta {
    pub department: (String, String),
    pub fiscal_year: i32,
    pub units: std::collections::BTreeMap<String, String>,
}

fn meta_sheet(workbook: &mut Workbook, meta: &Meta) -> Result<(), XlsxError> {
    let ws = workbook.add_worksheet();
    ws.set_name(META_SHEET)?;
    ws.write_string(0, 0, "主管部门编码")?;
    ws.write_string(0, 1, &meta.department.0)?;
    ws.write_string(1, 0, "主管部门")?;
    ws.write_string(1, 1, &meta.department.1)?;
    ws.write_string(2, 0, "预算年度")?;
    ws.write_number(2, 1, f64::from(meta.fiscal_year))?;
    for (n, (code, name)) in meta.units.iter().enumerate() {
        ws.write_string(3 + n as u32, 0, "预算单位")?;
        ws.write_string(3 + n as u32, 1, code)?;
        ws.write_string(3 + n as u32, 2, name)?;
    }
    ws.set_hidden(true);
    Ok(())
}

/// One project's form as a workbook.
pub fn form_workbook(data: &FormData) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let f = Formats::new();
    let ws = workbook.add_worksheet();
    ws.set_name("项目1")?;
    form_sheet(ws, &FormView::of(data), &f)?;
    let meta = Meta {
        department: (data.department_code.clone(), data.department.clone()),
        fiscal_year: data.declaration.fiscal_year,
        units: [(data.unit_code.clone(), data.unit.clone())].into_iter().collect(),
    };
    meta_sheet(&mut workbook, &meta)?;
    workbook.save_to_buffer()
}

/// Blank indicator rows the template offers.
const TEMPLATE_ROWS: u32 = 40;

/// The department a template is for: its name written in, its units offered under 实施单位.
pub struct TemplateFor {
    pub department: String,
    pub units: Vec<String>,
}

/// The form units fill offline: empty, with the catalog's 一级 and 二级 and the categories as
/// drop-down lists (and, for a department, its units).
pub fn template_workbook(fiscal_year: i32, to: Option<&TemplateFor>) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let f = Formats::new();
    let blank = Declaration {
        fiscal_year,
        text: FormText {
            name: String::new(),
            category: None,
            planned_start: None,
            planned_end: None,
            sections: Sections::default(),
            overall_goal: String::new(),
            annual_goal: String::new(),
            indicator_framework: None,
        },
        funds: Funds::default(),
        fund_items: vec![],
        indicators: vec![],
    };
    let view = FormView {
        declaration: &blank,
        department: to.map_or("", |t| t.department.as_str()),
        unit: "",
        status: "填报模板：项目类别、一级指标、二级指标请从下拉列表中选择；金额以元为单位，保留两位小数".into(),
    };
    let ws = workbook.add_worksheet();
    ws.set_name("项目1")?;
    let layout = form_sheet(ws, &view, &f)?;
    let list = |items: Vec<&str>| DataValidation::new().allow_list_strings(&items);
    let categories = list(Category::ALL.iter().map(|c| c.label()).collect())?;
    ws.add_data_validation(layout.category.0, layout.category.1, layout.category.0, layout.category.1, &categories)?;
    // A drop-down list's items are at most 255 characters in all, counted with each `"` doubled,
    // and a comma would split a name in two: a department whose units do not fit gets the typed
    // name checked on import instead, never a template that cannot be made.
    let units = to.map(|t| &t.units).filter(|u| !u.is_empty() && !u.iter().any(|n| n.contains(',')));
    if let Some(units) = units.and_then(|u| list(u.iter().map(String::as_str).collect()).ok()) {
        ws.add_data_validation(layout.unit.0, layout.unit.1, layout.unit.0, layout.unit.1, &units)?;
    }
    let (from, to) = (layout.indicators_from, layout.indicators_from + TEMPLATE_ROWS - 1);
    for row in from..=to {
        ws.write_blank(row, 0, &f.center)?;
        ws.write_blank(row, 1, &f.center)?;
        ws.merge_range(row, 2, row, 5, "", &f.text)?;
        ws.write_blank(row, LAST_COL, &f.center)?;
    }
    ws.add_data_validation(from, 0, to, 0, &list(Level1::ALL.iter().map(|l| l.label()).collect())?)?;
    ws.add_data_validation(from, 1, to, 1, &list(Level2::ALL.iter().map(|l| l.label()).collect())?)?;
    workbook.save_to_buffer()
}

/// A department's declaration book, built page by page: the summary sheet first, then a sheet
/// per project (`项目1`, `项目2` …).
pub struct Book {
    workbook: Workbook,
    formats: Formats,
    rows: Vec<SummaryRow>,
    units: std::collections::BTreeMap<String, String>,
    total: Total,
}

struct SummaryRow {
    name: String,
    category: &'static str,
    status: &'static str,
    annual: Option<Money>,
    /// 批复金额 in force, once approved.
    approved: Option<Money>,
    errors: u32,
    warnings: u32,
    infos: u32,
}

impl Book {
    pub fn new() -> Book {
        let mut workbook = Workbook::new();
        // The summary goes first; it is filled when every project has been read.
        workbook.add_worksheet();
        Book { workbook, formats: Formats::new(), rows: Vec::new(), units: Default::default(), total: Total::ZERO }
    }

    pub fn add(&mut self, data: &FormData) -> Result<(), XlsxError> {
        let n = self.rows.len() + 1;
        let ws = self.workbook.add_worksheet();
        ws.set_name(format!("项目{n}"))?;
        form_sheet(ws, &FormView::of(data), &self.formats)?;
        let annual = data.declaration.funds.annual_request;
        if let Some(a) = annual {
            self.total = Total::from_fen(self.total.fen() + i128::from(a.fen()));
        }
        self.units.insert(data.unit_code.clone(), data.unit.clone());
        self.rows.push(SummaryRow {
            name: data.declaration.text.name.clone(),
            category: data.declaration.text.category.map_or("", |c| c.label()),
            status: data.record.status.label(),
            annual,
            approved: data.record.approved_amount,
            errors: data.findings.errors,
            warnings: data.findings.warnings,
            infos: data.findings.infos,
        });
        Ok(())
    }

    /// 结果应用情况: the year's report of results applied to the department's requests, as a sheet
    /// after the forms (the bureau's books only: its figures are the bureau's).
    pub fn results_applied(&mut self, r: &jixiao_store::results::ApplicationReport) -> Result<(), XlsxError> {
        let f = &self.formats;
        let ws = self.workbook.add_worksheet();
        ws.set_name("结果应用情况")?;
        ws.set_column_width(0, 30.0)?;
        ws.set_column_width(1, 20.0)?;
        ws.merge_range(0, 0, 0, 1, "结果应用情况", &f.title)?;
        let cut = |a: Total, b: Total| Total::from_fen(a.fen() - b.fen());
        let mut rows: Vec<(String, String)> = vec![
            ("申请项目数".into(), r.requests.to_string()),
            ("有上年评价结果的项目数".into(), r.linked.to_string()),
        ];
        rows.extend(r.by_grade.iter().map(|(g, n)| (format!("其中：{}", g.label()), n.to_string())));
        rows.extend([
            ("无评价结果的项目数".into(), r.missing.to_string()),
            ("申请数（元）".into(), r.requested.to_string()),
            ("建议数（元）".into(), r.suggested.to_string()),
            ("建议压减（万元）".into(), cut(r.requested, r.suggested).wan_yuan()),
            ("已决定的项目数".into(), r.decided.to_string()),
            ("未决定的项目数".into(), r.undecided.to_string()),
            ("安排数（元）".into(), r.decided_amount.to_string()),
            ("压减（元）".into(), cut(r.decided_requested, r.decided_amount).to_string()),
            ("压减（万元）".into(), cut(r.decided_requested, r.decided_amount).wan_yuan()),
        ]);
        for (n, (label, value)) in rows.iter().enumerate() {
            ws.write_string_with_format(1 + n as u32, 0, label, &f.label)?;
            ws.write_string_with_format(1 + n as u32, 1, value, &f.text)?;
        }
        Ok(())
    }

    /// 部门整体绩效目标: the department's form of the year, as printed, after the projects' forms.
    pub fn department_goals(
        &mut self,
        department: &str,
        form: &jixiao_store::department_goals::DepartmentGoalsRecord,
        projects: &[jixiao_domain::department_goals::YearProject<'_>],
        findings: &[jixiao_domain::Finding],
    ) -> Result<(), XlsxError> {
        super::goals_book::goals_sheet(self.workbook.add_worksheet(), department, form, projects, findings)
    }

    /// 逾期情况: how many items of the department's year are past their deadline on `today`, per
    /// stage (every stage listed, 0 where nothing is late), by the to-do list's rule.
    pub fn overdue(
        &mut self,
        today: chrono::NaiveDate,
        department_id: i64,
        counts: &[jixiao_store::todo::OverdueCount],
    ) -> Result<(), XlsxError> {
        use jixiao_domain::todo::DeadlineStage;
        let f = &self.formats;
        let ws = self.workbook.add_worksheet();
        ws.set_name("逾期情况")?;
        ws.set_column_width(0, 20.0)?;
        ws.set_column_width(1, 14.0)?;
        ws.merge_range(0, 0, 0, 1, &format!("逾期情况（截至 {today}）"), &f.title)?;
        ws.write_string_with_format(1, 0, "环节", &f.label)?;
        ws.write_string_with_format(1, 1, "逾期事项数", &f.label)?;
        for (n, stage) in DeadlineStage::ALL.iter().enumerate() {
            let count: i64 =
                counts.iter().filter(|c| c.department_id == department_id && c.stage == *stage).map(|c| c.count).sum();
            ws.write_string_with_format(2 + n as u32, 0, stage.label(), &f.label)?;
            ws.write_number_with_format(2 + n as u32, 1, count as f64, &f.text)?;
        }
        Ok(())
    }

    /// Writes the summary sheet and the workbook's bytes.
    pub fn finish(mut self, department_code: &str, department: &str, fiscal_year: i32) -> Result<Vec<u8>, XlsxError> {
        let f = &self.formats;
        let ws = self.workbook.worksheet_from_index(0)?;
        ws.set_name("汇总")?;
        for (col, width) in
            [(0u16, 8.0), (1, 36.0), (2, 14.0), (3, 14.0), (4, 20.0), (5, 8.0), (6, 8.0), (7, 8.0), (8, 18.0)]
        {
            ws.set_column_width(col, width)?;
        }
        ws.merge_range(0, 0, 0, 8, &format!("{department} {fiscal_year} 年度项目支出绩效目标申报汇总"), &f.title)?;
        ws.set_row_height(0, 30)?;
        let facts = [
            ("申报预算单位数", self.units.len().to_string()),
            ("申报项目数", self.rows.len().to_string()),
            ("年度资金申请总额（元）", self.total.to_string()),
            ("年度资金申请总额（万元）", self.total.wan_yuan()),
        ];
        let mut row = 1;
        for (label, value) in facts {
            ws.merge_range(row, 0, row, 3, label, &f.label)?;
            ws.merge_range(row, 4, row, 7, &value, &f.text)?;
            row += 1;
        }
        row += 1;
        let header = [
            "序号",
            "项目名称",
            "项目类别",
            "状态",
            "年度资金申请总额（元）",
            "错误",
            "警告",
            "提示",
            "批复金额（元）",
        ];
        for (col, h) in header.iter().enumerate() {
            ws.write_string_with_format(row, col as u16, *h, &f.label)?;
        }
        let header_row = row;
        for (n, r) in self.rows.iter().enumerate() {
            row += 1;
            ws.write_number_with_format(row, 0, (n + 1) as f64, &f.center)?;
            ws.write_string_with_format(row, 1, &r.name, &f.text)?;
            ws.write_string_with_format(row, 2, r.category, &f.center)?;
            ws.write_string_with_format(row, 3, r.status, &f.center)?;
            write_money(ws, row, 4, r.annual, f)?;
            for (col, count) in [(5u16, r.errors), (6, r.warnings), (7, r.infos)] {
                ws.write_number_with_format(row, col, f64::from(count), &f.center)?;
            }
            write_money(ws, row, 8, r.approved, f)?;
        }
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(header_row, header_row)?;
        ws.set_footer(&format!("&L{}&R第 &P 页，共 &N 页", department.replace('&', "&&")));
        let meta = Meta {
            department: (department_code.to_string(), department.to_string()),
            fiscal_year,
            units: std::mem::take(&mut self.units),
        };
        meta_sheet(&mut self.workbook, &meta)?;
        self.workbook.save_to_buffer()
    }
}
