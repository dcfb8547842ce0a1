//! The read side at scale: a page costs the same number of SQL statements whatever its size,
//! filters and aggregates answer in SQL, and pages go both ways.

use jixiao_tests::client::error_code;
use jixiao_tests::{Client, Server, TestDatabase, World, add_user, jixiao};
use serde_json::{Value, json};

const EVERYTHING: &str = "id name fiscalYear category status version plannedStart plannedEnd createdAt updatedAt submittedAt
    department { id code name } implementingUnit { id code name department { code } }
    sections { overview basis implementingBody plan cycle budgetArrangement } overallGoal annualGoal
    funds { total fiscal other annualRequest currentYearAppropriation carryover annualOther annualRequestWanYuan }
    fundItems { name amount }
    indicators { position level1 level1Label level2 level2Label name note target { text kind comparator value upperValue unit } }
    reviews { action fromStatus toStatus comment at actor { username } }";

async fn statements(client: &Client) -> u64 {
    let (_, body) = client.get("/metrics").await;
    body.lines()
        .find_map(|l| l.strip_prefix("jixiao_sql_statements_total "))
        .and_then(|n| n.trim().parse().ok())
        .expect("the statement counter is in /metrics")
}

async fn statements_for(client: &Client, query: &str) -> (u64, Value) {
    let before = statements(client).await;
    let data = client.data(query, json!({})).await;
    (statements(client).await - before, data)
}

#[tokio::test]
async fn a_page_costs_the_same_statements_for_1_and_for_100_projects() {
    let db = TestDatabase::create().await;
    let out = jixiao(
        &db.url,
        &["generate", "--departments", "2", "--projects-per-department", "60", "--indicators-per-project", "10"],
        None,
    )
    .await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Reviews and their actors too: import the seed and move one project through review.
    let imported = jixiao(&db.url, &["import", jixiao_tests::fixture_path().to_str().unwrap()], None).await;
    assert!(imported.status.success());
    add_user(&db.url, "admin", "ADMIN", None).await;
    add_user(&db.url, "submitter", "SUBMITTER", Some("SJQ-XFB")).await;
    add_user(&db.url, "approver", "APPROVER", None).await;
    // A page of 100 projects with every field is over the default cost limit (indicators count
    // as 200 rows each); this test is about statements, so the limit is lifted.
    let server = Server::start_with(&db.url, &[("JIXIAO_MAX_COMPLEXITY", "10000000")]).await;
    let submitter = Client::new(&server.base_url).login("submitter", jixiao_tests::PASSWORD).await;
    let approver = Client::new(&server.base_url).login("approver", jixiao_tests::PASSWORD).await;
    let first =
        submitter.data("{ projects(first: 1) { nodes { id } } }", json!({})).await["projects"]["nodes"][0]["id"]
            .clone();
    submitter
        .data("mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }", json!({ "id": first }))
        .await;
    approver
        .data("mutation($id: ID!) { approveProject(id: $id) { userErrors { code } } }", json!({ "id": first }))
        .await;

    let admin = Client::new(&server.base_url).login("admin", jixiao_tests::PASSWORD).await;
    let page = |n: usize| {
        format!(
            "{{ projects(first: {n}, orderBy: {{ field: SUBMITTED_AT, direction: DESC }}) {{ totalCount nodes {{ {EVERYTHING} }} }} }}"
        )
    };
    let (one, d1) = statements_for(&admin, &page(1)).await;
    let (hundred, d100) = statements_for(&admin, &page(100)).await;
    assert_eq!(d1["projects"]["nodes"].as_array().unwrap().len(), 1);
    assert_eq!(d100["projects"]["nodes"].as_array().unwrap().len(), 100);
    let indicators: usize =
        d100["projects"]["nodes"].as_array().unwrap().iter().map(|p| p["indicators"].as_array().unwrap().len()).sum();
    assert!(indicators >= 990, "{indicators} indicators came back");
    assert!(d100.to_string().contains("\"approver\""), "the page includes a review with its actor");
    assert_eq!(one, hundred, "statements for a page of 1: {one}, of 100: {hundred}");
    assert!(hundred <= 12, "a page costs a small fixed number of statements, not {hundred}");
}

#[tokio::test]
async fn filters_narrow_and_aggregates_break_down_in_sql() {
    let world = World::with_fixture().await;
    let c = world.login("approver").await;
    let submitter = world.login("submitter").await;
    // The approver sees non-drafts only: submit two.
    let all = submitter.data("{ projects { nodes { id name } } }", json!({})).await;
    for i in [1, 3] {
        let id = &all["projects"]["nodes"][i]["id"];
        submitter
            .data("mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }", json!({ "id": id }))
            .await;
    }
    let count = |filter: &str| {
        let c = submitter.clone();
        let q = format!("{{ projects(filter: {filter}) {{ totalCount nodes {{ name }} }} }}");
        async move { c.data(&q, json!({})).await["projects"]["totalCount"].as_i64().unwrap() }
    };
    assert_eq!(count("{ nameContains: \"网络信息系统\" }").await, 2);
    assert_eq!(count("{ nameContains: \"%\" }").await, 0, "% is a plain character");
    assert_eq!(count("{ totalFundsMin: \"150000.00\" }").await, 3);
    assert_eq!(count("{ totalFundsMax: \"100000.00\" }").await, 2);
    assert_eq!(count("{ totalFundsMin: \"100000.00\", totalFundsMax: \"214167.00\" }").await, 3);
    assert_eq!(count("{ category: ONE_OFF }").await, 1);
    assert_eq!(count("{ status: [SUBMITTED] }").await, 2);
    assert_eq!(count("{ status: [SUBMITTED, DRAFT], fiscalYear: 2023 }").await, 5);
    assert_eq!(count("{ fiscalYear: 2024 }").await, 0);
    assert_eq!(count("{ updatedSince: \"2999-01-01T00:00:00Z\" }").await, 0);
    assert_eq!(count("{ updatedSince: \"2000-01-01T00:00:00Z\" }").await, 5);
    let bad = submitter.gql("{ projects(filter: { totalFundsMin: \"1.001\" }) { totalCount } }", json!({})).await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");

    let q = "{ declarationSummary(fiscalYear: 2023) { projectCount totalFunds
        byStatus { status label projectCount totalFunds totalFundsWanYuan }
        byCategory { category projectCount totalFunds }
        indicatorsByLevel1 { level1 label indicatorCount } } }";
    let s = submitter.data(q, json!({})).await["declarationSummary"].clone();
    assert_eq!(s["projectCount"], 5);
    assert_eq!(
        s["byCategory"],
        json!([
            { "category": "ONE_OFF", "projectCount": 1, "totalFunds": "214167.00" },
            { "category": "RECURRING", "projectCount": 4, "totalFunds": "2700004.00" }
        ])
    );
    let levels: i64 =
        s["indicatorsByLevel1"].as_array().unwrap().iter().map(|l| l["indicatorCount"].as_i64().unwrap()).sum();
    assert_eq!(levels, 60);
    assert_eq!(s["indicatorsByLevel1"][0], json!({ "level1": "BENEFIT", "label": "效益指标", "indicatorCount": 25 }));
    let statuses: i64 = s["byStatus"].as_array().unwrap().iter().map(|l| l["projectCount"].as_i64().unwrap()).sum();
    assert_eq!(statuses, 5);
    // The approver's summary counts only what the approver sees: the two submitted projects.
    let a = c.data(q, json!({})).await["declarationSummary"].clone();
    assert_eq!(a["projectCount"], 2);
    assert_eq!(a["byStatus"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn pages_go_backwards_with_last_and_before() {
    let world = World::with_fixture().await;
    let c = world.login("submitter").await;
    let ids = |v: &Value| {
        v["projects"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let all = ids(&c.data("{ projects { nodes { id } } }", json!({})).await);
    let last2 = c
        .data("{ projects(last: 2) { pageInfo { hasPreviousPage hasNextPage startCursor } nodes { id } } }", json!({}))
        .await;
    assert_eq!(ids(&last2), all[3..].to_vec());
    assert_eq!(last2["projects"]["pageInfo"]["hasPreviousPage"], true);
    let before = c
        .data(
            "query($b: String) { projects(last: 2, before: $b) { pageInfo { hasPreviousPage hasNextPage } nodes { id } } }",
            json!({ "b": last2["projects"]["pageInfo"]["startCursor"] }),
        )
        .await;
    assert_eq!(ids(&before), all[1..3].to_vec());
    assert_eq!(before["projects"]["pageInfo"]["hasNextPage"], true);
    for args in ["first: 2, last: 2", "last: 101", "last: 0"] {
        let r = c.gql(&format!("{{ projects({args}) {{ totalCount }} }}"), json!({})).await;
        assert_eq!(error_code(&r), "BAD_USER_INPUT", "{args}");
    }
    // Backwards by submission time, with projects that have none (ties go by creation order):
    // the last five of five are the first five, in the same order.
    let backward = c.data("{ projects(orderBy: { field: SUBMITTED_AT }, last: 5) { nodes { id } } }", json!({})).await;
    let forward = c.data("{ projects(orderBy: { field: SUBMITTED_AT }, first: 5) { nodes { id } } }", json!({})).await;
    assert_eq!(ids(&backward), ids(&forward));
    assert_eq!(ids(&forward), all);
}
