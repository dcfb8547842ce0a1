//! Remarks on a line of the form (审核意见): the approver points at a box and at an indicator,
//! the unit sees them, cannot submit again until it has answered each, and the next reviewer
//! sees the answers and what changed since the submission that was sent back.

use jixiao_tests::client::error_code;
use jixiao_tests::{CREATE_PROJECT, Client, World, complete_declaration, unit_of};
use serde_json::{Value, json};

const ADD: &str = "mutation($i: AddReviewRemarkInput!) { addReviewRemark(input: $i) {
    remark { id field indicatorId indicator { name } text author { username } answered answer }
    userErrors { field code message } } }";
const ANSWER: &str = "mutation($i: AnswerReviewRemarkInput!) { answerReviewRemark(input: $i) {
    remark { answered answer answeredBy { username } } userErrors { field code message } } }";
const SUBMIT: &str =
    "mutation($id: ID!) { submitProject(id: $id) { project { status } userErrors { field code message } } }";

async fn project_with_indicators(submitter: &Client, unit: &str, name: &str) -> (String, Vec<Value>) {
    let r = submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(unit, name) })).await;
    let id = r["createProject"]["project"]["id"].as_str().unwrap().to_string();
    let p = submitter
        .data("query($id: ID!) { project(id: $id) { indicators { id name target { text } } } }", json!({ "id": id }))
        .await;
    (id, p["project"]["indicators"].as_array().unwrap().clone())
}

fn errors(r: &Value, op: &str) -> Vec<(String, String)> {
    r[op]["userErrors"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn remarks_are_answered_before_resubmitting_and_the_reviewer_sees_answers_and_changes() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let (id, indicators) = project_with_indicators(&submitter, &unit, "审核意见项目").await;
    let (other, other_indicators) = project_with_indicators(&submitter, &unit, "另一个项目").await;
    let add = |i: Value| {
        let approver = approver.clone();
        async move { approver.data(ADD, json!({ "i": i })).await }
    };

    // Not under review yet: a draft is not the approver's to see.
    let r = approver.gql(ADD, json!({ "i": { "projectId": id, "field": "name", "text": "名称不规范" } })).await;
    assert_eq!(error_code(&r), "NOT_FOUND", "{r}");
    assert_eq!(submitter.data(SUBMIT, json!({ "id": id })).await["submitProject"]["project"]["status"], "SUBMITTED");
    submitter.data(SUBMIT, json!({ "id": other })).await;

    // Where and what, checked; every problem at once; nothing kept when refused.
    let r = add(json!({ "projectId": id, "text": "  " })).await;
    assert_eq!(
        errors(&r, "addReviewRemark"),
        [("field".into(), "INVALID_INPUT".into()), ("text".into(), "INVALID_INPUT".into())]
    );
    let r = add(json!({ "projectId": id, "field": "资金 合计", "text": "看不懂" })).await;
    assert_eq!(errors(&r, "addReviewRemark"), [("field".into(), "INVALID_INPUT".into())]);
    let r = add(json!({ "projectId": id, "indicatorId": other_indicators[0]["id"], "text": "别的项目的指标" })).await;
    assert_eq!(errors(&r, "addReviewRemark"), [("indicatorId".into(), "INVALID_INPUT".into())]);
    let r = submitter.gql(ADD, json!({ "i": { "projectId": id, "field": "name", "text": "自己提意见" } })).await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r}");

    // Two remarks: one on a box, one on an indicator's target.
    let r = add(json!({ "projectId": id, "field": "funds.total", "text": "资金测算依据不足，请补充" })).await;
    let on_funds = r["addReviewRemark"]["remark"].clone();
    assert_eq!(on_funds["field"], "funds.total", "{r}");
    assert_eq!(on_funds["author"]["username"], "approver");
    assert_eq!(on_funds["answered"], false);
    let r =
        add(json!({ "projectId": id, "indicatorId": indicators[0]["id"], "field": "target", "text": "指标值偏低" }))
            .await;
    let on_indicator = r["addReviewRemark"]["remark"].clone();
    assert_eq!(on_indicator["indicator"]["name"], indicators[0]["name"], "{r}");

    // The unit sees them on the project; the approver sends it back.
    let seen = submitter
        .data("query($id: ID!) { project(id: $id) { remarks { id text answered } } }", json!({ "id": id }))
        .await;
    assert_eq!(seen["project"]["remarks"].as_array().unwrap().len(), 2, "{seen}");
    approver
        .data(
            "mutation($id: ID!) { rejectProject(id: $id, reason: \"见审核意见\") { userErrors { code } } }",
            json!({ "id": id }),
        )
        .await;
    let r = approver.gql(ADD, json!({ "i": { "projectId": id, "field": "name", "text": "退回后" } })).await;
    assert_eq!(r["data"]["addReviewRemark"]["userErrors"][0]["code"], "INVALID_TRANSITION", "{r}");

    // The unit edits: a new goal and a higher target.
    let version = submitter.data("query($id: ID!) { project(id: $id) { version } }", json!({ "id": id })).await["project"]
        ["version"]
        .clone();
    let r = submitter
        .data(
            "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { version } userErrors { message } } }",
            json!({ "i": { "id": id, "expectedVersion": version, "overallGoal": "补充测算依据后的总体目标" } }),
        )
        .await;
    let version = r["updateProject"]["project"]["version"].clone();
    let r = submitter
        .data(
            "mutation($i: UpdateIndicatorInput!) { updateIndicator(input: $i) { userErrors { message } } }",
            json!({ "i": { "id": indicators[0]["id"], "expectedVersion": version, "target": "≥99%" } }),
        )
        .await;
    assert_eq!(r["updateIndicator"]["userErrors"], json!([]), "{r}");

    // Submitting again is refused while a remark is unanswered, each one named.
    let r = submitter.data(SUBMIT, json!({ "id": id })).await;
    assert_eq!(
        errors(&r, "submitProject"),
        [("remarks[0]".into(), "INCOMPLETE".into()), ("remarks[1]".into(), "INCOMPLETE".into())]
    );
    assert!(r["submitProject"]["userErrors"][0]["message"].as_str().unwrap().contains("资金测算依据不足"), "{r}");
    let r = approver.gql(ANSWER, json!({ "i": { "id": on_funds["id"], "answer": "我来答" } })).await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r}");
    let r = submitter.data(ANSWER, json!({ "i": { "id": on_funds["id"], "answer": " " } })).await;
    assert_eq!(errors(&r, "answerReviewRemark"), [("answer".into(), "INVALID_INPUT".into())]);
    let r = submitter.data(ANSWER, json!({ "i": { "id": on_funds["id"], "answer": "已补充测算依据" } })).await;
    assert_eq!(
        r["answerReviewRemark"]["remark"],
        json!({ "answered": true, "answer": "已补充测算依据", "answeredBy": { "username": "submitter" } })
    );
    let r = submitter.data(SUBMIT, json!({ "id": id })).await;
    assert_eq!(errors(&r, "submitProject"), [("remarks[1]".into(), "INCOMPLETE".into())]);
    submitter.data(ANSWER, json!({ "i": { "id": on_indicator["id"], "answer": "已提高到 99%" } })).await;
    let r = submitter.data(SUBMIT, json!({ "id": id })).await;
    assert_eq!(r["submitProject"]["project"]["status"], "SUBMITTED", "{r}");
    let r = submitter.data(ANSWER, json!({ "i": { "id": on_indicator["id"], "answer": "提交后再改" } })).await;
    assert_eq!(errors(&r, "answerReviewRemark"), [("id".into(), "INVALID_TRANSITION".into())]);

    // The next reviewer sees the answers and what changed since the submission sent back.
    let r = approver
        .data(
            "query($id: ID!) { project(id: $id) { remarks { field answered answer } changes { field indicatorId old new } } }",
            json!({ "id": id }),
        )
        .await;
    let remarks = r["project"]["remarks"].as_array().unwrap();
    assert!(remarks.iter().all(|m| m["answered"] == true), "{r}");
    let changes = r["project"]["changes"].as_array().unwrap();
    assert!(
        changes.contains(&json!({ "field": "overallGoal", "indicatorId": null, "old": complete_declaration(&unit, "x")["overallGoal"], "new": "补充测算依据后的总体目标" })),
        "{r}"
    );
    let target = changes.iter().find(|c| c["field"] == "indicators.target").unwrap_or_else(|| panic!("{r}"));
    assert_eq!((target["indicatorId"].clone(), target["new"].clone()), (indicators[0]["id"].clone(), json!("≥99%")));
    assert_eq!(changes.len(), 2, "nothing else changed: {r}");

    // A first submission has no earlier one: no changes.
    let r = approver.data("query($id: ID!) { project(id: $id) { changes { field } } }", json!({ "id": other })).await;
    assert_eq!(r["project"]["changes"], json!([]));

    // At most 200 remarks on one project.
    for i in 0..200 {
        let r = add(json!({ "projectId": other, "field": "name", "text": format!("意见 {i}") })).await;
        assert_eq!(r["addReviewRemark"]["userErrors"], json!([]), "{i}: {r}");
    }
    let r = add(json!({ "projectId": other, "field": "name", "text": "第 201 条" })).await;
    assert_eq!(errors(&r, "addReviewRemark"), [("projectId".into(), "INVALID_INPUT".into())]);
    assert!(r["addReviewRemark"]["userErrors"][0]["message"].as_str().unwrap().contains("200"), "{r}");
}
