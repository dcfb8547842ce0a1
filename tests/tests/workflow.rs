//! The review workflow end to end: the full path with its review history, a submission that
//! lists every problem at once, and the approvers' queue.

use jixiao_tests::{CREATE_PROJECT, Client, World, complete_declaration, unit_of};
use serde_json::{Value, json};

async fn create(client: &Client, input: Value) -> String {
    let r = client.data(CREATE_PROJECT, json!({ "input": input })).await;
    r["createProject"]["project"]["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_string()
}

async fn act(client: &Client, op: &str, id: &str, extra: &str) -> Value {
    let q = format!(
        "mutation($id: ID!) {{ {op}(id: $id{extra}) {{ project {{ status version }} userErrors {{ field code message }} }} }}"
    );
    client.data(&q, json!({ "id": id })).await[op].clone()
}

#[tokio::test]
async fn draft_submitted_rejected_edited_submitted_approved_with_four_reviews() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let id = create(&submitter, complete_declaration(&unit, "全流程项目")).await;

    assert_eq!(act(&submitter, "submitProject", &id, "").await["project"]["status"], "SUBMITTED");
    let blank = act(&approver, "rejectProject", &id, ", reason: \"   \"").await;
    assert_eq!(
        blank["userErrors"][0],
        json!({ "field": "reason", "code": "INVALID_INPUT", "message": "退回项目须写明理由" })
    );
    assert_eq!(
        act(&approver, "rejectProject", &id, ", reason: \"资金明细请细化\"").await["project"]["status"],
        "REJECTED"
    );
    let version = submitter.data("query($id: ID!) { project(id: $id) { version } }", json!({ "id": id })).await["project"]["version"].clone();
    let edited = submitter
        .data(
            "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { status } userErrors { code } } }",
            json!({ "input": { "id": id, "expectedVersion": version, "fundItems": [
                { "name": "调解员补贴", "amount": "8000.00" }, { "name": "场地", "amount": "5000.00" }, { "name": "培训", "amount": "2000.00" } ] } }),
        )
        .await;
    assert_eq!(edited["updateProject"]["project"]["status"], "REJECTED", "an edit keeps the status");
    assert_eq!(act(&submitter, "submitProject", &id, "").await["project"]["status"], "SUBMITTED");
    assert_eq!(act(&approver, "approveProject", &id, ", comment: \"同意\"").await["project"]["status"], "APPROVED");

    let p = approver
        .data("query($id: ID!) { project(id: $id) { status reviews { action fromStatus toStatus comment actor { username } at } } }", json!({ "id": id }))
        .await;
    let reviews = p["project"]["reviews"].as_array().unwrap();
    let steps: Vec<_> = reviews
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap(),
                r["fromStatus"].as_str().unwrap(),
                r["toStatus"].as_str().unwrap(),
                r["actor"]["username"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("SUBMIT", "DRAFT", "SUBMITTED", "submitter"),
            ("REJECT", "SUBMITTED", "REJECTED", "approver"),
            ("SUBMIT", "REJECTED", "SUBMITTED", "submitter"),
            ("APPROVE", "SUBMITTED", "APPROVED", "approver"),
        ]
    );
    assert_eq!(reviews[1]["comment"], "资金明细请细化");
    let times: Vec<&str> = reviews.iter().map(|r| r["at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "in order: {times:?}");
}

#[tokio::test]
async fn submitting_an_incomplete_declaration_lists_every_problem() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let mut input = complete_declaration(&unit, "未完成的项目");
    input["plannedStart"] = json!("2024-03-01");
    input["plannedEnd"] = json!("2024-01-01");
    input["overallGoal"] = json!("");
    input["annualGoal"] = json!(" ");
    input["indicators"] = json!([
        { "level1": "OUTPUT", "level2": "COST", "name": "成本控制", "target": "良好" },
        { "level1": "COST", "level2": "ECONOMIC_COST", "name": "经济成本", "target": "<=15000元" }
    ]);
    let id = create(&submitter, input).await;
    let r = act(&submitter, "submitProject", &id, "").await;
    assert!(r["project"].is_null());
    let mut got: Vec<(String, String)> = r["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().into(), e["code"].as_str().unwrap().into()))
        .collect();
    got.sort();
    let mut want: Vec<(String, String)> = [
        ("plannedEnd", "INCOMPLETE"),
        ("overallGoal", "INCOMPLETE"),
        ("annualGoal", "INCOMPLETE"),
        ("indicators", "INCOMPLETE"), // no BENEFIT
        ("indicators", "INCOMPLETE"), // no SATISFACTION
        ("indicators", "INCOMPLETE"), // two frameworks
    ]
    .iter()
    .map(|(f, c)| (f.to_string(), c.to_string()))
    .collect();
    want.sort();
    assert_eq!(got, want, "{r}");
    let status = submitter.data("query($id: ID!) { project(id: $id) { status version } }", json!({ "id": id })).await;
    assert_eq!(status["project"], json!({ "status": "DRAFT", "version": 1 }), "nothing changed");
}

#[tokio::test]
async fn the_approvers_queue_is_oldest_submission_first_and_pages_cleanly() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let all = submitter.data("{ projects(first: 10) { nodes { id name } } }", json!({})).await;
    let ids: Vec<String> =
        all["projects"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap().to_string()).collect();
    // Submit in the order 4, 2, 0, 3 (project 1 stays a draft).
    for i in [4, 2, 0, 3] {
        assert_eq!(act(&submitter, "submitProject", &ids[i], "").await["project"]["status"], "SUBMITTED");
    }
    let queue = "query($after: String) { projects(filter: { status: [SUBMITTED] }, orderBy: { field: SUBMITTED_AT }, first: 3, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id } } }";
    let page1 = approver.data(queue, json!({ "after": null })).await;
    assert_eq!(page1["projects"]["totalCount"], 4);
    assert_eq!(page1["projects"]["pageInfo"]["hasNextPage"], true);
    let page2 = approver.data(queue, json!({ "after": page1["projects"]["pageInfo"]["endCursor"] })).await;
    assert_eq!(page2["projects"]["pageInfo"]["hasNextPage"], false);
    let order: Vec<String> = [&page1, &page2]
        .iter()
        .flat_map(|p| p["projects"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(order, [ids[4].clone(), ids[2].clone(), ids[0].clone(), ids[3].clone()]);

    // Every ordering pages through the same set, without repeats or gaps, in the order it names:
    // the pages joined are the one-page answer, and that answer is ordered by its key.
    let key = |field: &str, n: &Value| -> Option<String> {
        match field {
            "CREATED" => n["createdAt"].as_str().map(str::to_string),
            "UPDATED_AT" => n["updatedAt"].as_str().map(str::to_string),
            "SUBMITTED_AT" => n["submittedAt"].as_str().map(str::to_string),
            "PLANNED_START" => n["plannedStart"].as_str().map(str::to_string),
            // Yuan with two places, compared as numbers: padded to one width.
            "TOTAL_FUNDS" => n["funds"]["total"].as_str().map(|t| format!("{t:0>20}")),
            // Names follow the database's collation, which this test does not assume.
            _ => None,
        }
    };
    for field in ["CREATED", "NAME", "TOTAL_FUNDS", "PLANNED_START", "UPDATED_AT", "SUBMITTED_AT"] {
        for direction in ["ASC", "DESC"] {
            let q = format!(
                "query($after: String, $first: Int) {{ projects(orderBy: {{ field: {field}, direction: {direction} }}, first: $first, after: $after) {{
                    pageInfo {{ hasNextPage endCursor }} nodes {{ id createdAt updatedAt submittedAt plannedStart funds {{ total }} }} }} }}"
            );
            let whole = submitter.data(&q, json!({ "after": null, "first": 100 })).await;
            let nodes = whole["projects"]["nodes"].as_array().unwrap();
            let want: Vec<String> = nodes.iter().map(|n| n["id"].as_str().unwrap().to_string()).collect();
            let keys: Vec<String> = nodes.iter().filter_map(|n| key(field, n)).collect();
            let mut ordered = keys.clone();
            ordered.sort();
            if direction == "DESC" {
                ordered.reverse();
            }
            assert_eq!(keys, ordered, "{field} {direction} orders by its key");
            let mut seen = Vec::new();
            let mut after = Value::Null;
            loop {
                let p = submitter.data(&q, json!({ "after": after, "first": 2 })).await;
                seen.extend(
                    p["projects"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap().to_string()),
                );
                if p["projects"]["pageInfo"]["hasNextPage"] != true {
                    break;
                }
                after = p["projects"]["pageInfo"]["endCursor"].clone();
            }
            assert_eq!(want.len(), 5, "{field} {direction}: {want:?}");
            assert_eq!(
                seen, want,
                "{field} {direction}: pages of two give the one-page order, without repeats or gaps"
            );
        }
    }
    let by_name_cursor =
        submitter.data("{ projects(orderBy: { field: NAME }, first: 1) { pageInfo { endCursor } } }", json!({})).await;
    let wrong = submitter
        .gql(
            "query($a: String) { projects(first: 1, after: $a) { nodes { id } } }",
            json!({ "a": by_name_cursor["projects"]["pageInfo"]["endCursor"] }),
        )
        .await;
    assert_eq!(jixiao_tests::client::error_code(&wrong), "BAD_USER_INPUT");
}

#[tokio::test]
async fn findings_guide_submitters_and_approvers() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let q = "{ projects(first: 10) { nodes { name findingCounts { errors warnings infos }
        findings { code severity field message basis } } } }";
    let d = submitter.data(q, json!({})).await;
    let projects = d["projects"]["nodes"].as_array().unwrap();
    let weiwen = projects.iter().find(|p| p["name"] == "维稳工作").unwrap();
    let codes: Vec<&str> = weiwen["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"DUPLICATE_INDICATOR"), "市信访工作目标责任考核成绩 twice: {codes:?}");
    assert!(codes.contains(&"NEAR_DUPLICATE_INDICATOR"), "社会面防控影响力 / 社会防控面影响力: {codes:?}");
    assert_eq!(weiwen["findingCounts"]["errors"], 0, "the seed can be submitted");
    let dup = weiwen["findings"].as_array().unwrap().iter().find(|f| f["code"] == "DUPLICATE_INDICATOR").unwrap();
    assert!(
        dup["message"].as_str().unwrap().contains("市信访工作目标责任考核成绩"),
        "the message names the indicator: {dup}"
    );
    assert!(dup["field"].as_str().unwrap().starts_with("indicators["));

    // The filter and the department's totals come from the same rules.
    let with = submitter.data("{ projects(filter: { hasWarnings: true }) { totalCount } }", json!({})).await;
    let with_count = projects.iter().filter(|p| p["findingCounts"]["warnings"].as_u64().unwrap() > 0).count();
    assert_eq!(with["projects"]["totalCount"], with_count);
    let without = submitter.data("{ projects(filter: { hasWarnings: false }) { totalCount } }", json!({})).await;
    assert_eq!(without["projects"]["totalCount"], projects.len() - with_count);
    let review = submitter
        .data("{ declarationReview(fiscalYear: 2023) { code severity findingCount projectCount summary } }", json!({}))
        .await;
    let totals = review["declarationReview"].as_array().unwrap();
    // COPIED_INDICATORS reads the other projects, so it is computed on reading and not stored
    // (docs/review-rules.md): the totals count every other finding.
    let stored_kind = |f: &&Value| f["code"] != "COPIED_INDICATORS";
    let all: u64 =
        projects.iter().map(|p| p["findings"].as_array().unwrap().iter().filter(stored_kind).count() as u64).sum();
    assert_eq!(totals.iter().map(|t| t["findingCount"].as_u64().unwrap()).sum::<u64>(), all);
    assert!(all < projects.iter().map(|p| p["findings"].as_array().unwrap().len() as u64).sum::<u64>());

    // An ERROR finding is what blocks submission, with the same message.
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let mut input = complete_declaration(&unit, "超百项目");
    input["indicators"][0]["target"] = json!(">=120%");
    let id = create(&submitter, input).await;
    let f = submitter
        .data("query($id: ID!) { project(id: $id) { findings { code severity message } } }", json!({ "id": id }))
        .await;
    let errors: Vec<&Value> =
        f["project"]["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "ERROR").collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["code"], "RATE_OVER_100");
    let r = act(&submitter, "submitProject", &id, "").await;
    assert_eq!(r["userErrors"].as_array().unwrap().len(), 1);
    assert_eq!(r["userErrors"][0]["message"], errors[0]["message"]);
}

#[tokio::test]
async fn stored_findings_can_be_recomputed_for_every_project() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let totals = "{ declarationReview(fiscalYear: 2023) { code findingCount projectCount } }";
    // Counts per rule, from the findings computed for each project as it is now.
    let computed = || async {
        let r = submitter.data("{ projects(first: 100) { nodes { findings { code } } } }", json!({})).await;
        let mut counts = std::collections::BTreeMap::<String, u64>::new();
        for p in r["projects"]["nodes"].as_array().unwrap() {
            // COPIED_INDICATORS reads other projects and is not among the stored findings.
            for f in p["findings"].as_array().unwrap().iter().filter(|f| f["code"] != "COPIED_INDICATORS") {
                *counts.entry(f["code"].as_str().unwrap().to_string()).or_default() += 1;
            }
        }
        counts
    };
    let stored = || async {
        let r = submitter.data(totals, json!({})).await;
        r["declarationReview"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["code"].as_str().unwrap().to_string(), t["findingCount"].as_u64().unwrap()))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let before = computed().await;
    assert_eq!(stored().await, before, "the stored copy matches to begin with");
    // The declarations change behind the service's back (an operator's SQL fix; the stored copy
    // is then as stale as after a rule change): the vague targets become numbers.
    let store = world.db.store().await;
    sea_orm::ConnectionTrait::execute_unprepared(
        store.connection(),
        "UPDATE indicators SET target_text = '≥95%' WHERE target_text IN ('提高', '良好')",
    )
    .await
    .unwrap();
    // The service hears of a write it did not make by the database's notice (its kept answers
    // are dropped then), within milliseconds.
    let deadline = std::time::Instant::now() + jixiao_tests::NOTIFIED_WITHIN;
    let now = loop {
        let now = computed().await;
        if now != before || std::time::Instant::now() > deadline {
            break now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let stale = stored().await;
    assert_ne!(stale, now, "the stored copy no longer says what the rules find");
    assert!(stale["VAGUE_TARGET"] > now["VAGUE_TARGET"], "{stale:?} vs {now:?}");
    let out = jixiao_tests::jixiao(&world.db.url, &["refresh-findings"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("已重算 5 个项目的审核发现"));
    assert_eq!(stored().await, now, "rebuilt: the stored copy says what the rules find");
}
