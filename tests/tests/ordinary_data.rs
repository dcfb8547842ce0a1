//! Ordinary data that used to answer INTERNAL or wrongly (hardening, second edition, items 5
//! and 6): a project with one fund item, a unit named with quotes, NUL in a download address,
//! the last admin, a selection whose every field is skipped, a filter on user names.

use jixiao_tests::{CREATE_PROJECT, World, complete_declaration, jixiao, unit_of};
use serde_json::{Value, json};

async fn download(world: &World, token: &str, path: &str) -> (u16, Value) {
    let r =
        reqwest::Client::new().get(format!("{}{path}", world.server.base_url)).bearer_auth(token).send().await.unwrap();
    let status = r.status().as_u16();
    let bytes = r.bytes().await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn one_fund_item_a_unit_named_with_quotes_and_nul_in_an_address_are_ordinary() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let mut input = complete_declaration(&unit, "只有一项资金明细");
    input["fundItems"] = json!([{ "name": "调解员补贴", "amount": "15000.00" }]);
    let r = submitter.data(CREATE_PROJECT, json!({ "input": input })).await;
    let id = r["createProject"]["project"]["id"].as_str().unwrap().to_string();
    // The form, the department's book, and `jixiao export`: a merge of one cell broke all three.
    let (status, answer) = download(&world, submitter.token(), &format!("/export/projects/{id}.xlsx")).await;
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = download(&world, submitter.token(), "/export/declarations/SJQ-XFB/2023.xlsx").await;
    assert_eq!(status, 200, "{answer}");
    let out = std::env::temp_dir().join(format!("book-{}.xlsx", std::process::id()));
    let exported = jixiao(
        &world.db.url,
        &["export", "--department", "SJQ-XFB", "--year", "2023", "--out", out.to_str().unwrap()],
        None,
    )
    .await;
    std::fs::remove_file(&out).ok();
    assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));

    // A unit named with many quotes: the template's drop-down would pass Excel's 255 characters
    // once each quote is doubled; the template is made without it.
    let admin = world.login("admin").await;
    let quoted = format!("信访{}办公室", "\"".repeat(150));
    let rename = "mutation($id: ID!, $n: String!) { updateBudgetUnit(input: { id: $id, name: $n }) { budgetUnit { name } userErrors { code } } }";
    let r = admin.data(rename, json!({ "id": unit, "n": quoted })).await;
    assert_eq!(r["updateBudgetUnit"]["budgetUnit"]["name"], quoted, "{r}");
    let (status, answer) = download(&world, submitter.token(), "/export/template.xlsx?year=2024").await;
    assert_eq!(status, 200, "{answer}");

    // NUL in an address: no such department (404), not INTERNAL, and no error in the log.
    let (status, answer) = download(&world, submitter.token(), "/export/declarations/SJQ%00XFB/2023.xlsx").await;
    assert_eq!((status, answer["errors"][0]["extensions"]["code"].as_str()), (404, Some("NOT_FOUND")), "{answer}");
    assert!(!world.server.log().contains("ERROR"), "{}", world.server.log());
}

#[tokio::test]
async fn the_last_enabled_admin_stays_one() {
    let world = World::with_fixture().await;
    let admin = world.login("admin").await;
    let own = admin.data("{ me { id } }", json!({})).await["me"]["id"].as_str().unwrap().to_string();
    let update = "mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { role } userErrors { field code } } }";
    let r = admin.data(update, json!({ "i": { "id": own, "role": "APPROVER" } })).await;
    assert_eq!(r["updateUser"]["userErrors"][0]["field"], "role", "{r}");
    // Nor from the command line.
    let out = jixiao(&world.db.url, &["user", "disable", "--username", "admin"], None).await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        admin.data("{ me { role disabled } }", json!({})).await["me"],
        json!({ "role": "ADMIN", "disabled": false })
    );

    // Two admins demoting each other at once: one of them stays an admin.
    jixiao_tests::add_user(&world.db.url, "admin2", "ADMIN", None).await;
    let second = world.login("admin2").await;
    let second_id = second.data("{ me { id } }", json!({})).await["me"]["id"].as_str().unwrap().to_string();
    let (a, b) = tokio::join!(
        admin.data(update, json!({ "i": { "id": second_id, "role": "APPROVER" } })),
        second.data(update, json!({ "i": { "id": own, "role": "APPROVER" } })),
    );
    let demoted = [&a, &b].iter().filter(|r| r["updateUser"]["user"]["role"] == "APPROVER").count();
    assert_eq!(demoted, 1, "{a} {b}");
    let store = world.db.store().await;
    let sql = "SELECT count(*) FROM users WHERE role = 'ADMIN' AND NOT disabled";
    let admins = sea_orm::ConnectionTrait::query_one_raw(
        store.connection(),
        sea_orm::Statement::from_string(sea_orm::DbBackend::Postgres, sql),
    )
    .await
    .unwrap()
    .unwrap()
    .try_get_by_index::<i64>(0)
    .unwrap();
    assert_eq!(admins, 1);
}

#[tokio::test]
async fn skipped_fields_user_filters_and_ids_are_what_a_client_expects() {
    let world = World::with_fixture().await;
    let admin = world.login("admin").await;
    // Every field of `me` skipped: an empty object, not null.
    let r = admin.data("{ me { username @skip(if: true) } }", json!({})).await;
    assert_eq!(r["me"], json!({}), "{r}");
    // User names are one user whatever their case, and so is the filter on them.
    let r = admin.data("{ users(filter: { nameContains: \"SUBMIT\" }) { nodes { username } } }", json!({})).await;
    assert_eq!(r["users"]["nodes"], json!([{ "username": "submitter" }]), "{r}");
}

#[tokio::test]
async fn every_id_the_api_hands_out_resolves_with_node_for_whoever_may_see_it() {
    let world = World::with_fixture().await;
    let (submitter, approver, admin) =
        (world.login("submitter").await, world.login("approver").await, world.login("admin").await);
    let list =
        submitter.data("{ projects(first: 10, filter: { fiscalYear: 2023 }) { nodes { id name } } }", json!({})).await;
    let project = list["projects"]["nodes"].as_array().unwrap().iter().find(|p| p["name"] == "维稳工作").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    submitter
        .data("mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }", json!({ "id": project }))
        .await;
    let remark = "mutation($i: AddReviewRemarkInput!) { addReviewRemark(input: $i) { remark { id } } }";
    let r =
        approver.data(remark, json!({ "i": { "projectId": project, "field": "name", "text": "名称请再斟酌" } })).await;
    let remark_id = r["addReviewRemark"]["remark"]["id"].clone();
    approver
        .data("mutation($id: ID!) { approveProject(id: $id) { userErrors { code } } }", json!({ "id": project }))
        .await;
    let start = "mutation($p: ID!) { startSelfEvaluation(input: { projectId: $p }) { selfEvaluation { id } } }";
    let evaluation_id =
        submitter.data(start, json!({ "p": project })).await["startSelfEvaluation"]["selfEvaluation"]["id"].clone();
    let open = "mutation { openMonitoringRound(input: { fiscalYear: 2023, name: \"第一轮\", asOf: \"2023-06-30\", dueDate: \"2023-07-15\" }) { round { id } } }";
    let round_id = admin.data(open, json!({})).await["openMonitoringRound"]["round"]["id"].clone();
    let p = submitter
        .data(
            "query($id: ID!) { project(id: $id) { indicators { id } fundItems { id } monitoringReports { id } } }",
            json!({ "id": project }),
        )
        .await;
    let ids = [
        ("Indicator", p["project"]["indicators"][0]["id"].clone()),
        ("FundItem", p["project"]["fundItems"][0]["id"].clone()),
        ("ReviewRemark", remark_id),
        ("MonitoringReport", p["project"]["monitoringReports"][0]["id"].clone()),
        ("MonitoringRound", round_id),
        ("SelfEvaluation", evaluation_id),
    ];
    let node = "query($id: ID!) { node(id: $id) { __typename id } }";
    for (kind, id) in &ids {
        assert!(id.is_string(), "{kind}: {p}");
        let r = submitter.data(node, json!({ "id": id })).await;
        assert_eq!((&r["node"]["__typename"], &r["node"]["id"]), (&json!(kind), id), "{kind}");
    }
    // Another department's submitter may not see the project, so none of its rows either (a
    // round is the bureau's, seen by everyone signed in).
    admin
        .data(
            "mutation { createDepartment(input: { code: \"OTHER\", name: \"另一个部门\" }) { department { id } } }",
            json!({}),
        )
        .await;
    jixiao_tests::add_user(&world.db.url, "other", "SUBMITTER", Some("OTHER")).await;
    let other = world.login("other").await;
    for (kind, id) in ids.iter().filter(|(kind, _)| *kind != "MonitoringRound") {
        let r = other.gql(node, json!({ "id": id })).await;
        assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND", "{kind}: {r}");
    }
}
