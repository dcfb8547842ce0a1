//! 待办 and deadlines end to end on PostgreSQL: the seed's year from its declaration to an overdue
//! review (the issue's example), each form waiting for whom it should with its deadline, and
//! `todoEvents` telling an open screen what arrived, what was done and what became overdue. The
//! service's clock is a file the test writes (`JIXIAO_CLOCK_FILE`): no test waits for a real day.

use std::time::Duration;

use calamine::{Reader, Xlsx};
use jixiao_tests::ws::Subscriber;
use jixiao_tests::{Client, World, add_user, fill_report_whole};
use serde_json::{Value, json};

const SET_DEADLINE: &str = "mutation($i: SetDeadlineInput!) { setDeadline(input: $i) {
    deadlines { stage dueOn department { code } } userErrors { field code message } } }";
const COUNTS: &str = "{ todoCounts { total overdue byKind { kind count overdue } } }";
const LIST: &str = "query($a: String, $n: Int) { todo(first: $n, after: $a) {
    edges { cursor node { id kind stage subjectId fiscalYear deadline overdue reason openRemarks assigned
        project { name } department { code } } }
    pageInfo { hasNextPage endCursor } } }";
const EVENTS: &str =
    "subscription { todoEvents { action itemId item { kind deadline overdue reason project { name } } } }";
/// How long an event may take: a burst is gathered for 100 ms and a test clock read every 200 ms;
/// the rest is a busy machine's slack.
const WITHIN: Duration = Duration::from_secs(10);

/// A clock file the service reads for what is due.
struct TestClock(std::path::PathBuf);

impl TestClock {
    fn at(time: &str) -> TestClock {
        let path = std::env::temp_dir().join(format!("jixiao-todo-clock-{}-{}", std::process::id(), rand_suffix()));
        let clock = TestClock(path);
        clock.set(time);
        clock
    }
    fn set(&self, time: &str) {
        // Written whole and renamed, so that the service never reads half a time.
        let part = self.0.with_extension("part");
        std::fs::write(&part, time).unwrap();
        std::fs::rename(&part, &self.0).unwrap();
    }
    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TestClock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    h.finish()
}

async fn counts(client: &Client) -> Value {
    client.data(COUNTS, json!({})).await["todoCounts"].clone()
}

fn count_of(counts: &Value, kind: &str) -> (i64, i64) {
    let row = counts["byKind"].as_array().unwrap().iter().find(|k| k["kind"] == kind);
    row.map_or((0, 0), |k| (k["count"].as_i64().unwrap(), k["overdue"].as_i64().unwrap()))
}

/// The whole list, a page of `n` at a time.
async fn list(client: &Client, n: i64) -> Vec<Value> {
    let mut items = Vec::new();
    let mut after = Value::Null;
    loop {
        let r = client.data(LIST, json!({ "a": after, "n": n })).await;
        let page = &r["todo"];
        items.extend(page["edges"].as_array().unwrap().iter().map(|e| e["node"].clone()));
        if page["pageInfo"]["hasNextPage"] != true {
            return items;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

async fn project_ids(client: &Client) -> Vec<(String, String)> {
    let r = client.data("{ projects(first: 100) { nodes { id name } } }", json!({})).await;
    r["projects"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_string(), p["id"].as_str().unwrap().to_string()))
        .collect()
}

async fn step(client: &Client, op: &str, id: &str, extra: &str) {
    let q =
        format!("mutation($id: ID!) {{ {op}(id: $id{extra}) {{ project {{ status }} userErrors {{ message }} }} }}");
    let r = client.data(&q, json!({ "id": id })).await;
    assert_eq!(r[op]["userErrors"], json!([]), "{op}: {r}");
}

/// The next `n` events of a subscriber, as (action, kind, project name).
async fn events(sub: &mut Subscriber, n: usize) -> Vec<(String, String, String)> {
    let mut got = Vec::new();
    for _ in 0..n {
        let e = sub.event(WITHIN).await.unwrap_or_else(|| panic!("only {got:?} of {n} events came"));
        let e = &e["todoEvents"];
        got.push((
            e["action"].as_str().unwrap().to_string(),
            e["item"]["kind"].as_str().unwrap_or("").to_string(),
            e["item"]["project"]["name"].as_str().unwrap_or("").to_string(),
        ));
    }
    got.sort();
    got
}

#[tokio::test]
async fn the_seed_s_year_from_declaration_to_an_overdue_review() {
    let clock = TestClock::at("2022-10-20T09:00:00+08:00");
    let world = World::with_fixture_and(&[("JIXIAO_CLOCK_FILE", clock.path())]).await;
    let (submitter, approver, admin) =
        (world.login("submitter").await, world.login("approver").await, world.login("admin").await);

    // The bureau sets the year's deadlines; a department cannot, and the other stages come with
    // their rounds, items and acts.
    for (stage, due) in [("DECLARATION", "2022-10-31"), ("BUREAU_REVIEW", "2022-11-30")] {
        let r = approver.data(SET_DEADLINE, json!({ "i": { "fiscalYear": 2023, "stage": stage, "dueOn": due } })).await;
        assert_eq!(r["setDeadline"]["userErrors"], json!([]), "{r}");
    }
    let refused = submitter
        .gql(SET_DEADLINE, json!({ "i": { "fiscalYear": 2023, "stage": "DECLARATION", "dueOn": "2022-11-30" } }))
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN", "{refused}");
    let r = admin
        .data(SET_DEADLINE, json!({ "i": { "fiscalYear": 2023, "stage": "MONITORING", "dueOn": "2023-08-15" } }))
        .await;
    assert_eq!(r["setDeadline"]["userErrors"][0]["field"], "stage", "{r}");
    let r = admin
        .data(SET_DEADLINE, json!({ "i": { "fiscalYear": 2023, "stage": "DECLARATION", "dueOn": "2021-10-31" } }))
        .await;
    assert_eq!(r["setDeadline"]["userErrors"][0]["field"], "dueOn", "{r}");

    // Imported as drafts on 2022-10-20: five to fill by 2022-10-31, none late; nothing for the bureau.
    let c = counts(&submitter).await;
    assert_eq!((c["total"].as_i64(), c["overdue"].as_i64()), (Some(5), Some(0)), "{c}");
    assert_eq!(count_of(&c, "FILL_DECLARATION"), (5, 0));
    assert_eq!(counts(&approver).await["total"], 0);
    assert_eq!(counts(&admin).await, json!({ "total": 0, "overdue": 0, "byKind": [] }));
    // Read two at a time, the list is whole, once each, in its order.
    let items = list(&submitter, 2).await;
    assert_eq!(items.len(), 5);
    let mut subjects: Vec<&str> = items.iter().map(|i| i["subjectId"].as_str().unwrap()).collect();
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), 5, "no item twice across pages");
    for i in &items {
        assert_eq!(
            (&i["kind"], &i["stage"], &i["deadline"], &i["overdue"], &i["fiscalYear"]),
            (&json!("FILL_DECLARATION"), &json!("DECLARATION"), &json!("2022-10-31"), &json!(false), &json!(2023)),
            "{i}"
        );
        assert_eq!(i["department"]["code"], "SJQ-XFB");
    }

    // Both screens open; the server has their lists before anything happens.
    let base = &world.server.base_url;
    let mut unit_screen = Subscriber::subscribed(base, submitter.token(), "s", EVENTS).await;
    let mut bureau_screen = Subscriber::subscribed(base, approver.token(), "a", EVENTS).await;

    // All five submitted: the unit's items are done, the bureau has five to review by 11-30.
    let projects = project_ids(&submitter).await;
    for (_, id) in &projects {
        step(&submitter, "submitProject", id, "").await;
    }
    let done = events(&mut unit_screen, 5).await;
    assert!(done.iter().all(|(action, _, _)| action == "DONE"), "{done:?}");
    let arrived = events(&mut bureau_screen, 5).await;
    assert!(arrived.iter().all(|(a, k, _)| a == "ARRIVED" && k == "BUREAU_REVIEW"), "{arrived:?}");
    assert_eq!(counts(&submitter).await["total"], 0);
    let review = list(&approver, 100).await;
    assert_eq!(review.len(), 5);
    assert!(
        review.iter().all(|i| i["kind"] == "BUREAU_REVIEW" && i["deadline"] == "2022-11-30" && i["assigned"] == true)
    );

    // 课题与规划 sent back with a reason: the unit has one return to answer, carrying the reason.
    let sent_back = &projects.iter().find(|(name, _)| name == "课题与规划").unwrap().1;
    step(&approver, "rejectProject", sent_back, ", reason: \"请补充测算依据\"").await;
    assert_eq!(events(&mut unit_screen, 1).await, [("ARRIVED".into(), "ANSWER_RETURN".into(), "课题与规划".into())]);
    assert_eq!(events(&mut bureau_screen, 1).await, [("DONE".into(), "".into(), "".into())]);
    let mine = list(&submitter, 20).await;
    assert_eq!(mine.len(), 1);
    assert_eq!((&mine[0]["kind"], &mine[0]["reason"]), (&json!("ANSWER_RETURN"), &json!("请补充测算依据")));

    // 2022-12-01, four still unreviewed: overdue for the approver (told once each), and in the
    // bureau's summary; the return waits with no deadline of its own.
    clock.set("2022-12-01T09:00:00+08:00");
    let late = events(&mut bureau_screen, 4).await;
    assert!(late.iter().all(|(a, k, _)| a == "OVERDUE" && k == "BUREAU_REVIEW"), "{late:?}");
    assert!(bureau_screen.next(Duration::from_millis(800)).await.is_none(), "an overdue item is told once");
    let c = counts(&approver).await;
    assert_eq!((c["total"].as_i64(), c["overdue"].as_i64()), (Some(4), Some(4)), "{c}");
    // The same rule filters projects: the four late reviews, and the return, which is not late.
    let late = "query($o: Boolean) { projects(filter: { overdue: $o }, first: 100) { totalCount } }";
    assert_eq!(approver.data(late, json!({ "o": true })).await["projects"]["totalCount"], 4);
    assert_eq!(approver.data(late, json!({ "o": false })).await["projects"]["totalCount"], 1);
    assert_eq!(counts(&submitter).await["overdue"], 0);
    let summary = "{ overdueSummary(fiscalYear: 2023) { department { code } stage count } }";
    assert_eq!(
        approver.data(summary, json!({})).await["overdueSummary"],
        json!([{ "department": { "code": "SJQ-XFB" }, "stage": "BUREAU_REVIEW", "count": 4 }])
    );
    // The department's book says so too, per stage.
    let (status, bytes) = approver.download("/export/declarations/SJQ-XFB/2023.xlsx").await;
    assert_eq!(status, 200);
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range("逾期情况").unwrap();
    assert_eq!(sheet.get_value((0, 0)).unwrap().to_string(), "逾期情况（截至 2022-12-01）");
    let rows: Vec<(String, String)> = (2..9)
        .map(|r| (sheet.get_value((r, 0)).unwrap().to_string(), sheet.get_value((r, 1)).unwrap().to_string()))
        .collect();
    assert!(rows.contains(&("财政审核".to_string(), "4".to_string())), "{rows:?}");
    assert_eq!(rows.iter().filter(|(_, n)| n == "0").count(), 6, "{rows:?}");
    // One day more for this department: its extension comes before the general deadline.
    let department =
        admin.data("{ department(code: \"SJQ-XFB\") { id } }", json!({})).await["department"]["id"].clone();
    let r = approver
        .data(
            SET_DEADLINE,
            json!({ "i": { "fiscalYear": 2023, "stage": "BUREAU_REVIEW", "departmentId": department, "dueOn": "2022-12-01" } }),
        )
        .await;
    assert_eq!(r["setDeadline"]["userErrors"], json!([]), "{r}");
    assert_eq!(counts(&approver).await["overdue"], 0);
    assert!(list(&approver, 100).await.iter().all(|i| i["deadline"] == "2022-12-01" && i["overdue"] == false));
    assert_eq!(approver.data(summary, json!({})).await["overdueSummary"], json!([]));
    // The department sees its extension; every change is kept with who and when.
    let d = submitter.data("{ deadlines(fiscalYear: 2023) { stage dueOn department { code } } }", json!({})).await;
    assert_eq!(
        d["deadlines"],
        json!([
            { "stage": "DECLARATION", "dueOn": "2022-10-31", "department": null },
            { "stage": "BUREAU_REVIEW", "dueOn": "2022-11-30", "department": null },
            { "stage": "BUREAU_REVIEW", "dueOn": "2022-12-01", "department": { "code": "SJQ-XFB" } },
        ])
    );
    let changes = admin
        .data(
            "{ deadlineChanges(fiscalYear: 2023) { stage dueBefore dueAfter changedBy { username } changedAt } }",
            json!({}),
        )
        .await;
    let changes = changes["deadlineChanges"].as_array().unwrap();
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert_eq!((&changes[2]["dueBefore"], &changes[2]["dueAfter"]), (&Value::Null, &json!("2022-12-01")));
    assert_eq!(changes[2]["changedBy"]["username"], "approver");
    // The next day the extension has passed too.
    clock.set("2022-12-02T00:00:01+08:00");
    assert_eq!(counts(&approver).await["overdue"], 4);
}

#[tokio::test]
async fn each_form_waits_for_whom_it_should_with_its_deadline() {
    let clock = TestClock::at("2023-01-10T09:00:00+08:00");
    let world = World::with_fixture_and(&[("JIXIAO_CLOCK_FILE", clock.path())]).await;
    add_user(&world.db.url, "reviewer", "DEPARTMENT_REVIEWER", Some("SJQ-XFB")).await;
    let (submitter, approver, admin, reviewer) = (
        world.login("submitter").await,
        world.login("approver").await,
        world.login("admin").await,
        world.login("reviewer").await,
    );
    let r = approver
        .data(SET_DEADLINE, json!({ "i": { "fiscalYear": 2023, "stage": "DEPARTMENT_REVIEW", "dueOn": "2022-11-15" } }))
        .await;
    assert_eq!(r["setDeadline"]["userErrors"], json!([]));
    let projects = project_ids(&submitter).await;
    let id_of = |name: &str| projects.iter().find(|(n, _)| n == name).unwrap().1.clone();
    let (first, second) = (id_of("维稳工作"), id_of("宣传与推广"));

    // With a department reviewer, a submitted declaration waits for the reviewer first (overdue
    // since 11-15), not for the bureau; passed on, it waits for the bureau.
    step(&submitter, "submitProject", &first, "").await;
    let items = list(&reviewer, 20).await;
    assert_eq!(items.len(), 1);
    assert_eq!((&items[0]["kind"], &items[0]["overdue"]), (&json!("DEPARTMENT_REVIEW"), &json!(true)));
    assert_eq!(counts(&approver).await["total"], 0);
    step(&reviewer, "forwardProject", &first, "").await;
    assert_eq!(counts(&reviewer).await["total"], 0);
    assert_eq!(count_of(&counts(&approver).await, "BUREAU_REVIEW"), (1, 0), "no bureau deadline set");

    // Remarks of the bureau, then sent back: the unit answers the return and the remarks.
    let remark = "mutation($i: AddReviewRemarkInput!) { addReviewRemark(input: $i) { userErrors { message } } }";
    for text in ["测算依据不足", "指标不够量化"] {
        let r =
            approver.data(remark, json!({ "i": { "projectId": first, "field": "funds.total", "text": text } })).await;
        assert_eq!(r["addReviewRemark"]["userErrors"], json!([]), "{r}");
    }
    step(&approver, "rejectProject", &first, ", reason: \"请按意见修改\"").await;
    let c = counts(&submitter).await;
    assert_eq!(count_of(&c, "ANSWER_RETURN"), (1, 0));
    assert_eq!(count_of(&c, "ANSWER_REMARKS"), (1, 0));
    let remarks = list(&submitter, 20).await.into_iter().find(|i| i["kind"] == "ANSWER_REMARKS").unwrap();
    assert_eq!(remarks["openRemarks"], 2);

    // Approved and issued: the department publishes within 20 days of the act.
    step(&submitter, "submitProject", &second, "").await;
    step(&reviewer, "forwardProject", &second, "").await;
    step(&approver, "approveProject", &second, "").await;
    let department =
        admin.data("{ department(code: \"SJQ-XFB\") { id } }", json!({})).await["department"]["id"].clone();
    let issue = "mutation($i: IssueApprovalsInput!) { issueApprovals(input: $i) { userErrors { message } } }";
    let r = approver
        .data(
            issue,
            json!({ "i": { "departmentId": department, "fiscalYear": 2023, "documentNo": "松财预〔2023〕1号", "issuedOn": "2023-01-05" } }),
        )
        .await;
    assert_eq!(r["issueApprovals"]["userErrors"], json!([]), "{r}");
    let publish = list(&submitter, 20).await.into_iter().find(|i| i["kind"] == "PUBLISH").expect("a year to publish");
    assert_eq!(
        (&publish["deadline"], &publish["overdue"], &publish["subjectId"]),
        (&json!("2023-01-25"), &json!(false), &Value::Null)
    );
    clock.set("2023-01-26T09:00:00+08:00");
    assert_eq!(count_of(&counts(&submitter).await, "PUBLISH"), (1, 1));
    let mark = "mutation($i: MarkPublishedInput!) { markPublished(input: $i) { userErrors { message } } }";
    let r = submitter
        .data(
            mark,
            json!({ "i": { "departmentId": department, "fiscalYear": 2023, "publishedOn": "2023-01-26", "url": "https://www.songjiang.gov.cn/p" } }),
        )
        .await;
    assert_eq!(r["markPublished"]["userErrors"], json!([]), "{r}");
    assert_eq!(count_of(&counts(&submitter).await, "PUBLISH"), (0, 0));

    // A monitoring round: its reports wait for the unit by the round's due date; submitted, for
    // the bureau; returned, for the unit again with the reason.
    let open = "mutation($i: OpenMonitoringRoundInput!) { openMonitoringRound(input: $i) { round { id } userErrors { message } } }";
    let r = admin
        .data(open, json!({ "i": { "fiscalYear": 2023, "name": "2023年1-7月", "asOf": "2023-07-31", "dueDate": "2023-08-15" } }))
        .await;
    assert_eq!(r["openMonitoringRound"]["userErrors"], json!([]), "{r}");
    let round = r["openMonitoringRound"]["round"]["id"].clone();
    let fill = list(&submitter, 20).await.into_iter().find(|i| i["kind"] == "FILL_MONITORING_REPORT").unwrap();
    assert_eq!((&fill["deadline"], &fill["project"]["name"]), (&json!("2023-08-15"), &json!("宣传与推广")));
    let report = submitter
        .data(
            "query($id: ID!) { node(id: $id) { ... on MonitoringReport { id version indicators { indicator { id } } } } }",
            json!({ "id": fill["subjectId"] }),
        )
        .await["node"]
        .clone();
    fill_report_whole(&submitter, &report).await;
    let report_step =
        |op: &str, extra: &str| format!("mutation($id: ID!) {{ {op}(id: $id{extra}) {{ userErrors {{ message }} }} }}");
    let r = submitter.data(&report_step("submitMonitoringReport", ""), json!({ "id": report["id"] })).await;
    assert_eq!(r["submitMonitoringReport"]["userErrors"], json!([]), "{r}");
    assert_eq!(count_of(&counts(&approver).await, "REVIEW_MONITORING_REPORT"), (1, 0));
    assert_eq!(count_of(&counts(&submitter).await, "FILL_MONITORING_REPORT"), (0, 0));
    let r = approver
        .data(&report_step("returnMonitoringReport", ", reason: \"执行数有误\""), json!({ "id": report["id"] }))
        .await;
    assert_eq!(r["returnMonitoringReport"]["userErrors"], json!([]), "{r}");
    let answer = list(&submitter, 20).await.into_iter().find(|i| i["kind"] == "ANSWER_MONITORING_REPORT").unwrap();
    assert_eq!((&answer["reason"], &answer["deadline"]), (&json!("执行数有误"), &json!("2023-08-15")));
    assert_eq!(count_of(&counts(&approver).await, "REVIEW_MONITORING_REPORT"), (0, 0));

    // A self-evaluation started waits for the unit by the year's self-evaluation deadline.
    let r = approver
        .data(SET_DEADLINE, json!({ "i": { "fiscalYear": 2023, "stage": "SELF_EVALUATION", "dueOn": "2024-03-31" } }))
        .await;
    assert_eq!(r["setDeadline"]["userErrors"], json!([]));
    // Setting the deadline opens the year's self-evaluation: the approved project waits to be evaluated.
    let to_start =
        list(&submitter, 20).await.into_iter().filter(|i| i["kind"] == "START_SELF_EVALUATION").collect::<Vec<_>>();
    assert_eq!(to_start.len(), 1, "{to_start:?}");
    assert_eq!((&to_start[0]["subjectId"], &to_start[0]["deadline"]), (&json!(second), &json!("2024-03-31")));
    let start = "mutation($p: ID!) { startSelfEvaluation(input: { projectId: $p }) { userErrors { message } } }";
    assert_eq!(submitter.data(start, json!({ "p": second })).await["startSelfEvaluation"]["userErrors"], json!([]));
    let after_start = list(&submitter, 20).await;
    assert!(!after_start.iter().any(|i| i["kind"] == "START_SELF_EVALUATION"), "started: no longer to start");
    let evaluation = after_start.into_iter().find(|i| i["kind"] == "FILL_SELF_EVALUATION").unwrap();
    assert_eq!((&evaluation["deadline"], &evaluation["stage"]), (&json!("2024-03-31"), &json!("SELF_EVALUATION")));

    // The reviewer of the department and the admin have nothing of the unit's; the bureau's
    // summary names each stage that is late (the department review, the monitoring report).
    assert_eq!(counts(&reviewer).await["total"], 0);
    assert_eq!(counts(&admin).await["total"], 0);
    clock.set("2023-08-16T09:00:00+08:00");
    let summary = approver.data("{ overdueSummary(fiscalYear: 2023) { stage count } }", json!({})).await;
    assert_eq!(summary["overdueSummary"], json!([{ "stage": "MONITORING", "count": 1 }]), "{summary}");
    // The round's own overdue figures count by the same clock.
    let late = "query($id: ID!) { monitoringRound(id: $id) { summary { overdue } reports(filter: { overdue: true }) { totalCount } } }";
    let late = approver.data(late, json!({ "id": round })).await;
    assert_eq!(
        late["monitoringRound"],
        json!({ "summary": { "overdue": 1 }, "reports": { "totalCount": 1 } }),
        "{late}"
    );
}

/// An approver's own departments (对口科室) come first, whatever their deadlines; an approver with
/// none has every department alike; neither sees fewer items for it.
#[tokio::test]
async fn an_approver_s_assigned_departments_come_first() {
    let clock = TestClock::at("2022-11-10T09:00:00+08:00");
    let world = World::with_fixture_and(&[("JIXIAO_CLOCK_FILE", clock.path())]).await;
    let (submitter, approver, admin) =
        (world.login("submitter").await, world.login("approver").await, world.login("admin").await);
    let (other, unit) = jixiao_tests::other_department(&admin).await;
    add_user(&world.db.url, "other-submitter", "SUBMITTER", Some("OTHER")).await;
    let other_submitter = world.login("other-submitter").await;
    let r = other_submitter
        .data(
            jixiao_tests::CREATE_PROJECT,
            json!({ "input": jixiao_tests::complete_declaration(&unit, "另一部门的项目") }),
        )
        .await;
    let theirs = r["createProject"]["project"]["id"].as_str().unwrap().to_string();
    // The seed's department's two first, then the other's: one deadline, the longest waiting first.
    for (_, id) in project_ids(&submitter).await.iter().take(2) {
        step(&submitter, "submitProject", id, "").await;
    }
    step(&other_submitter, "submitProject", &theirs, "").await;
    let r = approver
        .data(SET_DEADLINE, json!({ "i": { "fiscalYear": 2023, "stage": "BUREAU_REVIEW", "dueOn": "2022-11-30" } }))
        .await;
    assert_eq!(r["setDeadline"]["userErrors"], json!([]));
    let order = |items: &[Value]| -> Vec<(String, bool)> {
        items
            .iter()
            .map(|i| (i["department"]["code"].as_str().unwrap().to_string(), i["assigned"].as_bool().unwrap()))
            .collect()
    };
    let unassigned = list(&approver, 1).await;
    assert_eq!(
        order(&unassigned),
        [("SJQ-XFB".into(), true), ("SJQ-XFB".into(), true), ("OTHER".into(), true)],
        "without assignments, by deadline, then the longest waiting"
    );
    let me = approver.data("{ me { id } }", json!({})).await["me"]["id"].clone();
    let assign = "mutation($u: ID!, $d: ID!) { assignApprover(input: { userId: $u, departmentId: $d }) { userErrors { message } } }";
    assert_eq!(admin.data(assign, json!({ "u": me, "d": other })).await["assignApprover"]["userErrors"], json!([]));
    let assigned = list(&approver, 1).await;
    assert_eq!(
        order(&assigned),
        [("OTHER".into(), true), ("SJQ-XFB".into(), false), ("SJQ-XFB".into(), false)],
        "the assigned department first, read a page of one at a time"
    );
}

/// A department reviewer's screen hears what comes to review in its own department only; passed
/// on, the item leaves it and reaches the bureau's.
#[tokio::test]
async fn a_reviewer_s_screen_hears_its_own_department_only() {
    let clock = TestClock::at("2022-10-20T09:00:00+08:00");
    let world = World::with_fixture_and(&[("JIXIAO_CLOCK_FILE", clock.path())]).await;
    let admin = world.login("admin").await;
    jixiao_tests::other_department(&admin).await;
    add_user(&world.db.url, "reviewer", "DEPARTMENT_REVIEWER", Some("SJQ-XFB")).await;
    add_user(&world.db.url, "other-reviewer", "DEPARTMENT_REVIEWER", Some("OTHER")).await;
    let (submitter, approver, reviewer, other_reviewer) = (
        world.login("submitter").await,
        world.login("approver").await,
        world.login("reviewer").await,
        world.login("other-reviewer").await,
    );
    let base = &world.server.base_url;
    let mut own = Subscriber::subscribed(base, reviewer.token(), "r", EVENTS).await;
    let mut other = Subscriber::subscribed(base, other_reviewer.token(), "o", EVENTS).await;
    let mut bureau = Subscriber::subscribed(base, approver.token(), "a", EVENTS).await;
    let (name, id) = project_ids(&submitter).await.remove(0);
    step(&submitter, "submitProject", &id, "").await;
    assert_eq!(events(&mut own, 1).await, [("ARRIVED".into(), "DEPARTMENT_REVIEW".into(), name.clone())]);
    step(&reviewer, "forwardProject", &id, "").await;
    assert_eq!(events(&mut own, 1).await, [("DONE".into(), "".into(), "".into())]);
    assert_eq!(events(&mut bureau, 1).await, [("ARRIVED".into(), "BUREAU_REVIEW".into(), name)]);
    // The bureau's screen heard nothing while the department reviewed, the other department's
    // reviewer nothing at all (checked after the events that had to come).
    assert!(other.next(Duration::from_millis(300)).await.is_none(), "another department's reviewer hears nothing");
    assert!(bureau.next(Duration::from_millis(300)).await.is_none(), "one arrival, once");
}
