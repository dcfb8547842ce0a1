//! Excel back in from a unit: the template downloaded, filled as a person would (amounts as
//! numbers or text, with separators, in 万元 or 元; a date typed as a date; 一级 merged over its
//! rows; trailing blank rows; a hidden sheet; a notes sheet), uploaded through `importDeclaration`
//! (the GraphQL multipart request convention) and by `jixiao import --department`; faults answered
//! all at once, each at its cell, nothing written.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use jixiao_tests::client::error_code;
use jixiao_tests::{World, jixiao};
use rust_xlsxwriter::{ExcelDateTime, Workbook};
use serde_json::{Value, json};

const IMPORT: &str = "mutation($file: Upload!, $year: Int) {
    importDeclaration(file: $file, fiscalYear: $year) {
        created { name status fiscalYear category plannedStart plannedEnd overallGoal
                  implementingUnit { name }
                  funds { total fiscal other annualRequest currentYearAppropriation carryover annualOther }
                  sections { overview }
                  indicators { level1 level2 name target { text } } }
        unchanged
        userErrors { field message code }
    } }";

const UNIT: &str = "上海市松江区人民政府信访办公室";

async fn download(world: &World, token: &str, path: &str) -> (u16, Vec<u8>) {
    let response =
        reqwest::Client::new().get(format!("{}{path}", world.server.base_url)).bearer_auth(token).send().await.unwrap();
    (response.status().as_u16(), response.bytes().await.unwrap().to_vec())
}

fn text(sheet: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match sheet.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// What a person types into the template: (row label in column A, column, value); `Merge` spans
/// rows of column A, as people merge the 一级 cells.
enum Typed {
    Text(&'static str, u16, &'static str),
    Number(&'static str, u16, f64),
    Date(&'static str, u16, (u16, u8, u8)),
}

/// The downloaded template, filled: every cell of the template copied, then what the person typed,
/// then the indicator rows from the table header down (`indicators`: 一级 merged over its run).
fn fill(template: &[u8], typed: &[Typed], indicators: &[(&str, &str, &str, &str)], funds_in_wan: bool) -> Vec<u8> {
    let mut source: Xlsx<_> = Xlsx::new(Cursor::new(template.to_vec())).unwrap();
    let sheet = source.worksheet_range("项目1").unwrap();
    let row_of = |label: &str| (0..sheet.height() as u32).find(|r| text(&sheet, *r, 0) == label).unwrap();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("项目1").unwrap();
    for r in 0..sheet.height() as u32 {
        for c in 0..sheet.width() as u32 {
            let t = text(&sheet, r, c);
            if !t.is_empty() {
                let t = if funds_in_wan && t == "项目资金（元）" {
                    "项目资金（万元）".to_string()
                } else {
                    t
                };
                ws.write_string(r, c as u16, &t).unwrap();
            }
        }
    }
    let funds = (0..sheet.height() as u32).find(|r| text(&sheet, *r, 0).starts_with("项目资金")).unwrap();
    for t in typed {
        let row = |label: &str| match label {
            "资金2" => funds + 1,
            "资金3" => funds + 2,
            "资金" => funds,
            other => row_of(other),
        };
        match t {
            Typed::Text(label, col, value) => ws.write_string(row(label), *col, *value).map(|_| ()),
            Typed::Number(label, col, value) => ws.write_number(row(label), *col, *value).map(|_| ()),
            Typed::Date(label, col, (y, m, d)) => {
                let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
                let date = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                ws.write_datetime_with_format(row(label), *col, &date, &format).map(|_| ())
            }
        }
        .unwrap();
    }
    let first = row_of("一级指标") + 1;
    let mut n = 0;
    while n < indicators.len() {
        let run = indicators[n..].iter().take_while(|i| i.0 == indicators[n].0).count() as u32;
        let r = first + n as u32;
        if run > 1 {
            ws.merge_range(r, 0, r + run - 1, 0, indicators[n].0, &rust_xlsxwriter::Format::new()).unwrap();
        } else {
            ws.write_string(r, 0, indicators[n].0).unwrap();
        }
        for (k, (_, level2, name, target)) in indicators[n..n + run as usize].iter().enumerate() {
            ws.write_string(r + k as u32, 1, *level2).unwrap();
            ws.write_string(r + k as u32, 2, *name).unwrap();
            ws.write_string(r + k as u32, 6, *target).unwrap();
        }
        n += run as usize;
    }
    // Trailing blank rows, formatted as the template's are; then a notes sheet and a hidden draft.
    let border = rust_xlsxwriter::Format::new().set_border(rust_xlsxwriter::FormatBorder::Thin);
    for r in first + indicators.len() as u32..first + indicators.len() as u32 + 10 {
        ws.write_blank(r, 0, &border).unwrap();
        ws.write_blank(r, 6, &border).unwrap();
    }
    let notes = book.add_worksheet();
    notes.set_name("填表说明").unwrap();
    notes.write_string(0, 0, "金额以元为单位；一级指标可合并单元格").unwrap();
    let draft = book.add_worksheet();
    draft.set_name("项目草稿").unwrap();
    draft.write_string(0, 0, "这张表是草稿，不应被导入").unwrap();
    draft.set_hidden(true);
    book.save_to_buffer().unwrap()
}

fn filled_form(name: &'static str) -> Vec<Typed> {
    vec![
        Typed::Text("项目名称", 1, name),
        Typed::Text("实施单位", 1, UNIT),
        Typed::Text("项目类别", 1, "一次性项目"),
        Typed::Date("项目类别", 3, (2024, 1, 1)),
        Typed::Text("项目类别", 5, "2024-12-31"),
        // 万元 by the block's label: 125 as a number, 125 as text; 元 said in the cell itself.
        Typed::Number("资金", 2, 125.0),
        Typed::Text("资金", 4, "125"),
        Typed::Number("资金", 6, 0.0),
        Typed::Text("资金2", 2, "125万元"),
        Typed::Text("资金2", 4, "1,250,000.00元"),
        Typed::Text("资金2", 6, "0"),
        Typed::Text("资金3", 2, "0"),
        Typed::Text("项目概述", 1, "对疑难信访矛盾开展专项化解。"),
        Typed::Text("项目总目标", 1, "化解疑难信访矛盾。"),
        Typed::Text("年度总目标", 1, "2024年化解疑难信访矛盾不少于120件。"),
    ]
}

const INDICATORS: &[(&str, &str, &str, &str)] = &[
    ("产出指标", "数量指标", "化解疑难信访矛盾数", "≥120件"),
    ("产出指标", "质量指标", "化解成功率", "≥90%"),
    ("产出指标", "时效指标", "按期办结率", "100%"),
    ("效益指标", "社会效益指标", "信访秩序", "持续好转"),
    ("满意度指标", "服务对象满意度指标", "信访人满意度", "≥85%"),
];

async fn project_count(world: &World) -> i64 {
    let store = world.db.store().await;
    sea_orm::ConnectionTrait::query_one_raw(
        store.connection(),
        sea_orm::Statement::from_string(sea_orm::DbBackend::Postgres, "SELECT count(*) AS n FROM projects"),
    )
    .await
    .unwrap()
    .unwrap()
    .try_get::<i64>("", "n")
    .unwrap()
}

#[tokio::test]
async fn a_filled_template_uploaded_becomes_a_draft_of_the_submitters_department() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let (status, template) = download(&world, submitter.token(), "/export/template.xlsx?year=2024").await;
    assert_eq!(status, 200);
    // The submitter's template names their department and offers its units.
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(template.clone())).unwrap();
    let sheet = book.worksheet_range("项目1").unwrap();
    let department_row = (0..sheet.height() as u32).find(|r| text(&sheet, *r, 0) == "主管部门").unwrap();
    assert_eq!(text(&sheet, department_row, 1), UNIT);
    assert!(text(&sheet, 0, 0).contains("2024年度"), "the year asked for is in the title");

    let filled = fill(&template, &filled_form("信访矛盾专项化解"), INDICATORS, true);
    let (status, answer) = submitter.upload(IMPORT, json!({}), "专项化解.xlsx", &filled).await;
    assert_eq!(status, 200);
    let payload = &answer["data"]["importDeclaration"];
    assert_eq!(payload["userErrors"], json!([]), "{answer}");
    let created = &payload["created"][0];
    assert_eq!(created["name"], "信访矛盾专项化解");
    assert_eq!((created["status"].as_str(), created["fiscalYear"].as_i64()), (Some("DRAFT"), Some(2024)));
    assert_eq!(created["category"], "ONE_OFF");
    assert_eq!(
        (created["plannedStart"].as_str(), created["plannedEnd"].as_str()),
        (Some("2024-01-01"), Some("2024-12-31"))
    );
    assert_eq!(created["implementingUnit"]["name"], UNIT);
    assert_eq!(
        created["funds"],
        json!({ "total": "1250000.00", "fiscal": "1250000.00", "other": "0.00", "annualRequest": "1250000.00",
                "currentYearAppropriation": "1250000.00", "carryover": "0.00", "annualOther": "0.00" }),
        "万元 by the block's label, 元 where the cell says so, numbers and text alike"
    );
    assert_eq!(created["sections"]["overview"], "对疑难信访矛盾开展专项化解。");
    let rows: Vec<(String, String, String, String)> = created["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap().to_string();
            (s("level1"), s("level2"), s("name"), i["target"]["text"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(rows.len(), 5, "trailing blank rows end the table: {rows:?}");
    assert_eq!(
        rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["OUTPUT", "OUTPUT", "OUTPUT", "BENEFIT", "SATISFACTION"],
        "the merged 一级 cell is carried down its rows"
    );
    assert_eq!(rows[0].3, "≥120件");

    // The same workbook again changes nothing.
    let (_, again) = submitter.upload(IMPORT, json!({}), "专项化解.xlsx", &filled).await;
    assert_eq!(again["data"]["importDeclaration"]["created"], json!([]));
    assert_eq!(again["data"]["importDeclaration"]["unchanged"], json!(["信访矛盾专项化解"]));

    // Only submitters declare; an upload without a token is refused before it is read.
    let approver = world.login("approver").await;
    let (_, refused) = approver.upload(IMPORT, json!({}), "x.xlsx", &filled).await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    let (status, anonymous) = world.anonymous().upload(IMPORT, json!({}), "x.xlsx", &filled).await;
    assert_eq!((status, error_code(&anonymous)), (415, "UNSUPPORTED_MEDIA_TYPE"), "{anonymous}");

    // The command line takes a filled template for the department it is told.
    let path = std::env::temp_dir().join(format!("jixiao-template-{}.xlsx", std::process::id()));
    std::fs::write(&path, fill(&template, &filled_form("信访积案清理"), INDICATORS, true)).unwrap();
    let run = jixiao(&world.db.url, &["import", path.to_str().unwrap()], None).await;
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("--department"), "{}", String::from_utf8_lossy(&run.stderr));
    let run = jixiao(&world.db.url, &["import", path.to_str().unwrap(), "--department", "SJQ-XFB"], None).await;
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stdout).contains("新建 1 个项目"));
    std::fs::remove_file(&path).ok();
}

#[tokio::test]
async fn a_template_with_faults_is_answered_with_every_fault_at_its_cell_and_nothing_written() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let (_, template) = download(&world, submitter.token(), "/export/template.xlsx?year=2024").await;
    let before = project_count(&world).await;
    // A bad amount, a unit that is not the department's, a level 2 not in the catalog, no name.
    let mut typed = filled_form("");
    typed.retain(|t| !matches!(t, Typed::Text("项目名称", ..) | Typed::Text("实施单位", ..)));
    typed.push(Typed::Text("实施单位", 1, "松江区某某中心"));
    typed.push(Typed::Text("资金2", 2, "12O万"));
    let mut indicators = INDICATORS.to_vec();
    indicators[3].1 = "经济指标";
    let faulty = fill(&template, &typed, &indicators, true);
    let (_, answer) = submitter.upload(IMPORT, json!({}), "有误.xlsx", &faulty).await;
    let errors = answer["data"]["importDeclaration"]["userErrors"].as_array().unwrap().clone();
    let at =
        |cell: &str| errors.iter().find(|e| e["field"] == cell).map(|e| e["message"].as_str().unwrap().to_string());
    let mut source: Xlsx<_> = Xlsx::new(Cursor::new(template.clone())).unwrap();
    let sheet = source.worksheet_range("项目1").unwrap();
    let row = |label: &str| (0..sheet.height() as u32).find(|r| text(&sheet, *r, 0) == label).unwrap() + 1;
    let funds = (0..sheet.height() as u32).find(|r| text(&sheet, *r, 0).starts_with("项目资金")).unwrap() + 1;
    let amount = at(&format!("项目1!C{}", funds + 1)).unwrap_or_else(|| panic!("the bad amount: {errors:?}"));
    assert!(amount.contains("12O万"), "{amount}");
    let unit = at(&format!("项目1!B{}", row("实施单位"))).unwrap_or_else(|| panic!("the unit: {errors:?}"));
    assert!(unit.contains("松江区某某中心") && unit.contains(UNIT), "names the units that may be chosen: {unit}");
    let level2 = at(&format!("项目1!B{}", row("一级指标") + 4)).unwrap_or_else(|| panic!("the level 2: {errors:?}"));
    assert!(level2.contains("经济指标"), "{level2}");
    assert!(at(&format!("项目1!B{}", row("项目名称"))).is_some(), "the missing name, found at once: {errors:?}");
    assert!(answer["data"]["importDeclaration"]["created"].as_array().unwrap().is_empty());
    assert_eq!(project_count(&world).await, before, "nothing written");

    // English on request; a file that is not a workbook is told so.
    let (_, english) = submitter.with_language("en").upload(IMPORT, json!({}), "有误.xlsx", &faulty).await;
    let errors = english["data"]["importDeclaration"]["userErrors"].as_array().unwrap();
    assert!(errors.iter().any(|e| e["message"].as_str().unwrap().contains("is not an amount")), "{english}");
    let (_, garbage) = submitter.upload(IMPORT, json!({}), "notes.xlsx", b"not a workbook").await;
    let errors = &garbage["data"]["importDeclaration"]["userErrors"];
    assert_eq!(errors[0]["field"], "file", "{garbage}");
    let _: &Value = errors;
}

#[tokio::test]
async fn a_workbook_that_would_unpack_to_gigabytes_is_refused_before_it_is_unpacked() {
    use std::io::Write;
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    // 100 MB of one letter deflates to about 100 KB: well under the upload limit.
    let mut bomb = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    bomb.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let chunk = vec![b'a'; 1024 * 1024];
    for _ in 0..100 {
        bomb.write_all(&chunk).unwrap();
    }
    let bytes = bomb.finish().unwrap().into_inner();
    assert!(bytes.len() < 1024 * 1024, "{} bytes", bytes.len());
    let (_, answer) = submitter.upload(IMPORT, json!({}), "bomb.xlsx", &bytes).await;
    let errors = &answer["data"]["importDeclaration"]["userErrors"];
    assert_eq!(errors[0]["field"], "file", "{answer}");
    assert!(errors[0]["message"].as_str().unwrap().contains("超过上限"), "{answer}");
}

/// A book is counted whole against the hourly creation limit: one that would pass it is refused
/// naming what the hour has seen and the limit, and nothing of it is written.
#[tokio::test]
async fn a_book_of_more_projects_than_the_hour_allows_is_refused_whole() {
    let world = World::with_fixture_and(&[("JIXIAO_MAX_CREATES_PER_HOUR", "6")]).await;
    let submitter = world.login("submitter").await;
    let (status, book) = download(&world, submitter.token(), "/export/declarations/SJQ-XFB/2023.xlsx").await;
    assert_eq!(status, 200);
    // Two creations first: the book's five would make seven.
    let template = download(&world, submitter.token(), "/export/template.xlsx?year=2024").await.1;
    for name in ["先建一", "先建二"] {
        let filled = fill(&template, &filled_form(name), INDICATORS, true);
        let answer = submitter.upload(IMPORT, json!({}), "one.xlsx", &filled).await.1;
        assert_eq!(answer["data"]["importDeclaration"]["userErrors"], json!([]), "{answer}");
    }
    // The book's five projects are gone from the department (deleted), so each would be new.
    let store = world.db.store().await;
    sea_orm::ConnectionTrait::execute_unprepared(
        store.connection(),
        "UPDATE projects SET deleted_at = now() WHERE fiscal_year = 2023",
    )
    .await
    .unwrap();
    let before = project_count(&world).await;
    let (_, answer) = submitter.upload(IMPORT, json!({}), "book.xlsx", &book).await;
    assert_eq!(error_code(&answer), "RATE_LIMITED", "{answer}");
    let message = answer["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("已创建 2 个项目，再导入 5 个将超过上限 6"), "{message}");
    assert_eq!(project_count(&world).await, before, "nothing of the book is written");
}
