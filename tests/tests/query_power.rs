//! The read side at scale: a page costs the same number of SQL statements whatever its size,
//! filters and aggregates answer in SQL, and pages go both ways.

use jixiao_tests::client::error_code;
use jixiao_tests::{Client, Server, TestDatabase, World, add_user, jixiao, statements_run};
use serde_json::{Value, json};

const EVERYTHING: &str = "id name fiscalYear category status version plannedStart plannedEnd createdAt updatedAt submittedAt
    department { id code name } implementingUnit { id code name department { code } }
    sections { overview basis implementingBody plan cycle budgetArrangement } overallGoal annualGoal
    funds { total fiscal other annualRequest currentYearAppropriation carryover annualOther annualRequestWanYuan }
    fundItems { name amount }
    indicators { position level1 level1Label level2 level2Label name note target { text kind comparator value upperValue unit } }
    reviews { action fromStatus toStatus comment at actor { username } }";

async fn statements_for(client: &Client, query: &str) -> (u64, Value) {
    let before = statements_run(client).await;
    let data = client.data(query, json!({})).await;
    (statements_run(client).await - before, data)
}

/// What a page of `size` projects costs, asked through `path` (a query with `{size}` and `{fields}`
/// to fill in) by `client`; returns the statements and how many projects came back.
async fn cost_of(client: &Client, path: &str, size: usize) -> (u64, usize) {
    let query = path.replace("{size}", &size.to_string()).replace("{fields}", EVERYTHING);
    let (statements, data) = statements_for(client, &query).await;
    let text = data.to_string();
    (statements, text.matches("\"fiscalYear\"").count())
}

/// Every project of a generated year with fund items, indicators, findings and a review history
/// by two different approvers; pages of 1 and of many, along every path a screen takes to a list
/// of projects, cost exactly the same statements, and exactly as many as written here (a new
/// statement per page is a decision to make, not a drift to miss): the page with every part it
/// shows (departments, units, fund items, indicators, reviews and their actors: one statement,
/// `store/src/with_parts.rs`), and its count when asked; the session's user is kept between
/// requests. (A page of departments each with its own page of projects still costs a page
/// per department: not yet batched.)
#[tokio::test]
async fn a_page_costs_the_same_statements_for_1_and_for_100_projects() {
    let db = TestDatabase::create().await;
    let out = jixiao(
        &db.url,
        &["generate", "--departments", "3", "--projects-per-department", "60", "--indicators-per-project", "10"],
        None,
    )
    .await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    add_user(&db.url, "admin", "ADMIN", None).await;
    add_user(&db.url, "submitter", "SUBMITTER", Some("GEN-D0001")).await;
    add_user(&db.url, "approver", "APPROVER", None).await;
    add_user(&db.url, "approver2", "APPROVER", None).await;
    // Two review rows for every project, by alternating approvers; every project not a draft.
    let store = db.store().await;
    let history = "UPDATE projects SET status = 'REJECTED';
        INSERT INTO reviews (project_id, action, from_status, to_status, actor_id, comment, at)
        SELECT p.id, a.action, a.from_status, a.to_status,
               (SELECT id FROM users WHERE username = CASE WHEN (p.id + a.n) % 2 = 0 THEN 'approver' ELSE 'approver2' END),
               a.comment, now()
        FROM projects p CROSS JOIN (VALUES (1, 'SUBMIT', 'DRAFT', 'SUBMITTED', ''), (2, 'REJECT', 'SUBMITTED', 'REJECTED', '补充资金明细'))
             AS a(n, action, from_status, to_status, comment)";
    sea_orm::ConnectionTrait::execute_unprepared(store.connection(), history).await.unwrap();
    // Pages of 100 projects with every field are far over the default cost limit; this test is
    // about statements, so the limits are lifted, and no answer is kept (a kept one runs none).
    let lifted = [
        ("JIXIAO_MAX_COMPLEXITY", "1000000000"),
        ("JIXIAO_MAX_RESPONSE_BYTES", "268435456"),
        ("JIXIAO_KEPT_ANSWERS_MB", "0"),
    ];
    let server = Server::start_with(&db.url, &lifted).await;
    // The callers' users are kept between requests once the server listens for their changes.
    jixiao_tests::server::until_listening(&server.base_url).await;
    let admin = Client::new(&server.base_url).login("admin", jixiao_tests::PASSWORD).await;
    let submitter = Client::new(&server.base_url).login("submitter", jixiao_tests::PASSWORD).await;
    let approver = Client::new(&server.base_url).login("approver", jixiao_tests::PASSWORD).await;
    let first_id =
        admin.data("{ projects(first: 1) { nodes { id } } }", json!({})).await["projects"]["nodes"][0]["id"].clone();

    let paths: [(&str, &Client, String, usize, u64); 6] = [
        ("admin, projects", &admin, "{ projects(first: {size}) { totalCount nodes { {fields} } } }".into(), 100, 2),
        ("submitter, projects", &submitter, "{ projects(first: {size}) { totalCount nodes { {fields} } } }".into(), 60, 2),
        (
            "approver, the queue",
            &approver,
            "{ projects(first: {size}, filter: { status: [REJECTED] }, orderBy: { field: SUBMITTED_AT }) { nodes { {fields} } } }".into(),
            100,
            1,
        ),
        ("Department.projects", &admin, "{ department(code: \"GEN-D0002\") { projects(first: {size}) { nodes { {fields} } } } }".into(), 60, 2),
        (
            "BudgetUnit.projects",
            &admin,
            "{ department(code: \"GEN-D0003\") { budgetUnits { projects(first: {size}) { nodes { {fields} } } } } }".into(),
            60,
            3,
        ),
        ("node", &approver, format!("{{ node(id: {first_id}) {{ ... on Project {{ {{fields}} }} }} }}").replace("{size}", "1"), 1, 1),
    ];
    let mut report = Vec::new();
    for (label, client, path, large, exact) in &paths {
        // The caller's first request reads their user; the pages are measured after it.
        client.data("{ me { id } }", json!({})).await;
        let (one, got_one) = cost_of(client, path, 1).await;
        let (many, got_many) = cost_of(client, path, *large).await;
        assert_eq!((got_one, got_many), (1, *large), "{label}: rows returned");
        report.push(format!("{label}: {one} statements for 1, {many} for {large}"));
        assert_eq!(one, many, "{label}: a page of 1 costs {one} statements, of {large} {many}");
        assert_eq!(one, *exact, "{label}: a page costs {one} statements, not the {exact} it did");
    }
    eprintln!("{}", report.join("\n"));
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
