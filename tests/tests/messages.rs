//! Every message a person reads is in Chinese by default and in English on
//! `Accept-Language: en`: top-level errors (of every code the API gives, the HTTP layer's
//! refusals included), userErrors of every kind, and findings.
//!
//! Requests of every kind that fail are sent twice, without a language and in English; every
//! `message` anywhere in the answers is collected. Besides, the server is the debug build, where
//! building a message whose Chinese text has no Chinese in it panics (`domain::Message::new`):
//! every other test that reaches a message checks it too.

use jixiao_tests::{CREATE_PROJECT, World, client::Client, complete_declaration, unit_of};
use serde_json::{Value, json};

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Every `message` in a response, wherever it is.
fn messages(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("message", Value::String(m)) => out.push(m.clone()),
                    _ => messages(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| messages(i, out)),
        _ => {}
    }
}

/// A raw HTTP POST (for the refusals before GraphQL: bad JSON, a wrong media type, a batch).
async fn raw(base: &str, content_type: &str, body: &str, language: Option<&str>) -> Value {
    let mut req = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .header("content-type", content_type)
        .body(body.to_string());
    if let Some(l) = language {
        req = req.header("accept-language", l);
    }
    req.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn every_message_is_chinese_by_default_and_english_on_request() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let admin = world.login("admin").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let seed = submitter.data("{ projects(first: 1) { nodes { id version } } }", json!({})).await;
    let seed_id = seed["projects"]["nodes"][0]["id"].clone();
    let me = admin.data("{ me { id } }", json!({})).await["me"]["id"].clone();

    // A draft with findings of every kind a half-filled form has.
    let r = submitter
        .data(
            CREATE_PROJECT,
            json!({ "input": { "fiscalYear": 2023, "implementingUnitId": unit, "name": "消息测试" } }),
        )
        .await;
    let draft = r["createProject"]["project"]["id"].clone();
    let mut bad = complete_declaration(&unit, "坏输入");
    bad["funds"]["total"] = json!("-1");
    bad["funds"]["fiscal"] = json!("1.001");
    bad["funds"]["other"] = json!("abc");
    bad["funds"]["annualRequest"] = json!("99999999999999");
    bad["name"] = json!("名".repeat(201));
    bad["overallGoal"] = json!("含\u{0}空字符");
    bad["indicators"][0]["name"] = json!(" ");
    bad["indicators"][1]["target"] = json!("9".repeat(101));
    bad["fiscalYear"] = json!(1999);
    let mut unsaved = complete_declaration(&unit, "检查");
    unsaved["indicators"][0]["target"] = json!("≥");
    unsaved["indicators"][1]["level2"] = json!("QUALITY");
    unsaved["fundItems"][0]["amount"] = json!("1.00");
    unsaved["funds"]["other"] = Value::Null;
    unsaved["category"] = Value::Null;
    unsaved["plannedEnd"] = json!("2022-01-01");
    unsaved["overallGoal"] = json!("");
    unsaved["sections"]["budgetArrangement"] = json!("年度预算 99 万元");

    let (anonymous, forged) = (world.anonymous(), submitter.with_token("not-a-token"));
    let calls: Vec<(&Client, String, Value)> = vec![
        (&anonymous, "{ me { id } }".into(), json!({})),
        (&forged, "{ me { id } }".into(), json!({})),
        (&submitter, "{ project(id: \"bm90LWFuLWlk\") { id } }".into(), json!({})),
        (&submitter, "query($id: ID!) { project(id: $id) { id } }".into(), json!({ "id": me })),
        (&submitter, "{ projects(first: 0) { totalCount } }".into(), json!({})),
        (&submitter, "{ projects(first: 2, after: \"xyz\") { totalCount } }".into(), json!({})),
        (&submitter, "{ projects(filter: { status: [] }) { totalCount } }".into(), json!({})),
        (&submitter, "{ projects(filter: { totalFundsMin: \"-5\" }) { totalCount } }".into(), json!({})),
        (&submitter, "{ nosuchfield }".into(), json!({})),
        (&submitter, "{ projects(filter: { updatedSince: \"yesterday\" }) { totalCount } }".into(), json!({})),
        (&submitter, "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { userErrors { message } } }".into(),
            json!({ "i": { "id": draft, "expectedVersion": 1, "plannedStart": "2023-02-30" } })),
        (&submitter, "{ me { id ".into(), json!({})),
        (&submitter, format!("{{ me {} id {} }}", "{ a ".repeat(40), "}".repeat(40)), json!({})),
        (&submitter, "{ department { id } }".into(), json!({})),
        (&approver, CREATE_PROJECT.into(), json!({ "input": complete_declaration(&unit, "审核人员创建") })),
        (&submitter, CREATE_PROJECT.into(), json!({ "input": bad })),
        (&submitter, CREATE_PROJECT.into(), json!({ "input": complete_declaration("QnVkZ2V0VW5pdDo5OTk5OQ", "未知单位") })),
        (&submitter, "mutation($id: ID!) { submitProject(id: $id) { userErrors { field message code } } }".into(), json!({ "id": draft })),
        (&submitter, "mutation($id: ID!) { approveProject(id: $id) { userErrors { message } } }".into(), json!({ "id": draft })),
        (&approver, "mutation($id: ID!) { rejectProject(id: $id, reason: \" \") { userErrors { message } } }".into(), json!({ "id": seed_id })),
        (&submitter, "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { userErrors { message } } }".into(),
            json!({ "i": { "id": draft, "expectedVersion": 99, "name": "新名" } })),
        (&submitter, "query($i: CreateProjectInput!) { checkDeclaration(input: $i) { userErrors { message } findings { message } } }".into(),
            json!({ "i": unsaved })),
        (&submitter, "query($id: ID!) { project(id: $id) { findings { message } } }".into(), json!({ "id": draft })),
        (&anonymous, "mutation { login(username: \"submitter\", password: \"wrong-password\") { token } }".into(), json!({})),
        (&admin, "mutation($id: ID!) { disableUser(id: $id) { userErrors { message } } }".into(), json!({ "id": me })),
        (&admin, "mutation { createDepartment(input: { code: \"a b\", name: \"\" }) { userErrors { message } } }".into(), json!({})),
        (&admin, "mutation($d: ID!) { createUser(input: { username: \"x y\", role: SUBMITTER, password: \"short\", departmentId: $d }) { userErrors { message } } }".into(), json!({ "d": me })),
        (&submitter, "mutation { changePassword(oldPassword: \"wrong-password\", newPassword: \"a-new-password\") { userErrors { message } } }".into(), json!({})),
        (&submitter, "mutation($i: MoveIndicatorInput!) { moveIndicator(input: $i) { userErrors { message } } }".into(),
            json!({ "i": { "id": me, "expectedVersion": 1, "position": 0 } })),
    ];
    let mut checked = 0;
    for (client, query, variables) in &calls {
        let zh = client.gql(query, variables.clone()).await;
        let en = client.with_language("en-US,en;q=0.9").gql(query, variables.clone()).await;
        let (mut zh_messages, mut en_messages) = (vec![], vec![]);
        messages(&zh, &mut zh_messages);
        messages(&en, &mut en_messages);
        assert!(!zh_messages.is_empty(), "{query}: expected a message to check: {zh}");
        assert_eq!(zh_messages.len(), en_messages.len(), "{query}: the same messages in both languages");
        for (z, e) in zh_messages.iter().zip(&en_messages) {
            assert!(has_chinese(z), "{query}: not Chinese by default: {z:?}");
            assert_ne!(z, e, "{query}: no English for {z:?}");
            // English may quote Chinese (a name typed, a 指标 label), but reads as English.
            assert!(e.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 8, "{query}: not English: {e:?}");
            checked += 1;
        }
    }
    // The HTTP layer's refusals, before any GraphQL runs.
    let base = &world.server.base_url;
    for (content_type, body) in [
        ("application/json", "{not json"),
        ("text/plain", "{\"query\": \"{ me { id } }\"}"),
        ("application/json", "[{\"query\": \"{ me { id } }\"}]"),
    ] {
        let zh = raw(base, content_type, body, None).await;
        let en = raw(base, content_type, body, Some("en")).await;
        let (z, e) = (zh["errors"][0]["message"].as_str().unwrap(), en["errors"][0]["message"].as_str().unwrap());
        assert!(has_chinese(z) && !has_chinese(e), "{body}: {z:?} / {e:?}");
        checked += 1;
    }
    assert!(checked > 60, "only {checked} messages were checked");
}
