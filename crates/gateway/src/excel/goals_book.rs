//! 部门整体绩效目标申报表 as a workbook (`GET /export/department-goals/{id}.xlsx`): the form as
//! printed, in its order: the department and year, 部门职能, the tasks with the projects that carry
//! them, 年度总体目标, the funds (基本支出, 项目支出, totals, income), the indicators, and what the
//! reviewer's assistant found. Amounts are written as the API states them (yuan, exact to the
//! fen); texts as strings, never formulas.

use jixiao_domain::department_goals::YearProject;
use jixiao_domain::{Finding, Total};
use jixiao_store::department_goals::DepartmentGoalsRecord;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

pub const SHEET: &str = "部门整体绩效目标";

/// Writes the form of `department` among its projects of the year (`projects`), with `findings`.
pub fn goals_workbook(
    department: &str,
    form: &DepartmentGoalsRecord,
    projects: &[YearProject<'_>],
    findings: &[Finding],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    goals_sheet(workbook.add_worksheet(), department, form, projects, findings)?;
    workbook.save_to_buffer()
}

/// Writes the form onto `ws`, named [`SHEET`]: in a workbook of its own, or in the department's book.
pub fn goals_sheet(
    ws: &mut Worksheet,
    department: &str,
    form: &DepartmentGoalsRecord,
    projects: &[YearProject<'_>],
    findings: &[Finding],
) -> Result<(), XlsxError> {
    let goals = &form.goals;
    let bold = Format::new().set_bold();
    ws.set_name(SHEET)?;
    let mut row = 0u32;
    let mut line = |ws: &mut Worksheet, cells: &[&str], format: Option<&Format>| {
        for (col, text) in cells.iter().enumerate() {
            match format {
                Some(f) => ws.write_string_with_format(row, col as u16, *text, f)?,
                None => ws.write_string(row, col as u16, *text)?,
            };
        }
        row += 1;
        Ok::<(), XlsxError>(())
    };
    line(ws, &[&format!("{}年度部门整体绩效目标申报表", form.fiscal_year)], Some(&bold))?;
    line(ws, &["主管部门", department], None)?;
    line(ws, &["状态", form.status.label()], None)?;
    line(ws, &["部门职能", &goals.functions], None)?;
    line(ws, &[], None)?;
    line(ws, &["年度主要任务", "任务说明", "关联项目", "项目金额（元）", "基本支出（元）"], Some(&bold))?;
    for task in &goals.tasks {
        let linked: Vec<&YearProject<'_>> =
            task.project_ids.iter().filter_map(|id| projects.iter().find(|p| p.id == *id)).collect();
        let names: Vec<&str> = linked.iter().map(|p| p.name).collect();
        let amount = linked.iter().fold(Total::ZERO, |sum, p| sum + Total::from(p.amount));
        let basic = task.basic_expenditure.map(|m| m.to_string()).unwrap_or_default();
        let amount = if linked.is_empty() { String::new() } else { amount.to_string() };
        line(ws, &[&task.name, &task.description, &names.join("、"), &amount, &basic], None)?;
    }
    line(ws, &[], None)?;
    line(ws, &["年度总体目标", &goals.overall_goal], None)?;
    line(ws, &[], None)?;
    line(ws, &["资金", "金额（元）"], Some(&bold))?;
    let project_expenditure = goals.project_expenditure(projects);
    let total = goals.total_expenditure(projects);
    for (label, amount) in [
        ("基本支出—人员经费", goals.personnel_expenditure.to_string()),
        ("基本支出—公用经费", goals.public_expenditure.to_string()),
        ("基本支出合计", goals.basic_expenditure().to_string()),
        ("项目支出", project_expenditure.to_string()),
        ("支出合计", total.to_string()),
        ("支出合计（万元）", total.wan_yuan()),
        ("收入—财政拨款", goals.income_fiscal.to_string()),
        ("收入—其他", goals.income_other.to_string()),
        ("收入合计", goals.total_income().to_string()),
    ] {
        line(ws, &[label, &amount], None)?;
    }
    line(ws, &[], None)?;
    line(ws, &["一级指标", "二级指标", "三级指标", "指标值", "衡量的任务"], Some(&bold))?;
    for (indicator, measures) in goals.indicators.iter().zip(&goals.measures) {
        let tasks: Vec<&str> = measures.iter().filter_map(|&t| goals.tasks.get(t)).map(|t| t.name.as_str()).collect();
        let tasks = if tasks.is_empty() { "部门整体".to_string() } else { tasks.join("、") };
        line(
            ws,
            &[indicator.level1.label(), indicator.level2.label(), &indicator.name, indicator.target.text(), &tasks],
            None,
        )?;
    }
    if !findings.is_empty() {
        line(ws, &[], None)?;
        line(ws, &["审核提示", "规则", "位置"], Some(&bold))?;
        for f in findings {
            line(ws, &[f.message.zh(), f.code.code(), &f.field], None)?;
        }
    }
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 36)?;
    ws.set_column_width(2, 36)?;
    ws.set_column_width(3, 16)?;
    ws.set_column_width(4, 16)?;
    Ok(())
}
