//! 绩效自评 over HTTP on PostgreSQL: the seed's 维稳工作, approved, scored with stated actual
//! values — every score below is computed by hand in the comments and checked through GraphQL —
//! then the checks that refuse a save or a submission, the grade summary, return and accept.

use jixiao_tests::{Client, World, statements_run};
use serde_json::{Value, json};

const EVALUATION: &str = "id status version budgetExecuted executionRate executionWeight executionScore
    indicators { indicator { id name } target weight actual achievement score deduction deductionReason }
    level1Scores { level1 label weight score } totalScore grade gradeLabel reviews { action toStatus comment }";

async fn update(client: &Client, id: &str, version: &Value, fields: Value) -> Value {
    let q = format!(
        "mutation($i: UpdateSelfEvaluationInput!) {{ updateSelfEvaluation(input: $i) {{
            selfEvaluation {{ {EVALUATION} }} userErrors {{ field code message }} }} }}"
    );
    let mut input = json!({ "id": id, "expectedVersion": version });
    input.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    client.data(&q, json!({ "i": input })).await["updateSelfEvaluation"].clone()
}

async fn step(client: &Client, mutation: &str, args: &str, id: &str) -> Value {
    let q = format!(
        "mutation($id: ID!) {{ {mutation}(id: $id{args}) {{ selfEvaluation {{ status version }} userErrors {{ field code message }} }} }}"
    );
    client.data(&q, json!({ "id": id })).await[mutation].clone()
}

fn fields(payload: &Value) -> Vec<String> {
    payload["userErrors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn the_seeds_weiwen_project_is_scored_by_hand_and_through_the_api() {
    let world = World::with_fixture().await;
    let (submitter, approver) = (world.login("submitter").await, world.login("approver").await);
    let list =
        submitter.data("{ projects(first: 10, filter: { fiscalYear: 2023 }) { nodes { id name } } }", json!({})).await;
    let id_of = |name: &str| {
        list["projects"]["nodes"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let project = id_of("维稳工作");
    let start = "mutation($p: ID!) { startSelfEvaluation(input: { projectId: $p }) {
        selfEvaluation { id version indicators { indicator { id } weight } } userErrors { field code } } }";

    // Only an approved project is evaluated, once.
    let early = submitter.data(start, json!({ "p": project })).await;
    assert_eq!(early["startSelfEvaluation"]["userErrors"][0]["code"], "INVALID_TRANSITION");
    submitter
        .data("mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }", json!({ "id": project }))
        .await;
    approver
        .data("mutation($id: ID!) { approveProject(id: $id) { userErrors { code } } }", json!({ "id": project }))
        .await;
    let started = submitter.data(start, json!({ "p": project })).await["startSelfEvaluation"].clone();
    assert_eq!(started["userErrors"], json!([]), "{started}");
    let again = submitter.data(start, json!({ "p": project })).await;
    assert_eq!(again["startSelfEvaluation"]["userErrors"][0]["code"], "ALREADY_EXISTS");
    let e = &started["selfEvaluation"];
    let id = e["id"].as_str().unwrap().to_string();
    let rows: Vec<Value> = e["indicators"].as_array().unwrap().iter().map(|r| r["indicator"]["id"].clone()).collect();
    assert_eq!(rows.len(), 21);
    // Default weights: 10 for the execution rate; OUTPUT's 50 over its 8 indicators is 6.25 each;
    // BENEFIT's 30 over 12 is 2.50 each; SATISFACTION's 10 to its one.
    let weights: Vec<&str> =
        e["indicators"].as_array().unwrap().iter().map(|r| r["weight"].as_str().unwrap()).collect();
    assert_eq!(&weights[..8], ["6.25"; 8]);
    assert_eq!(&weights[8..20], ["2.50"; 12]);
    assert_eq!(weights[20], "10.00");

    // What a save refuses: an actual in another unit (names both), a qualitative score outside
    // its band, weights that do not sum to 100.
    let r =
        update(&submitter, &id, &e["version"], json!({ "indicators": [{ "indicatorId": rows[0], "actual": "30天" }] }))
            .await;
    assert_eq!(fields(&r), ["indicators[0].actual"]);
    let message = r["userErrors"][0]["message"].as_str().unwrap();
    assert!(message.contains("天") && message.contains("%"), "{message}");
    let r = update(
        &submitter,
        &id,
        &e["version"],
        json!({ "indicators": [{ "indicatorId": rows[2], "achievement": "ACHIEVED", "score": "4.00" }] }),
    )
    .await;
    assert_eq!(fields(&r), ["indicators[2].score"], "4.00 is below 0.8 × 6.25 = 5.00");
    let r = update(
        &submitter,
        &id,
        &e["version"],
        json!({ "weights": { "execution": "10", "indicators": [{ "indicatorId": rows[0], "weight": "50" }] } }),
    )
    .await;
    assert_eq!(fields(&r), ["weights"], "10 + 50 is not 100");

    // The stated results.
    let achieved = |n: usize, score: &str| json!({ "indicatorId": rows[n], "achievement": "ACHIEVED", "score": score });
    let mut results = vec![
        json!({ "indicatorId": rows[0], "actual": "100%" }), // 下基层与约谈次数完成率 =100%: 6.25
        json!({ "indicatorId": rows[1], "actual": "90%" }),  // 信访稳定例会完成率 =100%: 6.25 × 0.9 = 5.625 → 5.63
        achieved(2, "6.25"),                                 // 考核成绩 提高: ACHIEVED, full 6.25
        json!({ "indicatorId": rows[3], "achievement": "ACHIEVED", "score": "6.00", "explanation": "个别街镇开展较晚" }), // in [5.00, 6.25]
        json!({ "indicatorId": rows[4], "achievement": "PARTIAL", "score": "4.50", "explanation": "两起积案未化解" }), // in [3.75, 5.00)
        json!({ "indicatorId": rows[5], "actual": "100%" }), // 维稳工作开展及时率 =100%: 6.25
        json!({ "indicatorId": rows[6], "actual": "95%" }), // 及时性 =100% (higher is better): 6.25 × 0.95 = 5.9375 → 5.94
        achieved(7, "6.25"),                                // 成本控制 良好: 6.25
    ];
    // OUTPUT: 6.25 + 5.63 + 6.25 + 6.00 + 4.50 + 6.25 + 5.94 + 6.25 = 47.07.
    for n in 8..20 {
        results.push(achieved(n, "2.50"));
    }
    // 新增重复率 下降: PARTIAL 1.80, in [1.50, 2.00); 信访事项及时完成率 及时: ACHIEVED 2.20, in [2.00, 2.50].
    results[15] = json!({ "indicatorId": rows[15], "achievement": "PARTIAL", "score": "1.80", "explanation": "重复信访下降不及预期" });
    results[19] =
        json!({ "indicatorId": rows[19], "achievement": "ACHIEVED", "score": "2.20", "explanation": "少数事项超期" });
    // BENEFIT: 10 × 2.50 + 1.80 + 2.20 = 29.00. SATISFACTION: 群众满意度 ≥85%, 92%: 10.00.
    results.push(json!({ "indicatorId": rows[20], "actual": "92%" }));
    // Budget: 2,253,000.00 of 2,371,500.00 is 95.0031…%: 10 × 0.950031… = 9.50.
    let r =
        update(&submitter, &id, &e["version"], json!({ "budgetExecuted": "2253000.00", "indicators": results })).await;
    assert_eq!(r["userErrors"], json!([]), "{r}");
    let s = &r["selfEvaluation"];
    let scores: Vec<&str> = s["indicators"].as_array().unwrap().iter().map(|i| i["score"].as_str().unwrap()).collect();
    assert_eq!(&scores[..8], ["6.25", "5.63", "6.25", "6.00", "4.50", "6.25", "5.94", "6.25"]);
    assert_eq!((scores[15], scores[19], scores[20]), ("1.80", "2.20", "10.00"));
    assert_eq!(
        (s["executionRate"].as_str(), s["executionWeight"].as_str(), s["executionScore"].as_str()),
        (Some("95.00"), Some("10.00"), Some("9.50"))
    );
    assert_eq!(
        s["level1Scores"],
        json!([
            { "level1": "OUTPUT", "label": "产出指标", "weight": "50.00", "score": "47.07" },
            { "level1": "BENEFIT", "label": "效益指标", "weight": "30.00", "score": "29.00" },
            { "level1": "SATISFACTION", "label": "满意度指标", "weight": "10.00", "score": "10.00" }
        ])
    );
    // 9.50 + 47.07 + 29.00 + 10.00 = 95.57: 优.
    assert_eq!(
        (s["totalScore"].as_str(), s["grade"].as_str(), s["gradeLabel"].as_str()),
        (Some("95.57"), Some("EXCELLENT"), Some("优"))
    );

    // 10号 asks the reason of every shortfall, quantitative rows too: rows 2 and 7 are unexplained.
    let refused = step(&submitter, "submitSelfEvaluation", "", &id).await;
    assert_eq!(fields(&refused), ["indicators[1].explanation", "indicators[6].explanation"]);
    assert!(refused["userErrors"][0]["message"].as_str().unwrap().contains("未得满分"), "{refused}");
    // A deduction for a target set too low comes off the row's score and needs its reason.
    let deducted = json!({ "indicatorId": rows[0], "actual": "100%", "deduction": "0.25" });
    let r = update(&submitter, &id, &s["version"], json!({ "indicators": [deducted] })).await;
    let row = &r["selfEvaluation"]["indicators"][0];
    assert_eq!((row["score"].as_str(), row["deduction"].as_str()), (Some("6.00"), Some("0.25")), "{r}");
    assert_eq!(r["selfEvaluation"]["totalScore"], "95.32");
    let refused = step(&submitter, "submitSelfEvaluation", "", &id).await;
    assert!(fields(&refused).contains(&"indicators[0].deductionReason".to_string()), "{refused}");
    let over = json!({ "indicatorId": rows[0], "actual": "100%", "deduction": "6.26", "deductionReason": "偏低" });
    let r = update(&submitter, &id, &r["selfEvaluation"]["version"], json!({ "indicators": [over] })).await;
    assert_eq!(fields(&r), ["indicators[0].deduction"], "more than the row's 6.25 is refused");
    let version = submitter
        .data("query($id: ID!) { node(id: $id) { ... on SelfEvaluation { version } } }", json!({ "id": id }))
        .await["node"]["version"]
        .clone();
    let explained = [
        json!({ "indicatorId": rows[0], "actual": "100%" }),
        json!({ "indicatorId": rows[1], "actual": "90%", "explanation": "两次例会因疫情顺延" }),
        json!({ "indicatorId": rows[6], "actual": "95%", "explanation": "个别事项开展稍晚" }),
    ];
    let r = update(&submitter, &id, &version, json!({ "indicators": explained })).await;
    assert_eq!((r["userErrors"].clone(), r["selfEvaluation"]["totalScore"].clone()), (json!([]), json!("95.57")));

    // Submitted, returned with a reason, resubmitted, accepted; the year's summary in SQL.
    assert_eq!(step(&submitter, "submitSelfEvaluation", "", &id).await["selfEvaluation"]["status"], "SUBMITTED");
    let q = "query { selfEvaluationSummary(fiscalYear: 2023) { count submitted accepted averageScore byGrade { grade label count } } }";
    let summary = approver.data(q, json!({})).await["selfEvaluationSummary"].clone();
    assert_eq!(
        (summary["count"].as_i64(), summary["submitted"].as_i64(), summary["averageScore"].as_str()),
        (Some(1), Some(1), Some("95.57"))
    );
    assert_eq!(summary["byGrade"][0], json!({ "grade": "EXCELLENT", "label": "优", "count": 1 }));
    assert_eq!(fields(&step(&approver, "returnSelfEvaluation", ", reason: \" \"", &id).await), ["reason"]);
    assert_eq!(
        step(&approver, "returnSelfEvaluation", ", reason: \"请附佐证\"", &id).await["selfEvaluation"]["status"],
        "RETURNED"
    );
    assert_eq!(step(&submitter, "submitSelfEvaluation", "", &id).await["selfEvaluation"]["status"], "SUBMITTED");
    assert_eq!(step(&approver, "acceptSelfEvaluation", "", &id).await["selfEvaluation"]["status"], "ACCEPTED");
    let summary = approver.data(q, json!({})).await["selfEvaluationSummary"].clone();
    assert_eq!((summary["accepted"].as_i64(), summary["submitted"].as_i64()), (Some(1), Some(0)));

    // Another project's evaluation, left incomplete: submission lists what is missing at once.
    let other = id_of("课题与规划");
    submitter
        .data("mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }", json!({ "id": other }))
        .await;
    approver
        .data("mutation($id: ID!) { approveProject(id: $id) { userErrors { code } } }", json!({ "id": other }))
        .await;
    let second = submitter.data(start, json!({ "p": other })).await["startSelfEvaluation"]["selfEvaluation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let refused = step(&submitter, "submitSelfEvaluation", "", &second).await;
    let missing = fields(&refused);
    assert_eq!(missing[0], "budgetExecuted");
    assert!(
        missing.contains(&"indicators[0].actual".to_string())
            && missing.contains(&"indicators[3].achievement".to_string()),
        "{missing:?}"
    );
    assert!(refused["userErrors"].as_array().unwrap().iter().all(|e| e["code"] == "INCOMPLETE"));

    // Filled in full (everything on target, every qualitative row at its weight): 100.00. The year's
    // average over the two finished ones is 97.785, shown half up as 97.79.
    let q = "query($id: ID!) { node(id: $id) { ... on SelfEvaluation { version annualRequest
        indicators { indicator { id } target weight } } } }";
    let second_now = submitter.data(q, json!({ "id": second })).await["node"].clone();
    let full: Vec<Value> = second_now["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let target = row["target"].as_str().unwrap();
            let number = target.trim_start_matches(['=', '>', '<', '≥', '≤']);
            if number.starts_with(|c: char| c.is_ascii_digit()) {
                json!({ "indicatorId": row["indicator"]["id"], "actual": number })
            } else {
                json!({ "indicatorId": row["indicator"]["id"], "achievement": "ACHIEVED", "score": row["weight"] })
            }
        })
        .collect();
    let r = update(
        &submitter,
        &second,
        &second_now["version"],
        json!({ "budgetExecuted": second_now["annualRequest"], "indicators": full }),
    )
    .await;
    assert_eq!((r["userErrors"].clone(), r["selfEvaluation"]["totalScore"].clone()), (json!([]), json!("100.00")));
    assert_eq!(step(&submitter, "submitSelfEvaluation", "", &second).await["selfEvaluation"]["status"], "SUBMITTED");
    let summary = approver.data(q_summary(), json!({})).await["selfEvaluationSummary"].clone();
    assert_eq!(
        (summary["count"].as_i64(), summary["averageScore"].as_str()),
        (Some(2), Some("97.79")),
        "(95.57 + 100.00) / 2 = 97.785, half up"
    );
    assert_eq!(summary["byGrade"][0], json!({ "grade": "EXCELLENT", "label": "优", "count": 2 }));

    // The kept totals follow the rules in force: kept under other rules (here: overwritten), they
    // are scored again by `jixiao refresh-findings`, as after an upgrade.
    use sea_orm::ConnectionTrait;
    let db = sea_orm::Database::connect(&world.db.url).await.unwrap();
    db.execute_unprepared("UPDATE self_evaluations SET total_score = 0, grade = 'POOR'").await.unwrap();
    let stale = summary_once_noticed(&approver, "0.00").await;
    assert_eq!(stale["averageScore"], "0.00");
    let out = jixiao_tests::jixiao(&world.db.url, &["refresh-findings"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 份有变化"), "{}", String::from_utf8_lossy(&out.stdout));
    let summary = summary_once_noticed(&approver, "97.79").await;
    assert_eq!((summary["averageScore"].as_str(), summary["byGrade"][0]["count"].as_i64()), (Some("97.79"), Some(2)));
}

fn q_summary() -> &'static str {
    "query { selfEvaluationSummary(fiscalYear: 2023) { count submitted accepted averageScore byGrade { grade label count } } }"
}

/// A page of projects with their self-evaluations' scores costs the same statements for one
/// project as for five (the declarations in force are read for the page at once), and a project
/// approved before snapshots were kept is scored against its own rows, as before.
#[tokio::test]
async fn a_page_of_scored_evaluations_costs_the_same_statements_for_one_and_for_five() {
    // Statements are counted: no answer is kept (a kept one runs none).
    let world = World::with_fixture_and(&[("JIXIAO_KEPT_ANSWERS_MB", "0")]).await;
    let (submitter, approver) = (world.login("submitter").await, world.login("approver").await);
    let list = submitter.data("{ projects(first: 10) { nodes { id } } }", json!({})).await;
    let ids: Vec<String> =
        list["projects"]["nodes"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids.len(), 5);
    let start = "mutation($p: ID!) { startSelfEvaluation(input: { projectId: $p }) { userErrors { field code } } }";
    for id in &ids {
        let step = |m: &str| format!("mutation($id: ID!) {{ {m}(id: $id) {{ userErrors {{ code message }} }} }}");
        submitter.data(&step("submitProject"), json!({ "id": id })).await;
        let approved = approver.data(&step("approveProject"), json!({ "id": id })).await;
        assert_eq!(approved["approveProject"]["userErrors"], json!([]), "{approved}");
        let started = submitter.data(start, json!({ "p": id })).await;
        assert_eq!(started["startSelfEvaluation"]["userErrors"], json!([]), "{started}");
    }
    let page = |size: usize| {
        format!(
            "{{ projects(first: {size}) {{ nodes {{ name selfEvaluation {{ executionWeight executionScore totalScore grade
                indicators {{ indicator {{ name }} target weight score }} level1Scores {{ level1 weight score }} }} }} }} }}"
        )
    };
    let statements_for = |size: usize| {
        let (client, query) = (&submitter, page(size));
        async move {
            let before = statements_run(client).await;
            let data = client.data(&query, json!({})).await;
            (statements_run(client).await - before, data)
        }
    };
    statements_for(5).await; // the session's user is read once, then kept
    let (one, _) = statements_for(1).await;
    let (five, scored) = statements_for(5).await;
    assert_eq!(one, five, "a page of five evaluations costs what a page of one does");
    let nodes = scored["projects"]["nodes"].as_array().unwrap();
    assert!(
        nodes.iter().all(|n| n["selfEvaluation"]["indicators"].as_array().is_some_and(|i| !i.is_empty())),
        "{scored}"
    );

    // Two projects as if approved before snapshots were kept: scored against their own rows,
    // which are what was approved (frozen since), so to the same answer.
    let db = sea_orm::Database::connect(&world.db.url).await.unwrap();
    let legacy =
        format!("DELETE FROM project_snapshots WHERE project_id IN (SELECT id FROM projects ORDER BY id LIMIT 2)");
    sea_orm::ConnectionTrait::execute_unprepared(&db, &legacy).await.unwrap();
    let (_, again) = statements_for(5).await;
    assert_eq!(again, scored, "scored the same against the projects' own rows");
}

/// The year's summary once it shows `average` or `NOTIFIED_WITHIN` has passed: a write made
/// beside the service (SQL, the command line) drops the answer kept for it by its notice, which
/// comes within that time, not before the next statement.
async fn summary_once_noticed(client: &jixiao_tests::Client, average: &str) -> Value {
    let deadline = std::time::Instant::now() + jixiao_tests::NOTIFIED_WITHIN;
    loop {
        let summary = client.data(q_summary(), json!({})).await["selfEvaluationSummary"].clone();
        if summary["averageScore"] == average || std::time::Instant::now() > deadline {
            return summary;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
