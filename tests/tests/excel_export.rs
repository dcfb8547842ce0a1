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
    book.load_merged_regions().unwrap();
    let merges = book.merged_regions_by_sheet("项目1");
    let header = find_row(&sheet, "一级指标").unwrap();
    let output = merges.iter().find(|(_, _, d)| d.start == (header + 1, 0)).expect("产出指标 merged");
    assert_eq!(output.2.end, (header + 8, 0), "eight output rows under one 产出指标 cell");
    assert_eq!(cell(&sheet, header + 1, 0), "产出指标");

    // The department's book: the summary's first paragraph, then a sheet per project.
    let (status, bytes, _) = download(&world, Some(&token), "/export/declarations/SJQ-XFB/2023.xlsx").await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["汇总", "项目1", "项目2", "项目3", "项目4", "项目5"]);
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

    // The command line writes the same book.
    let out = std::env::temp_dir().join(format!("jixiao-book-{}.xlsx", std::process::id()));
    let run = jixiao(
        &world.db.url,
        &["export", "--department", "SJQ-XFB", "--year", "2023", "--out", out.to_str().unwrap()],
        None,
    )
    .await;
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let mut book: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(book.sheet_names().len(), 6);
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
