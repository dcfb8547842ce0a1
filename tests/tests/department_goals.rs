//! 部门整体绩效目标 end to end on PostgreSQL: a department declares its goals for the year on its
//! projects, the findings fire and fall silent as the form is mended, it is submitted, listed
//! for the bureau, approved (its goals in force), adjusted and the adjustment cancelled; rows
//! keep their ids; every other role gets what it may.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use jixiao_tests::client::error_code;
use jixiao_tests::{Client, World, add_user, other_department};
use serde_json::{Value, json};

const GOALS: &str = "id status version functions overallGoal
    tasks { position name description projectIds basicExpenditure projects { name } }
    personnelExpenditure publicExpenditure basicExpenditure projectExpenditureEntered
    linkedProjectExpenditure projectExpenditure totalExpenditure totalExpenditureWanYuan
    incomeFiscal incomeOther totalIncome
    indicators { rowId level1 level2 name target { text } measures }
    findings { code severity field message } findingCounts { errors warnings infos }
    reviews { action fromStatus toStatus comment actor { username } }
    inForce { overallGoal indicators { rowId name } }";

fn save_mutation() -> String {
    format!(
        "mutation($input: SaveDepartmentGoalsInput!) {{ saveDepartmentGoals(input: $input) {{ departmentGoals {{ {GOALS} }} userErrors {{ field code message }} }} }}"
    )
}

fn step_mutation() -> String {
    format!(
        "mutation($input: DepartmentGoalsStepInput!) {{ stepDepartmentGoals(input: $input) {{ departmentGoals {{ {GOALS} }} userErrors {{ field code message }} }} }}"
    )
}

struct Year {
    department: String,
    /// The seed's projects by name.
    projects: Vec<(String, String)>,
}

impl Year {
    fn id(&self, name: &str) -> &str {
        &self.projects.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no project {name}")).1
    }
}

async fn year(submitter: &Client) -> Year {
    let d = submitter
        .data("{ departments(first: 10) { nodes { id code projects(first: 50) { nodes { id name } } } } }", json!({}))
        .await;
    let dept = d["departments"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == "SJQ-XFB")
        .expect("the seed's department")
        .clone();
    let projects = dept["projects"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_string(), p["id"].as_str().unwrap().to_string()))
        .collect();
    Year { department: dept["id"].as_str().unwrap().to_string(), projects }
}

fn indicator(l1: &str, l2: &str, name: &str, target: &str, measures: &[i32]) -> Value {
    json!({ "indicator": { "level1": l1, "level2": l2, "name": name, "target": target, "measures": measures } })
}

/// The seed office's goals: four tasks over its projects (宣传与推广 left out unless `all`),
/// 5,000,000.00 of basic expenditure, an indicator per task and the levels a set needs.
fn form(y: &Year, all: bool) -> Value {
    let mut promotion = vec![];
    if all {
        promotion.push(y.id("宣传与推广"));
    }
    json!({
        "departmentId": y.department,
        "fiscalYear": 2023,
        "functions": "负责全区信访工作的受理、交办、督查",
        "overallGoal": "化解信访矛盾，提升信访信息化水平",
        "tasks": [
            { "name": "信访矛盾化解", "projectIds": [y.id("维稳工作")] },
            { "name": "信访信息化", "projectIds": [y.id("网络信息系统开发、升级、建设"), y.id("网络信息系统运行与维护")] },
            { "name": "信访宣传", "projectIds": promotion, "basicExpenditure": if all { Value::Null } else { json!("150000.00") } },
            { "name": "课题研究", "description": "信访工作课题与规划", "projectIds": [y.id("课题与规划")] },
        ],
        "personnelExpenditure": "3000000.00",
        "publicExpenditure": "2000000.00",
        "incomeFiscal": "7914171.00",
        "incomeOther": "0.00",
        "indicators": [
            indicator("OUTPUT", "QUANTITY", "化解信访矛盾件数", "≥100件", &[0]),
            indicator("OUTPUT", "QUALITY", "信息系统正常运行率", "≥99%", &[1]),
            indicator("OUTPUT", "TIMELINESS", "宣传活动按时完成率", "=100%", &[2]),
            indicator("OUTPUT", "COST", "课题研究成本", "≤10万元", &[3]),
            indicator("BENEFIT", "SOCIAL_BENEFIT", "信访事项按期办结率", "≥95%", &[]),
            indicator("SATISFACTION", "SERVICE_SATISFACTION", "信访群众满意度", "≥90%", &[]),
        ],
    })
}

async fn download(world: &World, token: Option<&str>, path: &str) -> (u16, Vec<u8>) {
    let mut request = reqwest::Client::new().get(format!("{}{path}", world.server.base_url));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.bytes().await.unwrap().to_vec())
}

fn codes(goals: &Value) -> Vec<&str> {
    goals["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect()
}

async fn save(client: &Client, input: Value) -> Value {
    client.gql(&save_mutation(), json!({ "input": input })).await
}

fn saved(r: &Value) -> &Value {
    let payload = &r["data"]["saveDepartmentGoals"];
    assert_eq!(payload["userErrors"], json!([]), "{r}");
    &payload["departmentGoals"]
}

async fn step(client: &Client, goals: &Value, action: &str, comment: Option<&str>) -> Value {
    let input = json!({ "id": goals["id"], "action": action, "expectedVersion": goals["version"], "comment": comment });
    client.gql(&step_mutation(), json!({ "input": input })).await
}

fn stepped(r: &Value) -> &Value {
    let payload = &r["data"]["stepDepartmentGoals"];
    assert_eq!(payload["userErrors"], json!([]), "{r}");
    &payload["departmentGoals"]
}

#[tokio::test]
async fn a_department_declares_submits_and_has_its_goals_approved_and_adjusted() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let y = year(&submitter).await;
    assert_eq!(y.projects.len(), 5);

    // Declared with 宣传与推广 in no task (its task carried by basic expenditure instead).
    let r = save(&submitter, form(&y, false)).await;
    let goals = saved(&r).clone();
    assert_eq!(goals["status"], "DRAFT");
    assert_eq!(goals["version"], 1);
    assert_eq!(codes(&goals), ["PROJECT_NOT_IN_TASK", "DEPARTMENT_INCOME_MISMATCH"], "{goals}");
    let f = &goals["findings"][0];
    assert!(f["message"].as_str().unwrap().contains("宣传与推广"), "{f}");
    assert_eq!(f["severity"], "WARNING");
    assert_eq!(goals["linkedProjectExpenditure"], "2764171.00");
    assert_eq!(goals["tasks"][1]["projects"].as_array().unwrap().len(), 2);
    assert_eq!(goals["tasks"][3]["description"], "信访工作课题与规划");
    assert_eq!(goals["tasks"][2]["basicExpenditure"], "150000.00");
    let ids: Vec<i64> = goals["indicators"].as_array().unwrap().iter().map(|i| i["rowId"].as_i64().unwrap()).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);

    // Mended: every project in a task; the seed's sums, to the fen.
    let mut whole = form(&y, true);
    whole["expectedVersion"] = json!(1);
    whole["indicators"] = json!(
        goals["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .zip(whole["indicators"].as_array().unwrap())
            .map(|(kept, mut_row)| json!({ "rowId": kept["rowId"], "indicator": mut_row["indicator"] }))
            .collect::<Vec<_>>()
    );
    let r = save(&submitter, whole.clone()).await;
    let goals = saved(&r).clone();
    assert_eq!(codes(&goals), Vec::<&str>::new(), "{goals}");
    assert_eq!(goals["projectExpenditure"], "2914171.00");
    assert_eq!(goals["basicExpenditure"], "5000000.00");
    assert_eq!(goals["totalExpenditure"], "7914171.00");
    assert_eq!(goals["totalExpenditureWanYuan"], "791.42");
    assert_eq!(goals["projectExpenditureEntered"], Value::Null);
    assert_eq!(goals["functions"], "负责全区信访工作的受理、交办、督查", "Chinese round-trips");

    // 项目支出 by hand as 2,900,000.00: an error with both figures, and submission refused.
    let mut by_hand = whole.clone();
    by_hand["expectedVersion"] = goals["version"].clone();
    by_hand["projectExpenditure"] = json!("2900000.00");
    by_hand["incomeFiscal"] = json!("7900000.00");
    let r = save(&submitter, by_hand).await;
    let wrong = saved(&r).clone();
    assert_eq!(codes(&wrong), ["PROJECT_EXPENDITURE_MISMATCH"]);
    let message = wrong["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("2900000.00") && message.contains("2914171.00"), "{message}");
    let r = step(&submitter, &wrong, "SUBMIT", None).await;
    let errors = &r["data"]["stepDepartmentGoals"]["userErrors"];
    assert_eq!(errors[0]["field"], "projectExpenditure", "{r}");
    assert_eq!(errors[0]["code"], "FUNDS_MISMATCH", "{r}");

    // Put right, then one row edited by itself: its id stays; a stale version is refused.
    let mut right = whole.clone();
    right["expectedVersion"] = wrong["version"].clone();
    let goals = saved(&save(&submitter, right).await).clone();
    let update = "mutation($input: UpdateGoalIndicatorInput!) { updateDepartmentGoalIndicator(input: $input) { departmentGoals { version indicators { rowId name target { text } } } userErrors { field code } } }";
    let row = json!({ "level1": "SATISFACTION", "level2": "SERVICE_SATISFACTION", "name": "来访群众满意度", "target": "≥92%" });
    let r = submitter
        .gql(update, json!({ "input": { "id": goals["id"], "expectedVersion": goals["version"], "rowId": 6, "indicator": row } }))
        .await;
    let edited = &r["data"]["updateDepartmentGoalIndicator"]["departmentGoals"];
    assert_eq!(
        edited["indicators"][5],
        json!({ "rowId": 6, "name": "来访群众满意度", "target": { "text": "≥92%" } }),
        "{r}"
    );
    let r = submitter
        .gql(update, json!({ "input": { "id": goals["id"], "expectedVersion": goals["version"], "rowId": 6, "indicator": row } }))
        .await;
    assert_eq!(r["data"]["updateDepartmentGoalIndicator"]["userErrors"][0]["code"], "VERSION_CONFLICT", "{r}");
    let add = "mutation($input: AddGoalIndicatorInput!) { addDepartmentGoalIndicator(input: $input) { departmentGoals { version indicators { rowId } } userErrors { field code } } }";
    let extra =
        json!({ "level1": "OUTPUT", "level2": "QUANTITY", "name": "信访宣传场次", "target": "≥12场", "measures": [2] });
    let r = submitter
        .gql(add, json!({ "input": { "id": goals["id"], "expectedVersion": edited["version"], "position": 0, "indicator": extra } }))
        .await;
    let added = &r["data"]["addDepartmentGoalIndicator"]["departmentGoals"];
    assert_eq!(added["indicators"][0]["rowId"], 7, "a new row gets a new id: {r}");
    let remove = "mutation($input: RemoveGoalIndicatorInput!) { removeDepartmentGoalIndicator(input: $input) { departmentGoals { version indicators { rowId } } userErrors { field code } } }";
    let r = submitter
        .gql(remove, json!({ "input": { "id": goals["id"], "expectedVersion": added["version"], "rowId": 7 } }))
        .await;
    let removed = &r["data"]["removeDepartmentGoalIndicator"]["departmentGoals"];
    let left: Vec<i64> =
        removed["indicators"].as_array().unwrap().iter().map(|i| i["rowId"].as_i64().unwrap()).collect();
    assert_eq!(left, [1, 2, 3, 4, 5, 6], "{r}");

    // The bureau does not see a draft; then it is submitted and listed for the bureau.
    let read = format!(
        "query($d: ID!) {{ node(id: $d) {{ ... on Department {{ overallGoals(fiscalYear: 2023) {{ {GOALS} }} }} }} }}"
    );
    let r = approver.data(&read, json!({ "d": y.department })).await;
    assert_eq!(r["node"]["overallGoals"], Value::Null, "a draft is the department's own: {r}");
    let counted = "{ declarationSummary(fiscalYear: 2023) { departmentGoalsByStatus { status label count } } }";
    let by_status = |r: Value| r["declarationSummary"]["departmentGoalsByStatus"].clone();
    assert_eq!(by_status(approver.data(counted, json!({})).await), json!([]), "a draft is not counted for the bureau");
    assert_eq!(
        by_status(submitter.data(counted, json!({})).await),
        json!([{ "status": "DRAFT", "label": "草稿", "count": 1 }])
    );
    let current = submitter.data(&read, json!({ "d": y.department })).await["node"]["overallGoals"].clone();
    let submitted = stepped(&step(&submitter, &current, "SUBMIT", None).await).clone();
    assert_eq!(submitted["status"], "SUBMITTED");
    let list =
        "query($s: ProjectStatus) { departmentGoals(fiscalYear: 2023, status: $s) { id status department { code } } }";
    let r = approver.data(list, json!({ "s": "SUBMITTED" })).await;
    assert_eq!(
        r["departmentGoals"],
        json!([{ "id": submitted["id"], "status": "SUBMITTED", "department": { "code": "SJQ-XFB" } }])
    );
    assert_eq!(approver.data(list, json!({ "s": "APPROVED" })).await["departmentGoals"], json!([]));
    assert_eq!(
        by_status(approver.data(counted, json!({})).await),
        json!([{ "status": "SUBMITTED", "label": "已提交", "count": 1 }])
    );

    // The form as printed: the same figures, to whoever may see it.
    let path = format!("/export/department-goals/{}.xlsx", submitted["id"].as_str().unwrap());
    let (status, bytes) = download(&world, Some(approver.token()), &path).await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("部门整体绩效目标").unwrap();
    let cell = |r: u32, c: u32| match sheet.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    };
    let row_of = |label: &str| (0..sheet.height() as u32).find(|r| cell(*r, 0) == label);
    assert_eq!(cell(0, 0), "2023年度部门整体绩效目标申报表");
    let figure = |label: &str| cell(row_of(label).unwrap_or_else(|| panic!("no row {label}")), 1);
    assert_eq!(figure("项目支出"), "2914171.00");
    assert_eq!(figure("支出合计"), "7914171.00");
    assert_eq!(figure("支出合计（万元）"), "791.42");
    let task = row_of("信访信息化").expect("the task's row");
    assert_eq!(cell(task, 2), "网络信息系统开发、升级、建设、网络信息系统运行与维护");
    assert_eq!(cell(task, 3), "292671.00");
    let satisfaction = (0..sheet.height() as u32).find(|r| cell(*r, 2) == "来访群众满意度").expect("the indicator");
    let shown: Vec<String> = (0..5).map(|c| cell(satisfaction, c)).collect();
    assert_eq!(shown, ["满意度指标", "服务对象满意度指标", "来访群众满意度", "≥92%", "部门整体"]);
    let first = (0..sheet.height() as u32).find(|r| cell(*r, 2) == "化解信访矛盾件数").unwrap();
    assert_eq!(cell(first, 4), "信访矛盾化解", "the task it measures");
    assert_eq!(download(&world, None, &path).await.0, 401);
    let outsider_path =
        format!("/export/department-goals/{}.xlsx", jixiao_tests::client::encode_id("DepartmentGoals", 999));
    assert_eq!(download(&world, Some(approver.token()), &outsider_path).await.0, 404);

    // A submitted form is not edited; the submitter cannot approve it; the approver can.
    let mut late = whole.clone();
    late["expectedVersion"] = submitted["version"].clone();
    let r = save(&submitter, late).await;
    assert_eq!(r["data"]["saveDepartmentGoals"]["userErrors"][0]["code"], "INVALID_TRANSITION", "{r}");
    assert_eq!(error_code(&step(&submitter, &submitted, "APPROVE", None).await), "FORBIDDEN");
    let approved = stepped(&step(&approver, &submitted, "APPROVE", Some("同意")).await).clone();
    assert_eq!(approved["status"], "APPROVED");
    assert_eq!(approved["inForce"]["indicators"][5], json!({ "rowId": 6, "name": "来访群众满意度" }));
    let steps: Vec<&str> =
        approved["reviews"].as_array().unwrap().iter().map(|s| s["action"].as_str().unwrap()).collect();
    assert_eq!(steps, ["SUBMIT", "APPROVE"]);
    assert_eq!(approved["reviews"][1]["actor"]["username"], "approver");

    // Adjusted (with a reason), edited while the approved goals stay in force, then cancelled.
    let r = step(&submitter, &approved, "START_ADJUSTMENT", None).await;
    assert_eq!(r["data"]["stepDepartmentGoals"]["userErrors"][0]["field"], "reason", "{r}");
    let adjusting = stepped(&step(&submitter, &approved, "START_ADJUSTMENT", Some("任务调整")).await).clone();
    assert_eq!(adjusting["status"], "ADJUSTING");
    let mut changed = whole.clone();
    changed["expectedVersion"] = adjusting["version"].clone();
    changed["overallGoal"] = json!("调整后的年度总体目标");
    let changed = saved(&save(&submitter, changed).await).clone();
    assert_eq!(changed["overallGoal"], "调整后的年度总体目标");
    assert_eq!(changed["inForce"]["overallGoal"], "化解信访矛盾，提升信访信息化水平");
    let back = stepped(&step(&submitter, &changed, "CANCEL_ADJUSTMENT", None).await).clone();
    assert_eq!(back["status"], "APPROVED");
    assert_eq!(back["overallGoal"], "化解信访矛盾，提升信访信息化水平", "the goals in force are put back");
    assert_eq!(back["indicators"][5]["rowId"], 6, "rows keep their ids");
}

#[tokio::test]
async fn only_the_departments_submitters_declare_and_others_see_what_they_may() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let admin = world.login("admin").await;
    let (other, _) = other_department(&admin).await;
    add_user(&world.db.url, "outsider", "SUBMITTER", Some("OTHER")).await;
    add_user(&world.db.url, "reviewer", "DEPARTMENT_REVIEWER", Some("SJQ-XFB")).await;
    let outsider = world.login("outsider").await;
    let reviewer = world.login("reviewer").await;
    let y = year(&submitter).await;

    for (who, client) in [("approver", &approver), ("admin", &admin), ("outsider", &outsider), ("reviewer", &reviewer)]
    {
        let r = save(client, form(&y, true)).await;
        assert_eq!(error_code(&r), "FORBIDDEN", "{who}: {r}");
    }
    // A department that does not exist, a year out of range: said so, nothing written.
    let mut nowhere = form(&y, true);
    nowhere["departmentId"] = json!(jixiao_tests::client::encode_id("Department", 9999));
    assert_eq!(
        error_code(&save(&submitter, nowhere).await),
        "FORBIDDEN",
        "a submitter declares for its own department only"
    );
    let mut wrong_year = form(&y, true);
    wrong_year["fiscalYear"] = json!(1999);
    let r = save(&submitter, wrong_year).await;
    assert_eq!(r["data"]["saveDepartmentGoals"]["userErrors"][0]["field"], "fiscalYear", "{r}");
    let mut bad_amount = form(&y, true);
    bad_amount["personnelExpenditure"] = json!("1.001");
    let r = save(&submitter, bad_amount).await;
    assert_eq!(r["data"]["saveDepartmentGoals"]["userErrors"][0]["field"], "personnelExpenditure", "{r}");
    let mut bad_task = form(&y, true);
    bad_task["indicators"][0]["indicator"]["measures"] = json!([7]);
    let r = save(&submitter, bad_task).await;
    assert_eq!(r["data"]["saveDepartmentGoals"]["userErrors"][0]["field"], "indicators[0].measures", "{r}");

    // Repeats are kept once: what is stored is bounded by the form's limits, not by the input.
    let mut repeated = form(&y, true);
    repeated["tasks"][0]["projectIds"] = json!(vec![y.id("维稳工作"); 150]);
    repeated["indicators"][0]["indicator"]["measures"] = json!(vec![0; 1000]);
    let goals = saved(&save(&submitter, repeated).await).clone();
    assert_eq!(goals["indicators"][0]["measures"], json!([0]));
    let store = world.db.store().await;
    let kept: (String, String) = {
        use sea_orm::{ConnectionTrait, Statement};
        let db = store.connection();
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT tasks, indicators FROM department_goals",
            ))
            .await
            .unwrap()
            .unwrap();
        (row.try_get("", "tasks").unwrap(), row.try_get("", "indicators").unwrap())
    };
    let (tasks, rows): (Value, Value) =
        (serde_json::from_str(&kept.0).unwrap(), serde_json::from_str(&kept.1).unwrap());
    assert_eq!(tasks[0]["projectIds"].as_array().unwrap().len(), 1, "stored once: {tasks}");
    assert_eq!(rows[0]["measures"], json!([0]), "stored once");
    // A second first save (no expectedVersion) must reload instead of overwriting.
    let r = save(&submitter, form(&y, true)).await;
    assert_eq!(r["data"]["saveDepartmentGoals"]["userErrors"][0]["code"], "VERSION_CONFLICT", "{r}");

    let node = "query($id: ID!) { node(id: $id) { ... on DepartmentGoals { status } } }";
    for (who, client, seen) in [
        ("approver", &approver, false),
        ("outsider", &outsider, false),
        ("reviewer", &reviewer, false),
        ("admin", &admin, true),
    ] {
        let r = client.gql(node, json!({ "id": goals["id"] })).await;
        if seen {
            assert_eq!(r["data"]["node"]["status"], "DRAFT", "{who}: {r}");
        } else {
            assert_eq!(error_code(&r), "NOT_FOUND", "{who}: a draft is the department's own: {r}");
        }
    }
    let r = outsider
        .data(
            "query($d: ID!) { node(id: $d) { ... on Department { overallGoals(fiscalYear: 2023) { id } } } }",
            json!({ "d": other }),
        )
        .await;
    assert_eq!(r["node"]["overallGoals"], Value::Null);

    // With a department reviewer, a submission goes to the reviewer first, who passes it on.
    let submitted = stepped(&step(&submitter, &goals, "SUBMIT", None).await).clone();
    assert_eq!(submitted["status"], "DEPARTMENT_REVIEW");
    assert_eq!(error_code(&step(&approver, &submitted, "APPROVE", None).await), "FORBIDDEN");
    let r = step(&reviewer, &submitted, "REJECT", None).await;
    assert_eq!(r["data"]["stepDepartmentGoals"]["userErrors"][0]["field"], "reason", "a reason to send back: {r}");
    let forwarded = stepped(&step(&reviewer, &submitted, "FORWARD", None).await).clone();
    assert_eq!(forwarded["status"], "SUBMITTED");
    assert_eq!(error_code(&step(&outsider, &forwarded, "WITHDRAW", None).await), "NOT_FOUND");
    let rejected = stepped(&step(&approver, &forwarded, "REJECT", Some("任务与项目对应不清")).await).clone();
    assert_eq!(rejected["status"], "REJECTED");
    assert_eq!(rejected["reviews"][2]["comment"], "任务与项目对应不清");
    // English on request.
    let r = save(&outsider.with_language("en"), form(&y, true)).await;
    assert!(r["errors"][0]["message"].as_str().unwrap().is_ascii(), "{r}");
}

const REPORT: &str =
    "id status version annualRequest approvedAmount budgetExecuted executionRate budgetLight light overdue
    round { name } departmentGoals { id }
    indicators { indicator { rowId name } target actualToDate likelihood light }
    reviews { action fromStatus toStatus comment }";

const EVALUATION: &str = "id status version annualRequest approvedAmount budgetExecuted executionRate
    executionWeight executionScore totalScore grade gradeLabel level1Scores { level1 weight score }
    indicators { indicator { rowId name } target weight actual score explanation }
    reviews { action toStatus comment }";

async fn open_round(admin: &Client, name: &str, as_of: &str, due: &str) -> Value {
    let r = admin
        .data(
            "mutation($i: OpenMonitoringRoundInput!) { openMonitoringRound(input: $i) { round { id } userErrors { message } } }",
            json!({ "i": { "fiscalYear": 2023, "name": name, "asOf": as_of, "dueDate": due } }),
        )
        .await;
    r["openMonitoringRound"]["round"].clone()
}

async fn reports(client: &Client, goals: &Value) -> Vec<Value> {
    let q = format!("query($id: ID!) {{ node(id: $id) {{ ... on DepartmentGoals {{ reports {{ {REPORT} }} }} }} }}");
    client.data(&q, json!({ "id": goals["id"] })).await["node"]["reports"].as_array().unwrap().clone()
}

async fn update_report(client: &Client, report: &Value, fields: Value) -> Value {
    let q = format!(
        "mutation($i: UpdateDepartmentGoalsReportInput!) {{ updateDepartmentGoalsReport(input: $i) {{ report {{ {REPORT} }} userErrors {{ field code message }} }} }}"
    );
    let mut input = json!({ "id": report["id"], "expectedVersion": report["version"] });
    input.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    client.gql(&q, json!({ "i": input })).await
}

async fn step_report(client: &Client, report: &Value, action: &str, comment: Option<&str>) -> Value {
    let q = format!(
        "mutation($i: DepartmentGoalsReportStepInput!) {{ stepDepartmentGoalsReport(input: $i) {{ report {{ {REPORT} }} userErrors {{ field code message }} }} }}"
    );
    client.gql(&q, json!({ "i": { "id": report["id"], "action": action, "comment": comment } })).await
}

async fn update_evaluation(client: &Client, e: &Value, fields: Value) -> Value {
    let q = format!(
        "mutation($i: UpdateDepartmentGoalsEvaluationInput!) {{ updateDepartmentGoalsEvaluation(input: $i) {{ selfEvaluation {{ {EVALUATION} }} userErrors {{ field code message }} }} }}"
    );
    let mut input = json!({ "id": e["id"], "expectedVersion": e["version"] });
    input.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    client.gql(&q, json!({ "i": input })).await
}

async fn step_evaluation(client: &Client, e: &Value, action: &str, comment: Option<&str>) -> Value {
    let q = format!(
        "mutation($i: DepartmentGoalsReportStepInput!) {{ stepDepartmentGoalsEvaluation(input: $i) {{ selfEvaluation {{ {EVALUATION} }} userErrors {{ field code message }} }} }}"
    );
    client.gql(&q, json!({ "i": { "id": e["id"], "action": action, "comment": comment } })).await
}

fn payload<'a>(r: &'a Value, field: &str, object: &str) -> &'a Value {
    let p = &r["data"][field];
    assert_eq!(p["userErrors"], json!([]), "{r}");
    &p[object]
}

#[tokio::test]
async fn approved_goals_are_monitored_in_each_round_and_self_evaluated_at_year_end() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let admin = world.login("admin").await;
    let y = year(&submitter).await;

    // A round opened before the goals are approved: they join it when approved.
    let first = open_round(&admin, "2023年1-7月", "2023-07-31", "2023-08-15").await;
    let draft = saved(&save(&submitter, form(&y, true)).await).clone();
    assert!(reports(&submitter, &draft).await.is_empty(), "a draft is not monitored");
    let submitted = stepped(&step(&submitter, &draft, "SUBMIT", None).await).clone();
    let r = approver
        .gql("mutation($g: ID!) { startDepartmentGoalsEvaluation(goalsId: $g) { selfEvaluation { id } userErrors { code } } }", json!({ "g": draft["id"] }))
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN", "approvers do not evaluate: {r}");
    let approved = stepped(&step(&approver, &submitted, "APPROVE", None).await).clone();
    let total = approved["totalExpenditure"].as_str().unwrap().to_string();
    // The department's book carries the form beside its projects, as printed.
    let (status, bytes) = download(&world, Some(approver.token()), "/export/declarations/SJQ-XFB/2023.xlsx").await;
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("部门整体绩效目标").expect("the form's sheet in the book");
    let cell = |r: u32, c: u32| match sheet.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    };
    let total_row = (0..sheet.height() as u32).find(|r| cell(*r, 0) == "支出合计").expect("支出合计");
    assert_eq!(cell(total_row, 1), total);
    assert_eq!(cell(1, 1), "上海市松江区人民政府信访办公室", "{:?}", (cell(1, 0), cell(1, 1)));
    let found = reports(&submitter, &approved).await;
    assert_eq!(found.len(), 1, "{found:?}");
    let report = &found[0];
    assert_eq!(report["round"]["name"], "2023年1-7月");
    assert_eq!(report["status"], "DRAFT");
    assert_eq!(report["annualRequest"], total.as_str(), "the 支出合计 in force");
    assert_eq!(report["approvedAmount"], total.as_str());
    let rows: Vec<(i64, &str)> = report["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["indicator"]["rowId"].as_i64().unwrap(), i["target"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, [(1, "≥100件"), (2, "≥99%"), (3, "=100%"), (4, "≤10万元"), (5, "≥95%"), (6, "≥90%")]);
    // A round opened after: the goals in force get their report in it at once.
    let second = open_round(&admin, "2023年全年", "2023-12-31", "2024-01-15").await;
    assert!(first["id"].is_string() && second["id"].is_string());
    assert_eq!(reports(&submitter, &approved).await.len(), 2);

    // Filled by the monitoring's rules: nothing beyond the amount in force, no row not in force.
    let r = update_report(&submitter, report, json!({ "budgetExecuted": "99999999.00" })).await;
    assert_eq!(r["data"]["updateDepartmentGoalsReport"]["userErrors"][0]["field"], "budgetExecuted", "{r}");
    let r =
        update_report(&submitter, report, json!({ "indicators": [{ "rowId": 99, "likelihood": "CERTAIN" }] })).await;
    assert_eq!(r["data"]["updateDepartmentGoalsReport"]["userErrors"][0]["field"], "indicators[0].indicatorId", "{r}");
    let r = update_report(
        &submitter,
        report,
        json!({ "budgetExecuted": "4000000.00", "indicators": [{ "rowId": 1, "actualToDate": "60件", "likelihood": "CERTAIN" }] }),
    )
    .await;
    let filled = payload(&r, "updateDepartmentGoalsReport", "report").clone();
    assert_eq!(filled["version"], 2);
    assert_eq!(filled["budgetExecuted"], "4000000.00");
    // 4,000,000.00 of 7,914,171.00: 50.54%, against 58.33% of the time by 31 July.
    assert_eq!(filled["executionRate"], "50.54");
    assert_eq!(filled["budgetLight"], "GREEN");
    assert_eq!(filled["indicators"][0]["actualToDate"], "60件");
    assert_eq!(filled["indicators"][0]["likelihood"], "CERTAIN");
    // Submitting asks for every row's likelihood at once.
    let r = step_report(&submitter, &filled, "SUBMIT", None).await;
    let errors = r["data"]["stepDepartmentGoalsReport"]["userErrors"].as_array().unwrap().clone();
    assert_eq!(errors.len(), 5, "the five rows without a likelihood: {r}");
    assert!(errors.iter().all(|e| e["code"] == "INCOMPLETE"), "{r}");
    let all: Vec<Value> = (2..=6).map(|id| json!({ "rowId": id, "likelihood": "CERTAIN" })).collect();
    let filled = payload(
        &update_report(&submitter, &filled, json!({ "indicators": all })).await,
        "updateDepartmentGoalsReport",
        "report",
    )
    .clone();
    assert_eq!(filled["indicators"][0]["actualToDate"], "60件", "rows not named keep their progress");
    let sent =
        payload(&step_report(&submitter, &filled, "SUBMIT", None).await, "stepDepartmentGoalsReport", "report").clone();
    assert_eq!(sent["status"], "SUBMITTED");
    assert_eq!(error_code(&step_report(&submitter, &sent, "ACCEPT", None).await), "FORBIDDEN");
    let r = step_report(&approver, &sent, "RETURN", None).await;
    assert_eq!(r["data"]["stepDepartmentGoalsReport"]["userErrors"][0]["field"], "reason", "{r}");
    let returned = payload(
        &step_report(&approver, &sent, "RETURN", Some("请说明进度")).await,
        "stepDepartmentGoalsReport",
        "report",
    )
    .clone();
    assert_eq!(returned["status"], "RETURNED");
    let again =
        payload(&step_report(&submitter, &returned, "SUBMIT", None).await, "stepDepartmentGoalsReport", "report")
            .clone();
    let accepted =
        payload(&step_report(&approver, &again, "ACCEPT", None).await, "stepDepartmentGoalsReport", "report").clone();
    assert_eq!(accepted["status"], "ACCEPTED");
    let steps: Vec<&str> =
        accepted["reviews"].as_array().unwrap().iter().map(|s| s["action"].as_str().unwrap()).collect();
    assert_eq!(steps, ["SUBMIT", "RETURN", "SUBMIT", "ACCEPT"]);
    assert_eq!(accepted["reviews"][1]["comment"], "请说明进度");
    let r = update_report(&submitter, &accepted, json!({ "budgetExecuted": "1.00" })).await;
    assert_eq!(r["data"]["updateDepartmentGoalsReport"]["userErrors"][0]["code"], "INVALID_TRANSITION", "{r}");
    // Another department's submitter does not see it.
    other_department(&admin).await;
    add_user(&world.db.url, "outsider", "SUBMITTER", Some("OTHER")).await;
    let outsider = world.login("outsider").await;
    let r = outsider.gql("query($id: ID!) { node(id: $id) { id } }", json!({ "id": accepted["id"] })).await;
    assert_eq!(error_code(&r), "NOT_FOUND", "{r}");

    // The year-end self-evaluation: one per form, scored by the project's rules.
    let start = format!(
        "mutation($g: ID!) {{ startDepartmentGoalsEvaluation(goalsId: $g) {{ selfEvaluation {{ {EVALUATION} }} userErrors {{ field code message }} }} }}"
    );
    let r = submitter.gql(&start, json!({ "g": approved["id"] })).await;
    let e = payload(&r, "startDepartmentGoalsEvaluation", "selfEvaluation").clone();
    assert_eq!(e["status"], "DRAFT");
    assert_eq!(e["approvedAmount"], total.as_str());
    assert_eq!(e["indicators"].as_array().unwrap().len(), 6);
    let r = submitter.gql(&start, json!({ "g": approved["id"] })).await;
    assert_eq!(r["data"]["startDepartmentGoalsEvaluation"]["userErrors"][0]["code"], "ALREADY_EXISTS", "{r}");
    // Every target met (none far beyond), the whole budget spent: full marks.
    let met = ["110件", "99.5%", "100%", "9万元", "96%", "91%"];
    let results: Vec<Value> =
        met.iter().enumerate().map(|(n, actual)| json!({ "rowId": n as i64 + 1, "actual": actual })).collect();
    let r = update_evaluation(&submitter, &e, json!({ "budgetExecuted": total, "indicators": results })).await;
    let scored = payload(&r, "updateDepartmentGoalsEvaluation", "selfEvaluation").clone();
    assert_eq!(scored["executionRate"], "100.00");
    assert_eq!(scored["totalScore"], "100.00", "{scored}");
    assert_eq!(scored["grade"], "EXCELLENT");
    assert_eq!(scored["gradeLabel"], "优");
    // One short of its target: the row scores its share, and submitting wants the reason.
    let short = json!([{ "rowId": 5, "actual": "85.5%" }]);
    let r = update_evaluation(&submitter, &scored, json!({ "indicators": short })).await;
    let lower = payload(&r, "updateDepartmentGoalsEvaluation", "selfEvaluation").clone();
    let row = &lower["indicators"][4];
    let weight: f64 = row["weight"].as_str().unwrap().parse().unwrap();
    let score: f64 = row["score"].as_str().unwrap().parse().unwrap();
    assert!((score - weight * 0.9).abs() < 0.006, "85.5 of 95 is nine tenths: {row}");
    assert_ne!(lower["totalScore"], "100.00");
    let r = step_evaluation(&submitter, &lower, "SUBMIT", None).await;
    assert_eq!(
        r["data"]["stepDepartmentGoalsEvaluation"]["userErrors"][0]["field"], "indicators[4].explanation",
        "{r}"
    );
    let explained = json!([{ "rowId": 5, "actual": "85.5%", "explanation": "部分事项跨年办结" }]);
    let r = update_evaluation(&submitter, &lower, json!({ "indicators": explained })).await;
    let ready = payload(&r, "updateDepartmentGoalsEvaluation", "selfEvaluation").clone();
    let sent = payload(
        &step_evaluation(&submitter, &ready, "SUBMIT", None).await,
        "stepDepartmentGoalsEvaluation",
        "selfEvaluation",
    )
    .clone();
    assert_eq!(sent["status"], "SUBMITTED");
    let done = payload(
        &step_evaluation(&approver, &sent, "ACCEPT", Some("同意")).await,
        "stepDepartmentGoalsEvaluation",
        "selfEvaluation",
    )
    .clone();
    assert_eq!(done["status"], "ACCEPTED");
    assert_eq!(done["reviews"][1]["comment"], "同意");
    let read = format!(
        "query($id: ID!) {{ node(id: $id) {{ ... on DepartmentGoals {{ selfEvaluation {{ id status totalScore }} }} }} }}"
    );
    let r = approver.data(&read, json!({ "id": approved["id"] })).await;
    assert_eq!(r["node"]["selfEvaluation"]["status"], "ACCEPTED");
    assert_eq!(r["node"]["selfEvaluation"]["totalScore"], lower["totalScore"]);
}

const GOALS_EVENTS: &str = "subscription($f: DepartmentGoalsEventFilter) { departmentGoalsEvents(filter: $f) {
    __typename
    ... on DepartmentGoalsStepEvent { departmentGoals { id status } step { action toStatus } }
    ... on DepartmentGoalsReportEvent { report { id status departmentGoals { id } } step { action toStatus } }
    ... on DepartmentGoalsEvaluationEvent { selfEvaluation { id status } step { action toStatus } } } }";

/// What an event says, in the scenario's words (`G SUBMIT`, `R RETURN`), checked for the shape
/// its kind promises: the subject as it is right after, the step that left it so.
fn said(event: &Value, names: &[(String, &'static str)]) -> String {
    let e = &event["departmentGoalsEvents"];
    let subject = match e["__typename"].as_str().unwrap() {
        "DepartmentGoalsStepEvent" => &e["departmentGoals"],
        "DepartmentGoalsReportEvent" => &e["report"],
        "DepartmentGoalsEvaluationEvent" => &e["selfEvaluation"],
        other => panic!("unknown event {other}: {event}"),
    };
    let name = names.iter().find(|(id, _)| subject["id"] == id.as_str()).map_or("unknown", |(_, n)| n);
    format!("{name} {}", e["step"]["action"].as_str().unwrap())
}

/// A second department's form of 2024, carried by basic expenditure alone.
fn other_form(department: &str) -> Value {
    json!({
        "departmentId": department,
        "fiscalYear": 2024,
        "functions": "负责本部门日常工作",
        "overallGoal": "保障机关正常运转",
        "tasks": [{ "name": "机关运转", "basicExpenditure": "100000.00" }],
        "personnelExpenditure": "60000.00",
        "publicExpenditure": "40000.00",
        "incomeFiscal": "100000.00",
        "incomeOther": "0.00",
        "indicators": [
            indicator("OUTPUT", "QUANTITY", "保障事项数", "≥10项", &[0]),
            indicator("BENEFIT", "SOCIAL_BENEFIT", "事项按期办结率", "≥95%", &[0]),
            indicator("SATISFACTION", "SERVICE_SATISFACTION", "服务对象满意度", "≥90%", &[0]),
        ],
    })
}

/// `departmentGoalsEvents` for every role and filter: each subscriber hears exactly the steps of
/// forms, reports and self-evaluations it may see, in order. Each step a subscriber must not hear
/// happens before the last one it must (so a leak comes first and fails the comparison).
#[tokio::test]
async fn every_role_hears_exactly_the_steps_of_the_goals_it_may_see() {
    let world = World::with_fixture().await;
    let base = world.server.base_url.clone();
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let admin = world.login("admin").await;
    let (other_dept, _) = other_department(&admin).await;
    add_user(&world.db.url, "outsider", "SUBMITTER", Some("OTHER")).await;
    add_user(&world.db.url, "auditor", "SECURITY_AUDITOR", None).await;
    // The other department reviews first: its form goes to DEPARTMENT_REVIEW, then FORWARD.
    add_user(&world.db.url, "other-reviewer", "DEPARTMENT_REVIEWER", Some("OTHER")).await;
    let outsider = world.login("outsider").await;
    let other_reviewer = world.login("other-reviewer").await;
    let y = year(&submitter).await;

    let every_own =
        ["G SUBMIT", "G SUBMIT", "G APPROVE", "R SUBMIT", "R RETURN", "R SUBMIT", "R ACCEPT", "E SUBMIT", "E ACCEPT"];
    let with_draft_steps = [
        "G SUBMIT",
        "G WITHDRAW",
        "G SUBMIT",
        "G APPROVE",
        "R SUBMIT",
        "R RETURN",
        "R SUBMIT",
        "R ACCEPT",
        "E SUBMIT",
        "E ACCEPT",
    ];
    let table: Vec<(&str, &Client, Value, Vec<&str>)> = vec![
        ("submitter", &submitter, json!(null), with_draft_steps.to_vec()),
        ("outsider", &outsider, json!(null), vec!["O SUBMIT", "O FORWARD"]),
        ("other reviewer", &other_reviewer, json!(null), vec!["O SUBMIT", "O FORWARD"]),
        // Approvers never see a draft: the withdrawal is not theirs to hear.
        ("approver", &approver, json!(null), [&["O SUBMIT"][..], &every_own, &["O FORWARD"]].concat()),
        ("admin", &admin, json!(null), [&["O SUBMIT"][..], &with_draft_steps, &["O FORWARD"]].concat()),
        ("admin, departmentId", &admin, json!({ "departmentId": y.department }), with_draft_steps.to_vec()),
        ("admin, fiscalYear", &admin, json!({ "fiscalYear": 2024 }), vec!["O SUBMIT", "O FORWARD"]),
        (
            "approver, stages",
            &approver,
            json!({ "stages": ["MONITORING", "SELF_EVALUATION"] }),
            every_own[3..].to_vec(),
        ),
    ];
    let mut listeners = Vec::new();
    for (name, client, filter, expected) in table {
        let open = jixiao_tests::ws::subscriptions_open(&base).await;
        let (mut s, ack) = jixiao_tests::ws::Subscriber::connect(&base, json!({ "token": client.token() })).await;
        assert_eq!(ack.expect("accepted")["type"], "connection_ack");
        s.send(json!({ "id": "1", "type": "subscribe", "payload": { "query": GOALS_EVENTS, "variables": { "f": filter } } }))
            .await;
        jixiao_tests::ws::until_subscriptions(&base, open + 1).await;
        listeners.push((name, s, expected));
    }
    // The security auditor may not follow them.
    let auditor = world.login("auditor").await;
    let mut s = jixiao_tests::ws::Subscriber::subscribe(
        &base,
        auditor.token(),
        "1",
        "subscription { departmentGoalsEvents { __typename } }",
    )
    .await;
    let refused = s.next(jixiao_tests::NOTIFIED_WITHIN).await.expect("answered").expect("not closed");
    assert_eq!(refused["payload"]["errors"][0]["extensions"]["code"], "FORBIDDEN", "{refused}");

    // The scenario: the other department's form submitted first, forwarded by its reviewer last.
    let mut names = Vec::new();
    let other = saved(&save(&outsider, other_form(&other_dept)).await).clone();
    names.push((other["id"].as_str().unwrap().to_string(), "O"));
    let other = stepped(&step(&outsider, &other, "SUBMIT", None).await).clone();
    let draft = saved(&save(&submitter, form(&y, true)).await).clone();
    names.push((draft["id"].as_str().unwrap().to_string(), "G"));
    let submitted = stepped(&step(&submitter, &draft, "SUBMIT", None).await).clone();
    let withdrawn = stepped(&step(&submitter, &submitted, "WITHDRAW", None).await).clone();
    let submitted = stepped(&step(&submitter, &withdrawn, "SUBMIT", None).await).clone();
    let approved = stepped(&step(&approver, &submitted, "APPROVE", None).await).clone();
    open_round(&admin, "2023年全年", "2023-12-31", "2024-01-15").await;
    let report = reports(&submitter, &approved).await.remove(0);
    names.push((report["id"].as_str().unwrap().to_string(), "R"));
    let all: Vec<Value> = (1..=6).map(|id| json!({ "rowId": id, "likelihood": "CERTAIN" })).collect();
    let filled = payload(
        &update_report(&submitter, &report, json!({ "budgetExecuted": "7000000.00", "indicators": all })).await,
        "updateDepartmentGoalsReport",
        "report",
    )
    .clone();
    let sent =
        payload(&step_report(&submitter, &filled, "SUBMIT", None).await, "stepDepartmentGoalsReport", "report").clone();
    let returned =
        payload(&step_report(&approver, &sent, "RETURN", Some("请说明")).await, "stepDepartmentGoalsReport", "report")
            .clone();
    let sent =
        payload(&step_report(&submitter, &returned, "SUBMIT", None).await, "stepDepartmentGoalsReport", "report")
            .clone();
    payload(&step_report(&approver, &sent, "ACCEPT", None).await, "stepDepartmentGoalsReport", "report");
    let start = format!(
        "mutation($g: ID!) {{ startDepartmentGoalsEvaluation(goalsId: $g) {{ selfEvaluation {{ {EVALUATION} }} userErrors {{ field code message }} }} }}"
    );
    let e = payload(
        &submitter.gql(&start, json!({ "g": approved["id"] })).await,
        "startDepartmentGoalsEvaluation",
        "selfEvaluation",
    )
    .clone();
    names.push((e["id"].as_str().unwrap().to_string(), "E"));
    let met = ["110件", "99.5%", "100%", "9万元", "96%", "91%"];
    let results: Vec<Value> =
        met.iter().enumerate().map(|(n, actual)| json!({ "rowId": n as i64 + 1, "actual": actual })).collect();
    let total = approved["totalExpenditure"].clone();
    let r = update_evaluation(&submitter, &e, json!({ "budgetExecuted": total, "indicators": results })).await;
    let scored = payload(&r, "updateDepartmentGoalsEvaluation", "selfEvaluation").clone();
    let sent = payload(
        &step_evaluation(&submitter, &scored, "SUBMIT", None).await,
        "stepDepartmentGoalsEvaluation",
        "selfEvaluation",
    )
    .clone();
    payload(
        &step_evaluation(&approver, &sent, "ACCEPT", None).await,
        "stepDepartmentGoalsEvaluation",
        "selfEvaluation",
    );
    assert_eq!(other["status"], "DEPARTMENT_REVIEW");
    stepped(&step(&other_reviewer, &other, "FORWARD", None).await);

    let mut wrong = Vec::new();
    for (name, mut socket, expected) in listeners {
        let mut heard = Vec::new();
        while heard.len() < expected.len() {
            match socket.event(jixiao_tests::NOTIFIED_WITHIN).await {
                Some(event) => heard.push(said(&event, &names)),
                None => break,
            }
        }
        if heard != expected {
            wrong.push(format!("{name}: heard {heard:?}, expected {expected:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
