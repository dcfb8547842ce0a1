//! What administering people and units must hold beyond who may do it (that is the
//! authorization matrix): the role and department go together, disabling and password changes
//! end tokens at once, a unit in use stays, a password change checks and throttles the current
//! password, and the user list filters.

use jixiao_tests::client::error_code;
use jixiao_tests::{Client, PASSWORD, World, add_user, unit_of};
use serde_json::{Value, json};

async fn id_of(client: &Client) -> String {
    client.data("{ me { id } }", json!({})).await["me"]["id"].as_str().unwrap().to_string()
}

fn errors(r: &Value, field: &str) -> Vec<(String, String)> {
    r[field]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
        .collect()
}

const UPDATE_USER: &str = "mutation($input: UpdateUserInput!) { updateUser(input: $input) { user { role department { code } } userErrors { field code } } }";

#[tokio::test]
async fn roles_departments_and_tokens_follow_the_rules() {
    let world = World::with_fixture().await;
    let admin = world.login("admin").await;
    let approver = world.login("approver").await;
    let approver_id = id_of(&approver).await;
    let dept = admin.data("{ department(code: \"SJQ-XFB\") { id } }", json!({})).await["department"]["id"].clone();

    // A submitter needs a department; an approver has none.
    let r = admin.data(UPDATE_USER, json!({ "input": { "id": approver_id, "role": "SUBMITTER" } })).await;
    assert_eq!(errors(&r, "updateUser"), [("departmentId".to_string(), "INVALID_INPUT".to_string())]);
    let r = admin.data(UPDATE_USER, json!({ "input": { "id": approver_id, "departmentId": dept } })).await;
    assert_eq!(errors(&r, "updateUser"), [("departmentId".to_string(), "INVALID_INPUT".to_string())]);
    let r = admin
        .data(UPDATE_USER, json!({ "input": { "id": approver_id, "role": "SUBMITTER", "departmentId": dept } }))
        .await;
    assert_eq!(r["updateUser"]["user"], json!({ "role": "SUBMITTER", "department": { "code": "SJQ-XFB" } }));
    // The role is read on every request: the same token now acts as a submitter.
    let me = approver.data("{ me { role department { code } } }", json!({})).await;
    assert_eq!(me["me"], json!({ "role": "SUBMITTER", "department": { "code": "SJQ-XFB" } }));
    let r = admin
        .data(UPDATE_USER, json!({ "input": { "id": approver_id, "role": "APPROVER", "departmentId": null } }))
        .await;
    assert_eq!(r["updateUser"]["user"], json!({ "role": "APPROVER", "department": null }));

    // Disabling ends the user's tokens at once; nobody disables themselves.
    let r = admin
        .data("mutation($id: ID!) { disableUser(id: $id) { user { disabled } } }", json!({ "id": approver_id }))
        .await;
    assert_eq!(r["disableUser"]["user"]["disabled"], true);
    assert_eq!(error_code(&approver.gql("{ me { id } }", json!({})).await), "UNAUTHENTICATED");
    admin.data("mutation($id: ID!) { enableUser(id: $id) { user { disabled } } }", json!({ "id": approver_id })).await;
    let me = id_of(&admin).await;
    let r = admin
        .data("mutation($id: ID!) { disableUser(id: $id) { userErrors { field code } } }", json!({ "id": me }))
        .await;
    assert_eq!(errors(&r, "disableUser"), [("id".to_string(), "INVALID_INPUT".to_string())]);

    // A password set by an admin ends the tokens issued before, and is the one that works.
    let approver = world.login("approver").await;
    let r = admin
        .data(
            "mutation($id: ID!) { setPassword(id: $id, password: \"short\") { userErrors { field code } } }",
            json!({ "id": approver_id }),
        )
        .await;
    assert_eq!(errors(&r, "setPassword"), [("password".to_string(), "INVALID_INPUT".to_string())]);
    admin
        .data(
            "mutation($id: ID!) { setPassword(id: $id, password: \"a brand new password\") { user { id } } }",
            json!({ "id": approver_id }),
        )
        .await;
    assert_eq!(error_code(&approver.gql("{ me { id } }", json!({})).await), "UNAUTHENTICATED");
    Client::new(&world.server.base_url).login("approver", "a brand new password").await;

    // The list filters by role, department, state and name.
    add_user(&world.db.url, "zhangsan", "APPROVER", None).await;
    let list = |filter: Value| {
        let admin = admin.clone();
        async move {
            let r = admin
                .data(
                    "query($f: UserFilterInput) { users(filter: $f) { totalCount nodes { username } } }",
                    json!({ "f": filter }),
                )
                .await;
            let names: Vec<String> = r["users"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["username"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(r["users"]["totalCount"], names.len(), "totalCount counts the filtered list");
            names
        }
    };
    assert_eq!(list(json!({ "role": "APPROVER" })).await, ["approver", "zhangsan"]);
    assert_eq!(list(json!({ "departmentId": dept })).await, ["submitter"]);
    assert_eq!(
        list(json!({ "nameContains": "ZHANG" })).await,
        ["zhangsan"],
        "usernames are one user whatever their case, and the filter ignores case as they do"
    );
    assert_eq!(list(json!({ "nameContains": "zhang" })).await, ["zhangsan"]);
    assert_eq!(list(json!({ "disabled": true })).await.len(), 0);
}

#[tokio::test]
async fn a_unit_in_use_stays_and_renames_keep_codes() {
    let world = World::with_fixture().await;
    let admin = world.login("admin").await;
    let unit = unit_of(&admin, "SJQ-XFB").await;
    let r = admin.data("mutation($id: ID!) { deleteBudgetUnit(id: $id) { deletedBudgetUnitId userErrors { field code message } } }", json!({ "id": unit })).await;
    assert!(r["deleteBudgetUnit"]["deletedBudgetUnitId"].is_null(), "{r}");
    assert_eq!(r["deleteBudgetUnit"]["userErrors"][0]["code"], "INVALID_INPUT");
    let r = admin.data("mutation($id: ID!) { updateBudgetUnit(input: { id: $id, name: \"松江区信访办本级\" }) { budgetUnit { code name } } }", json!({ "id": unit })).await;
    assert_eq!(r["updateBudgetUnit"]["budgetUnit"], json!({ "code": "SJQ-XFB", "name": "松江区信访办本级" }));
}

const CHANGE: &str = "mutation($old: String!, $new: String!) { changePassword(oldPassword: $old, newPassword: $new) { token userErrors { field code } } }";

#[tokio::test]
async fn changing_your_password_checks_the_old_one_and_is_throttled() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let r = submitter.data(CHANGE, json!({ "old": "not my password", "new": "a brand new password" })).await;
    assert_eq!(errors(&r, "changePassword"), [("oldPassword".to_string(), "INVALID_INPUT".to_string())]);
    let r = submitter.data(CHANGE, json!({ "old": PASSWORD, "new": "short" })).await;
    assert_eq!(errors(&r, "changePassword"), [("newPassword".to_string(), "INVALID_INPUT".to_string())]);
    let r = submitter.data(CHANGE, json!({ "old": PASSWORD, "new": "a brand new password" })).await;
    let token = r["changePassword"]["token"].as_str().expect("a new token").to_string();
    assert_eq!(error_code(&submitter.gql("{ me { id } }", json!({})).await), "UNAUTHENTICATED", "the old token ended");
    let renewed = submitter.with_token(&token);
    assert_eq!(renewed.data("{ me { username } }", json!({})).await["me"]["username"], "submitter");
    // Guessing the current password with a stolen session is slowed down like a login.
    for _ in 0..4 {
        renewed.data(CHANGE, json!({ "old": "guess", "new": "another new password" })).await;
    }
    let r = renewed.gql(CHANGE, json!({ "old": "guess", "new": "another new password" })).await;
    let r = if r.get("errors").is_some() {
        r
    } else {
        renewed.gql(CHANGE, json!({ "old": "a brand new password", "new": "another new password" })).await
    };
    assert_eq!(error_code(&r), "RATE_LIMITED", "{r}");
}
