//! 对口科室: an admin assigns approvers to departments; an approver with assignments works on
//! those departments' projects when asking for `assignedToMe` (the queue included), one with
//! none on every department's. Assignments narrow the default view only: what an approver may
//! see and decide stays the same.

use jixiao_tests::{World, add_user, jixiao};
use serde_json::{Value, json};

const QUEUE: &str = "query($mine: Boolean) { projects(first: 100, filter: { status: [SUBMITTED], assignedToMe: $mine },
    orderBy: { field: SUBMITTED_AT }) { totalCount nodes { id department { code } } } }";
const ASSIGN: &str = "mutation($u: ID!, $d: ID!) { assignApprover(input: { userId: $u, departmentId: $d }) {
    user { username assignedDepartments { code } } userErrors { field code message } } }";
const UNASSIGN: &str = "mutation($u: ID!, $d: ID!) { unassignApprover(input: { userId: $u, departmentId: $d }) {
    user { assignedDepartments { code } } userErrors { field code message } } }";

/// The departments a queue's projects belong to.
fn departments_of(queue: &Value) -> Vec<String> {
    let codes: std::collections::BTreeSet<String> = queue["projects"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["department"]["code"].as_str().unwrap().to_string())
        .collect();
    codes.into_iter().collect()
}

#[tokio::test]
async fn an_assigned_approver_works_on_their_departments_and_one_without_on_all() {
    let world = World::with_fixture().await;
    let url = world.db.url.clone();
    let out = jixiao(&url, &["generate", "--departments", "3", "--projects-per-department", "16"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    add_user(&url, "approver2", "APPROVER", None).await;
    let admin = world.login("admin").await;
    let approver = world.login("approver").await;
    let approver2 = world.login("approver2").await;
    let id_of = |query: &'static str, vars: Value, path: &'static [&'static str]| {
        let admin = admin.clone();
        async move {
            let r = admin.data(query, vars).await;
            path.iter().fold(&r, |v, k| &v[*k]).as_str().unwrap().to_string()
        }
    };
    let department = "query($c: String!) { department(code: $c) { id } }";
    let d1 = id_of(department, json!({ "c": "GEN-D0001" }), &["department", "id"]).await;
    let d3 = id_of(department, json!({ "c": "GEN-D0003" }), &["department", "id"]).await;
    let me = approver2.data("{ me { id } }", json!({})).await["me"]["id"].as_str().unwrap().to_string();

    // Before any assignment both approvers' queues hold every department's submitted projects.
    let everyone = approver.data(QUEUE, json!({ "mine": null })).await;
    let all_departments = departments_of(&everyone);
    assert!(all_departments.len() >= 3, "{all_departments:?}");
    assert_eq!(approver2.data(QUEUE, json!({ "mine": true })).await, everyone);

    // Assigned to GEN-D0001 and GEN-D0003 (the first twice: nothing more happens).
    for d in [&d1, &d3, &d1] {
        let r = admin.data(ASSIGN, json!({ "u": me, "d": d })).await;
        assert_eq!(r["assignApprover"]["userErrors"], json!([]), "{r}");
    }
    let mine = approver2.data("{ me { assignedDepartments { code } } }", json!({})).await;
    // In the order the departments were created (`jixiao generate` creates them concurrently).
    let mut codes: Vec<&str> =
        mine["me"]["assignedDepartments"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    codes.sort();
    assert_eq!(codes, ["GEN-D0001", "GEN-D0003"]);
    let queue = approver2.data(QUEUE, json!({ "mine": true })).await;
    assert_eq!(departments_of(&queue), ["GEN-D0001", "GEN-D0003"]);
    let expected = everyone["projects"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| ["GEN-D0001", "GEN-D0003"].contains(&p["department"]["code"].as_str().unwrap()))
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(queue["projects"]["nodes"], json!(expected), "the queue keeps its order");
    assert_eq!(queue["projects"]["totalCount"], json!(expected.len()));
    // The view narrows; the rights do not: without the filter approver2 sees all, and may decide
    // a project of a department not assigned to them.
    assert_eq!(approver2.data(QUEUE, json!({ "mine": false })).await, everyone);
    let elsewhere = everyone["projects"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["department"]["code"] == "GEN-D0002")
        .expect("a submitted project of GEN-D0002")["id"]
        .clone();
    let approve = "mutation($id: ID!) { approveProject(id: $id) { project { status } userErrors { code } } }";
    let r = approver2.data(approve, json!({ "id": elsewhere })).await;
    assert_eq!(r["approveProject"]["project"]["status"], "APPROVED", "{r}");
    // The other approver, assigned nothing, still works on every department.
    assert_eq!(departments_of(&approver.data(QUEUE, json!({ "mine": true })).await), all_departments);

    // Unassigned from both: every department again.
    for d in [&d1, &d3] {
        let r = admin.data(UNASSIGN, json!({ "u": me, "d": d })).await;
        assert_eq!(r["unassignApprover"]["userErrors"], json!([]), "{r}");
    }
    assert_eq!(
        departments_of(&approver2.data(QUEUE, json!({ "mine": true })).await),
        departments_of(&approver.data(QUEUE, json!({ "mine": null })).await)
    );

    // Only approvers are assigned, only to departments that exist; said in the user's language.
    let submitter = admin.data("{ users(first: 100, filter: { role: SUBMITTER }) { nodes { id } } }", json!({})).await
        ["users"]["nodes"][0]["id"]
        .clone();
    let r = admin.data(ASSIGN, json!({ "u": submitter, "d": d1 })).await;
    assert_eq!(r["assignApprover"]["userErrors"][0]["field"], "userId", "{r}");
    assert_eq!(r["assignApprover"]["userErrors"][0]["code"], "INVALID_INPUT");
    assert!(r["assignApprover"]["userErrors"][0]["message"].as_str().unwrap().contains("不是审核人"), "{r}");
    let missing = jixiao_tests::client::encode_id("Department", 999_999);
    let r = admin.with_language("en").data(ASSIGN, json!({ "u": me, "d": missing })).await;
    assert_eq!(r["assignApprover"]["userErrors"][0]["field"], "departmentId", "{r}");
    assert_eq!(r["assignApprover"]["userErrors"][0]["message"], "no such department");
    // Nothing was written by either.
    let mine = approver2.data("{ me { assignedDepartments { code } } }", json!({})).await;
    assert_eq!(mine["me"]["assignedDepartments"], json!([]));
}
