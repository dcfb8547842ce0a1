//! Excel out, over real HTTP on PostgreSQL: each seed project's 申报表 and the department's book,
//! read back with calamine and checked cell by cell (amounts, merged indicator cells, all 60
//! indicators, the summary's 291.42 万元); the same token and visibility as GraphQL; the CLI.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use jixiao_tests::{World, jixiao};
use serde_json::json;

async fn download(world: &World, token: Option<&str>, path: &str) -> (u16, Vec<u8>, String) {
    let mut request = reqwest::Client::new().get(format!("{}{path}", world.server.base_url));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, response.bytes().await.unwrap().to_vec(), kind)
}

fn cell(sheet: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match sheet.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => format!("{f:.2}"),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The first row whose column A is `label`.
fn find_row(sheet: &calamine::Range<Data>, label: &str) -> Option<u32> {
    (0..sheet.height() as u32).find(|r| cell(sheet, *r, 0) == label)
}

#[tokio::test]
async fn each_project_and_the_department_book_come_back_cell_by_cell() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let token = submitter.token().to_string();
    let list = submitter
        .data(
            "{ projects(first: 10, filter: { fiscalYear: 2023 }) { nodes { id name indicators { name } } } }",
            json!({}),
        )
        .await;
    let projects = list["projects"]["nodes"].as_array().unwrap().clone();
    assert_eq!(projects.len(), 5);
    let mut indicators_seen = 0;
    for p in &projects {
        let (status, bytes, kind) =
            download(&world, Some(&token), &format!("/export/projects/{}.xlsx", p["id"].as_str().unwrap())).await;
        assert_eq!(status, 200);
        assert!(kind.starts_with("application/vnd.openxmlformats"), "{kind}");
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("项目1").unwrap();
        assert!(cell(&sheet, 0, 0).starts_with(p["name"].as_str().unwrap()), "the title names the project");
        let header = find_row(&sheet, "一级指标").expect("the indicator table");
        let names: Vec<String> =
            p["indicators"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap().to_string()).collect();
        for (n, name) in names.iter().enumerate() {
            assert_eq!(&cell(&sheet, header + 1 + n as u32, 2), name);
        }
        indicators_seen += names.len();
    }
    assert_eq!(indicators_seen, 60, "all 60 indicators of the seed");

    // 维稳工作: its funds in yuan with two places, its 一级 cells merged.
    let weiwen = projects.iter().find(|p| p["name"] == "维稳工作").unwrap();
    let (_, bytes, _) =
        download(&world, Some(&token), &format!("/export/projects/{}.xlsx", weiwen["id"].as_str().unwrap())).await;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("项目1").unwrap();
    let funds = find_row(&sheet, "项目资金（元）").unwrap();
    assert_eq!(
        (cell(&sheet, funds, 1), cell(&sheet, funds, 2)),
        ("项目资金总额".to_string(), "2371500.00".to_string())
    );
    let merges = book.merge_cells_by_sheet_name("项目1").unwrap();
    let header = find_row(&sheet, "一级指标").unwrap();
    let output = merges.iter().find(|d| d.start == (header + 1, 0)).expect("产出指标 merged");
    assert_eq!(output.end, (header + 8, 0), "eight output rows under one 产出指标 cell");
    assert_eq!(cell(&sheet, header + 1, 0), "产出指标");

    // The department's book: the summary's first paragraph, then a sheet per project.
    let (status, bytes, _) = download(&world, Some(&token), "/export/declarations/SJQ-XFB/2023.xlsx").await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["汇总", "项目1", "项目2", "项目3", "项目4", "项目5", "逾期情况", "_jixiao"]);
    let hidden: Vec<&str> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible != calamine::SheetVisible::Visible)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(hidden, ["_jixiao"], "the codes for `jixiao import` are kept out of sight");
    let summary = book.worksheet_range("汇总").unwrap();
    let facts: Vec<(String, String)> = (1..5).map(|r| (cell(&summary, r, 0), cell(&summary, r, 4))).collect();
    assert_eq!(
        facts,
        [
            ("申报预算单位数".to_string(), "1".to_string()),
            ("申报项目数".into(), "5".into()),
            ("年度资金申请总额（元）".into(), "2914171.00".into()),
            ("年度资金申请总额（万元）".into(), "291.42".into()),
        ]
    );

    // The same visibility as GraphQL: no token, another department, a malformed id.
    let id = weiwen["id"].as_str().unwrap();
    assert_eq!(download(&world, None, &format!("/export/projects/{id}.xlsx")).await.0, 401);
    let approver = world.login("approver").await;
    let (status, body, _) = download(&world, Some(approver.token()), &format!("/export/projects/{id}.xlsx")).await;
    assert_eq!(status, 404, "approvers do not see drafts");
    assert!(String::from_utf8_lossy(&body).contains("NOT_FOUND"));
    assert_eq!(download(&world, Some(&token), "/export/projects/nonsense.xlsx").await.0, 400);
    assert_eq!(download(&world, Some(&token), "/export/declarations/NOPE/2023.xlsx").await.0, 404);

    // The template: the form empty, the categories and the catalog's levels as drop-down lists.
    let (status, bytes, _) = download(&world, Some(&token), "/export/template.xlsx").await;
    assert_eq!(status, 200);
    let mut template: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    let sheet = template.worksheet_range("项目1").unwrap();
    assert!(find_row(&sheet, "一级指标").is_some() && find_row(&sheet, "项目类别").is_some());
    let xml = unzip_sheet(&bytes);
    for list in
        ["经常性项目,一次性项目,阶段性项目", "产出指标,成本指标,效益指标,满意度指标", "数量指标,质量指标,时效指标"]
    {
        assert!(xml.contains(list), "a drop-down list holds {list}");
    }
    assert_eq!(download(&world, None, "/export/template.xlsx").await.0, 401, "signed-in users only");

    // The command line writes the same book, as the operator: the bureau's, so with the year's
    // results applied after the forms.
    let out = std::env::temp_dir().join(format!("jixiao-book-{}.xlsx", std::process::id()));
    let run = jixiao(
        &world.db.url,
        &["export", "--department", "SJQ-XFB", "--year", "2023", "--out", out.to_str().unwrap()],
        None,
    )
    .await;
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let mut book: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(book.sheet_names().len(), 9);
    for sheet in ["结果应用情况", "逾期情况"] {
        assert!(book.sheet_names().iter().any(|n| n == sheet), "{:?}", book.sheet_names());
    }
    let summary = book.worksheet_range("汇总").unwrap();
    assert_eq!(cell(&summary, 4, 4), "291.42");
    std::fs::remove_file(&out).ok();
}

/// The first sheet's XML, where the drop-down lists are (calamine does not read validations).
fn unzip_sheet(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    archive.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// Every cell of every sheet, as text (for comparing two books).
fn all_cells(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = (0..range.height() as u32)
                .map(|r| (0..range.width() as u32).map(|c| cell(&range, r, c)).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

#[tokio::test]
async fn a_book_exported_imported_into_an_empty_database_and_exported_again_is_the_same() {
    let world = World::with_fixture().await;
    let dir = std::env::temp_dir().join(format!("jixiao-round-trip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let first = dir.join("first.xlsx");
    let run = jixiao(
        &world.db.url,
        &["export", "--department", "SJQ-XFB", "--year", "2023", "--out", first.to_str().unwrap()],
        None,
    )
    .await;
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));

    let empty = jixiao_tests::TestDatabase::create().await;
    let run = jixiao(&empty.url, &["import", first.to_str().unwrap()], None).await;
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stdout).contains("新建 5 个项目"), "{}", String::from_utf8_lossy(&run.stdout));
    let second = dir.join("second.xlsx");
    let run = jixiao(
        &empty.url,
        &["export", "--department", "SJQ-XFB", "--year", "2023", "--out", second.to_str().unwrap()],
        None,
    )
    .await;
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));

    let (a, b) = (all_cells(&std::fs::read(&first).unwrap()), all_cells(&std::fs::read(&second).unwrap()));
    assert_eq!(a.len(), b.len());
    for ((name_a, rows_a), (name_b, rows_b)) in a.iter().zip(&b) {
        assert_eq!(name_a, name_b);
        assert_eq!(rows_a, rows_b, "sheet {name_a} differs after the round trip");
    }
    // Importing the same book again changes nothing (as the JSON import).
    let again = jixiao(&empty.url, &["import", first.to_str().unwrap()], None).await;
    assert!(String::from_utf8_lossy(&again.stdout).contains("新建 0 个项目"));
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_workbook_with_faults_is_refused_at_every_faulty_cell_and_nothing_is_written() {
    use rust_xlsxwriter::Workbook;
    // A form as a unit might type it: amounts as text with separators and in 万元, a bad amount,
    // a level 2 that is not in the catalog, a missing name, trailing blank rows.
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("项目1").unwrap();
    let rows: &[(u32, &[(u16, &str)])] = &[
        (2, &[(0, "项目名称"), (1, "")]),
        (3, &[(0, "主管部门"), (1, "上海市松江区人民政府信访办公室")]),
        (4, &[(0, "实施单位"), (1, "上海市松江区人民政府信访办公室")]),
        (
            5,
            &[
                (0, "项目类别"),
                (1, "经常性项目"),
                (2, "计划开始日期"),
                (3, "2023-01-01"),
                (4, "计划完成日期"),
                (5, "2023-12-31"),
            ],
        ),
        (
            6,
            &[
                (0, "项目资金（万元）"),
                (1, "项目资金总额"),
                (2, "1,2O0"),
                (3, "财政资金"),
                (4, "10"),
                (5, "其他资金"),
                (6, "0"),
            ],
        ),
        (7, &[(1, "年度资金申请总额"), (2, "10"), (3, "当年财政拨款"), (4, "10"), (5, "上年结转资金"), (6, "0")]),
        (8, &[(1, "年度其他资金"), (2, "0")]),
        (9, &[(0, "一级指标"), (1, "二级指标"), (2, "三级指标"), (6, "指标值")]),
        (10, &[(0, "产出指标"), (1, "数量指标"), (2, "调解案件数"), (6, "≥120件")]),
        (11, &[(1, "经济指标"), (2, "调解成功率"), (6, "≥90%")]),
    ];
    for (row, cells) in rows {
        for (col, value) in *cells {
            ws.write_string(*row, *col, *value).unwrap();
        }
    }
    let meta = book.add_worksheet();
    meta.set_name("_jixiao").unwrap();
    for (row, label, code, name) in [
        (0, "主管部门编码", "SJQ-XFB", ""),
        (1, "主管部门", "上海市松江区人民政府信访办公室", ""),
        (3, "预算单位", "SJQ-XFB", "上海市松江区人民政府信访办公室"),
    ] {
        meta.write_string(row, 0, label).unwrap();
        meta.write_string(row, 1, code).unwrap();
        meta.write_string(row, 2, name).unwrap();
    }
    meta.write_number(2, 0, 0.0).unwrap();
    meta.write_string(2, 0, "预算年度").unwrap();
    meta.write_number(2, 1, 2023.0).unwrap();
    let path = std::env::temp_dir().join(format!("jixiao-faulty-{}.xlsx", std::process::id()));
    book.save(&path).unwrap();

    let db = jixiao_tests::TestDatabase::create().await;
    let run = jixiao(&db.url, &["import", path.to_str().unwrap()], None).await;
    assert!(!run.status.success());
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(said.contains("项目1!C7") && said.contains("1,2O0"), "the bad amount at its cell: {said}");
    assert!(said.contains("项目1!B12") && said.contains("经济指标"), "the unknown level 2 at its cell: {said}");
    assert!(said.contains("项目1!B3"), "the missing name too, in the same answer: {said}");
    assert!(said.contains("未写入任何内容"), "{said}");
    // Fix those two; the missing name is then found by the import's own check, at its cell.
    let _ = std::fs::remove_file(&path);
    let mut fixed = Workbook::new();
    let ws = fixed.add_worksheet();
    ws.set_name("项目1").unwrap();
    for (row, cells) in rows {
        for (col, value) in *cells {
            let value = match *value {
                "1,2O0" => "10",
                "经济指标" => "质量指标",
                v => v,
            };
            ws.write_string(*row, *col, value).unwrap();
        }
    }
    let meta = fixed.add_worksheet();
    meta.set_name("_jixiao").unwrap();
    for (row, label, code, name) in [
        (0, "主管部门编码", "SJQ-XFB", ""),
        (1, "主管部门", "上海市松江区人民政府信访办公室", ""),
        (3, "预算单位", "SJQ-XFB", "上海市松江区人民政府信访办公室"),
    ] {
        meta.write_string(row, 0, label).unwrap();
        meta.write_string(row, 1, code).unwrap();
        meta.write_string(row, 2, name).unwrap();
    }
    meta.write_string(2, 0, "预算年度").unwrap();
    meta.write_number(2, 1, 2023.0).unwrap();
    fixed.save(&path).unwrap();
    let run = jixiao(&db.url, &["import", path.to_str().unwrap()], None).await;
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success() && said.contains("项目1!B3"), "the missing name at its cell: {said}");
    let store = db.store().await;
    let count = sea_orm::ConnectionTrait::query_one_raw(
        store.connection(),
        sea_orm::Statement::from_string(sea_orm::DbBackend::Postgres, "SELECT count(*) AS n FROM projects"),
    )
    .await
    .unwrap()
    .unwrap()
    .try_get::<i64>("", "n")
    .unwrap();
    assert_eq!(count, 0, "nothing was written");
    std::fs::remove_file(&path).ok();
}

/// The book counts each project's findings in the context GraphQL shows them in: a draft that
/// copies another project's indicators has its COPIED_INDICATORS in the book's 提示 too, and
/// every row's 错误, 警告, 提示 are the project's `findingCounts`.
#[tokio::test]
async fn the_books_counts_are_the_findings_graphql_shows() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let list = submitter
        .data(
            "{ projects(first: 10, filter: { fiscalYear: 2023 }) { nodes { name indicators { level1 level2 name target { text } } } } }",
            json!({}),
        )
        .await;
    let copied = &list["projects"]["nodes"][0];
    let unit = jixiao_tests::unit_of(&submitter, "SJQ-XFB").await;
    let mut draft = jixiao_tests::complete_declaration(&unit, "照抄指标的草稿");
    draft["indicators"] = copied["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| json!({ "level1": i["level1"], "level2": i["level2"], "name": i["name"], "target": i["target"]["text"] }))
        .collect();
    let created = submitter.data(jixiao_tests::CREATE_PROJECT, json!({ "input": draft })).await;
    assert!(created["createProject"]["project"]["id"].is_string(), "{created}");

    let counts = submitter
        .data(
            "{ projects(first: 10, filter: { fiscalYear: 2023 }) { nodes { name findingCounts { errors warnings infos } findings { code } } } }",
            json!({}),
        )
        .await;
    let nodes = counts["projects"]["nodes"].as_array().unwrap();
    let copy = nodes.iter().find(|p| p["name"] == "照抄指标的草稿").unwrap();
    assert!(copy["findings"].as_array().unwrap().iter().any(|f| f["code"] == "COPIED_INDICATORS"), "{copy}");

    let (status, bytes, _) = download(&world, Some(submitter.token()), "/export/declarations/SJQ-XFB/2023.xlsx").await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let summary = book.worksheet_range("汇总").unwrap();
    let header = find_row(&summary, "序号").expect("the summary's table");
    for p in nodes {
        let row = (header + 1..summary.height() as u32)
            .find(|r| cell(&summary, *r, 1) == p["name"].as_str().unwrap())
            .unwrap_or_else(|| panic!("{} in the book", p["name"]));
        let book_counts: Vec<f64> = (5..8).map(|c| cell(&summary, row, c).parse().unwrap()).collect();
        let api = &p["findingCounts"];
        let api_counts: Vec<f64> = ["errors", "warnings", "infos"].iter().map(|k| api[*k].as_f64().unwrap()).collect();
        assert_eq!(book_counts, api_counts, "{}", p["name"]);
    }
}
