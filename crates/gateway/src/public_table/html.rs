//! The public table as one printable page: the seed's layout (the department's title, 绩效目标
//! 设置情况 with its opening paragraph, then each issued project's form), escaped text only, no
//! scripts, no outside resources.

use std::fmt::Write;

use jixiao_domain::Declaration;
use jixiao_domain::funds::FUND_BOXES;
use jixiao_store::publication::{PublicGoals, PublicProject, PublicTable};

/// Text as HTML: the five characters that could open markup, escaped.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Paragraphs of a text box, as the form's line breaks make them.
fn paragraphs(text: &str) -> String {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| format!("<p>{}</p>", esc(l.trim()))).collect()
}

const STYLE: &str = "body{font-family:'SimSun','Songti SC','Noto Serif CJK SC',serif;max-width:60em;margin:2em auto;\
line-height:1.7;color:#000}h1{font-size:1.5em;text-align:center}h2{font-size:1.2em;margin-top:2em}\
h3{font-size:1.05em}table{border-collapse:collapse;width:100%;margin:.6em 0}th,td{border:1px solid #000;\
padding:.25em .5em;vertical-align:top}th{background:#f2f2f2;font-weight:normal;white-space:nowrap}\
td.money{text-align:right;white-space:nowrap}.act{color:#333}section{page-break-before:always}\
@media print{body{margin:0;max-width:none}}";

/// The whole page.
pub fn page(table: &PublicTable) -> String {
    let title = format!("{} {} 年 财政支出项目绩效目标申报表", table.department, table.fiscal_year);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title>\
         <style>{STYLE}</style></head><body><h1>{}</h1><h2>绩效目标设置情况</h2><p>{}</p>",
        esc(&title),
        esc(&title),
        esc(&table.opening_paragraph)
    );
    out.push_str(
        "<table><tr><th>序号</th><th>项目名称</th><th>实施单位</th><th>批复金额（元）</th><th>批复文号</th></tr>",
    );
    for (n, p) in table.projects.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"money\">{}</td><td>{}</td></tr>",
            n + 1,
            esc(&p.declaration.text.name),
            esc(&p.unit),
            p.approved,
            esc(&p.document_no)
        );
    }
    out.push_str("</table>");
    if let Some(goals) = &table.overall_goals {
        overall_goals(&mut out, goals);
    }
    for (n, p) in table.projects.iter().enumerate() {
        project(&mut out, n + 1, p, &table.department);
    }
    out.push_str("</body></html>");
    out
}

/// 部门整体绩效目标: the department's goals in force.
fn overall_goals(out: &mut String, g: &PublicGoals) {
    let _ = write!(
        out,
        "<section><h2>部门整体绩效目标</h2><table><tr><th>部门职能</th><td colspan=\"3\">{}</td></tr>\
         <tr><th>年度总体目标</th><td colspan=\"3\">{}</td></tr></table>",
        esc(&g.functions),
        esc(&g.overall_goal)
    );
    out.push_str("<table><tr><th>年度主要任务</th><th>任务说明</th></tr>");
    for (name, description) in &g.tasks {
        let _ = write!(out, "<tr><td>{}</td><td>{}</td></tr>", esc(name), esc(description));
    }
    out.push_str("</table>");
    indicator_table(out, &g.indicators);
    out.push_str("</section>");
}

/// An indicator table: the three levels and the target of each row.
fn indicator_table(out: &mut String, indicators: &[jixiao_domain::Indicator]) {
    out.push_str("<table><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr>");
    for i in indicators {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            i.level1.label(),
            i.level2.label(),
            esc(&i.name),
            esc(i.target.text())
        );
    }
    out.push_str("</table>");
}

/// One project's form.
fn project(out: &mut String, n: usize, p: &PublicProject, department: &str) {
    let d: &Declaration = &p.declaration;
    let t = &d.text;
    let _ = write!(out, "<section><h2>项目经费情况说明 {n} {}</h2>", esc(&t.name));
    for (_, (label, _), text) in t.sections.labelled() {
        let _ = write!(out, "<h3>{}</h3>{}", esc(label), paragraphs(text));
    }
    let _ = write!(
        out,
        "<h3>{} 绩效目标申报表（{} 年度）</h3><table>\
         <tr><th>项目名称</th><td colspan=\"3\">{}</td></tr>\
         <tr><th>主管部门</th><td>{}</td><th>实施单位</th><td>{}</td></tr>\
         <tr><th>项目类别</th><td>{}</td><th>计划期限</th><td>{} 至 {}</td></tr>",
        esc(&t.name),
        d.fiscal_year,
        esc(&t.name),
        esc(department),
        esc(&p.unit),
        t.category.map_or("", |c| c.label()),
        t.planned_start.map(|x| x.to_string()).unwrap_or_default(),
        t.planned_end.map(|x| x.to_string()).unwrap_or_default(),
    );
    for ((_, (label, _)), amount) in FUND_BOXES.iter().zip(d.funds.amounts()) {
        let _ = write!(
            out,
            "<tr><th>{}（元）</th><td class=\"money\" colspan=\"3\">{}</td></tr>",
            esc(label),
            amount.map(|m| m.to_string()).unwrap_or_default()
        );
    }
    let _ = write!(out, "<tr><th>批复金额（元）</th><td class=\"money\" colspan=\"3\">{}</td></tr>", p.approved);
    for item in &d.fund_items {
        let _ = write!(
            out,
            "<tr><th>资金明细</th><td colspan=\"2\">{}</td><td class=\"money\">{}</td></tr>",
            esc(&item.name),
            item.amount
        );
    }
    let _ = write!(
        out,
        "<tr><th>项目总目标</th><td colspan=\"3\">{}</td></tr><tr><th>年度总目标</th><td colspan=\"3\">{}</td></tr></table>",
        esc(&t.overall_goal),
        esc(&t.annual_goal)
    );
    indicator_table(out, &d.indicators);
    let _ = write!(out, "<p class=\"act\">批复文号：{}</p></section>", esc(&p.document_no));
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn text_cannot_open_markup() {
        assert_eq!(
            esc("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(esc("维稳工作（2023）"), "维稳工作（2023）");
    }
}
