//! What a declaration's writes cost and answer: each step runs exactly the SQL statements
//! written here (a new statement on a write is a decision to make, not a drift to miss), an
//! instance on which nobody subscribed reads nothing again for subscribers, and the project a
//! mutation answers with is the project a read gives right after.

use std::time::Duration;

use jixiao_tests::{CREATE_PROJECT, Client, World, complete_declaration, statements_run, unit_of};
use serde_json::{Value, json};

const PROJECT: &str = "id name fiscalYear category status version plannedStart plannedEnd createdAt updatedAt
    submittedAt department { code } implementingUnit { code }
    sections { overview basis implementingBody plan cycle budgetArrangement } overallGoal annualGoal
    funds { total fiscal other annualRequest currentYearAppropriation carryover annualOther }
    fundItems { name amount } indicators { level1 level2 name target { text } }";

/// Runs `query` and returns its data and the statements the instance ran for it, counted once
/// the instance has handled the write's notice (and, were anyone subscribed, read for them).
async fn cost(client: &Client, query: &str, variables: Value) -> (Value, u64) {
    let heard = events_heard(client).await;
    let before = statements_run(client).await;
    let data = client.data(query, variables).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while events_heard(client).await == heard {
        assert!(std::time::Instant::now() < deadline, "the write's notice was not heard within 10 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    (data, statements_run(client).await - before)
}

/// The notices the instance `client` talks to has handled (`/metrics`).
async fn events_heard(client: &Client) -> u64 {
    let (_, text) = client.get("/metrics").await;
    text.lines()
        .find_map(|l| l.strip_prefix("jixiao_events_heard_total "))
        .and_then(|n| n.trim().parse().ok())
        .expect("the notices counter is in /metrics")
}

async fn read(client: &Client, id: &str) -> Value {
    let q = format!("query($id: ID!) {{ project(id: $id) {{ {PROJECT} }} }}");
    client.data(&q, json!({ "id": id })).await["project"].clone()
}

#[tokio::test]
async fn each_write_costs_the_statements_written_here_and_answers_what_a_read_gives() {
    let world = World::with_fixture().await;
    jixiao_tests::server::until_listening(&world.server.base_url).await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;

    // Every write also leaves its audit record: its predecessor's hash and the insert (2; the
    // advisory lock that orders the trail is an unprepared statement, which the count leaves out).
    //
    // Create: the unit, the creator's row locked and the creations of the hour counted (the
    // hourly limit, held under concurrency), the project, its fund items, its indicators, its
    // findings; the audit record.
    let (created, n) =
        cost(&submitter, CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "写入代价项目") })).await;
    let id = created["createProject"]["project"]["id"].as_str().unwrap_or_else(|| panic!("{created}")).to_string();
    assert_eq!(n, 9, "createProject");

    // An edit of one goal: the project, its fund items and indicators, the row (its changed
    // columns only), the findings replaced (2); then the answer's department, unit, fund items
    // and indicators (4); the audit record (2).
    let update = format!(
        "mutation($input: UpdateProjectInput!) {{ updateProject(input: $input) {{ project {{ {PROJECT} }} userErrors {{ code }} }} }}"
    );
    let (edited, n) = cost(
        &submitter,
        &update,
        json!({ "input": { "id": id, "expectedVersion": 1, "annualGoal": "年度目标（已修改）" } }),
    )
    .await;
    assert_eq!(n, 12, "updateProject of one goal");
    let edited = &edited["updateProject"]["project"];
    assert_eq!(edited["annualGoal"], "年度目标（已修改）");
    assert_eq!(edited["version"], 2);
    assert_eq!(*edited, read(&submitter, &id).await, "the edit answers what a read gives");

    // Submit: the project, whether its department reviews, its declaration (read once for the
    // check and the submission kept: 2), its unanswered remarks, the row, the step, the
    // snapshot; then the answer's four parts; the audit record (2).
    let step = |op: &str, extra: &str| {
        format!("mutation($id: ID!) {{ {op}(id: $id{extra}) {{ project {{ {PROJECT} }} userErrors {{ code }} }} }}")
    };
    let (submitted, n) = cost(&submitter, &step("submitProject", ""), json!({ "id": id })).await;
    assert_eq!(n, 14, "submitProject");
    let submitted = &submitted["submitProject"]["project"];
    assert_eq!(submitted["status"], "SUBMITTED");
    assert!(submitted["submittedAt"].is_string(), "{submitted}");
    assert_eq!(*submitted, read(&submitter, &id).await, "the submission answers what a read gives");

    // Approve (the approver's user known to the instance already, as after any earlier request):
    // the project, the bureau's decision on it (none: the request is granted), the row, the
    // step, the amount granted, the declaration read for the snapshot in force (2) and the
    // snapshot, the year's monitoring rounds to enroll it in (under their lock, 2); then the
    // answer's four parts; the audit record (2).
    approver.data("{ me { id } }", json!({})).await;
    let (approved, n) = cost(&approver, &step("approveProject", ", comment: \"同意\""), json!({ "id": id })).await;
    assert_eq!(n, 16, "approveProject");
    let approved = &approved["approveProject"]["project"];
    assert_eq!(approved["status"], "APPROVED");
    assert_eq!(*approved, read(&approver, &id).await, "the approval answers what a read gives");
}

/// A row edit reads the project and its rows once (with their ids) and nothing again after its
/// writes: the answer's row and list are the ones it wrote. Each kind of row edit runs the
/// statements written here.
#[tokio::test]
async fn each_row_edit_reads_its_rows_once_and_costs_the_statements_written_here() {
    let world = World::with_fixture().await;
    jixiao_tests::server::until_listening(&world.server.base_url).await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let created = submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "逐行代价项目") })).await;
    let id = created["createProject"]["project"]["id"].as_str().unwrap_or_else(|| panic!("{created}")).to_string();
    let mut version = 1;
    let answer = "project { version indicators { id position name } fundItems { id position name } }";
    let indicator = format!("{answer} indicator {{ id position name }} userErrors {{ code field }}");
    let fund_item = format!("{answer} fundItem {{ id position name }} userErrors {{ code field }}");
    let mutation = |name: &str, input: &str, payload: &str| {
        format!("mutation($input: {input}!) {{ {name}(input: $input) {{ {payload} }} }}")
    };

    // Every edit: the row's project (an existing row), the project, its fund items and
    // indicators (once, with their ids), the version moved on, the rows written, the findings
    // replaced (2), the audit record (2). The answer is what was written: no statement.
    let row = json!({ "level1": "OUTPUT", "level2": "QUANTITY", "name": "逐行新增指标", "target": ">=3个" });
    let add = mutation("addIndicator", "AddIndicatorInput", &indicator);
    let input = json!({ "projectId": id, "expectedVersion": version, "position": 0, "indicator": row });
    let (added, n) = cost(&submitter, &add, json!({ "input": input })).await;
    let added = &added["addIndicator"];
    assert_eq!(added["userErrors"], json!([]), "{added}");
    // The rows after the new one parked (1) and moved down one place, the new row inserted.
    let rows = added["project"]["indicators"].as_array().unwrap().len() as u64;
    assert_eq!(n, 3 + 1 + 1 + (rows - 1) + 1 + 2 + 2, "addIndicator at the top of {rows} rows");
    assert_eq!(added["indicator"]["position"], 0);
    assert_eq!(added["project"]["indicators"][0], added["indicator"]);
    version += 1;
    let new_id = added["indicator"]["id"].clone();

    let change = mutation("updateIndicator", "UpdateIndicatorInput", &indicator);
    let input = json!({ "id": new_id, "expectedVersion": version, "name": "逐行改名指标" });
    let (changed, n) = cost(&submitter, &change, json!({ "input": input })).await;
    assert_eq!(changed["updateIndicator"]["indicator"]["name"], "逐行改名指标", "{changed}");
    assert_eq!(n, 1 + 3 + 1 + 1 + 2 + 2, "updateIndicator");
    version += 1;

    let moved = mutation("moveIndicator", "MoveIndicatorInput", &indicator);
    let input = json!({ "id": new_id, "expectedVersion": version, "position": 1 });
    let (moved, n) = cost(&submitter, &moved, json!({ "input": input })).await;
    assert_eq!(moved["moveIndicator"]["indicator"]["position"], 1, "{moved}");
    // Two rows change places: parked (1), each written (2).
    assert_eq!(n, 1 + 3 + 1 + 1 + 2 + 2 + 2, "moveIndicator by one place");
    version += 1;

    let remove = mutation("removeIndicator", "RemoveIndicatorInput", &indicator);
    let input = json!({ "id": new_id, "expectedVersion": version });
    let (removed, n) = cost(&submitter, &remove, json!({ "input": input })).await;
    let removed = &removed["removeIndicator"];
    assert_eq!(removed["indicator"], Value::Null, "{removed}");
    assert_eq!(removed["project"]["indicators"].as_array().unwrap().len() as u64, rows - 1);
    // The row deleted, the rows after it parked and moved up one place.
    assert_eq!(n, 1 + 3 + 1 + 1 + 1 + (rows - 2) + 2 + 2, "removeIndicator at place 1 of {rows} rows");
    version += 1;

    let add = mutation("addFundItem", "AddFundItemInput", &fund_item);
    let input = json!({ "projectId": id, "expectedVersion": version, "fundItem": { "name": "逐行新增明细", "amount": "0.00" } });
    let (added, n) = cost(&submitter, &add, json!({ "input": input })).await;
    assert_eq!(added["addFundItem"]["userErrors"], json!([]), "{added}");
    assert_eq!(n, 3 + 1 + 1 + 2 + 2, "addFundItem at the end");
    assert_eq!(read(&submitter, &id).await["fundItems"].as_array().unwrap().last().unwrap()["name"], "逐行新增明细");
}

/// The department-wide form's writes, and its report's and self-evaluation's, each run the
/// statements written here. They announce nothing to subscribers (`jixiao_events`), so each
/// write is counted when its answer comes back.
#[tokio::test]
async fn each_department_wide_write_costs_the_statements_written_here() {
    let world = World::with_fixture().await;
    jixiao_tests::server::until_listening(&world.server.base_url).await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let admin = world.login("admin").await;
    let department =
        submitter.data("{ department(code: \"SJQ-XFB\") { id } }", json!({})).await["department"]["id"].clone();
    let counted = async |client: &Client, query: &str, variables: Value| {
        let before = statements_run(client).await;
        let data = client.data(query, variables).await;
        (data, statements_run(client).await - before)
    };
    let row = |l1: &str, l2: &str, name: &str| json!({ "indicator": { "level1": l1, "level2": l2, "name": name, "target": "≥95%", "measures": [0] } });
    let input = json!({
        "departmentId": department, "fiscalYear": 2024, "functions": "职能", "overallGoal": "目标",
        "tasks": [{ "name": "任务", "basicExpenditure": "100.00" }],
        "personnelExpenditure": "100.00", "incomeFiscal": "100.00",
        "indicators": [row("OUTPUT", "QUALITY", "办结率"), row("BENEFIT", "SOCIAL_BENEFIT", "化解率"),
                       row("SATISFACTION", "SERVICE_SATISFACTION", "满意度")],
    });
    let mut costs: Vec<(&str, u64)> = Vec::new();
    let save = "mutation($i: SaveDepartmentGoalsInput!) { saveDepartmentGoals(input: $i) { departmentGoals { id version status } userErrors { code message } } }";
    let (saved, n) = counted(&submitter, save, json!({ "i": input })).await;
    let goals = saved["saveDepartmentGoals"]["departmentGoals"].clone();
    costs.push(("saveDepartmentGoals (new)", n));
    let step = "mutation($i: DepartmentGoalsStepInput!) { stepDepartmentGoals(input: $i) { departmentGoals { id version status } userErrors { code message } } }";
    let (r, n) = counted(
        &submitter,
        step,
        json!({ "i": { "id": goals["id"], "action": "SUBMIT", "expectedVersion": goals["version"] } }),
    )
    .await;
    let goals = r["stepDepartmentGoals"]["departmentGoals"].clone();
    assert_eq!(goals["status"], "SUBMITTED");
    costs.push(("stepDepartmentGoals SUBMIT", n));
    let (r, n) = counted(
        &approver,
        step,
        json!({ "i": { "id": goals["id"], "action": "APPROVE", "expectedVersion": goals["version"] } }),
    )
    .await;
    assert_eq!(r["stepDepartmentGoals"]["departmentGoals"]["status"], "APPROVED");
    costs.push(("stepDepartmentGoals APPROVE (no round yet)", n));
    let open = "mutation { openMonitoringRound(input: { fiscalYear: 2024, name: \"上半年\", asOf: \"2024-06-30\", dueDate: \"2024-07-15\" }) { round { id } } }";
    let (_, n) = counted(&admin, open, json!({})).await;
    costs.push(("openMonitoringRound (one form in force, no project)", n));
    let q = "query($id: ID!) { node(id: $id) { ... on DepartmentGoals { reports { id version } } } }";
    let report = submitter.data(q, json!({ "id": goals["id"] })).await["node"]["reports"][0].clone();
    let update = "mutation($i: UpdateDepartmentGoalsReportInput!) { updateDepartmentGoalsReport(input: $i) { report { id version } userErrors { code } } }";
    let certain: Vec<Value> = (1..=3).map(|r| json!({ "rowId": r, "likelihood": "CERTAIN" })).collect();
    let (r, n) = counted(&submitter, update, json!({ "i": { "id": report["id"], "expectedVersion": report["version"], "budgetExecuted": "50.00", "indicators": certain } })).await;
    assert_eq!(r["updateDepartmentGoalsReport"]["report"]["version"], 2);
    costs.push(("updateDepartmentGoalsReport", n));
    let step_report = "mutation($i: DepartmentGoalsReportStepInput!) { stepDepartmentGoalsReport(input: $i) { report { status } userErrors { code } } }";
    let (r, n) = counted(&submitter, step_report, json!({ "i": { "id": report["id"], "action": "SUBMIT" } })).await;
    assert_eq!(r["stepDepartmentGoalsReport"]["report"]["status"], "SUBMITTED");
    costs.push(("stepDepartmentGoalsReport SUBMIT", n));
    let start = "mutation($g: ID!) { startDepartmentGoalsEvaluation(goalsId: $g) { selfEvaluation { id version } userErrors { code } } }";
    let (r, n) = counted(&submitter, start, json!({ "g": goals["id"] })).await;
    let e = r["startDepartmentGoalsEvaluation"]["selfEvaluation"].clone();
    costs.push(("startDepartmentGoalsEvaluation", n));
    let fill = "mutation($i: UpdateDepartmentGoalsEvaluationInput!) { updateDepartmentGoalsEvaluation(input: $i) { selfEvaluation { version totalScore } userErrors { code } } }";
    let met: Vec<Value> = (1..=3).map(|r| json!({ "rowId": r, "actual": "96%" })).collect();
    let (r, n) = counted(&submitter, fill, json!({ "i": { "id": e["id"], "expectedVersion": e["version"], "budgetExecuted": "100.00", "indicators": met } })).await;
    assert_eq!(r["updateDepartmentGoalsEvaluation"]["selfEvaluation"]["totalScore"], "100.00");
    costs.push(("updateDepartmentGoalsEvaluation", n));
    // Each ends with its audit record (2). Save: the department, the year's projects the form is
    // checked among, the insert (the rows' ids come with it). Submitting: the form, whether the
    // department reviews, the year's projects (the check), the compare-and-set and its history
    // row, the form read back; approving reads who the approver works for instead of the
    // review and the check, and the year's rounds (none yet) under their lock. Opening a round:
    // the round itself (the year's lock, count and insert) and its projects in force (none), then
    // each form in force with the projects it links (their amounts) and its report. A report filled: the report, its round, its
    // form (the rows in force), the compare-and-set, the report read back; a step: the report,
    // its form (what it lacks), the compare-and-set and its history row, read back. A
    // self-evaluation started: the form, the form's lock, whether one exists, the projects it
    // links (支出合计 in force), the insert; filled: the evaluation, its form, the
    // compare-and-set, read back, and the form again for the answer's score.
    let expected: Vec<(&str, u64)> = vec![
        ("saveDepartmentGoals (new)", 5),
        ("stepDepartmentGoals SUBMIT", 8),
        ("stepDepartmentGoals APPROVE (no round yet)", 9),
        ("openMonitoringRound (one form in force, no project)", 9),
        ("updateDepartmentGoalsReport", 7),
        ("stepDepartmentGoalsReport SUBMIT", 7),
        ("startDepartmentGoalsEvaluation", 6),
        ("updateDepartmentGoalsEvaluation", 7),
    ];
    assert_eq!(costs, expected);
}
