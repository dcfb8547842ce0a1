//! Targets in force, over HTTP on PostgreSQL: an approved declaration is frozen; an adjustment
//! edits it while the approved one stays in force, shows what it changes, goes to the approvers
//! and back, and becomes the new snapshot in force; a cancelled adjustment puts the one in force
//! back, row ids included. Every step is in the reviews.

use jixiao_tests::{CREATE_PROJECT, Client, World, complete_declaration, unit_of};
use serde_json::{Value, json};

const PROJECT: &str = "query($id: ID!) { project(id: $id) { status version annualGoal sections { plan }
    funds { total fiscal }
    indicators { id target { text } } fundItems { id name amount }
    inForce { version reason declaration { annualGoal sections { plan } funds { total fiscal }
        indicators { id target { text } } fundItems { id name amount } } }
    snapshots { version reason comment approvedAt approvedBy { username } declaration { indicators { target { text } } } }
    reviews { action fromStatus toStatus comment } } }";

async fn project(client: &Client, id: &str) -> Value {
    client.data(PROJECT, json!({ "id": id })).await["project"].clone()
}

async fn step(client: &Client, mutation: &str, args: &str, id: &str) -> Value {
    let q = format!(
        "mutation($id: ID!) {{ {mutation}(id: $id{args}) {{ project {{ status version }} userErrors {{ field code message }} }} }}"
    );
    client.data(&q, json!({ "id": id })).await[mutation].clone()
}

async fn start_adjustment(client: &Client, id: &str, version: &Value, reason: &str) -> Value {
    let q = "mutation($i: StartAdjustmentInput!) { startAdjustment(input: $i) {
        project { status version } userErrors { field code message } } }";
    client.data(q, json!({ "i": { "id": id, "expectedVersion": version, "reason": reason } })).await["startAdjustment"]
        .clone()
}

async fn changes(client: &Client, id: &str, from: &Value, to: Option<&Value>) -> Vec<String> {
    let q = "query($id: ID!, $from: Int!, $to: Int) { project(id: $id) {
        changes(fromVersion: $from, toVersion: $to) { field indicatorId fundItemId old new } } }";
    let r = client.data(q, json!({ "id": id, "from": from, "to": to })).await;
    r["project"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let row = if c["indicatorId"].is_string() {
                " (indicator)"
            } else if c["fundItemId"].is_string() {
                " (fund item)"
            } else {
                ""
            };
            format!("{}{row}: {} → {}", c["field"].as_str().unwrap(), c["old"], c["new"])
        })
        .collect()
}

fn code(payload: &Value) -> &str {
    payload["userErrors"][0]["code"].as_str().unwrap_or("none")
}

#[tokio::test]
async fn an_approved_declaration_is_adjusted_and_the_old_targets_stay_readable() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let r = submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "调解服务") })).await;
    let id = r["createProject"]["project"]["id"].as_str().unwrap().to_string();
    step(&submitter, "submitProject", "", &id).await;
    let approved = step(&approver, "approveProject", ", comment: \"同意\"", &id).await;
    assert_eq!(approved["project"]["status"], "APPROVED");
    let v1 = approved["project"]["version"].clone();
    let p = project(&submitter, &id).await;
    assert_eq!(p["snapshots"].as_array().unwrap().len(), 1);
    assert_eq!(p["inForce"]["version"], v1);
    assert_eq!(p["snapshots"][0]["comment"], "同意");
    assert_eq!(p["snapshots"][0]["approvedBy"]["username"], "approver");
    assert_eq!(p["inForce"]["declaration"]["indicators"], json!(p["indicators"]), "the ids and targets approved");

    // Frozen: every edit is INVALID_TRANSITION, and nothing changes.
    let update = "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { userErrors { code } } }";
    let r = submitter.data(update, json!({ "i": { "id": id, "expectedVersion": v1, "overallGoal": "改" } })).await;
    assert_eq!(r["updateProject"]["userErrors"][0]["code"], "INVALID_TRANSITION");
    let edit_target = "mutation($i: UpdateIndicatorInput!) { updateIndicator(input: $i) { project { version } userErrors { code } } }";
    let first_indicator = p["indicators"][0]["id"].clone();
    let r = submitter
        .data(edit_target, json!({ "i": { "id": first_indicator, "expectedVersion": v1, "target": "≥99%" } }))
        .await;
    assert_eq!(r["updateIndicator"]["userErrors"][0]["code"], "INVALID_TRANSITION");
    assert_eq!(project(&submitter, &id).await["version"], v1);

    // Adjusting needs a reason and the version loaded; approvers cannot start one.
    assert_eq!(code(&start_adjustment(&submitter, &id, &v1, " ").await), "INVALID_INPUT");
    assert_eq!(code(&start_adjustment(&submitter, &id, &json!(0), "政策调整").await), "VERSION_CONFLICT");
    let forbidden = approver
        .gql(
            "mutation($i: StartAdjustmentInput!) { startAdjustment(input: $i) { userErrors { code } } }",
            json!({ "i": { "id": id, "expectedVersion": v1, "reason": "x" } }),
        )
        .await;
    assert_eq!(forbidden["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let started = start_adjustment(&submitter, &id, &v1, "服务对象增加，调解成功率目标上调").await;
    assert_eq!(started["project"]["status"], "ADJUSTING", "{started}");
    let mut version = started["project"]["version"].as_i64().unwrap();

    // Edited with the usual mutations, while the approved targets stay in force.
    let r = submitter
        .data(edit_target, json!({ "i": { "id": first_indicator, "expectedVersion": version, "target": "≥99%" } }))
        .await;
    assert_eq!(r["updateIndicator"]["userErrors"], json!([]), "{r}");
    version += 1;
    let items = p["fundItems"].as_array().unwrap().clone();
    let edit_item = "mutation($i: UpdateFundItemInput!) { updateFundItem(input: $i) { userErrors { code } } }";
    for (item, amount) in [(&items[0], "9000.00"), (&items[1], "6000.00")] {
        let r = submitter
            .data(edit_item, json!({ "i": { "id": item["id"], "expectedVersion": version, "amount": amount } }))
            .await;
        assert_eq!(r["updateFundItem"]["userErrors"], json!([]), "{r}");
        version += 1;
    }
    let during = project(&approver, &id).await;
    assert_eq!(during["status"], "ADJUSTING");
    assert_eq!(during["inForce"]["version"], v1, "the approved targets stay in force");
    assert_eq!(during["inForce"]["declaration"]["indicators"][0]["target"]["text"], "≥95%");
    assert_eq!(during["indicators"][0]["target"]["text"], "≥99%");
    let asked = [
        "fundItems.amount (fund item): \"10000.00\" → \"9000.00\"",
        "fundItems.amount (fund item): \"5000.00\" → \"6000.00\"",
        "indicators.target (indicator): \"≥95%\" → \"≥99%\"",
    ];
    assert_eq!(changes(&approver, &id, &v1, None).await, asked, "what the adjustment changes, for the approver");
    let deleted = submitter
        .data("mutation($id: ID!) { deleteProject(id: $id) { userErrors { code } } }", json!({ "id": id }))
        .await;
    assert_eq!(
        code(&deleted["deleteProject"]),
        "INVALID_TRANSITION",
        "an adjustment is cancelled, not deleted: {deleted}"
    );

    // To the approvers, back with a reason, again, and approved: the new snapshot in force.
    assert_eq!(step(&submitter, "submitProject", "", &id).await["project"]["status"], "ADJUSTMENT_SUBMITTED");
    let back = step(&approver, "rejectProject", ", reason: \"请说明上调依据\"", &id).await;
    assert_eq!(back["project"]["status"], "ADJUSTING");
    assert_eq!(step(&submitter, "submitProject", "", &id).await["project"]["status"], "ADJUSTMENT_SUBMITTED");
    let done = step(&approver, "approveProject", "", &id).await;
    assert_eq!(done["project"]["status"], "APPROVED");
    let v2 = done["project"]["version"].clone();
    let after = project(&submitter, &id).await;
    let snapshots = after["snapshots"].as_array().unwrap();
    assert_eq!(snapshots.len(), 2);
    assert_eq!(
        (&after["inForce"]["version"], &after["inForce"]["reason"]),
        (&v2, &json!("服务对象增加，调解成功率目标上调"))
    );
    assert_eq!(snapshots[0]["declaration"]["indicators"][0]["target"]["text"], "≥95%", "the old targets stay readable");
    assert_eq!(snapshots[1]["declaration"]["indicators"][0]["target"]["text"], "≥99%");
    assert_eq!(changes(&approver, &id, &v1, Some(&v2)).await, asked);
    assert_eq!(changes(&approver, &id, &v2, None).await, Vec::<String>::new(), "approved as it is");
    let steps: Vec<String> = after["reviews"]
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
            "APPROVE SUBMITTED→APPROVED",
            "START_ADJUSTMENT APPROVED→ADJUSTING",
            "SUBMIT ADJUSTING→ADJUSTMENT_SUBMITTED",
            "REJECT ADJUSTMENT_SUBMITTED→ADJUSTING",
            "SUBMIT ADJUSTING→ADJUSTMENT_SUBMITTED",
            "APPROVE ADJUSTMENT_SUBMITTED→APPROVED",
        ]
    );
    let unknown = approver
        .gql("query($id: ID!) { project(id: $id) { changes(fromVersion: 999) { field } } }", json!({ "id": id }))
        .await;
    assert_eq!(unknown["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{unknown}");

    // A cancelled adjustment: the declaration in force comes back, rows and ids included.
    let in_force = after["inForce"]["declaration"].clone();
    let started = start_adjustment(&submitter, &id, &v2, "再调整一次").await;
    let version = started["project"]["version"].as_i64().unwrap();
    let remove = "mutation($i: RemoveIndicatorInput!) { removeIndicator(input: $i) { userErrors { code } } }";
    let r = submitter.data(remove, json!({ "i": { "id": first_indicator, "expectedVersion": version } })).await;
    assert_eq!(r["removeIndicator"]["userErrors"], json!([]));
    assert_eq!(changes(&submitter, &id, &v2, None).await.len(), 3, "removed, and two rows moved up");
    // And every other part of the form: a goal, a section, the funds, the fund items (new ids).
    let version = project(&submitter, &id).await["version"].clone();
    let update = "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { userErrors { code message } } }";
    let edited = json!({ "id": id, "expectedVersion": version, "annualGoal": "调整中改过的年度目标",
        "sections": { "plan": "调整中改过的实施方案" }, "funds": { "total": "999999.00", "fiscal": "999999.00" },
        "fundItems": [{ "name": "调整中的资金明细", "amount": "1.00" }] });
    let r = submitter.data(update, json!({ "i": edited })).await;
    assert_eq!(r["updateProject"]["userErrors"], json!([]), "{r}");
    let changed = changes(&submitter, &id, &v2, None).await.join("\n");
    for part in ["annualGoal", "sections.plan", "funds.total", "fundItems"] {
        assert!(changed.contains(part), "{part} changed during the adjustment:\n{changed}");
    }
    let cancelled = step(&submitter, "cancelAdjustment", "", &id).await;
    assert_eq!(cancelled["project"]["status"], "APPROVED", "{cancelled}");
    let restored = project(&submitter, &id).await;
    assert_eq!(restored["indicators"], in_force["indicators"], "the targets in force, with their ids");
    assert_eq!(restored["fundItems"], in_force["fundItems"], "the fund items in force, with their ids");
    for part in ["annualGoal", "sections", "funds"] {
        assert_eq!(restored[part], in_force[part], "{part} as in force");
    }
    assert_eq!(restored["inForce"]["version"], v2, "no new snapshot: nothing was approved");
    assert_eq!(changes(&submitter, &id, &v2, None).await, Vec::<String>::new());
}

/// Mutations of one document run one after another, and a later one's answer reads what the
/// earlier ones wrote: here the approver accepts a self-evaluation (its answer reads the targets
/// in force then) and approves the project's adjustment in the same request; the evaluation shown
/// by the approval is scored against the new targets in force, not the ones read a moment before.
#[tokio::test]
async fn a_later_mutation_of_a_document_reads_the_targets_its_earlier_one_put_in_force() {
    let world = World::with_fixture().await;
    let (submitter, approver) = (world.login("submitter").await, world.login("approver").await);
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let r = submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "调整与自评") })).await;
    let id = r["createProject"]["project"]["id"].as_str().unwrap().to_string();
    assert_eq!(step(&submitter, "submitProject", "", &id).await["project"]["status"], "SUBMITTED");
    assert_eq!(step(&approver, "approveProject", "", &id).await["project"]["status"], "APPROVED");
    // The self-evaluation, filled and submitted: 调解完成率 against ≥95%.
    let started = submitter
        .data(
            "mutation($p: ID!) { startSelfEvaluation(input: { projectId: $p }) { selfEvaluation { id version indicators { indicator { id } target } } } }",
            json!({ "p": id }),
        )
        .await["startSelfEvaluation"]["selfEvaluation"]
        .clone();
    let results: Vec<Value> = started["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| match i["target"].as_str().unwrap() {
            "提高" => json!({ "indicatorId": i["indicator"]["id"], "achievement": "ACHIEVED", "score": "30" }),
            _ => json!({ "indicatorId": i["indicator"]["id"], "actual": "97%" }),
        })
        .collect();
    let r = submitter
        .data(
            "mutation($i: UpdateSelfEvaluationInput!) { updateSelfEvaluation(input: $i) { userErrors { message } } }",
            json!({ "i": { "id": started["id"], "expectedVersion": started["version"], "budgetExecuted": "15000.00", "indicators": results } }),
        )
        .await;
    assert_eq!(r["updateSelfEvaluation"]["userErrors"], json!([]), "{r}");
    let r = submitter
        .data(
            "mutation($id: ID!) { submitSelfEvaluation(id: $id) { userErrors { message } } }",
            json!({ "id": started["id"] }),
        )
        .await;
    assert_eq!(r["submitSelfEvaluation"]["userErrors"], json!([]), "{r}");
    // An adjustment raises the target to ≥99% and waits for the approver.
    let p = project(&submitter, &id).await;
    assert_eq!(code(&start_adjustment(&submitter, &id, &p["version"], "目标提高").await), "none");
    let p = project(&submitter, &id).await;
    let r = submitter
        .data(
            "mutation($i: UpdateIndicatorInput!) { updateIndicator(input: $i) { userErrors { message } } }",
            json!({ "i": { "id": p["indicators"][0]["id"], "expectedVersion": p["version"], "target": "≥99%" } }),
        )
        .await;
    assert_eq!(r["updateIndicator"]["userErrors"], json!([]), "{r}");
    assert_eq!(step(&submitter, "submitProject", "", &id).await["project"]["status"], "ADJUSTMENT_SUBMITTED");

    let scored = "selfEvaluation { indicators { target score } totalScore }";
    let r = approver
        .data(
            &format!(
                "mutation($e: ID!, $p: ID!) {{
                    accepted: acceptSelfEvaluation(id: $e) {{ selfEvaluation {{ project {{ {scored} }} }} }}
                    approved: approveProject(id: $p) {{ project {{ status {scored} }} }} }}"
            ),
            json!({ "e": started["id"], "p": id }),
        )
        .await;
    let before = &r["accepted"]["selfEvaluation"]["project"]["selfEvaluation"];
    let after = &r["approved"]["project"]["selfEvaluation"];
    assert_eq!(r["approved"]["project"]["status"], "APPROVED", "{r}");
    assert_eq!(before["indicators"][0]["target"], "≥95%", "{r}");
    assert_eq!(after["indicators"][0]["target"], "≥99%", "the targets now in force: {r}");
    // 97% meets ≥95% in full and ≥99% not: the score follows the target.
    assert_ne!(before["indicators"][0]["score"], after["indicators"][0]["score"], "{r}");
}
