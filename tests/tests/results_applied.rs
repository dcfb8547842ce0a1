//! 结果应用 and 整改 end to end, over HTTP on PostgreSQL: the seed evaluated for 2023 (a self-
//! evaluation accepted 差 opens its rectification items; the bureau's own evaluations of two more),
//! copied to 2024 and submitted; the bureau sees each request's prior result and the suggestion
//! the default rules make (HOLD until the last item is closed), decides, and the approval grants
//! the decision.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use jixiao_tests::ws::Subscriber;
use jixiao_tests::{Client, NOTIFIED_WITHIN, World, add_user, other_department};
use serde_json::{Value, json};

const SEED: [&str; 5] =
    ["课题与规划", "网络信息系统开发、升级、建设", "网络信息系统运行与维护", "维稳工作", "宣传与推广"];

async fn seed_ids(client: &Client, year: i32) -> Vec<Option<String>> {
    let q = "query($y: Int!) { projects(first: 20, filter: { fiscalYear: $y }) { nodes { id name } } }";
    let nodes = client.data(q, json!({ "y": year })).await["projects"]["nodes"].as_array().unwrap().clone();
    SEED.iter()
        .map(|name| nodes.iter().find(|p| p["name"] == *name).map(|p| p["id"].as_str().unwrap().to_string()))
        .collect()
}

async fn ok(client: &Client, query: &str, vars: Value, field: &str) -> Value {
    let r = client.data(query, vars).await;
    assert_eq!(r[field]["userErrors"], json!([]), "{field}: {r}");
    r[field].clone()
}

const SUGGESTION: &str = "query($id: ID!) { project(id: $id) {
    priorResult { fiscalYear source score grade gradeLabel project { name } }
    budgetSuggestion { action cutPercent requested suggested cut reasons }
    budgetDecision { amount reason } } }";

async fn suggestion(client: &Client, id: &str) -> Value {
    client.data(SUGGESTION, json!({ "id": id })).await["project"].clone()
}

#[tokio::test]
async fn last_years_results_make_this_years_suggestions_and_rectification_releases_a_hold() {
    let world = World::with_fixture().await;
    let (submitter, approver, admin) =
        (world.login("submitter").await, world.login("approver").await, world.login("admin").await);
    let ids: Vec<String> = seed_ids(&submitter, 2023).await.into_iter().map(Option::unwrap).collect();
    for id in &ids {
        ok(
            &submitter,
            "mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }",
            json!({ "id": id }),
            "submitProject",
        )
        .await;
        ok(
            &approver,
            "mutation($id: ID!) { approveProject(id: $id) { userErrors { code } } }",
            json!({ "id": id }),
            "approveProject",
        )
        .await;
    }

    // 网络信息系统运行与维护 self-evaluated 差: half its budget spent, five rows below 60%.
    let started = ok(
        &submitter,
        "mutation($p: ID!) { startSelfEvaluation(input: { projectId: $p }) { selfEvaluation { id version indicators { indicator { id name } } } userErrors { code } } }",
        json!({ "p": ids[2] }),
        "startSelfEvaluation",
    )
    .await;
    let e = &started["selfEvaluation"];
    let rows: Vec<String> = e["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["indicator"]["id"].as_str().unwrap().to_string())
        .collect();
    let why = "系统升级延期";
    let results = json!([
        { "indicatorId": rows[0], "actual": "50%", "explanation": why },
        { "indicatorId": rows[1], "achievement": "NOT_ACHIEVED", "score": "0", "explanation": why },
        { "indicatorId": rows[2], "actual": "50%", "explanation": why },
        { "indicatorId": rows[3], "achievement": "NOT_ACHIEVED", "score": "0", "explanation": why },
        { "indicatorId": rows[4], "achievement": "NOT_ACHIEVED", "score": "0", "explanation": why },
        { "indicatorId": rows[5], "actual": "100%" },
        { "indicatorId": rows[6], "actual": "80%" },
        { "indicatorId": rows[7], "actual": "80%" },
    ]);
    let update = "mutation($i: UpdateSelfEvaluationInput!) { updateSelfEvaluation(input: $i) { selfEvaluation { id grade totalScore } userErrors { field code message } } }";
    let filled = ok(
        &submitter,
        update,
        json!({ "i": { "id": e["id"], "expectedVersion": e["version"], "budgetExecuted": "39252.00", "indicators": results } }),
        "updateSelfEvaluation",
    )
    .await;
    assert_eq!(filled["selfEvaluation"]["grade"], "POOR", "{filled}");
    let step = "mutation($id: ID!) { submitSelfEvaluation(id: $id) { userErrors { field code message } } }";
    ok(&submitter, step, json!({ "id": e["id"] }), "submitSelfEvaluation").await;
    let accept = "mutation($id: ID!) { acceptSelfEvaluation(id: $id) { userErrors { field code message } } }";
    ok(&approver, accept, json!({ "id": e["id"] }), "acceptSelfEvaluation").await;

    // Its items: the project (差) and each row below 60% of its weight, none for the rows at full.
    let items_q = "query($id: ID!) { project(id: $id) { rectifications { id version status problem indicatorId } } }";
    let items =
        submitter.data(items_q, json!({ "id": ids[2] })).await["project"]["rectifications"].as_array().unwrap().clone();
    let about: Vec<Option<&str>> = items.iter().map(|i| i["indicatorId"].as_str()).collect();
    assert_eq!(
        about,
        [
            None,
            Some(rows[0].as_str()),
            Some(rows[1].as_str()),
            Some(rows[2].as_str()),
            Some(rows[3].as_str()),
            Some(rows[4].as_str())
        ]
    );
    assert!(items.iter().all(|i| i["status"] == "OPEN"));
    assert!(items[0]["problem"].as_str().unwrap().contains("差"), "{}", items[0]["problem"]);

    // The bureau's own evaluations: 维稳工作 优, 课题与规划 中 (they outrank self-evaluations).
    let evaluate = "mutation($i: FinanceEvaluationInput!) { recordFinanceEvaluation(input: $i) { grade userErrors { field code } } }";
    let r =
        ok(&approver, evaluate, json!({ "i": { "projectId": ids[3], "score": "95.57" } }), "recordFinanceEvaluation")
            .await;
    assert_eq!(r["grade"], "EXCELLENT");
    let r = ok(
        &approver,
        evaluate,
        json!({ "i": { "projectId": ids[0], "score": "76.00", "comment": "成果转化不足" } }),
        "recordFinanceEvaluation",
    )
    .await;
    assert_eq!(r["grade"], "FAIR");
    let by_submitter = submitter.raw(evaluate, json!({ "i": { "projectId": ids[0], "score": "99" } })).await;
    assert!(by_submitter.contains("FORBIDDEN"), "{by_submitter}");

    // 2024: four of them copied and submitted, amounts unchanged.
    let copy = "mutation($id: ID!) { copyProject(input: { id: $id, fiscalYear: 2024 }) { project { id } userErrors { code message } } }";
    for n in [0, 2, 3, 4] {
        let copied = ok(&submitter, copy, json!({ "id": ids[n] }), "copyProject").await;
        let id = copied["project"]["id"].as_str().unwrap().to_string();
        ok(
            &submitter,
            "mutation($id: ID!) { submitProject(id: $id) { userErrors { code message } } }",
            json!({ "id": id }),
            "submitProject",
        )
        .await;
    }
    let next = seed_ids(&submitter, 2024).await;
    let next = |n: usize| next[n].clone().unwrap();

    // What the bureau sees, with the default rules.
    let s = suggestion(&approver, &next(3)).await;
    assert_eq!(s["priorResult"]["source"], "FINANCE_EVALUATION");
    assert_eq!(
        (s["priorResult"]["fiscalYear"].as_i64(), s["priorResult"]["gradeLabel"].as_str()),
        (Some(2023), Some("优"))
    );
    assert_eq!(
        (s["budgetSuggestion"]["action"].as_str(), s["budgetSuggestion"]["suggested"].as_str()),
        (Some("SUPPORT"), Some("2371500.00"))
    );
    let s = suggestion(&approver, &next(0)).await;
    assert_eq!(
        (
            s["budgetSuggestion"]["action"].as_str(),
            s["budgetSuggestion"]["suggested"].as_str(),
            s["budgetSuggestion"]["cut"].as_str()
        ),
        (Some("REDUCE"), Some("90000.00"), Some("10000.00"))
    );
    let s = suggestion(&approver, &next(2)).await;
    assert_eq!(
        (s["priorResult"]["source"].as_str(), s["priorResult"]["grade"].as_str()),
        (Some("SELF_EVALUATION"), Some("POOR"))
    );
    assert_eq!(
        (s["budgetSuggestion"]["action"].as_str(), s["budgetSuggestion"]["suggested"].as_str()),
        (Some("HOLD"), Some("0.00"))
    );
    let s = suggestion(&approver, &next(4)).await;
    assert_eq!(s["priorResult"], Value::Null);
    assert_eq!(
        (s["budgetSuggestion"]["action"].as_str(), s["budgetSuggestion"]["suggested"].as_str()),
        (Some("NO_RESULT"), Some("150000.00"))
    );
    assert!(s["budgetSuggestion"]["reasons"][0].as_str().unwrap().contains("没有绩效评价结果"));
    // The department sees its prior result, not the bureau's figures.
    let theirs = suggestion(&submitter, &next(0)).await;
    assert_eq!(theirs["priorResult"]["gradeLabel"], "中");
    assert_eq!((theirs["budgetSuggestion"].clone(), theirs["budgetDecision"].clone()), (Value::Null, Value::Null));

    let held = approver.data("{ resultsApplication(fiscalYear: 2024) { suggested } }", json!({})).await;
    assert_eq!(held["resultsApplication"]["suggested"], "2611500.00", "while 差's items are open");

    // The items answered by the department and closed by the bureau, one reopened on the way:
    // the hold lasts until the last is closed.
    let answer = "mutation($i: AnswerRectificationInput!) { answerRectification(input: $i) { item { version status } userErrors { field code } } }";
    let close = "mutation($i: RectificationStepInput!) { closeRectification(input: $i) { item { version status } userErrors { field code } } }";
    let reopen = "mutation($i: RectificationStepInput!) { reopenRectification(input: $i) { item { version status reason } userErrors { field code } } }";
    let events = "subscription { projectEvents { action projectId } }";
    let mut heard = Subscriber::subscribed(&world.server.base_url, submitter.token(), "1", events).await;
    let early = approver.data(close, json!({ "i": { "id": items[0]["id"], "expectedVersion": 1 } })).await;
    assert_eq!(early["closeRectification"]["userErrors"][0]["code"], "INVALID_TRANSITION", "answered first");
    let by_approver = approver
        .raw(
            answer,
            json!({ "i": { "id": items[0]["id"], "expectedVersion": 1, "measure": "x", "dueOn": "2024-06-30" } }),
        )
        .await;
    assert!(by_approver.contains("FORBIDDEN"), "{by_approver}");
    for (n, item) in items.iter().enumerate() {
        let answered = ok(&submitter, answer, json!({ "i": { "id": item["id"], "expectedVersion": 1, "measure": "完成系统升级并加强考核", "dueOn": "2024-06-30" } }), "answerRectification").await;
        assert_eq!(
            (answered["item"]["status"].as_str(), answered["item"]["version"].as_i64()),
            (Some("ANSWERED"), Some(2))
        );
        let stale = approver.data(close, json!({ "i": { "id": item["id"], "expectedVersion": 1 } })).await;
        assert_eq!(stale["closeRectification"]["userErrors"][0]["code"], "VERSION_CONFLICT");
        let closed =
            ok(&approver, close, json!({ "i": { "id": item["id"], "expectedVersion": 2 } }), "closeRectification")
                .await;
        assert_eq!(closed["item"]["status"], "CLOSED");
        if n == 0 {
            let reopened = ok(
                &approver,
                reopen,
                json!({ "i": { "id": item["id"], "expectedVersion": 3, "reason": "措施未落实" } }),
                "reopenRectification",
            )
            .await;
            assert_eq!(
                (reopened["item"]["status"].as_str(), reopened["item"]["reason"].as_str()),
                (Some("OPEN"), Some("措施未落实"))
            );
            // Reopened past the due date of its first answer: late, on the unit's list with the
            // reason, and found by the filter for late items (the service runs on today's clock).
            let late = "query($o: Boolean) { rectifications(filter: { fiscalYear: 2023, overdue: $o }) { id } }";
            let ids = |r: Value| -> Vec<Value> {
                r["rectifications"].as_array().unwrap().iter().map(|i| i["id"].clone()).collect()
            };
            assert_eq!(ids(approver.data(late, json!({ "o": true })).await), [item["id"].clone()]);
            assert!(!ids(approver.data(late, json!({ "o": false })).await).contains(&item["id"]));
            let todo = submitter
                .data("{ todo(first: 100) { edges { node { kind subjectId reason deadline overdue } } } }", json!({}))
                .await;
            let rectify = todo["todo"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| &e["node"])
                .find(|n| n["subjectId"] == item["id"]);
            assert_eq!(
                rectify,
                Some(
                    &json!({ "kind": "RECTIFY", "subjectId": item["id"], "reason": "措施未落实", "deadline": "2024-06-30", "overdue": true })
                )
            );
            ok(
                &submitter,
                answer,
                json!({ "i": { "id": item["id"], "expectedVersion": 4, "measure": "已落实", "dueOn": "2024-05-31" } }),
                "answerRectification",
            )
            .await;
            ok(&approver, close, json!({ "i": { "id": item["id"], "expectedVersion": 5 } }), "closeRectification")
                .await;
        }
        let held = suggestion(&approver, &next(2)).await["budgetSuggestion"]["action"].clone();
        assert_eq!(held, if n + 1 < items.len() { "HOLD" } else { "REDUCE" }, "after item {n}");
    }
    // Each step is in the item's history, with who took it and why it was reopened.
    let history = "query($id: ID!) { node(id: $id) { ... on RectificationItem { submittedAt history {
        action fromStatus toStatus comment actor { username } } } } }";
    let first = admin.data(history, json!({ "id": items[0]["id"] })).await["node"].clone();
    assert!(first["submittedAt"].is_string(), "{first}");
    let steps: Vec<(String, String, String, String, String)> = first["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let text = |k: &str| s[k].as_str().unwrap_or("").to_string();
            (
                text("action"),
                text("fromStatus"),
                text("toStatus"),
                text("comment"),
                s["actor"]["username"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    let step = |a: &str, f: &str, t: &str, c: &str, u: &str| (a.into(), f.into(), t.into(), c.into(), u.into());
    assert_eq!(
        steps,
        [
            step("ANSWER", "OPEN", "ANSWERED", "", "submitter"),
            step("CLOSE", "ANSWERED", "CLOSED", "", "approver"),
            step("REOPEN", "CLOSED", "OPEN", "措施未落实", "approver"),
            step("ANSWER", "OPEN", "ANSWERED", "", "submitter"),
            step("CLOSE", "ANSWERED", "CLOSED", "", "approver"),
        ]
    );
    let refused =
        approver.data(reopen, json!({ "i": { "id": items[1]["id"], "expectedVersion": 3, "reason": "  " } })).await;
    assert_eq!(refused["reopenRectification"]["userErrors"][0]["code"], "INVALID_INPUT", "a reason is required");
    let second = admin.data(history, json!({ "id": items[1]["id"] })).await;
    assert_eq!(second["node"]["history"].as_array().unwrap().len(), 2, "a refused step leaves no trace: {second}");

    // The year's report: three requests linked to a result (优 中 差), one without; 2,700,004.00
    // asked, 2,666,452.80 suggested (33,551.20 cut, 3.36 万元); nothing decided yet.
    let report = "{ resultsApplication(fiscalYear: 2024) { requests linked missing byGrade { grade count } requested
        suggested suggestedCut suggestedCutWanYuan decided undecided decidedAmount cut } }";
    let r = approver.data(report, json!({})).await["resultsApplication"].clone();
    assert_eq!(
        r,
        json!({ "requests": 4, "linked": 3, "missing": 1,
            "byGrade": [{ "grade": "EXCELLENT", "count": 1 }, { "grade": "GOOD", "count": 0 }, { "grade": "FAIR", "count": 1 }, { "grade": "POOR", "count": 1 }],
            "requested": "2700004.00", "suggested": "2666452.80", "suggestedCut": "33551.20", "suggestedCutWanYuan": "3.36",
            "decided": 0, "undecided": 4, "decidedAmount": "0.00", "cut": "0.00" })
    );
    assert!(submitter.raw(report, json!({})).await.contains("FORBIDDEN"), "the bureau's report");
    // The same in the bureau's Excel book of the department's year, not in the department's own.
    let sheet = async |client: &Client| {
        let response = reqwest::Client::new()
            .get(format!("{}/export/declarations/SJQ-XFB/2024.xlsx", client.base_url))
            .bearer_auth(client.token())
            .send()
            .await
            .unwrap();
        let bytes = response.bytes().await.unwrap().to_vec();
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an xlsx");
        book.worksheet_range("结果应用情况").ok().map(|range| {
            range.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("=")).collect::<Vec<_>>()
        })
    };
    let rows = sheet(&approver).await.expect("the bureau's book has the sheet");
    for wanted in
        ["申请项目数=4", "有上年评价结果的项目数=3", "其中：差=1", "建议数（元）=2666452.80", "建议压减（万元）=3.36"]
    {
        assert!(rows.iter().any(|r| r == wanted), "{wanted} in {rows:?}");
    }
    assert_eq!(sheet(&submitter).await, None, "the department's own book has none");

    // Every answer, closing and reopening was announced to the department's screens, in order.
    for n in 0..(2 * items.len() + 3) {
        let event = heard.event(NOTIFIED_WITHIN).await.unwrap_or_else(|| panic!("event {n} did not come"));
        assert_eq!(event["projectEvents"], json!({ "action": "RECTIFICATION", "projectId": ids[2] }), "event {n}");
    }
    let s = suggestion(&approver, &next(2)).await;
    assert_eq!(
        (s["budgetSuggestion"]["suggested"].as_str(), s["budgetSuggestion"]["cut"].as_str()),
        (Some("54952.80"), Some("23551.20"))
    );

    // Decisions: other than the suggestion only with a reason, never above the request; the
    // approval then grants the decision.
    let decide = "mutation($i: DecideBudgetInput!) { decideBudget(input: $i) { decision { amount reason } userErrors { field code } } }";
    let d = approver.data(decide, json!({ "i": { "projectId": next(0), "amount": "95000.00" } })).await;
    assert_eq!(d["decideBudget"]["userErrors"][0]["field"], "reason");
    let d =
        approver.data(decide, json!({ "i": { "projectId": next(0), "amount": "100000.01", "reason": "多" } })).await;
    assert_eq!(d["decideBudget"]["userErrors"][0]["field"], "amount");
    ok(&approver, decide, json!({ "i": { "projectId": next(0), "amount": "90000.00" } }), "decideBudget").await;
    let r = approver.data(report, json!({})).await["resultsApplication"].clone();
    assert_eq!(
        (r["decided"].as_i64(), r["undecided"].as_i64(), r["decidedAmount"].as_str(), r["cut"].as_str()),
        (Some(1), Some(3), Some("90000.00"), Some("10000.00"))
    );
    let approved = ok(
        &approver,
        "mutation($id: ID!) { approveProject(id: $id) { project { approvedAmount cut } userErrors { code } } }",
        json!({ "id": next(0) }),
        "approveProject",
    )
    .await;
    assert_eq!(
        (approved["project"]["approvedAmount"].as_str(), approved["project"]["cut"].as_str()),
        (Some("90000.00"), Some("10000.00"))
    );
    let late = approver.data(decide, json!({ "i": { "projectId": next(0), "amount": "90000.00" } })).await;
    assert_eq!(late["decideBudget"]["userErrors"][0]["code"], "INVALID_TRANSITION", "decided once approved");
    let by_submitter =
        submitter.raw(decide, json!({ "i": { "projectId": next(2), "amount": "1.00", "reason": "x" } })).await;
    assert!(by_submitter.contains("FORBIDDEN"), "{by_submitter}");

    // A decision holds for the submission it was made on: sent back and submitted again, the
    // request is approved as asked unless decided anew.
    ok(
        &approver,
        decide,
        json!({ "i": { "projectId": next(3), "amount": "2000000.00", "reason": "压减" } }),
        "decideBudget",
    )
    .await;
    ok(
        &approver,
        "mutation($id: ID!) { rejectProject(id: $id, reason: \"请补充\") { userErrors { code } } }",
        json!({ "id": next(3) }),
        "rejectProject",
    )
    .await;
    ok(
        &submitter,
        "mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }",
        json!({ "id": next(3) }),
        "submitProject",
    )
    .await;
    let approved = ok(
        &approver,
        "mutation($id: ID!) { approveProject(id: $id) { project { approvedAmount } userErrors { code } } }",
        json!({ "id": next(3) }),
        "approveProject",
    )
    .await;
    assert_eq!(approved["project"]["approvedAmount"], "2371500.00", "the earlier submission's decision does not count");

    // The rules are the admins' to set; a year's new rule changes its suggestions.
    let set = "mutation($i: SetResultRulesInput!) { setResultRules(input: $i) { rules { grade action cutPercent hold } userErrors { field code } } }";
    let by_approver = approver.raw(set, json!({ "i": { "fiscalYear": 2024, "rules": [] } })).await;
    assert!(by_approver.contains("FORBIDDEN"), "{by_approver}");
    let bad = admin.data(set, json!({ "i": { "fiscalYear": 2024, "rules": [{ "grade": "GOOD", "action": "SUPPORT", "cutPercent": "5", "hold": false }] } })).await;
    assert_eq!(bad["setResultRules"]["userErrors"][0]["field"], "rules[GOOD].cut");
    ok(&admin, set, json!({ "i": { "fiscalYear": 2024, "rules": [{ "grade": "POOR", "action": "REDUCE", "cutPercent": "12.5", "hold": false }] } }), "setResultRules").await;
    let s = suggestion(&approver, &next(2)).await;
    assert_eq!(s["budgetSuggestion"]["suggested"], "68691.00", "78,504.00 × 87.5%");
    let rules = admin.data("{ resultRules(fiscalYear: 2024) { grade action cutPercent hold } }", json!({})).await;
    assert_eq!(
        rules["resultRules"][3],
        json!({ "grade": "POOR", "action": "REDUCE", "cutPercent": "12.50", "hold": false })
    );

    // Another department sees none of the items.
    let _ = other_department(&admin).await;
    add_user(&world.db.url, "other", "SUBMITTER", Some("OTHER")).await;
    let other = world.login("other").await;
    let theirs = other.data("{ rectifications(filter: { fiscalYear: 2023 }) { id } }", json!({})).await;
    assert_eq!(theirs["rectifications"], json!([]));
    let ours =
        submitter.data("{ rectifications(filter: { fiscalYear: 2023, status: CLOSED }) { id } }", json!({})).await;
    assert_eq!(ours["rectifications"].as_array().unwrap().len(), 6);
}
