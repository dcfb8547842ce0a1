//! The public table as a workbook: a first sheet with the title, the opening paragraph and the
//! list of issued projects, then each project's form as the bureau prints it (`excel/write.rs`),
//! headed by its approved amount and act instead of its status.

use jixiao_store::publication::{PublicGoals, PublicTable};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use crate::excel::write::{FormView, Formats, form_sheet};

pub fn workbook(table: &PublicTable) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let f = Formats::new();
    let ws = workbook.add_worksheet();
    ws.set_name("绩效目标设置情况")?;
    for (col, width) in [(0u16, 8.0), (1, 36.0), (2, 30.0), (3, 18.0), (4, 24.0)] {
        ws.set_column_width(col, width)?;
    }
    let title = format!("{} {} 年 财政支出项目绩效目标申报表", table.department, table.fiscal_year);
    ws.merge_range(0, 0, 0, 4, &title, &f.title)?;
    ws.set_row_height(0, 30)?;
    ws.merge_range(1, 0, 1, 4, "绩效目标设置情况", &f.label)?;
    ws.merge_range(2, 0, 2, 4, &table.opening_paragraph, &f.text)?;
    ws.set_row_height(2, 48)?;
    for (col, head) in ["序号", "项目名称", "实施单位", "批复金额（元）", "批复文号"].into_iter().enumerate()
    {
        ws.write_string_with_format(3, col as u16, head, &f.label)?;
    }
    for (n, p) in table.projects.iter().enumerate() {
        let row = 4 + n as u32;
        ws.write_number_with_format(row, 0, (n + 1) as f64, &f.center)?;
        ws.write_string_with_format(row, 1, &p.declaration.text.name, &f.text)?;
        ws.write_string_with_format(row, 2, &p.unit, &f.text)?;
        ws.write_string_with_format(row, 3, p.approved.to_string(), &f.text)?;
        ws.write_string_with_format(row, 4, &p.document_no, &f.text)?;
    }
    for (n, p) in table.projects.iter().enumerate() {
        let ws = workbook.add_worksheet();
        ws.set_name(format!("项目{}", n + 1))?;
        let view = FormView {
            declaration: &p.declaration,
            department: &table.department,
            unit: &p.unit,
            status: format!("批复金额：{} 元　　批复文号：{}", p.approved, p.document_no),
        };
        form_sheet(ws, &view, &f)?;
    }
    if let Some(g) = &table.overall_goals {
        goals_sheet(workbook.add_worksheet(), g, &f)?;
    }
    workbook.save_to_buffer()
}

/// 部门整体绩效目标 as published: functions, the overall goal, the tasks and the indicators.
fn goals_sheet(ws: &mut Worksheet, g: &PublicGoals, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("部门整体绩效目标")?;
    for (col, width) in [(0u16, 20.0), (1, 24.0), (2, 36.0), (3, 20.0)] {
        ws.set_column_width(col, width)?;
    }
    ws.merge_range(0, 0, 0, 3, "部门整体绩效目标", &f.title)?;
    ws.write_string_with_format(1, 0, "部门职能", &f.label)?;
    ws.merge_range(1, 1, 1, 3, &g.functions, &f.text)?;
    ws.write_string_with_format(2, 0, "年度总体目标", &f.label)?;
    ws.merge_range(2, 1, 2, 3, &g.overall_goal, &f.text)?;
    ws.write_string_with_format(3, 0, "年度主要任务", &f.label)?;
    ws.merge_range(3, 1, 3, 3, "任务说明", &f.label)?;
    let mut row = 4;
    for (name, description) in &g.tasks {
        ws.write_string_with_format(row, 0, name, &f.text)?;
        ws.merge_range(row, 1, row, 3, description, &f.text)?;
        row += 1;
    }
    for (col, head) in ["一级指标", "二级指标", "三级指标", "指标值"].into_iter().enumerate() {
        ws.write_string_with_format(row, col as u16, head, &f.label)?;
    }
    for i in &g.indicators {
        row += 1;
        ws.write_string_with_format(row, 0, i.level1.label(), &f.text)?;
        ws.write_string_with_format(row, 1, i.level2.label(), &f.text)?;
        ws.write_string_with_format(row, 2, &i.name, &f.text)?;
        ws.write_string_with_format(row, 3, i.target.text(), &f.text)?;
    }
    Ok(())
}
