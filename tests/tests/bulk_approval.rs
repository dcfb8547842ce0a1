//! `approveProjects`: up to 100 projects approved in one request, each in its own transaction,
//! with an answer per id. Ten ids: seven submitted, one approved meanwhile by another approver
//! (stale), one still in its department's review (forbidden to the bureau) and one draft the
//! approver may not see; the seven are approved with the comment, the other three say why not
//! and stay as they were. A submitter's batch decides nothing.

use jixiao_tests::{CREATE_PROJECT, World, add_user, complete_declaration, jixiao, unit_of};
use serde_json::{Value, json};

const BULK: &str = "mutation($ids: [ID!]!) { approveProjects(input: { ids: $ids, comment: \"批量同意\" }) {
    results { id project { id status reviews { action comment } } userErrors { field code message } }
    userErrors { field code message } } }";

async fn status_of(admin: &jixiao_tests::Client, id: &Value) -> String {
    let r = admin.data("query($id: ID!) { project(id: $id) { status } }", json!({ "id": id })).await;
    r["project"]["status"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn ten_ids_one_stale_one_in_review_one_hidden_seven_approved_each_on_its_own() {
    let world = World::with_fixture().await;
    let url = world.db.url.clone();
    let out = jixiao(&url, &["generate", "--departments", "2", "--projects-per-department", "40"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    add_user(&url, "approver2", "APPROVER", None).await;
    let admin = world.login("admin").await;
    let approver = world.login("approver").await;
    let approver2 = world.login("approver2").await;
    let queue = approver
        .data("{ projects(first: 8, filter: { status: [SUBMITTED] }, orderBy: { field: SUBMITTED_AT }) { nodes { id } } }", json!({}))
        .await;
    let submitted: Vec<Value> =
        queue["projects"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].clone()).collect();
    assert_eq!(submitted.len(), 8, "the generated year has submitted projects");
    let draft =
        admin.data("{ projects(first: 1, filter: { status: [DRAFT] }) { nodes { id } } }", json!({})).await["projects"]
            ["nodes"][0]["id"]
            .clone();
    // Stale: approver2 approves the fourth before the batch is sent.
    let stale = submitted[3].clone();
    approver2
        .data("mutation($id: ID!) { approveProject(id: $id) { userErrors { code } } }", json!({ "id": stale }))
        .await;
    let mut ids = submitted.clone();
    ids.insert(6, draft.clone());
    // Forbidden: a declaration its department is still reviewing.
    add_user(&url, "reviewer", "DEPARTMENT_REVIEWER", Some("SJQ-XFB")).await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let r = submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "部门审核中的项目") })).await;
    let forbidden = r["createProject"]["project"]["id"].clone();
    let r = submitter
        .data("mutation($id: ID!) { submitProject(id: $id) { project { status } } }", json!({ "id": forbidden }))
        .await;
    assert_eq!(r["submitProject"]["project"]["status"], "DEPARTMENT_REVIEW");
    ids.insert(2, forbidden.clone());
    assert_eq!(ids.len(), 10);

    // A submitter's batch: every id refused, nothing changed.
    let r = submitter.data(BULK, json!({ "ids": ids })).await;
    let results = r["approveProjects"]["results"].as_array().unwrap();
    assert_eq!(results.len(), 10);
    assert!(
        results.iter().all(|x| x["project"].is_null()
            && ["FORBIDDEN", "NOT_FOUND"].contains(&x["userErrors"][0]["code"].as_str().unwrap())),
        "{r}"
    );
    assert_eq!(status_of(&admin, &submitted[0]).await, "SUBMITTED");

    let r = approver.data(BULK, json!({ "ids": ids })).await;
    assert_eq!(r["approveProjects"]["userErrors"], json!([]), "{r}");
    let results = r["approveProjects"]["results"].as_array().unwrap();
    assert_eq!(results.iter().map(|x| x["id"].clone()).collect::<Vec<_>>(), ids, "one result per id, in order");
    for (i, result) in results.iter().enumerate() {
        let id = &ids[i];
        if *id == stale {
            assert_eq!(result["project"], Value::Null);
            assert_eq!(result["userErrors"][0]["code"], "INVALID_TRANSITION", "{result}");
            assert_eq!(result["userErrors"][0]["field"], format!("ids[{i}]"));
            assert!(result["userErrors"][0]["message"].as_str().unwrap().contains("已审核通过"), "{result}");
        } else if *id == forbidden {
            assert_eq!(result["userErrors"][0]["code"], "FORBIDDEN", "{result}");
            assert_eq!(result["userErrors"][0]["field"], format!("ids[{i}]"));
            assert!(result["userErrors"][0]["message"].as_str().unwrap().contains("部门审核"), "{result}");
            assert_eq!(status_of(&admin, id).await, "DEPARTMENT_REVIEW", "still the department's");
        } else if *id == draft {
            assert_eq!(result["userErrors"][0]["code"], "NOT_FOUND", "{result}");
            assert_eq!(result["userErrors"][0]["field"], format!("ids[{i}]"));
            assert_eq!(status_of(&admin, id).await, "DRAFT", "the hidden draft stays a draft");
        } else {
            assert_eq!(result["userErrors"], json!([]), "{result}");
            assert_eq!(result["project"]["status"], "APPROVED");
            let last = result["project"]["reviews"].as_array().unwrap().last().unwrap().clone();
            assert_eq!(last, json!({ "action": "APPROVE", "comment": "批量同意" }));
            assert_eq!(status_of(&admin, id).await, "APPROVED");
        }
    }
    // The stale one was approved once, by approver2, not again.
    let history = admin
        .data("query($id: ID!) { project(id: $id) { reviews { action actor { username } } } }", json!({ "id": stale }))
        .await;
    let approvals: Vec<&Value> =
        history["project"]["reviews"].as_array().unwrap().iter().filter(|r| r["action"] == "APPROVE").collect();
    assert_eq!(approvals.len(), 1);
    assert_eq!(approvals[0]["actor"]["username"], "approver2");

    // More than 100, or none: refused as a whole, in the caller's language, nothing decided.
    let many: Vec<Value> = (0..101).map(|_| submitted[0].clone()).collect();
    let r = approver.with_language("en").data(BULK, json!({ "ids": many })).await;
    assert_eq!(r["approveProjects"]["results"], json!([]));
    assert_eq!(r["approveProjects"]["userErrors"][0]["field"], "ids");
    assert!(r["approveProjects"]["userErrors"][0]["message"].as_str().unwrap().contains("not 101"), "{r}");
    let long = "mutation($ids: [ID!]!, $c: String) { approveProjects(input: { ids: $ids, comment: $c }) { results { id } userErrors { field code } } }";
    let fresh = approver
        .data("{ projects(first: 1, filter: { status: [SUBMITTED] }) { nodes { id } } }", json!({}))
        .await["projects"]["nodes"][0]["id"]
        .clone();
    let r = approver.data(long, json!({ "ids": [fresh], "c": "长".repeat(2_001) })).await;
    assert_eq!(
        r["approveProjects"],
        json!({ "results": [], "userErrors": [{ "field": "comment", "code": "INVALID_INPUT" }] })
    );
    assert_eq!(status_of(&admin, &fresh).await, "SUBMITTED", "a comment too long decides nothing");
    let r = approver.data(BULK, json!({ "ids": [] })).await;
    assert_eq!(r["approveProjects"]["userErrors"][0]["code"], "INVALID_INPUT");
    // Anonymous: the whole request is refused.
    let r = world.anonymous().gql(BULK, json!({ "ids": [submitted[0]] })).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}
