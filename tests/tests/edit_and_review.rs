//! Editing with versions, deleting, and the review workflow's compare-and-set transitions.

use jixiao_tests::client::error_code;
use jixiao_tests::{Client, World};
use serde_json::{Value, json};

const UPDATE: &str = "mutation($input: UpdateProjectInput!) {
    updateProject(input: $input) { project { id version name status fundItems { name amount } } userErrors { field code message } } }";

async fn first_project(client: &Client, name: &str) -> Value {
    let d = client.data("{ projects(first: 10) { nodes { id name version status } } }", json!({})).await;
    d["projects"]["nodes"].as_array().unwrap().iter().find(|p| p["name"] == name).cloned().unwrap()
}

#[tokio::test]
async fn an_edit_needs_the_current_version_and_keeps_what_it_does_not_name() {
    let world = World::with_fixture().await;
    let client = world.login("submitter").await;
    let p = first_project(&client, "维稳工作").await;
    let v = p["version"].as_i64().unwrap();

    let renamed = client
        .data(UPDATE, json!({ "input": { "id": p["id"], "expectedVersion": v, "name": "维稳工作（2023）" } }))
        .await;
    let project = &renamed["updateProject"]["project"];
    assert_eq!(renamed["updateProject"]["userErrors"], json!([]));
    assert_eq!(project["version"], v + 1);
    assert_eq!(project["fundItems"].as_array().unwrap().len(), 3, "fields not named are kept");

    let stale =
        client.data(UPDATE, json!({ "input": { "id": p["id"], "expectedVersion": v, "name": "另一个名字" } })).await;
    assert_eq!(stale["updateProject"]["userErrors"][0]["code"], "VERSION_CONFLICT");
    assert!(stale["updateProject"]["project"].is_null());
    let now = first_project(&client, "维稳工作（2023）").await;
    assert_eq!(now["version"], v + 1, "the stale edit changed nothing");

    // A list given replaces the old one; items that no longer add up are saved (a draft holds
    // work in progress) and submitting is refused until they do.
    let items = json!([{ "name": "维稳基金", "amount": "2371500.00" }]);
    let replaced =
        client.data(UPDATE, json!({ "input": { "id": p["id"], "expectedVersion": v + 1, "fundItems": items } })).await;
    assert_eq!(replaced["updateProject"]["project"]["fundItems"], items);
    let bad = client.data(UPDATE, json!({ "input": { "id": p["id"], "expectedVersion": v + 2, "fundItems": [{ "name": "x", "amount": "1.00" }] } })).await;
    assert_eq!(bad["updateProject"]["userErrors"], json!([]), "{bad}");
    assert_eq!(first_project(&client, "维稳工作（2023）").await["version"], v + 3);
    let submit = "mutation($id: ID!) { submitProject(id: $id) { project { status } userErrors { field code } } }";
    let refused = client.data(submit, json!({ "id": p["id"] })).await;
    assert_eq!(refused["submitProject"]["userErrors"], json!([{ "field": "fundItems", "code": "FUNDS_MISMATCH" }]));
}

async fn futures_join<T: Send + 'static>(tasks: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for t in tasks.collect::<Vec<_>>() {
        out.push(t.await.unwrap());
    }
    out
}

async fn transition(client: &Client, mutation: &str, id: &Value, extra: &str) -> Value {
    let q = format!(
        "mutation($id: ID!) {{ {mutation}(id: $id{extra}) {{ project {{ status version }} userErrors {{ field code message }} }} }}"
    );
    client.gql(&q, json!({ "id": id })).await
}

#[tokio::test]
async fn a_declaration_goes_through_review_and_racing_approvers_give_one_winner() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let p = first_project(&submitter, "课题与规划").await;

    // Drafts are invisible to approvers.
    let hidden = approver.gql("query($id: ID!) { project(id: $id) { id } }", json!({ "id": p["id"] })).await;
    assert_eq!(error_code(&hidden), "NOT_FOUND");

    let submitted = transition(&submitter, "submitProject", &p["id"], "").await;
    assert_eq!(submitted["data"]["submitProject"]["project"]["status"], "SUBMITTED", "{submitted}");

    let edit = submitter.data(UPDATE, json!({ "input": { "id": p["id"], "expectedVersion": 2, "name": "x" } })).await;
    assert_eq!(
        edit["updateProject"]["userErrors"][0]["code"], "INVALID_TRANSITION",
        "submitted projects are not edited"
    );

    let forbidden = transition(&submitter, "approveProject", &p["id"], "").await;
    assert_eq!(error_code(&forbidden), "FORBIDDEN");

    let approvals = (0..8).map(|_| {
        let a = approver.clone();
        let id = p["id"].clone();
        tokio::spawn(async move { transition(&a, "approveProject", &id, ", comment: \"同意\"").await })
    });
    let results = futures_join(approvals).await;
    let winners = results.iter().filter(|r| r["data"]["approveProject"]["project"]["status"] == "APPROVED").count();
    assert_eq!(winners, 1, "{results:?}");
    for r in results.iter().filter(|r| r["data"]["approveProject"]["project"].is_null()) {
        let code = &r["data"]["approveProject"]["userErrors"][0]["code"];
        assert!(code == "INVALID_TRANSITION" || code == "VERSION_CONFLICT", "{r}");
    }

    let history = approver
        .data("query($id: ID!) { project(id: $id) { status reviews { action fromStatus toStatus comment actor { username } } } }", json!({ "id": p["id"] }))
        .await;
    assert_eq!(
        history["project"]["reviews"],
        json!([
            { "action": "SUBMIT", "fromStatus": "DRAFT", "toStatus": "SUBMITTED", "comment": "", "actor": { "username": "submitter" } },
            { "action": "APPROVE", "fromStatus": "SUBMITTED", "toStatus": "APPROVED", "comment": "同意", "actor": { "username": "approver" } }
        ])
    );
    let reject_locked = transition(&approver, "rejectProject", &p["id"], ", reason: \"晚了\"").await;
    assert_eq!(reject_locked["data"]["rejectProject"]["userErrors"][0]["code"], "INVALID_TRANSITION");
}

#[tokio::test]
async fn deleting_a_draft_hides_it_everywhere() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let p = first_project(&submitter, "宣传与推广").await;
    let r = submitter
        .data(
            "mutation($id: ID!) { deleteProject(id: $id) { deletedProjectId userErrors { code } } }",
            json!({ "id": p["id"] }),
        )
        .await;
    assert_eq!(r["deleteProject"]["deletedProjectId"], p["id"]);
    let gone = submitter.gql("query($id: ID!) { node(id: $id) { id } }", json!({ "id": p["id"] })).await;
    assert_eq!(error_code(&gone), "NOT_FOUND");
    let summary =
        submitter.data("{ declarationSummary(fiscalYear: 2023) { projectCount totalFunds } }", json!({})).await;
    assert_eq!(summary["declarationSummary"], json!({ "projectCount": 4, "totalFunds": "2764171.00" }));
}

/// `updateProject` is a patch: two of the seven amounts change and the other five stay; an
/// explicit `null` clears a planned date, and a date left out stays.
#[tokio::test]
async fn an_edit_patches_amounts_and_clears_a_date_with_null() {
    let world = World::with_fixture().await;
    let client = world.login("submitter").await;
    let p = first_project(&client, "课题与规划").await;
    let patch = json!({ "input": {
        "id": p["id"], "expectedVersion": p["version"],
        "funds": { "total": "120000.00", "fiscal": "120000.00" },
        "plannedEnd": null,
    } });
    let r = client
        .data(
            "mutation($input: UpdateProjectInput!) { updateProject(input: $input) {
                project { plannedStart plannedEnd funds { total fiscal other annualRequest currentYearAppropriation carryover annualOther } }
                userErrors { field code } } }",
            patch,
        )
        .await;
    assert_eq!(r["updateProject"]["userErrors"], json!([]), "{r}");
    let project = &r["updateProject"]["project"];
    assert_eq!(
        project["funds"],
        json!({ "total": "120000.00", "fiscal": "120000.00", "other": "0.00", "annualRequest": "100000.00",
                "currentYearAppropriation": "100000.00", "carryover": "0.00", "annualOther": "0.00" })
    );
    assert_eq!(project["plannedEnd"], Value::Null, "cleared by null");
    assert_eq!(project["plannedStart"], "2023-01-01", "left out, kept");
}
