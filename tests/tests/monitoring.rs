//! 绩效运行监控 over HTTP on PostgreSQL: an admin opens a round as of 2023-07-31; the approved
//! project's unit reports 40% executed with one target POSSIBLE and one IMPOSSIBLE; the lights,
//! the summary, the checks before submission; returned, resubmitted, accepted; a project
//! approved later joins the round.

use jixiao_tests::{Client, World};
use serde_json::{Value, json};

const REPORT: &str =
    "id status overdue version annualRequest budgetExecuted executionRate timeProgress budgetRatio budgetLight light
    indicators { indicator { id name } target likelihood deviationReasons explanation measures light }
    reviews { action fromStatus toStatus comment }";

async fn seed_project(client: &Client, name: &str) -> String {
    let r = client.data("{ projects(first: 10, filter: { fiscalYear: 2023 }) { nodes { id name } } }", json!({})).await;
    r["projects"]["nodes"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn approve(submitter: &Client, approver: &Client, id: &str) {
    let r = submitter
        .data("mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }", json!({ "id": id }))
        .await;
    assert_eq!(r["submitProject"]["userErrors"], json!([]), "{r}");
    let r = approver
        .data("mutation($id: ID!) { approveProject(id: $id) { userErrors { code } } }", json!({ "id": id }))
        .await;
    assert_eq!(r["approveProject"]["userErrors"], json!([]), "{r}");
}

async fn open_round(admin: &Client, name: &str, as_of: &str, due: &str) -> Value {
    open_round_with(admin, json!({ "fiscalYear": 2023, "name": name, "asOf": as_of, "dueDate": due })).await
}

async fn open_round_with(admin: &Client, input: Value) -> Value {
    let q = "mutation($i: OpenMonitoringRoundInput!) { openMonitoringRound(input: $i) {
        round { id name asOf dueDate timeProgress
            budgetRule { comparison comparisonLabel timeBasis lowerThreshold upperThreshold } }
        userErrors { field code message } } }";
    admin.gql(q, json!({ "i": input })).await
}

async fn update(client: &Client, id: &str, version: &Value, fields: Value) -> Value {
    let q = format!(
        "mutation($i: UpdateMonitoringReportInput!) {{ updateMonitoringReport(input: $i) {{
            report {{ {REPORT} }} userErrors {{ field code message }} }} }}"
    );
    let mut input = json!({ "id": id, "expectedVersion": version });
    input.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    client.data(&q, json!({ "i": input })).await["updateMonitoringReport"].clone()
}

async fn step(client: &Client, mutation: &str, args: &str, id: &str) -> Value {
    let q = format!(
        "mutation($id: ID!) {{ {mutation}(id: $id{args}) {{ report {{ status version }} userErrors {{ field code message }} }} }}"
    );
    client.data(&q, json!({ "id": id })).await[mutation].clone()
}

async fn summary(client: &Client, round: &str) -> Value {
    let q = "query($id: ID!) { monitoringRound(id: $id) { summary { reportCount green yellow red unlit overdue
        budgetExecuted annualRequest executionRate byStatus { status label count } }
        reports(filter: { light: [RED] }) { totalCount nodes { id } }
        overdueReports: reports(filter: { overdue: true }) { totalCount }
        onTime: reports(filter: { overdue: false }) { totalCount } } }";
    client.data(q, json!({ "id": round })).await["monitoringRound"].clone()
}

#[tokio::test]
async fn a_round_is_filled_reviewed_and_summed_with_its_lights() {
    let world = World::with_fixture().await;
    let (submitter, approver, admin) =
        (world.login("submitter").await, world.login("approver").await, world.login("admin").await);
    let project = seed_project(&submitter, "课题与规划").await;
    approve(&submitter, &approver, &project).await;

    // Only admins open rounds; a round's dates are checked; its name is unique in its year.
    let refused = open_round(&approver, "2023年1-7月", "2023-07-31", "2023-08-15").await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let bad = open_round(&admin, "2023年1-7月", "2024-07-31", "2024-07-01").await;
    let fields: Vec<&str> = bad["data"]["openMonitoringRound"]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["asOf", "dueDate"]);
    let opened = open_round(&admin, "2023年1-7月", "2023-07-31", "2023-08-15").await;
    let round = opened["data"]["openMonitoringRound"]["round"].clone();
    // New rounds light budgets as bureaus' warning modules do: execution ÷ time, by whole months.
    assert_eq!(round["timeProgress"], "58.33", "7 whole months of 12");
    assert_eq!(
        round["budgetRule"],
        json!({ "comparison": "RATIO", "comparisonLabel": "比值（执行率 ÷ 时间进度）", "timeBasis": "MONTHS",
            "lowerThreshold": "60.00", "upperThreshold": "80.00" })
    );
    let round_id = round["id"].as_str().unwrap().to_string();
    let again = open_round(&admin, "2023年1-7月", "2023-07-31", "2023-08-15").await;
    assert_eq!(again["data"]["openMonitoringRound"]["userErrors"][0]["code"], "ALREADY_EXISTS");
    let rounds = submitter.data("{ monitoringRounds(fiscalYear: 2023) { name } }", json!({})).await;
    assert_eq!(rounds["monitoringRounds"], json!([{ "name": "2023年1-7月" }]));

    // The approved project, and only it, has a report; a draft report is the unit's alone.
    let count = |client: &Client| {
        let client = client.clone();
        let round_id = round_id.clone();
        async move {
            client
                .data(
                    "query($id: ID!) { monitoringRound(id: $id) { reports { totalCount } } }",
                    json!({ "id": round_id }),
                )
                .await["monitoringRound"]["reports"]["totalCount"]
                .clone()
        }
    };
    assert_eq!((count(&admin).await, count(&submitter).await, count(&approver).await), (json!(1), json!(1), json!(0)));
    let q = format!("query($id: ID!) {{ project(id: $id) {{ monitoringReports {{ {REPORT} }} }} }}");
    let report = submitter.data(&q, json!({ "id": project })).await["project"]["monitoringReports"][0].clone();
    let id = report["id"].as_str().unwrap().to_string();
    assert_eq!((report["status"].as_str(), report["annualRequest"].as_str()), (Some("DRAFT"), Some("100000.00")));
    assert_eq!(report["light"], Value::Null, "nothing entered yet");
    // Due 2023-08-15, long past: a draft is overdue until it is submitted.
    assert_eq!(report["overdue"], true);
    let late = summary(&submitter, &round_id).await;
    assert_eq!(
        (
            late["summary"]["overdue"].as_i64(),
            late["overdueReports"]["totalCount"].as_i64(),
            late["onTime"]["totalCount"].as_i64()
        ),
        (Some(1), Some(1), Some(0))
    );
    let rows = report["indicators"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 9, "every indicator in force");
    assert_eq!(rows[0]["target"], "=100%");

    // What cannot be saved: more than the annual request, a stale version, an indicator of another project.
    let over = update(&submitter, &id, &report["version"], json!({ "budgetExecuted": "100000.01" })).await;
    assert_eq!(
        (over["userErrors"][0]["field"].as_str(), over["userErrors"][0]["code"].as_str()),
        (Some("budgetExecuted"), Some("INVALID_INPUT"))
    );
    let stale = update(&submitter, &id, &json!(0), json!({ "budgetExecuted": "1.00" })).await;
    assert_eq!(stale["userErrors"][0]["code"], "VERSION_CONFLICT");
    let other = seed_project(&submitter, "宣传与推广").await;
    let foreign =
        submitter.data("query($id: ID!) { project(id: $id) { indicators { id } } }", json!({ "id": other })).await;
    let wrong = update(
        &submitter,
        &id,
        &report["version"],
        json!({ "indicators": [{ "indicatorId": foreign["project"]["indicators"][0]["id"], "likelihood": "CERTAIN" }] }),
    )
    .await;
    assert_eq!(wrong["userErrors"][0]["field"], "indicators[0].indicatorId");

    // 40% executed, one target POSSIBLE, one IMPOSSIBLE (its measures not yet written), the rest CERTAIN.
    let mut progress: Vec<Value> = rows
        .iter()
        .map(|r| json!({ "indicatorId": r["indicator"]["id"], "likelihood": "CERTAIN", "actualToDate": "按计划推进" }))
        .collect();
    progress[1] = json!({ "indicatorId": rows[1]["indicator"]["id"], "likelihood": "POSSIBLE",
        "deviationReasons": ["STAFFING"], "explanation": "课题组人员调整" });
    progress[2] = json!({ "indicatorId": rows[2]["indicator"]["id"], "likelihood": "IMPOSSIBLE",
        "deviationReasons": ["FUNDING", "OTHER"], "explanation": "上级课题延期下达" });
    let filled =
        update(&submitter, &id, &report["version"], json!({ "budgetExecuted": "40000.00", "indicators": progress }))
            .await;
    assert_eq!(filled["userErrors"], json!([]), "{filled}");
    let r = &filled["report"];
    assert_eq!(
        (r["executionRate"].as_str(), r["timeProgress"].as_str(), r["budgetRatio"].as_str()),
        (Some("40.00"), Some("58.33"), Some("68.58"))
    );
    assert_eq!(
        (r["budgetLight"].as_str(), r["light"].as_str()),
        (Some("YELLOW"), Some("RED")),
        "40.00 ÷ 58.33 is 68.58% of time, from 60 below 80: YELLOW; an IMPOSSIBLE target: RED"
    );
    let lights: Vec<&str> = r["indicators"].as_array().unwrap().iter().map(|i| i["light"].as_str().unwrap()).collect();
    assert_eq!(&lights[..3], ["GREEN", "YELLOW", "RED"]);
    // Progress lights an indicator too, and the worse of the two counts: =100% with 40% done by
    // the end of July is RED, however CERTAIN the unit says it is.
    let behind = json!({ "indicatorId": rows[0]["indicator"]["id"], "likelihood": "CERTAIN", "actualToDate": "40%" });
    let r = update(&submitter, &id, &r["version"], json!({ "indicators": [behind] })).await;
    assert_eq!(r["report"]["indicators"][0]["light"], "RED", "{r}");
    let on_track =
        json!({ "indicatorId": rows[0]["indicator"]["id"], "likelihood": "CERTAIN", "actualToDate": "按计划推进" });
    let r = update(&submitter, &id, &r["report"]["version"], json!({ "indicators": [on_track] })).await;
    assert_eq!(r["report"]["indicators"][0]["light"], "GREEN", "not a number: the likelihood alone");
    let filled = r;
    // The approvers' screen updates itself: a subscription hears each step of the report.
    let mut heard = jixiao_tests::ws::Subscriber::subscribed(
        &world.server.base_url,
        approver.token(),
        "m",
        "subscription { monitoringEvents { action fromStatus toStatus report { id status } } }",
    )
    .await;
    let refused = step(&submitter, "submitMonitoringReport", "", &id).await;
    let missing: Vec<&str> =
        refused["userErrors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(missing, ["indicators[2].measures"], "measures are required for an IMPOSSIBLE target: {refused}");
    assert!(refused["userErrors"][0]["message"].as_str().unwrap().contains("纠偏措施"));
    let version = &filled["report"]["version"];
    let measured = update(&submitter, &id, version, json!({ "indicators": [{ "indicatorId": rows[2]["indicator"]["id"],
        "likelihood": "IMPOSSIBLE", "deviationReasons": ["FUNDING"], "explanation": "上级课题延期下达", "measures": "申请调整年度目标" }] })).await;
    assert_eq!(measured["userErrors"], json!([]));
    assert_eq!(step(&submitter, "submitMonitoringReport", "", &id).await["report"]["status"], "SUBMITTED");
    let event = heard.event(std::time::Duration::from_secs(2)).await.expect("the submit is heard");
    assert_eq!(
        event["monitoringEvents"],
        json!({ "action": "SUBMIT", "fromStatus": "DRAFT", "toStatus": "SUBMITTED", "report": { "id": id, "status": "SUBMITTED" } }),
        "the refused submit was not an event; the one that went through is"
    );

    // The approvers see it now: the lights and the money of the whole, the RED list.
    let seen = summary(&approver, &round_id).await;
    let s = &seen["summary"];
    assert_eq!(
        (s["reportCount"].as_i64(), s["red"].as_i64(), s["green"].as_i64(), s["yellow"].as_i64()),
        (Some(1), Some(1), Some(0), Some(0))
    );
    assert_eq!(
        (s["budgetExecuted"].as_str(), s["annualRequest"].as_str(), s["executionRate"].as_str()),
        (Some("40000.00"), Some("100000.00"), Some("40.00"))
    );
    assert_eq!(s["byStatus"], json!([{ "status": "SUBMITTED", "label": "已提交", "count": 1 }]));
    assert_eq!((s["overdue"].as_i64(), seen["overdueReports"]["totalCount"].as_i64()), (Some(0), Some(0)), "submitted");
    assert_eq!(seen["reports"]["totalCount"], 1, "the RED reports across departments");
    let wrong_role = submitter
        .gql("mutation($id: ID!) { acceptMonitoringReport(id: $id) { report { status } } }", json!({ "id": id }))
        .await;
    assert_eq!(wrong_role["errors"][0]["extensions"]["code"], "FORBIDDEN", "a unit does not accept its own report");

    // Returned with a reason, corrected, resubmitted, accepted; every step recorded.
    assert_eq!(
        step(&approver, "returnMonitoringReport", ", reason: \"  \"", &id).await["userErrors"][0]["field"],
        "reason"
    );
    assert_eq!(
        step(&approver, "returnMonitoringReport", ", reason: \"执行数请附凭证\"", &id).await["report"]["status"],
        "RETURNED"
    );
    let event = heard.event(std::time::Duration::from_secs(2)).await.expect("the return is heard");
    assert_eq!(
        (event["monitoringEvents"]["action"].as_str(), event["monitoringEvents"]["toStatus"].as_str()),
        (Some("RETURN"), Some("RETURNED"))
    );
    let report = submitter
        .data(&format!("query($id: ID!) {{ monitoringReport(id: $id) {{ {REPORT} }} }}"), json!({ "id": id }))
        .await["monitoringReport"]
        .clone();
    let corrected = update(&submitter, &id, &report["version"], json!({ "budgetExecuted": "45000.00" })).await;
    assert_eq!(corrected["report"]["executionRate"], "45.00");
    assert_eq!(
        (corrected["report"]["budgetRatio"].as_str(), corrected["report"]["budgetLight"].as_str()),
        (Some("77.15"), Some("YELLOW")),
        "45.00 ÷ 58.33: still below 80"
    );
    assert_eq!(step(&submitter, "submitMonitoringReport", "", &id).await["report"]["status"], "SUBMITTED");
    assert_eq!(
        step(&approver, "acceptMonitoringReport", ", comment: \"已阅\"", &id).await["report"]["status"],
        "ACCEPTED"
    );
    let done = approver
        .data(&format!("query($id: ID!) {{ monitoringReport(id: $id) {{ {REPORT} }} }}"), json!({ "id": id }))
        .await;
    let steps: Vec<String> = done["monitoringReport"]["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {}→{}",
                r["action"].as_str().unwrap(),
                r["fromStatus"].as_str().unwrap(),
                r["toStatus"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            "SUBMIT DRAFT→SUBMITTED",
            "RETURN SUBMITTED→RETURNED",
            "SUBMIT RETURNED→SUBMITTED",
            "ACCEPT SUBMITTED→ACCEPTED"
        ]
    );
    let late = update(&submitter, &id, &done["monitoringReport"]["version"], json!({ "budgetExecuted": "1.00" })).await;
    assert_eq!(late["userErrors"][0]["code"], "INVALID_TRANSITION", "an accepted report is final");

    // A project approved after the round opened joins it.
    approve(&submitter, &approver, &other).await;
    assert_eq!(count(&admin).await, 2);
    let summed = summary(&admin, &round_id).await;
    assert_eq!(summed["summary"]["annualRequest"], "250000.00", "100,000 + 150,000 in force");
    assert_eq!(summed["summary"]["unlit"], 1);

    // Its targets adjusted and approved again: its open report reads the new annual request in
    // force; the accepted one keeps what it was accepted against.
    let version = submitter.data("query($id: ID!) { project(id: $id) { version } }", json!({ "id": other })).await["project"]["version"].clone();
    let r = submitter
        .data(
            "mutation($i: StartAdjustmentInput!) { startAdjustment(input: $i) { project { version } userErrors { code } } }",
            json!({ "i": { "id": other, "expectedVersion": version, "reason": "追加宣传经费" } }),
        )
        .await;
    let version = r["startAdjustment"]["project"]["version"].clone();
    let amounts = json!({ "total": "160000.00", "fiscal": "160000.00", "annualRequest": "160000.00", "currentYearAppropriation": "160000.00" });
    let r = submitter
        .data(
            "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { userErrors { code message } } }",
            json!({ "i": { "id": other, "expectedVersion": version, "funds": amounts,
                "sections": { "budgetArrangement": "宣传与推广项目年度预算为 16 万元。" } } }),
        )
        .await;
    assert_eq!(r["updateProject"]["userErrors"], json!([]), "{r}");
    let during = summary(&admin, &round_id).await;
    assert_eq!(during["summary"]["annualRequest"], "250000.00", "the adjustment is not in force yet");
    approve(&submitter, &approver, &other).await;
    let after = summary(&admin, &round_id).await;
    assert_eq!(after["summary"]["annualRequest"], "260000.00", "100,000 accepted + 160,000 now in force");

    // A round may keep the difference by days (the rule of rounds opened before it was a
    // setting); thresholds left out are the comparison's usual ones; wrong ones are refused.
    let reversed = open_round_with(
        &admin,
        json!({ "fiscalYear": 2023, "name": "倒置", "asOf": "2023-09-30", "dueDate": "2023-10-15",
            "budgetRule": { "comparison": "RATIO", "lowerThreshold": "80", "upperThreshold": "60" } }),
    )
    .await;
    assert_eq!(reversed["data"]["openMonitoringRound"]["userErrors"][0]["field"], "budgetRule", "{reversed}");
    let unreadable = open_round_with(
        &admin,
        json!({ "fiscalYear": 2023, "name": "乱码", "asOf": "2023-09-30", "dueDate": "2023-10-15",
            "budgetRule": { "comparison": "RATIO", "lowerThreshold": "六十" } }),
    )
    .await;
    assert_eq!(unreadable["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{unreadable}");
    let by_days = open_round_with(
        &admin,
        json!({ "fiscalYear": 2023, "name": "2023年1-9月", "asOf": "2023-09-30", "dueDate": "2023-10-15",
            "budgetRule": { "comparison": "DIFFERENCE", "timeBasis": "DAYS" } }),
    )
    .await;
    let round = &by_days["data"]["openMonitoringRound"]["round"];
    assert_eq!(round["timeProgress"], "74.79", "273 days of 365");
    assert_eq!(
        (round["budgetRule"]["lowerThreshold"].as_str(), round["budgetRule"]["upperThreshold"].as_str()),
        (Some("10.00"), Some("20.00"))
    );

    // Ahead of plan: an indicator at 120% of its target is BLUE, and so is a report with nothing
    // worse; BLUE is counted and filtered like the other lights.
    let q = format!("query($id: ID!) {{ project(id: $id) {{ monitoringReports {{ {REPORT} }} }} }}");
    let reports = submitter.data(&q, json!({ "id": project })).await["project"]["monitoringReports"].clone();
    let september = reports.as_array().unwrap().iter().find(|r| r["timeProgress"] == "74.79").unwrap().clone();
    let ahead: Vec<Value> = september["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(n, r)| {
            let actual = if n == 0 { "120%" } else { "按计划推进" };
            json!({ "indicatorId": r["indicator"]["id"], "likelihood": "CERTAIN", "actualToDate": actual })
        })
        .collect();
    let september_id = september["id"].as_str().unwrap().to_string();
    let r = update(
        &submitter,
        &september_id,
        &september["version"],
        json!({ "budgetExecuted": "80000.00", "indicators": ahead }),
    )
    .await;
    assert_eq!(
        (
            r["report"]["budgetLight"].as_str(),
            r["report"]["indicators"][0]["light"].as_str(),
            r["report"]["light"].as_str()
        ),
        (Some("GREEN"), Some("BLUE"), Some("BLUE")),
        "{r}"
    );
    let round_id = round["id"].as_str().unwrap();
    let q = "query($id: ID!) { monitoringRound(id: $id) { summary { blue green }
        reports(filter: { light: [BLUE] }) { totalCount } } }";
    let seen = submitter.data(q, json!({ "id": round_id })).await["monitoringRound"].clone();
    assert_eq!((seen["summary"]["blue"].as_i64(), seen["reports"]["totalCount"].as_i64()), (Some(1), Some(1)));
}
