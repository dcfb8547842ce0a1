//! 指标库 end to end over HTTP on PostgreSQL: the seed's five approved projects seed the library
//! (the figures), suggestions as people type, a row picked from an entry, a department's
//! proposal confirmed by the bureau, a merge of near spellings, and the two findings it gives the
//! reviewer's assistant: a target below what was achieved, and a name the library spells otherwise.

use jixiao_tests::{Client, World, add_user};
use serde_json::{Value, json};

async fn ok(client: &Client, query: &str, vars: Value, field: &str) -> Value {
    let r = client.data(query, vars).await;
    assert_eq!(r[field]["userErrors"], json!([]), "{field}: {r}");
    r[field].clone()
}

async fn project_ids(client: &Client, year: i32) -> Vec<(String, String)> {
    let q = "query($y: Int!) { projects(first: 20, filter: { fiscalYear: $y }) { nodes { id name } } }";
    let nodes = client.data(q, json!({ "y": year })).await["projects"]["nodes"].as_array().unwrap().clone();
    nodes.iter().map(|p| (p["name"].as_str().unwrap().to_string(), p["id"].as_str().unwrap().to_string())).collect()
}

fn id_of<'a>(ids: &'a [(String, String)], name: &str) -> &'a str {
    &ids.iter().find(|(n, _)| n == name).unwrap().1
}

const LIBRARY: &str =
    "query($f: LibraryFilterInput, $after: ID) { indicatorLibrary(filter: $f, first: 100, after: $after) {
    nodes { id name level2 status uses aliases version unit historyValue } pageInfo { hasNextPage endCursor } } }";

async fn library(client: &Client, filter: Value) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = client.data(LIBRARY, json!({ "f": filter, "after": after })).await["indicatorLibrary"].clone();
        out.extend(page["nodes"].as_array().unwrap().iter().cloned());
        if page["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

const FINDINGS: &str =
    "query($id: ID!) { project(id: $id) { indicators { id name libraryEntryId } findings { code field message } } }";

async fn findings_of(client: &Client, id: &str, code: &str) -> Vec<Value> {
    let r = client.data(FINDINGS, json!({ "id": id })).await;
    r["project"]["findings"].as_array().unwrap().iter().filter(|f| f["code"] == code).cloned().collect()
}

/// Fills and submits `project`'s self-evaluation with every quantitative row at its target,
/// `actual` for the row `name`, every qualitative row not achieved; the bureau accepts it.
async fn evaluated(submitter: &Client, approver: &Client, project: &str, name: &str, actual: &str) {
    let started = ok(
        submitter,
        "mutation($p: ID!) { startSelfEvaluation(input: { projectId: $p }) { selfEvaluation { id version
            indicators { indicator { id name target { kind value unit } } } } userErrors { code } } }",
        json!({ "p": project }),
        "startSelfEvaluation",
    )
    .await;
    let e = &started["selfEvaluation"];
    let results: Vec<Value> = e["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let i = &row["indicator"];
            let t = &i["target"];
            if i["name"] == name {
                json!({ "indicatorId": i["id"], "actual": actual })
            } else if t["kind"] == "QUANTITATIVE" {
                let value = format!("{}{}", t["value"].as_str().unwrap(), t["unit"].as_str().unwrap_or(""));
                json!({ "indicatorId": i["id"], "actual": value })
            } else {
                json!({ "indicatorId": i["id"], "achievement": "NOT_ACHIEVED", "score": "0", "explanation": "未见成效" })
            }
        })
        .collect();
    let funds = submitter
        .data("query($id: ID!) { project(id: $id) { funds { annualRequest } } }", json!({ "id": project }))
        .await;
    let spent = funds["project"]["funds"]["annualRequest"].clone();
    let update = "mutation($i: UpdateSelfEvaluationInput!) { updateSelfEvaluation(input: $i) { selfEvaluation { id } userErrors { field code message } } }";
    let input = json!({ "i": { "id": e["id"], "expectedVersion": e["version"], "budgetExecuted": spent, "indicators": results } });
    ok(submitter, update, input, "updateSelfEvaluation").await;
    let submit = "mutation($id: ID!) { submitSelfEvaluation(id: $id) { userErrors { field code message } } }";
    ok(submitter, submit, json!({ "id": e["id"] }), "submitSelfEvaluation").await;
    let accept = "mutation($id: ID!) { acceptSelfEvaluation(id: $id) { userErrors { field code message } } }";
    ok(approver, accept, json!({ "id": e["id"] }), "acceptSelfEvaluation").await;
}

#[tokio::test]
async fn the_seed_builds_the_library_and_the_library_holds_targets_to_last_years_results() {
    let world = World::with_fixture().await;
    let (submitter, approver, admin) =
        (world.login("submitter").await, world.login("approver").await, world.login("admin").await);
    let ids = project_ids(&submitter, 2023).await;
    assert_eq!(ids.len(), 5);
    for (_, id) in &ids {
        let submit = "mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }";
        ok(&submitter, submit, json!({ "id": id }), "submitProject").await;
        let approve = "mutation($id: ID!) { approveProject(id: $id) { userErrors { code } } }";
        ok(&approver, approve, json!({ "id": id }), "approveProject").await;
    }

    // Seeding: only an admin; 47 spellings, each with its uses; every row linked.
    let seed = "mutation { seedIndicatorLibrary(fiscalYear: 2023) { entriesCreated proposalsCreated rowsLinked } }";
    assert!(approver.raw(seed, json!({})).await.contains("FORBIDDEN"));
    let seeded = admin.data(seed, json!({})).await["seedIndicatorLibrary"].clone();
    assert_eq!(seeded["entriesCreated"], 47, "{seeded}");
    assert_eq!(seeded["rowsLinked"], 60, "{seeded}");
    let again = admin.data(seed, json!({})).await["seedIndicatorLibrary"].clone();
    assert_eq!(again, json!({ "entriesCreated": 0, "proposalsCreated": 0, "rowsLinked": 0 }), "idempotent");

    let confirmed = library(&submitter, json!({ "status": "CONFIRMED" })).await;
    assert_eq!(confirmed.len(), 47);
    let mut names: Vec<&str> = confirmed.iter().map(|e| e["name"].as_str().unwrap()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 45, "two names sit under two level 2s each");
    let uses = |name: &str| confirmed.iter().filter(|e| e["name"] == name).map(|e| e["uses"].as_i64().unwrap()).max();
    assert_eq!(confirmed.iter().filter(|e| e["uses"].as_i64().unwrap() >= 2).count(), 9);
    assert_eq!((uses("成本控制"), uses("投入使用率"), uses("受益对象满意度")), (Some(4), Some(3), Some(3)));

    // The near spellings, each set proposed once as one entry with the others as aliases.
    let proposed = library(&approver, json!({ "status": "PROPOSED" })).await;
    assert_eq!(proposed.len() as i64, seeded["proposalsCreated"].as_i64().unwrap());
    let merge = proposed.iter().find(|e| e["name"] == "受益对象满意度").expect("受益群众满意度 joins 受益对象满意度");
    assert_eq!(merge["aliases"], json!(["受益群众满意度"]));
    assert!(proposed.iter().any(|e| e["name"] == "课题研究成果" && e["aliases"] == json!(["信访课题研究成果"])));
    assert!(
        !proposed.iter().any(|e| e["name"] == "维稳工作开展及时性" || e["aliases"] == json!(["维稳工作开展有效性"])),
        "a different measure is not a spelling"
    );

    // Suggestions as the satisfaction row is typed: the six, most used first.
    let suggest = "query($t: String!) { suggestIndicators(level2: SERVICE_SATISFACTION, text: $t) { entry { id name unit } uses } }";
    let s = submitter.data(suggest, json!({ "t": "满意度" })).await["suggestIndicators"].as_array().unwrap().clone();
    let shown: Vec<(&str, i64)> =
        s.iter().map(|x| (x["entry"]["name"].as_str().unwrap(), x["uses"].as_i64().unwrap())).collect();
    assert_eq!(shown.len(), 6, "{shown:?}");
    assert_eq!(&shown[..2], &[("受益对象满意度", 3), ("参与人群满意度", 2)]);
    let too_long = submitter.raw(suggest, json!({ "t": "满".repeat(51) })).await;
    assert!(too_long.contains("BAD_USER_INPUT"), "{too_long}");

    // 维稳工作 self-evaluated: 群众满意度 reached 92%; its 2024 copy promises ≥85%.
    let weiwen = id_of(&ids, "维稳工作").to_string();
    evaluated(&submitter, &approver, &weiwen, "群众满意度", "92%").await;
    let entry = confirmed.iter().find(|e| e["name"] == "群众满意度").unwrap();
    let q = "query($id: ID!) { libraryEntry(id: $id) { historyValue history { fiscalYear target actual project { name } } } }";
    let h = submitter.data(q, json!({ "id": entry["id"] })).await["libraryEntry"].clone();
    assert_eq!(h["historyValue"], "92%", "{h}");
    assert_eq!(
        h["history"][0],
        json!({ "fiscalYear": 2023, "target": ">=85%", "actual": "92%", "project": { "name": "维稳工作" } })
    );
    let copy = "mutation($id: ID!) { copyProject(input: { id: $id, fiscalYear: 2024 }) { project { id version } userErrors { code } } }";
    let copied = ok(&submitter, copy, json!({ "id": weiwen }), "copyProject").await["project"].clone();
    let copy_id = copied["id"].as_str().unwrap().to_string();
    let below = findings_of(&submitter, &copy_id, "TARGET_BELOW_HISTORY").await;
    assert_eq!(below.len(), 1, "{below:?}");
    assert!(below[0]["message"].as_str().unwrap().contains("92%"), "{below:?}");
    let rows =
        submitter.data(FINDINGS, json!({ "id": copy_id })).await["project"]["indicators"].as_array().unwrap().clone();
    let row = rows.iter().find(|r| r["name"] == "群众满意度").unwrap();
    assert_eq!(row["libraryEntryId"], entry["id"], "the copy keeps the row's link");
    let at = rows.iter().position(|r| r["name"] == "群众满意度").unwrap();
    assert_eq!(below[0]["field"], format!("indicators[{at}].target"));
    let retarget = "mutation($i: UpdateIndicatorInput!) { updateIndicator(input: $i) { project { version } userErrors { code } } }";
    let mut version = copied["version"].clone();
    for (target, found) in [("≥92%", 0), ("≥95%", 0), ("≥91%", 1)] {
        let done = ok(
            &submitter,
            retarget,
            json!({ "i": { "id": row["id"], "expectedVersion": version, "target": target } }),
            "updateIndicator",
        )
        .await;
        version = done["project"]["version"].clone();
        assert_eq!(findings_of(&submitter, &copy_id, "TARGET_BELOW_HISTORY").await.len(), found, "{target}");
    }

    // A row picked from the library: the entry's levels, name and unit; the target the department's.
    let cost = confirmed.iter().find(|e| e["name"] == "投入使用率").unwrap();
    let add = "mutation($i: AddIndicatorInput!) { addIndicator(input: $i) { indicator { level1 level2 name target { text } libraryEntryId } userErrors { field code } } }";
    let unnamed = json!({ "i": { "projectId": copy_id, "expectedVersion": version, "indicator": { "level1": "OUTPUT", "target": "≥90" } } });
    let refused = submitter.data(add, unnamed).await["addIndicator"]["userErrors"].clone();
    assert_eq!(
        refused,
        json!([{ "field": "indicator.level2", "code": "INVALID_INPUT" }, { "field": "indicator.name", "code": "INVALID_INPUT" }])
    );
    let picked = json!({ "i": { "projectId": copy_id, "expectedVersion": version, "indicator": {
        "target": "≥90", "libraryEntryId": cost["id"] } } });
    let added = ok(&submitter, add, picked, "addIndicator").await["indicator"].clone();
    assert_eq!(
        added,
        json!({ "level1": "BENEFIT", "level2": "SUSTAINABLE_IMPACT", "name": "投入使用率", "target": { "text": "≥90%" }, "libraryEntryId": cost["id"] })
    );
    let stale = json!({ "i": { "projectId": copy_id, "expectedVersion": 0, "indicator": {
        "level1": "OUTPUT", "level2": "QUANTITY", "name": "x", "target": "1", "libraryEntryId": proposed[0]["id"] } } });
    let refused = submitter.data(add, stale).await;
    assert_eq!(refused["addIndicator"]["userErrors"][0]["field"], "indicator.libraryEntryId", "{refused}");

    // The bureau confirms the merge: the spellings' own entries retire, and 宣传与推广's row named
    // 受益群众满意度 is the library's other spelling.
    let xuanchuan = id_of(&ids, "宣传与推广").to_string();
    assert!(findings_of(&submitter, &xuanchuan, "LIBRARY_SPELLING").await.is_empty());
    let status = "mutation($i: SetLibraryEntryStatusInput!) { setLibraryEntryStatus(input: $i) { entry { status version } userErrors { field code } } }";
    let confirm = json!({ "i": { "id": merge["id"], "expectedVersion": merge["version"], "status": "CONFIRMED" } });
    assert!(submitter.raw(status, confirm.clone()).await.contains("FORBIDDEN"));
    ok(&approver, status, confirm, "setLibraryEntryStatus").await;
    let q = "query($id: ID!) { libraryEntry(id: $id) { version versions { version action changedBy { username } } } }";
    let kept = admin.data(q, json!({ "id": merge["id"] })).await["libraryEntry"].clone();
    assert_eq!(
        kept,
        json!({ "version": 2, "versions": [
            { "version": 2, "action": "CONFIRMED", "changedBy": { "username": "approver" } },
            { "version": 1, "action": "SEED", "changedBy": { "username": "admin" } } ] })
    );
    let spelled = findings_of(&submitter, &xuanchuan, "LIBRARY_SPELLING").await;
    assert_eq!(spelled.len(), 1, "{spelled:?}");
    assert!(spelled[0]["message"].as_str().unwrap().contains("受益对象满意度"), "{spelled:?}");
    let now = library(&submitter, json!({ "nameContains": "受益" })).await;
    let statuses: Vec<(&str, &str, i64)> = now
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), e["status"].as_str().unwrap(), e["uses"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [("受益对象满意度", "RETIRED", 0), ("受益群众满意度", "RETIRED", 0), ("受益对象满意度", "CONFIRMED", 3)],
        "the merged entry holds every use"
    );

    // A department proposes its own; the bureau confirms; then it is suggested.
    let add_entry = "mutation($i: AddLibraryEntryInput!) { addLibraryEntry(input: $i) { entry { id status version } userErrors { field code } } }";
    let own = submitter.data("{ me { department { id } } }", json!({})).await["me"]["department"]["id"].clone();
    let content = json!({ "level1": "OUTPUT", "level2": "QUANTITY", "name": "信访接待人次", "unit": "人次",
        "direction": "HIGHER_IS_BETTER", "valueBasis": "PLAN", "definition": "年度接待来访群众的人次" });
    let benchmarked = json!({ "i": { "departmentId": own, "entry": { "benchmarkValue": "5000人次", "level1": "OUTPUT",
        "level2": "QUANTITY", "name": "信访接待人次", "direction": "HIGHER_IS_BETTER", "valueBasis": "PLAN" } } });
    assert!(submitter.raw(add_entry, benchmarked).await.contains("FORBIDDEN"), "the benchmark is the bureau's");
    assert!(
        submitter.raw(add_entry, json!({ "i": { "entry": content } })).await.contains("FORBIDDEN"),
        "common is the bureau's"
    );
    let proposal = ok(
        &submitter,
        add_entry,
        json!({ "i": { "departmentId": own, "entry": content } }),
        "addLibraryEntry",
    )
    .await["entry"]
        .clone();
    assert_eq!(proposal["status"], "PROPOSED");
    let find = |t: &'static str| {
        let s = submitter.clone();
        async move {
            let q = "query($t: String!) { suggestIndicators(text: $t) { entry { name } } }";
            s.data(q, json!({ "t": t })).await["suggestIndicators"].as_array().unwrap().len()
        }
    };
    assert_eq!(find("接待人次").await, 0, "a proposal is not offered");
    let confirm = json!({ "i": { "id": proposal["id"], "expectedVersion": 1, "status": "CONFIRMED" } });
    ok(&approver, status, confirm.clone(), "setLibraryEntryStatus").await;
    assert_eq!(find("接待人次").await, 1);
    let again = approver.data(status, confirm).await;
    assert_eq!(again["setLibraryEntryStatus"]["userErrors"][0]["code"], "VERSION_CONFLICT", "{again}");
}

const IMPORT: &str = "mutation($file: Upload!) { importIndicatorLibrary(file: $file) { created unchanged userErrors { field code message } } }";

/// A workbook in the library's layout with `rows` (each the 14 columns from 范围 to 其他写法).
fn book(rows: &[[&str; 14]]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name("指标库").unwrap();
    for (col, h) in [
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
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, col as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, text) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, col as u16, *text).unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// The bureau's list of common indicators comes in as a workbook and goes out as one; a book
/// exported and imported again changes nothing; a faulty row refuses the whole book, at its cells.
#[tokio::test]
async fn the_library_goes_out_and_comes_in_as_a_workbook() {
    let world = World::with_fixture().await;
    let (submitter, approver) = (world.login("submitter").await, world.login("approver").await);
    let common = [
        [
            "共性指标",
            "",
            "",
            "满意度指标",
            "服务对象满意度指标",
            "服务对象满意度",
            "%",
            "正向指标（越高越好）",
            "接受服务的群众中表示满意的比例",
            "满意人数 ÷ 调查人数 × 100%",
            "历史标准",
            "90%",
            "95%",
            "群众满意度、受益群众满意度",
        ],
        ["COMMON", "", "", "OUTPUT", "TIMELINESS", "按时完成率", "%", "HIGHER_IS_BETTER", "", "", "PLAN", "", "", ""],
    ];
    let (status, r) = submitter.upload(IMPORT, json!({}), "共性指标.xlsx", &book(&common)).await;
    assert_eq!((status, r["errors"][0]["extensions"]["code"].as_str()), (200, Some("FORBIDDEN")), "{r}");
    let (_, r) = approver.upload(IMPORT, json!({}), "共性指标.xlsx", &book(&common)).await;
    assert_eq!(r["data"]["importIndicatorLibrary"], json!({ "created": 2, "unchanged": [], "userErrors": [] }), "{r}");

    // Every fault of a row at its cell; nothing of the book is kept.
    let faulty = [
        ["共性指标", "", "", "产出指标", "数量指标", "新指标", "", "越高越好", "", "", "历史标准", "很多", "", ""],
        [
            "个性指标",
            "",
            "",
            "产出指标",
            "服务对象满意度指标",
            "",
            "",
            "正向指标（越高越好）",
            "",
            "",
            "计划标准",
            "",
            "",
            "",
        ],
        [
            "个性指标",
            "SJQ\u{0}XFB",
            "",
            "产出指标",
            "数量指标",
            "来访人次",
            "人次",
            "正向指标（越高越好）",
            "",
            "",
            "计划标准",
            "",
            "",
            "",
        ],
    ];
    let (_, r) = approver.upload(IMPORT, json!({}), "错的.xlsx", &book(&faulty)).await;
    let errors: Vec<(&str, &str)> = r["data"]["importIndicatorLibrary"]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [
            ("指标库!H2", "INVALID_INPUT"),
            ("指标库!B3", "INVALID_INPUT"),
            ("指标库!E3", "INVALID_INPUT"),
            ("指标库!F3", "INVALID_INPUT"),
            ("指标库!B4", "INVALID_INPUT"),
        ],
        "{r}"
    );
    assert!(r["data"]["importIndicatorLibrary"]["userErrors"][0]["message"].as_str().unwrap().contains("越高越好"));
    let q = "query { indicatorLibrary { nodes { name scope status aliases benchmarkValue } } }";
    let listed = submitter.data(q, json!({})).await["indicatorLibrary"]["nodes"].clone();
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    assert_eq!(
        listed[0],
        json!({ "name": "服务对象满意度", "scope": "COMMON", "status": "CONFIRMED",
        "aliases": ["群众满意度", "受益群众满意度"], "benchmarkValue": "95%" })
    );

    // Out as a workbook (the submitter's: the common entries and its own), in Chinese; in again: nothing changes.
    let (status, bytes) = submitter.download("/export/library.xlsx").await;
    assert_eq!(status, 200);
    let mut read: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    use calamine::Reader;
    let sheet = read.worksheet_range("指标库").unwrap();
    let first: Vec<String> = sheet.rows().nth(1).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(
        &first[..8],
        ["共性指标", "", "", "满意度指标", "服务对象满意度指标", "服务对象满意度", "%", "正向指标（越高越好）"]
    );
    assert_eq!(first[14], "已确认");
    let (_, r) = approver.upload(IMPORT, json!({}), "指标库.xlsx", &bytes).await;
    assert_eq!(r["data"]["importIndicatorLibrary"]["created"], 0, "{r}");
    assert_eq!(r["data"]["importIndicatorLibrary"]["unchanged"], json!(["服务对象满意度", "按时完成率"]));
    add_user(&world.db.url, "auditor", "SECURITY_AUDITOR", None).await;
    let auditor = world.login("auditor").await;
    assert_eq!(auditor.download("/export/library.xlsx").await.0, 403);
}

/// Whether checking `form` through `client` finds a LIBRARY_SPELLING.
async fn spelled_otherwise(client: &Client, form: &Value) -> bool {
    let q = "query($input: CreateProjectInput!) { checkDeclaration(input: $input) { findings { code } } }";
    let r = client.data(q, json!({ "input": form })).await;
    r["checkDeclaration"]["findings"].as_array().unwrap().iter().any(|f| f["code"] == "LIBRARY_SPELLING")
}

/// A form checked as the user types reads the library from what the instance keeps; an entry
/// retired is seen by the very next check on the instance that retired it, and within the notice
/// time on every other instance.
#[tokio::test]
async fn a_check_as_the_user_types_sees_a_library_change_here_at_once_and_elsewhere_soon() {
    use jixiao_tests::server::{Server, until_listening};
    use jixiao_tests::{NOTIFIED_WITHIN, complete_declaration, statements_run, unit_of};
    let world = World::with_fixture().await;
    let b = Server::start(&world.db.url).await;
    until_listening(&world.server.base_url).await;
    until_listening(&b.base_url).await;
    let (submitter, approver) = (world.login("submitter").await, world.login("approver").await);
    let on_b = Client::new(&b.base_url).with_token(submitter.token());
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let form = complete_declaration(&unit, "按指标库核对的项目");
    let own = submitter.data("{ me { department { id } } }", json!({})).await["me"]["department"]["id"].clone();
    let add = "mutation($i: AddLibraryEntryInput!) { addLibraryEntry(input: $i) { entry { id version } userErrors { code } } }";
    let entry = ok(
        &approver,
        add,
        json!({ "i": { "departmentId": own, "entry": { "level1": "OUTPUT", "level2": "QUANTITY",
        "name": "调解完成率", "unit": "%", "direction": "HIGHER_IS_BETTER", "valueBasis": "PLAN" } } }),
        "addLibraryEntry",
    )
    .await["entry"]
        .clone();

    // Settled: B answers from what it keeps, without a statement.
    let settled = std::time::Instant::now();
    loop {
        let before = statements_run(&on_b).await;
        assert!(!spelled_otherwise(&on_b, &form).await);
        if statements_run(&on_b).await == before {
            break;
        }
        assert!(settled.elapsed() < NOTIFIED_WITHIN, "B reads the library on every check");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(!spelled_otherwise(&submitter, &form).await);

    // Retired on A: A's next check sees it; B's within the notice time.
    let retire = "mutation($i: SetLibraryEntryStatusInput!) { setLibraryEntryStatus(input: $i) { entry { status } userErrors { code } } }";
    ok(
        &approver,
        retire,
        json!({ "i": { "id": entry["id"], "expectedVersion": 1, "status": "RETIRED" } }),
        "setLibraryEntryStatus",
    )
    .await;
    assert!(spelled_otherwise(&submitter, &form).await, "the instance that retired it sees it at once");
    let heard = std::time::Instant::now();
    while !spelled_otherwise(&on_b, &form).await {
        assert!(heard.elapsed() < NOTIFIED_WITHIN, "B never heard of the retirement");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
