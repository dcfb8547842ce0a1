//! Two levels of review (部门审核, then 财政): in a department with a department reviewer, a
//! declaration goes to DEPARTMENT_REVIEW first; the reviewer passes it on (SUBMITTED) or sends
//! it back (REJECTED, with a reason); the bureau decides only what was passed on. A department
//! without one (or whose reviewers are all disabled) submits straight to the bureau, as before.

use jixiao_tests::client::error_code;
use jixiao_tests::{CREATE_PROJECT, Client, World, add_user, complete_declaration, unit_of};
use serde_json::{Value, json};

const REVIEWS: &str = "reviews { action fromStatus toStatus comment actor { username } }";

struct Setup {
    world: World,
    submitter: Client,
    approver: Client,
    reviewer: Client,
    unit: String,
}

async fn setup() -> Setup {
    let world = World::with_fixture().await;
    let admin = world.login("admin").await;
    let d = admin
        .data(
            "mutation { createDepartment(input: { code: \"OTHER\", name: \"另一个部门\" }) { department { id } } }",
            json!({}),
        )
        .await;
    let other = d["createDepartment"]["department"]["id"].clone();
    admin
        .data(
            "mutation($d: ID!) { createBudgetUnit(input: { departmentId: $d, code: \"OTHER-U\", name: \"另一个单位\" }) { budgetUnit { id } } }",
            json!({ "d": other }),
        )
        .await;
    add_user(&world.db.url, "reviewer", "DEPARTMENT_REVIEWER", Some("SJQ-XFB")).await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let reviewer = world.login("reviewer").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    Setup { world, submitter, approver, reviewer, unit }
}

async fn created(owner: &Client, unit: &str, name: &str) -> String {
    let r = owner.data(CREATE_PROJECT, json!({ "input": complete_declaration(unit, name) })).await;
    r["createProject"]["project"]["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_string()
}

async fn act(client: &Client, op: &str, id: &str, extra: &str) -> Value {
    let q = format!(
        "mutation($id: ID!) {{ {op}(id: $id{extra}) {{ project {{ status {REVIEWS} }} userErrors {{ field code message }} }} }}"
    );
    client.gql(&q, json!({ "id": id })).await
}

async fn status(client: &Client, id: &str) -> Value {
    client.gql("query($id: ID!) { project(id: $id) { status } }", json!({ "id": id })).await
}

#[tokio::test]
async fn a_department_with_a_reviewer_reviews_first_then_the_bureau_decides() {
    let s = setup().await;
    let id = created(&s.submitter, &s.unit, "两级审核项目").await;
    let r = act(&s.submitter, "submitProject", &id, "").await;
    assert_eq!(r["data"]["submitProject"]["project"]["status"], "DEPARTMENT_REVIEW", "{r}");

    // The bureau sees it coming but may not decide it yet.
    assert_eq!(status(&s.approver, &id).await["data"]["project"]["status"], "DEPARTMENT_REVIEW");
    for (op, extra) in [("approveProject", ""), ("rejectProject", ", reason: \"太早\"")] {
        let r = act(&s.approver, op, &id, extra).await;
        assert_eq!(error_code(&r), "FORBIDDEN", "{op}: {r}");
        assert!(r["errors"][0]["message"].as_str().unwrap().contains("部门审核"), "{r}");
    }
    // The reviewer cannot grade, edit or approve; a reason is needed to send it back.
    let r = act(&s.reviewer, "rejectProject", &id, ", reason: \"请修改\", grade: FAIR").await;
    assert_eq!(r["data"]["rejectProject"]["userErrors"][0]["field"], "grade", "{r}");
    let r = act(&s.reviewer, "rejectProject", &id, ", reason: \" \"").await;
    assert_eq!(r["data"]["rejectProject"]["userErrors"][0]["field"], "reason", "{r}");
    assert_eq!(error_code(&act(&s.reviewer, "approveProject", &id, "").await), "FORBIDDEN");
    let delete = "mutation($id: ID!) { deleteProject(id: $id) { deletedProjectId } }";
    assert_eq!(error_code(&s.reviewer.gql(delete, json!({ "id": id })).await), "FORBIDDEN");

    // Passed on, then approved by the bureau; the history has both levels.
    let r = act(&s.reviewer, "forwardProject", &id, ", comment: \"部门同意报送\"").await;
    assert_eq!(r["data"]["forwardProject"]["project"]["status"], "SUBMITTED", "{r}");
    assert_eq!(error_code(&act(&s.reviewer, "rejectProject", &id, ", reason: \"反悔\"").await), "FORBIDDEN");
    let r = act(&s.reviewer, "forwardProject", &id, "").await;
    assert_eq!(r["data"]["forwardProject"]["userErrors"][0]["code"], "INVALID_TRANSITION", "{r}");
    let r = act(&s.approver, "approveProject", &id, "").await;
    let project = &r["data"]["approveProject"]["project"];
    assert_eq!(project["status"], "APPROVED", "{r}");
    assert_eq!(
        project["reviews"],
        json!([
            { "action": "SUBMIT", "fromStatus": "DRAFT", "toStatus": "DEPARTMENT_REVIEW", "comment": "", "actor": { "username": "submitter" } },
            { "action": "FORWARD", "fromStatus": "DEPARTMENT_REVIEW", "toStatus": "SUBMITTED", "comment": "部门同意报送", "actor": { "username": "reviewer" } },
            { "action": "APPROVE", "fromStatus": "SUBMITTED", "toStatus": "APPROVED", "comment": "", "actor": { "username": "approver" } },
        ])
    );

    // Sent back by the department, resubmitted: to the department again. Withdrawn meanwhile: a draft.
    let back = created(&s.submitter, &s.unit, "部门退回的项目").await;
    act(&s.submitter, "submitProject", &back, "").await;
    let r = act(&s.reviewer, "rejectProject", &back, ", reason: \"绩效指标不够具体\"").await;
    assert_eq!(r["data"]["rejectProject"]["project"]["status"], "REJECTED", "{r}");
    let r = act(&s.submitter, "submitProject", &back, "").await;
    assert_eq!(r["data"]["submitProject"]["project"]["status"], "DEPARTMENT_REVIEW", "{r}");
    let r = act(&s.submitter, "withdrawProject", &back, "").await;
    assert_eq!(r["data"]["withdrawProject"]["project"]["status"], "DRAFT", "{r}");

    // The reviewer sees the department's projects, never its drafts nor another department's.
    assert_eq!(error_code(&status(&s.reviewer, &back).await), "NOT_FOUND", "a draft is the unit's");
    let other_submitter = {
        add_user(&s.world.db.url, "other", "SUBMITTER", Some("OTHER")).await;
        s.world.login("other").await
    };
    let other_unit = unit_of(&other_submitter, "OTHER").await;
    let elsewhere = created(&other_submitter, &other_unit, "另一个部门的项目").await;
    let r = act(&other_submitter, "submitProject", &elsewhere, "").await;
    assert_eq!(
        r["data"]["submitProject"]["project"]["status"], "SUBMITTED",
        "no reviewer there: straight to the bureau"
    );
    assert_eq!(error_code(&status(&s.reviewer, &elsewhere).await), "NOT_FOUND");
    assert_eq!(error_code(&act(&s.reviewer, "forwardProject", &elsewhere, "").await), "NOT_FOUND");
    let list = s
        .reviewer
        .data("{ projects(first: 100) { totalCount nodes { status department { code } } } }", json!({}))
        .await;
    let nodes = list["projects"]["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty());
    assert!(nodes.iter().all(|n| n["department"]["code"] == "SJQ-XFB" && n["status"] != "DRAFT"), "{list}");
}

#[tokio::test]
async fn two_reviewers_deciding_at_once_one_wins_and_a_disabled_reviewer_does_not_count() {
    let s = setup().await;
    add_user(&s.world.db.url, "reviewer2", "DEPARTMENT_REVIEWER", Some("SJQ-XFB")).await;
    let reviewer2 = s.world.login("reviewer2").await;
    for round in 0..5 {
        let id = created(&s.submitter, &s.unit, &format!("并发项目 {round}")).await;
        act(&s.submitter, "submitProject", &id, "").await;
        let (a, b) = tokio::join!(
            act(&s.reviewer, "forwardProject", &id, ""),
            act(&reviewer2, "rejectProject", &id, ", reason: \"退回\"")
        );
        let forwarded = a["data"]["forwardProject"]["project"].is_object();
        let rejected = b["data"]["rejectProject"]["project"].is_object();
        assert!(forwarded != rejected, "exactly one decides: {a} {b}");
        // The one that lost finds the project moved on: a step it no longer allows, or (once
        // forwarded) no longer the department's to send back.
        let (loser, op) = if forwarded { (&b, "rejectProject") } else { (&a, "forwardProject") };
        let code = loser["data"][op]["userErrors"][0]["code"].as_str().unwrap_or_else(|| error_code(loser));
        assert!(["INVALID_TRANSITION", "VERSION_CONFLICT", "FORBIDDEN"].contains(&code), "{loser}");
        let admin = s.world.login("admin").await;
        let history =
            admin.data("query($id: ID!) { project(id: $id) { status reviews { action } } }", json!({ "id": id })).await;
        assert_eq!(history["project"]["reviews"].as_array().unwrap().len(), 2, "one step recorded: {history}");
    }

    // Both orders one after the other, as the race may fall: once forwarded, sending back is no
    // longer the department's (FORBIDDEN); once sent back, forwarding is no step (INVALID_TRANSITION).
    let first = created(&s.submitter, &s.unit, "先报送").await;
    act(&s.submitter, "submitProject", &first, "").await;
    act(&s.reviewer, "forwardProject", &first, "").await;
    assert_eq!(error_code(&act(&reviewer2, "rejectProject", &first, ", reason: \"退回\"").await), "FORBIDDEN");
    let second = created(&s.submitter, &s.unit, "先退回").await;
    act(&s.submitter, "submitProject", &second, "").await;
    act(&reviewer2, "rejectProject", &second, ", reason: \"退回\"").await;
    let r = act(&s.reviewer, "forwardProject", &second, "").await;
    assert_eq!(r["data"]["forwardProject"]["userErrors"][0]["code"], "INVALID_TRANSITION", "{r}");

    // With both reviewers disabled, the department no longer reviews first.
    let admin = s.world.login("admin").await;
    let users = admin.data("{ users(first: 100) { nodes { id username } } }", json!({})).await;
    for user in users["users"]["nodes"].as_array().unwrap() {
        if user["username"].as_str().unwrap().starts_with("reviewer") {
            let r = admin
                .data(
                    "mutation($id: ID!) { disableUser(id: $id) { userErrors { code } } }",
                    json!({ "id": user["id"] }),
                )
                .await;
            assert_eq!(r["disableUser"]["userErrors"], json!([]), "{r}");
        }
    }
    let id = created(&s.submitter, &s.unit, "无人部门审核").await;
    let r = act(&s.submitter, "submitProject", &id, "").await;
    assert_eq!(r["data"]["submitProject"]["project"]["status"], "SUBMITTED", "{r}");

    // A department reviewer belongs to a department.
    let r = admin
        .gql(
            "mutation { createUser(input: { username: \"lost\", displayName: \"无部门\", role: DEPARTMENT_REVIEWER, password: \"correct horse battery\" }) { userErrors { field code } } }",
            json!({}),
        )
        .await;
    assert_eq!(r["data"]["createUser"]["userErrors"][0]["field"], "departmentId", "{r}");
}
