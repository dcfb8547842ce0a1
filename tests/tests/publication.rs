//! 批复金额, 批复下达 and 绩效公开 end to end, over HTTP on PostgreSQL: approvals grant an amount
//! (a cut needs its reason), later stages measure against it, acts issue what was approved, and
//! the public table says the seed's own first paragraph, holds the issued forms and nothing
//! internal, and is readable by others only once published.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use jixiao_tests::server::jixiao;
use jixiao_tests::ws::Subscriber;
use jixiao_tests::{Client, NOTIFIED_WITHIN, PASSWORD, World, add_user, other_department};
use serde_json::{Value, json};

/// The seed's first paragraph, character for character.
const SEED_SENTENCE: &str = "按照本市预算绩效管理工作的总体要求，本部门 1 个预算单位开展了 2023 年项目预算绩效目标编报工作，编报绩效目标的项目 5 个，涉及项目预算资金 291.42 万元。";

/// The seed's projects in its order, with their indicator rows.
const SEED: [(&str, usize); 5] = [
    ("课题与规划", 9),
    ("网络信息系统开发、升级、建设", 8),
    ("网络信息系统运行与维护", 8),
    ("维稳工作", 21),
    ("宣传与推广", 14),
];

const APPROVE: &str =
    "mutation($id: ID!, $amount: String, $comment: String, $grade: Grade, $scores: CriteriaScoresInput) {
    approveProject(id: $id, approvedAmount: $amount, comment: $comment, grade: $grade, scores: $scores) {
        project { status approvedAmount cut } userErrors { field code message } } }";

const ISSUE: &str = "mutation($i: IssueApprovalsInput!) { issueApprovals(input: $i) {
    issue { documentNo issuedOn fiscalYear department { code } issuedBy { username } }
    issuedProjects { name issue { documentNo } }
    userErrors { field code message } } }";

const MARK: &str = "mutation($i: MarkPublishedInput!) { markPublished(input: $i) {
    publication { dueOn publishedOn url overdue stale acts htmlPath xlsxPath } userErrors { field code message } } }";

const STATUS: &str = "query($c: String!) { department(code: $c) {
    publication(fiscalYear: 2023) { firstIssuedOn dueOn publishedOn url overdue stale acts }
    approvalIssues(fiscalYear: 2023) { documentNo issuedOn } } }";

/// The seed's projects' ids, in the seed's order.
async fn seed_ids(client: &Client) -> Vec<String> {
    let list =
        client.data("{ projects(first: 20, filter: { fiscalYear: 2023 }) { nodes { id name } } }", json!({})).await;
    let nodes = list["projects"]["nodes"].as_array().unwrap().clone();
    SEED.iter()
        .map(|(name, _)| nodes.iter().find(|p| p["name"] == *name).unwrap()["id"].as_str().unwrap().to_string())
        .collect()
}

async fn submit(submitter: &Client, id: &str) {
    let r = submitter
        .data("mutation($id: ID!) { submitProject(id: $id) { userErrors { code message } } }", json!({ "id": id }))
        .await;
    assert_eq!(r["submitProject"]["userErrors"], json!([]), "{r}");
}

async fn approve(approver: &Client, id: &str, amount: Option<&str>, comment: Option<&str>) -> Value {
    approver.data(APPROVE, json!({ "id": id, "amount": amount, "comment": comment })).await["approveProject"].clone()
}

async fn department_id(client: &Client) -> String {
    client.data("{ department(code: \"SJQ-XFB\") { id } }", json!({})).await["department"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn issue(client: &Client, department: &str, document_no: &str, on: &str) -> Value {
    let input = json!({ "departmentId": department, "fiscalYear": 2023, "documentNo": document_no, "issuedOn": on });
    client.data(ISSUE, json!({ "i": input })).await["issueApprovals"].clone()
}

async fn mark(client: &Client, department: &str, on: &str, url: &str) -> Value {
    let input = json!({ "departmentId": department, "fiscalYear": 2023, "publishedOn": on, "url": url });
    client.data(MARK, json!({ "i": input })).await["markPublished"].clone()
}

fn codes(payload: &Value) -> Vec<String> {
    payload["userErrors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap().to_string()).collect()
}

/// Every text cell of every sheet of a workbook, with the sheet names.
fn workbook_texts(bytes: &[u8]) -> (Vec<String>, Vec<String>) {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an xlsx");
    let names = book.sheet_names().to_vec();
    let mut texts = Vec::new();
    for name in &names {
        let range = book.worksheet_range(name).unwrap();
        texts.extend(range.cells().map(|(_, _, c)| c.to_string()).filter(|t| !t.is_empty()));
    }
    (names, texts)
}

async fn download(client: &Client, path: &str) -> (u16, Vec<u8>) {
    client.download(path).await
}

#[tokio::test]
async fn the_seed_goes_out_under_one_act_and_is_published_in_its_own_words() {
    let world = World::with_fixture().await;
    let (submitter, approver, admin) =
        (world.login("submitter").await, world.login("approver").await, world.login("admin").await);
    let out = jixiao(
        &world.db.url,
        &[
            "user",
            "add",
            "--username",
            "wangwu",
            "--role",
            "APPROVER",
            "--display-name",
            "审核员王五",
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    )
    .await;
    assert!(out.status.success());
    let wangwu = world.login("wangwu").await;
    let ids = seed_ids(&submitter).await;
    let department = department_id(&submitter).await;
    // Internal matter a public table must not carry: a remark, a grade with its scores, the
    // approvers' names and comments, findings.
    let remark = "请补充调研课题的成果形式（内部审核意见）";
    for id in &ids {
        submit(&submitter, id).await;
    }
    let r = wangwu
        .data(
            "mutation($p: ID!, $t: String!) { addReviewRemark(input: { projectId: $p, field: \"annualGoal\", text: $t }) { userErrors { code } } }",
            json!({ "p": ids[0], "t": remark }),
        )
        .await;
    assert_eq!(r["addReviewRemark"]["userErrors"], json!([]), "{r}");
    let scores = json!({ "completeness": 25, "relevance": 25, "appropriateness": 20, "feasibility": 20 });
    let graded = wangwu
        .data(
            APPROVE,
            json!({ "id": ids[0], "comment": "同意立项（内部意见甲）", "grade": "EXCELLENT", "scores": scores }),
        )
        .await;
    assert_eq!(graded["approveProject"]["userErrors"], json!([]), "{graded}");
    for id in &ids[1..] {
        let a = approve(&approver, id, None, Some("同意（内部意见乙）")).await;
        assert_eq!(a["userErrors"], json!([]), "{a}");
        assert_eq!(a["project"]["cut"], "0.00", "approved at its request");
    }

    // One act issues all five; a second has nothing left and is refused.
    let issued = issue(&approver, &department, "松财预〔2023〕1号", "2023-01-20").await;
    assert_eq!(issued["userErrors"], json!([]), "{issued}");
    assert_eq!(issued["issue"]["documentNo"], "松财预〔2023〕1号");
    assert_eq!(issued["issue"]["issuedBy"]["username"], "approver");
    let names: Vec<&str> =
        issued["issuedProjects"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, SEED.map(|(n, _)| n));
    let again = issue(&admin, &department, "松财预〔2023〕2号", "2023-01-21").await;
    assert_eq!(codes(&again), ["INVALID_TRANSITION"], "{again}");
    assert_eq!(again["issue"], Value::Null);

    // Due twenty days after the act; long past today and not published.
    let s = submitter.data(STATUS, json!({ "c": "SJQ-XFB" })).await;
    let p = &s["department"]["publication"];
    assert_eq!((p["firstIssuedOn"].as_str(), p["dueOn"].as_str()), (Some("2023-01-20"), Some("2023-02-09")));
    assert_eq!((p["overdue"].as_bool(), p["stale"].as_bool(), p["acts"].as_i64()), (Some(true), Some(false), Some(1)));
    assert_eq!(s["department"]["approvalIssues"].as_array().unwrap().len(), 1);

    // The public page: the seed's sentence, then the five forms in its order, each with its rows.
    let html_path = "/export/publication/SJQ-XFB/2023.html";
    let (status, page) = download(&submitter, html_path).await;
    assert_eq!(status, 200);
    let page = String::from_utf8(page).unwrap();
    assert!(
        page.contains(&format!("<h2>绩效目标设置情况</h2><p>{SEED_SENTENCE}</p>")),
        "{}",
        &page[..page.len().min(2000)]
    );
    assert!(!page.contains("<script"), "no scripts");
    let sections: Vec<&str> = page.split("<section>").skip(1).collect();
    assert_eq!(sections.len(), 5);
    for (section, (name, rows)) in sections.iter().zip(SEED) {
        assert!(section.contains(&format!("<h2>项目经费情况说明 ")) && section.contains(name), "{name}");
        let indicators = section.split("<th>指标值</th></tr>").nth(1).unwrap().split("</table>").next().unwrap();
        assert_eq!(indicators.matches("<tr>").count(), rows, "{name}'s indicator rows");
    }
    assert!(
        page.contains("<td class=\"money\">2371500.00</td><td>松财预〔2023〕1号</td>"),
        "维稳工作's approved amount"
    );
    let (status, xlsx) = download(&submitter, "/export/publication/SJQ-XFB/2023.xlsx").await;
    assert_eq!(status, 200);
    let (sheets, cells) = workbook_texts(&xlsx);
    assert_eq!(sheets, ["绩效目标设置情况", "项目1", "项目2", "项目3", "项目4", "项目5"]);
    assert!(cells.iter().any(|c| c == SEED_SENTENCE), "the workbook's paragraph");

    // Nothing internal in either file: statuses, findings, the remark, grades, approvers'
    // names and comments, the indicators' notes, ids.
    let mut internal: Vec<String> = vec![
        remark.into(),
        "同意立项（内部意见甲）".into(),
        "同意（内部意见乙）".into(),
        "审核员王五".into(),
        "wangwu".into(),
        "approver".into(),
        "APPROVED".into(),
        "已审核通过".into(),
        "EXCELLENT".into(),
        "状态".into(),
    ];
    for id in &ids {
        let p = submitter
            .data(
                "query($id: ID!) { project(id: $id) { id status indicators { id note } findings { code message }
                    reviews { comment grade actor { username displayName } } remarks { text } } }",
                json!({ "id": id }),
            )
            .await;
        let project = &p["project"];
        internal.push(project["id"].as_str().unwrap().into());
        for i in project["indicators"].as_array().unwrap() {
            internal.push(i["id"].as_str().unwrap().into());
            if let Some(note) = i["note"].as_str() {
                internal.push(note.into());
            }
        }
        for f in project["findings"].as_array().unwrap() {
            internal.push(f["code"].as_str().unwrap().into());
            internal.push(f["message"].as_str().unwrap().into());
        }
        for r in project["reviews"].as_array().unwrap() {
            for text in [&r["comment"], &r["grade"], &r["actor"]["username"], &r["actor"]["displayName"]] {
                if let Some(text) = text.as_str().filter(|t| t.chars().count() > 1) {
                    internal.push(text.into());
                }
            }
        }
    }
    assert!(internal.iter().any(|v| v.contains("维稳") || v.len() > 10), "the seed's findings were read");
    let xlsx_text = cells.join("\n");
    for value in &internal {
        assert!(!page.contains(value.as_str()), "the public page shows {value:?}");
        assert!(!xlsx_text.contains(value.as_str()), "the public workbook shows {value:?}");
    }

    // Before publication: another department and the auditor may not read it; the department
    // reviewer of the department may. Only the department's submitters record the publication.
    let (_, _) = other_department(&admin).await;
    add_user(&world.db.url, "other", "SUBMITTER", Some("OTHER")).await;
    add_user(&world.db.url, "auditor", "SECURITY_AUDITOR", None).await;
    add_user(&world.db.url, "reviewer", "DEPARTMENT_REVIEWER", Some("SJQ-XFB")).await;
    let (other, auditor, reviewer) =
        (world.login("other").await, world.login("auditor").await, world.login("reviewer").await);
    assert_eq!(download(&other, html_path).await.0, 403);
    assert_eq!(download(&auditor, html_path).await.0, 403);
    assert_eq!(download(&reviewer, html_path).await.0, 200);
    assert_eq!(download(&world.anonymous(), html_path).await.0, 401);
    let theirs = other.data(STATUS, json!({ "c": "SJQ-XFB" })).await;
    assert_eq!(theirs["department"]["publication"], Value::Null, "another department's year is not theirs to follow");
    for outsider in [&approver, &admin, &reviewer, &other] {
        let r = outsider.raw(MARK, json!({ "i": { "departmentId": department, "fiscalYear": 2023, "publishedOn": "2023-02-08", "url": "https://a.cn" } })).await;
        assert!(r.contains("FORBIDDEN"), "{r}");
    }
    for (on, url, field) in [
        ("2023-01-19", "https://www.songjiang.gov.cn/xf/2023", "publishedOn"),
        ("2099-01-01", "https://www.songjiang.gov.cn/xf/2023", "publishedOn"),
        ("2023-02-08", "ftp://songjiang", "url"),
    ] {
        let r = mark(&submitter, &department, on, url).await;
        assert_eq!(r["userErrors"][0]["field"], field, "{r}");
    }
    let published = mark(&submitter, &department, "2023-02-08", "https://www.songjiang.gov.cn/xf/2023").await;
    assert_eq!(published["userErrors"], json!([]), "{published}");
    let p = &published["publication"];
    assert_eq!(
        (p["publishedOn"].as_str(), p["overdue"].as_bool(), p["stale"].as_bool()),
        (Some("2023-02-08"), Some(false), Some(false))
    );
    assert_eq!(p["htmlPath"], html_path);
    // Published: anyone signed in reads it.
    assert_eq!(download(&other, html_path).await.0, 200);
    assert_eq!(download(&auditor, html_path).await.0, 200);
    // The bureau's view of the year.
    let all = approver
        .data("{ publications(fiscalYear: 2023) { department { code } publishedOn overdue } }", json!({}))
        .await;
    assert_eq!(
        all["publications"],
        json!([{ "department": { "code": "SJQ-XFB" }, "publishedOn": "2023-02-08", "overdue": false }])
    );
    let own = other.data("{ publications(fiscalYear: 2023) { department { code } } }", json!({})).await;
    assert_eq!(own["publications"], json!([]));
}

#[tokio::test]
async fn a_cut_is_approved_with_its_reason_and_the_year_is_measured_against_it() {
    let world = World::with_fixture().await;
    let (submitter, approver, admin) =
        (world.login("submitter").await, world.login("approver").await, world.login("admin").await);
    let ids = seed_ids(&submitter).await;
    let weiwen = ids[3].clone();
    for id in &ids {
        submit(&submitter, id).await;
    }
    // Above the request, zero, not money: refused. A cut without its reason: refused.
    for (amount, comment, field) in [
        ("2371500.01", Some("多批"), "approvedAmount"),
        ("0", Some("不安排"), "approvedAmount"),
        ("两百万", Some("?"), "approvedAmount"),
        ("2300000.00", None, "comment"),
    ] {
        let r = approve(&approver, &weiwen, Some(amount), comment).await;
        assert_eq!(r["userErrors"][0]["field"], field, "{amount}: {r}");
        assert_eq!(r["project"], Value::Null);
    }
    let r = approver.with_language("en").data(APPROVE, json!({ "id": weiwen, "amount": "2300000.00" })).await;
    assert_eq!(r["approveProject"]["userErrors"][0]["message"], "a cut of 71500.00 needs its reason in the comment");
    let cut = approve(&approver, &weiwen, Some("2300000.00"), Some("压减会务费 71,500 元")).await;
    assert_eq!(cut["userErrors"], json!([]), "{cut}");
    let twice = approve(&approver, &weiwen, Some("9999999.00"), None).await;
    assert_eq!(codes(&twice), ["INVALID_TRANSITION"], "approved already, whatever amount is sent: {twice}");
    assert_eq!(
        (cut["project"]["approvedAmount"].as_str(), cut["project"]["cut"].as_str()),
        (Some("2300000.00"), Some("71500.00"))
    );
    // The others in one bulk approval, one of them cut as well, then restored by its own amount.
    let bulk = "mutation($i: ApproveProjectsInput!) { approveProjects(input: $i) {
        results { project { name approvedAmount } userErrors { field code } } userErrors { field code } } }";
    let over = approver
        .data(
            bulk,
            json!({ "i": { "ids": [ids[0]], "approvedAmounts": [{ "id": ids[0], "approvedAmount": "100000.01" }] } }),
        )
        .await;
    assert_eq!(over["approveProjects"]["results"][0]["userErrors"][0]["field"], "approvedAmount");
    let stranger = approver
        .data(
            bulk,
            json!({ "i": { "ids": [ids[0]], "approvedAmounts": [{ "id": ids[1], "approvedAmount": "1.00" }] } }),
        )
        .await;
    assert_eq!(stranger["approveProjects"]["userErrors"][0]["field"], "approvedAmounts[0]", "{stranger}");
    let rest = approver
        .data(
            bulk,
            json!({ "i": { "ids": [ids[0], ids[1], ids[2], ids[4]], "comment": "同意",
            "approvedAmounts": [{ "id": ids[1], "approvedAmount": "214167.00" }] } }),
        )
        .await;
    let granted: Vec<&str> = rest["approveProjects"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["project"]["approvedAmount"].as_str().unwrap())
        .collect();
    assert_eq!(granted, ["100000.00", "214167.00", "78504.00", "150000.00"]);

    // Summed beside the requests: 2,914,171.00 asked, 2,842,671.00 approved.
    let summary = approver
        .data("{ declarationSummary(fiscalYear: 2023) { totalFunds approvedFunds approvedFundsWanYuan } }", json!({}))
        .await;
    assert_eq!(
        summary["declarationSummary"],
        json!({ "totalFunds": "2914171.00", "approvedFunds": "2842671.00", "approvedFundsWanYuan": "284.27" })
    );
    let department = department_id(&submitter).await;
    let issued = issue(&approver, &department, "松财预〔2023〕7号", "2023-01-20").await;
    assert_eq!(issued["issuedProjects"].as_array().unwrap().len(), 5);
    let (_, page) = download(&submitter, "/export/publication/SJQ-XFB/2023.html").await;
    let page = String::from_utf8(page).unwrap();
    assert!(
        page.contains("编报绩效目标的项目 5 个，涉及项目预算资金 284.27 万元。"),
        "the approved amounts, not the requests"
    );

    // Monitoring measures against the approved amount.
    let round = admin
        .data(
            "mutation { openMonitoringRound(input: { fiscalYear: 2023, name: \"1-7月\", asOf: \"2023-07-31\", dueDate: \"2023-08-15\" }) { round { id } userErrors { code } } }",
            json!({}),
        )
        .await;
    assert_eq!(round["openMonitoringRound"]["userErrors"], json!([]), "{round}");
    let reports = submitter
        .data(
            "query($p: ID!) { project(id: $p) { monitoringReports { id version annualRequest approvedAmount } } }",
            json!({ "p": weiwen }),
        )
        .await;
    let report = reports["project"]["monitoringReports"][0].clone();
    assert_eq!(
        (report["annualRequest"].as_str(), report["approvedAmount"].as_str()),
        (Some("2371500.00"), Some("2300000.00"))
    );
    let fill = "mutation($i: UpdateMonitoringReportInput!) { updateMonitoringReport(input: $i) {
        report { executionRate approvedAmount } userErrors { field code } } }";
    let filled = submitter
        .data(fill, json!({ "i": { "id": report["id"], "expectedVersion": report["version"], "budgetExecuted": "1150000.00" } }))
        .await;
    assert_eq!(
        filled["updateMonitoringReport"]["report"]["executionRate"], "50.00",
        "1,150,000 of 2,300,000: {filled}"
    );

    // The self-evaluation scores the execution against it: 2,185,000.00 of 2,300,000.00 is 95.00%.
    let started = submitter
        .data(
            "mutation($p: ID!) { startSelfEvaluation(input: { projectId: $p }) { selfEvaluation { id version approvedAmount } userErrors { code } } }",
            json!({ "p": weiwen }),
        )
        .await;
    let e = started["startSelfEvaluation"]["selfEvaluation"].clone();
    assert_eq!(e["approvedAmount"], "2300000.00");
    let update = "mutation($i: UpdateSelfEvaluationInput!) { updateSelfEvaluation(input: $i) {
        selfEvaluation { executionRate executionScore } userErrors { field code } } }";
    let over = submitter
        .data(
            update,
            json!({ "i": { "id": e["id"], "expectedVersion": e["version"], "budgetExecuted": "2300000.01" } }),
        )
        .await;
    assert_eq!(over["updateSelfEvaluation"]["userErrors"][0]["field"], "budgetExecuted", "more than approved");
    let scored = submitter
        .data(
            update,
            json!({ "i": { "id": e["id"], "expectedVersion": e["version"], "budgetExecuted": "2185000.00" } }),
        )
        .await;
    let s = &scored["updateSelfEvaluation"]["selfEvaluation"];
    assert_eq!(s["executionRate"], "95.00", "{scored}");
    assert_eq!(s["executionScore"], "9.50", "10 points × 95%");
}

#[tokio::test]
async fn acts_issue_what_is_approved_once_and_the_publication_knows_what_changed() {
    let world = World::with_fixture().await;
    let (submitter, approver) = (world.login("submitter").await, world.login("approver").await);
    let ids = seed_ids(&submitter).await;
    let department = department_id(&submitter).await;
    // Nothing approved: nothing to issue. Only the bureau issues.
    let none = issue(&approver, &department, "松财预〔2023〕1号", "2023-01-20").await;
    assert_eq!(codes(&none), ["INVALID_TRANSITION"]);
    let r = submitter
        .raw(ISSUE, json!({ "i": { "departmentId": department, "fiscalYear": 2023, "documentNo": "x号", "issuedOn": "2023-01-20" } }))
        .await;
    assert!(r.contains("FORBIDDEN"), "{r}");
    for (doc, on, field) in [("  ", "2023-01-20", "documentNo"), ("松财预〔2023〕1号", "2030-01-01", "issuedOn")]
    {
        let bad = issue(&approver, &department, doc, on).await;
        assert_eq!(bad["userErrors"][0]["field"], field, "{bad}");
    }

    // Two approved, one still in review: the act issues the two and names the third.
    for id in &ids[..3] {
        submit(&submitter, id).await;
    }
    for id in &ids[..2] {
        approve(&approver, id, None, None).await;
    }
    // Two acts at once: the projects go out under exactly one of them.
    let (a, b) = tokio::join!(
        issue(&approver, &department, "松财预〔2023〕1号", "2023-01-20"),
        issue(&approver, &department, "松财预〔2023〕2号", "2023-01-20")
    );
    let (won, lost) = if a["issue"].is_object() { (a, b) } else { (b, a) };
    assert_eq!(won["issuedProjects"].as_array().unwrap().len(), 2, "{won}");
    assert_eq!(codes(&won), ["INVALID_TRANSITION"], "the project in review is named: {won}");
    assert!(won["userErrors"][0]["message"].as_str().unwrap().contains(SEED[2].0));
    assert_eq!(lost["issue"], Value::Null, "{lost}");
    assert_eq!(codes(&lost)[0], "INVALID_TRANSITION");

    // Approved after the act: it goes out with the next. The unit's screens hear each step.
    let events = "subscription { projectEvents { action projectId } }";
    let mut heard = Subscriber::subscribed(&world.server.base_url, submitter.token(), "1", events).await;
    approve(&approver, &ids[2], None, None).await;
    let next = issue(&approver, &department, "松财预〔2023〕3号", "2023-03-01").await;
    let names: Vec<&str> =
        next["issuedProjects"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, [SEED[2].0]);
    let p = submitter
        .data("query($id: ID!) { project(id: $id) { issue { documentNo issuedOn } } }", json!({ "id": ids[2] }))
        .await;
    assert_eq!(p["project"]["issue"], json!({ "documentNo": "松财预〔2023〕3号", "issuedOn": "2023-03-01" }));
    let s = submitter.data(STATUS, json!({ "c": "SJQ-XFB" })).await;
    assert_eq!(s["department"]["publication"]["dueOn"], "2023-02-09", "twenty days from the first act");
    assert_eq!(s["department"]["publication"]["acts"], 2);

    // Published, then an adjustment approved: the publication is stale until published again.
    let published = mark(&submitter, &department, "2023-03-05", "https://www.songjiang.gov.cn/xf/2023").await;
    let mut got = Vec::new();
    while got.len() < 5 {
        let event = heard.event(NOTIFIED_WITHIN).await.unwrap_or_else(|| panic!("events so far: {got:?}"));
        let e = &event["projectEvents"];
        got.push((e["action"].as_str().unwrap().to_string(), e["projectId"].as_str().unwrap().to_string()));
    }
    assert_eq!(got[..2], [("APPROVE".to_string(), ids[2].clone()), ("ISSUE".to_string(), ids[2].clone())]);
    let mut published_ids: Vec<&str> = got[2..]
        .iter()
        .map(|(action, id)| {
            assert_eq!(action, "PUBLISH");
            id.as_str()
        })
        .collect();
    published_ids.sort_unstable();
    let mut issued_ids: Vec<&str> = ids[..3].iter().map(String::as_str).collect();
    issued_ids.sort_unstable();
    assert_eq!(published_ids, issued_ids, "one PUBLISH per issued project");
    assert_eq!(
        (published["publication"]["overdue"].as_bool(), published["publication"]["stale"].as_bool()),
        (Some(true), Some(false)),
        "published after its due date"
    );
    let v = submitter.data("query($id: ID!) { project(id: $id) { version } }", json!({ "id": ids[0] })).await;
    let adjust = "mutation($i: StartAdjustmentInput!) { startAdjustment(input: $i) { userErrors { code } } }";
    submitter
        .data(
            adjust,
            json!({ "i": { "id": ids[0], "expectedVersion": v["project"]["version"], "reason": "年中调整" } }),
        )
        .await;
    submit(&submitter, &ids[0]).await;
    let adjusted = approve(&approver, &ids[0], Some("90000.00"), Some("调整后压减")).await;
    assert_eq!(
        adjusted["project"]["approvedAmount"], "90000.00",
        "an adjustment's approval changes the amount: {adjusted}"
    );
    let s = submitter.data(STATUS, json!({ "c": "SJQ-XFB" })).await;
    assert_eq!(s["department"]["publication"]["stale"], true);
    let (_, page) = download(&submitter, "/export/publication/SJQ-XFB/2023.html").await;
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("<td class=\"money\">90000.00</td>"), "the public table shows what is in force now");
    assert!(page.contains("编报绩效目标的项目 3 个"), "the three issued projects");
    let again = mark(&submitter, &department, "2023-07-01", "https://www.songjiang.gov.cn/xf/2023-2").await;
    assert_eq!(
        (again["publication"]["stale"].as_bool(), again["publication"]["url"].as_str()),
        (Some(false), Some("https://www.songjiang.gov.cn/xf/2023-2"))
    );
}

/// The department's overall goals are published with its projects once approved (the goals in
/// force, never a form still in review), on the page and in the workbook.
#[tokio::test]
async fn the_departments_overall_goals_in_force_are_published_with_its_projects() {
    let world = World::with_fixture().await;
    let (submitter, approver) = (world.login("submitter").await, world.login("approver").await);
    let ids = seed_ids(&submitter).await;
    let department = department_id(&submitter).await;
    for id in &ids {
        submit(&submitter, id).await;
        assert_eq!(approve(&approver, id, None, None).await["userErrors"], json!([]));
    }
    assert_eq!(issue(&approver, &department, "松财预〔2023〕1号", "2023-01-20").await["userErrors"], json!([]));
    let row = |l1: &str, l2: &str, name: &str, target: &str| json!({ "indicator": { "level1": l1, "level2": l2, "name": name, "target": target, "measures": [0] } });
    let input = json!({
        "departmentId": department, "fiscalYear": 2023, "functions": "负责全区信访工作",
        "overallGoal": "化解信访矛盾，提升信访信息化水平",
        "tasks": [{ "name": "信访工作", "description": "受理、交办、督查", "projectIds": ids }],
        "incomeFiscal": "2914171.00",
        "indicators": [row("OUTPUT", "QUANTITY", "化解信访矛盾件数", "≥100件"),
                       row("BENEFIT", "SOCIAL_BENEFIT", "信访事项按期办结率", "≥95%"),
                       row("SATISFACTION", "SERVICE_SATISFACTION", "信访群众满意度", "≥90%")],
    });
    let step = "mutation($i: DepartmentGoalsStepInput!) { stepDepartmentGoals(input: $i) { departmentGoals { id version status } userErrors { code message } } }";
    let r = submitter
        .data(
            "mutation($i: SaveDepartmentGoalsInput!) { saveDepartmentGoals(input: $i) { departmentGoals { id version } userErrors { code message } } }",
            json!({ "i": input }),
        )
        .await;
    let goals = r["saveDepartmentGoals"]["departmentGoals"].clone();
    let r = submitter
        .data(step, json!({ "i": { "id": goals["id"], "action": "SUBMIT", "expectedVersion": goals["version"] } }))
        .await;
    let goals = r["stepDepartmentGoals"]["departmentGoals"].clone();
    assert_eq!(goals["status"], "SUBMITTED", "{r}");
    let html_path = "/export/publication/SJQ-XFB/2023.html";
    let page = String::from_utf8(download(&submitter, html_path).await.1).unwrap();
    assert!(!page.contains("部门整体绩效目标"), "a form in review is not published");
    let r = approver
        .data(step, json!({ "i": { "id": goals["id"], "action": "APPROVE", "expectedVersion": goals["version"] } }))
        .await;
    assert_eq!(r["stepDepartmentGoals"]["departmentGoals"]["status"], "APPROVED", "{r}");

    let page = String::from_utf8(download(&submitter, html_path).await.1).unwrap();
    let goals_part = page.split("<h2>部门整体绩效目标</h2>").nth(1).expect("the goals on the page");
    assert!(goals_part.contains("化解信访矛盾，提升信访信息化水平"), "{goals_part}");
    assert!(goals_part.contains("<td>信访工作</td><td>受理、交办、督查</td>"), "{goals_part}");
    let rows = goals_part.split("<th>指标值</th></tr>").nth(1).unwrap().split("</table>").next().unwrap();
    assert_eq!(rows.matches("<tr>").count(), 3, "{rows}");
    assert!(rows.contains("<td>信访群众满意度</td><td>≥90%</td>"), "{rows}");
    assert!(goals_part.contains("负责全区信访工作"), "部门职能: {goals_part}");
    let (status, xlsx) = download(&submitter, "/export/publication/SJQ-XFB/2023.xlsx").await;
    assert_eq!(status, 200);
    let (sheets, cells) = workbook_texts(&xlsx);
    assert_eq!(sheets.last().map(String::as_str), Some("部门整体绩效目标"), "{sheets:?}");
    assert!(cells.iter().any(|c| c == "化解信访矛盾，提升信访信息化水平"));
    assert!(cells.iter().any(|c| c == "信访群众满意度"));
}
