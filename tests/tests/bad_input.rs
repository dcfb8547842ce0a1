//! Bad input gets a stable code and a message naming the problem, and nothing is written.

use jixiao_tests::client::error_code;
use jixiao_tests::{Client, World};
use serde_json::{Value, json};

const CREATE: &str = jixiao_tests::CREATE_PROJECT;

async fn unit_id(client: &Client) -> String {
    jixiao_tests::unit_of(client, "SJQ-XFB").await
}

fn valid_input(unit: &str) -> Value {
    jixiao_tests::complete_declaration(unit, "信访矛盾多元化解")
}

async fn project_count(client: &Client) -> i64 {
    client.data("{ projects { totalCount } }", json!({})).await["projects"]["totalCount"].as_i64().unwrap()
}

/// Creates with `input` and returns the user errors as (field, code), asserting nothing was written.
async fn refused(client: &Client, input: Value) -> Vec<(String, String)> {
    let before = project_count(client).await;
    let r = client.data(CREATE, json!({ "input": input })).await;
    let payload = &r["createProject"];
    assert!(payload["project"].is_null(), "nothing is created: {payload}");
    let errors: Vec<(String, String)> = payload["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(!e["message"].as_str().unwrap().is_empty());
            (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string())
        })
        .collect();
    assert!(!errors.is_empty());
    assert_eq!(project_count(client).await, before, "nothing was written");
    errors
}

/// Creates `input` (renamed `name`), which must be saved; returns its ERROR findings as (field, code).
async fn kept(client: &Client, mut input: Value, name: &str) -> Vec<(String, String)> {
    input["name"] = json!(name);
    let q = "mutation($input: CreateProjectInput!) { createProject(input: $input) {
        project { findings { field code severity } } userErrors { field code } } }";
    let r = client.data(q, json!({ "input": input })).await;
    assert_eq!(r["createProject"]["userErrors"], json!([]), "saved as a draft: {r}");
    let findings = r["createProject"]["project"]["findings"].as_array().unwrap();
    findings
        .iter()
        .filter(|f| f["severity"] == "ERROR")
        .map(|f| pair(f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect()
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_string(), code.to_string())
}

#[tokio::test]
async fn a_valid_declaration_is_created_and_read_back_exactly() {
    let world = World::with_fixture().await;
    let client = world.login("submitter").await;
    let unit = unit_id(&client).await;
    let r = client.data(CREATE, json!({ "input": valid_input(&unit) })).await;
    assert_eq!(r["createProject"]["userErrors"], json!([]));
    let id = r["createProject"]["project"]["id"].as_str().unwrap();
    assert_eq!(r["createProject"]["project"]["status"], "DRAFT");
    let p = client
        .data(
            "query($id: ID!) { project(id: $id) { name funds { total annualRequest annualRequestWanYuan } fundItems { name amount } indicators { target { text comparator value unit } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        p["project"]["funds"],
        json!({ "total": "15000.00", "annualRequest": "15000.00", "annualRequestWanYuan": "1.50" })
    );
    assert_eq!(
        p["project"]["indicators"][2]["target"],
        json!({ "text": "＞＝90％", "comparator": "GE", "value": "90", "unit": "%" })
    );
    assert_eq!(p["project"]["fundItems"][1], json!({ "name": "场地", "amount": "5000.00" }));
}

#[tokio::test]
async fn each_kind_of_bad_input_gets_its_code_and_writes_nothing() {
    let world = World::with_fixture().await;
    let client = world.login("submitter").await;
    let unit = unit_id(&client).await;

    // A draft holds work in progress: these are saved, each with its ERROR finding.
    let mut bad_target = valid_input(&unit);
    bad_target["indicators"][0]["target"] = json!(">=abc");
    assert_eq!(kept(&client, bad_target, "未成形的指标值").await, [pair("indicators[0].target", "TARGET_INVALID")]);
    let mut mismatch = valid_input(&unit);
    mismatch["funds"]["fiscal"] = json!("14999.99");
    assert_eq!(kept(&client, mismatch, "不平衡的资金").await, [pair("funds.total", "FUNDS_TOTAL_MISMATCH")]);
    let mut items = valid_input(&unit);
    items["fundItems"][0]["amount"] = json!("9000.00");
    assert_eq!(kept(&client, items, "不足的明细").await, [pair("fundItems", "FUND_ITEMS_MISMATCH")]);
    let mut wrong_parent = valid_input(&unit);
    wrong_parent["indicators"][1]["level1"] = json!("OUTPUT");
    assert_eq!(
        kept(&client, wrong_parent, "放错的指标").await,
        [pair("indicators[1].level2", "LEVEL2_WRONG_PARENT"), pair("indicators", "MISSING_LEVEL1")],
        "and with it the project has no benefit indicator left"
    );

    // What no column can hold faithfully is refused.
    let mut long_target = valid_input(&unit);
    long_target["indicators"][0]["target"] = json!("9".repeat(101));
    assert_eq!(refused(&client, long_target).await, [pair("indicators[0].target", "INVALID_INPUT")]);

    let mut negative = valid_input(&unit);
    negative["funds"]["other"] = json!("-1.00");
    assert_eq!(refused(&client, negative).await, [pair("funds.other", "INVALID_INPUT")]);

    let mut precise = valid_input(&unit);
    precise["fundItems"][1]["amount"] = json!("5000.001");
    assert_eq!(refused(&client, precise).await, [pair("fundItems[1].amount", "INVALID_INPUT")]);

    let mut huge = valid_input(&unit);
    huge["name"] = json!("长".repeat(1024 * 1024 / 3 + 1));
    assert_eq!(refused(&client, huge).await, [pair("name", "INVALID_INPUT")]);

    let mut many = valid_input(&unit);
    many["indicators"][0]["target"] = json!("9".repeat(101));
    many["funds"]["total"] = json!("abc");
    many["name"] = json!("  ");
    let errors = refused(&client, many).await;
    assert_eq!(errors.len(), 3, "every problem at once: {errors:?}");
}

#[tokio::test]
async fn unknown_enums_and_ids_are_refused_with_codes() {
    let world = World::with_fixture().await;
    let client = world.login("submitter").await;
    let unit = unit_id(&client).await;
    let before = project_count(&client).await;

    let mut unknown_level2 = valid_input(&unit);
    unknown_level2["indicators"][0]["level2"] = json!("HAPPINESS");
    let r = client.gql(CREATE, json!({ "input": unknown_level2 })).await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");
    assert!(r["errors"][0]["message"].as_str().unwrap().contains("HAPPINESS"));

    let mut bad_date = valid_input(&unit);
    bad_date["plannedStart"] = json!("2023-02-30");
    assert_eq!(error_code(&client.gql(CREATE, json!({ "input": bad_date })).await), "BAD_USER_INPUT");

    let malformed = client.gql("{ project(id: \"not-an-id\") { id } }", json!({})).await;
    assert_eq!(error_code(&malformed), "BAD_USER_INPUT");

    // A well-formed ID of a project that does not exist.
    let some_project =
        client.data("{ projects(first: 1) { nodes { id } } }", json!({})).await["projects"]["nodes"][0]["id"].clone();
    let missing = jixiao_tests::client::encode_id("Project", 999_999);
    let r = client.gql("query($id: ID!) { project(id: $id) { id } }", json!({ "id": missing })).await;
    assert_eq!(error_code(&r), "NOT_FOUND");
    // The ID of another kind of object where a project ID is expected.
    let r = client.gql("query($id: ID!) { project(id: $id) { id } }", json!({ "id": unit })).await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT");
    let mut wrong_unit = valid_input(&unit);
    wrong_unit["implementingUnitId"] = some_project;
    assert_eq!(error_code(&client.gql(CREATE, json!({ "input": wrong_unit })).await), "BAD_USER_INPUT");

    let r = client.gql("{ projects(first: 1000) { totalCount } }", json!({})).await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT");
    assert!(r["errors"][0]["message"].as_str().unwrap().contains("1 到 100"), "{r}");

    assert_eq!(project_count(&client).await, before, "nothing was written");
}

#[tokio::test]
async fn errors_never_leak_sql() {
    let world = World::with_fixture().await;
    let client = world.login("submitter").await;
    let unit = unit_id(&client).await;
    // The seed already has a project with this name in 2023: a unique-key violation underneath.
    let mut duplicate = valid_input(&unit);
    duplicate["name"] = json!("维稳工作");
    let errors = refused(&client, duplicate.clone()).await;
    assert_eq!(errors, [pair("name", "ALREADY_EXISTS")]);
    let r = client.gql(CREATE, json!({ "input": duplicate })).await;
    let text = r.to_string().to_lowercase();
    for leak in ["duplicate key", "constraint", "select ", "insert ", "sqlx", "projects_department_year_name"] {
        assert!(!text.contains(leak), "{leak} leaked: {r}");
    }
}

/// A read's document is validated in full the first time; once a request of it has run without
/// an error, its variables alone are checked (`gateway/src/graphql/schema.rs`). So each kind of
/// bad variable must get the answer it got before its document was known. The answers are
/// compared as JSON, not bytes: async-graphql answers a query's root fields in the order they
/// finish, whichever way it validated.
#[tokio::test]
async fn bad_variables_are_answered_the_same_before_and_after_their_document_is_known() {
    let world = World::with_fixture().await;
    let client = world.login("submitter").await;
    let unit = unit_id(&client).await;
    let read = "query($input: CreateProjectInput!, $first: Int, $filter: ProjectFilterInput) {
        checkDeclaration(input: $input) { findingCounts { errors warnings } }
        projects(first: $first, filter: $filter) { totalCount } }";
    let good = valid_input(&unit);
    let with = |change: &dyn Fn(&mut Value)| {
        let mut variables = json!({ "input": good.clone(), "first": 5, "filter": { "fiscalYear": 2023 } });
        change(&mut variables);
        variables
    };
    let bad = [
        ("a field the input lacks", with(&|v| v["input"]["weight"] = json!(1))),
        ("a field an indicator row lacks", with(&|v| v["input"]["indicators"][1]["weight"] = json!(3))),
        ("a field a fund item lacks", with(&|v| v["input"]["fundItems"][0]["unit"] = json!("元"))),
        ("a field the filter lacks", with(&|v| v["filter"]["year"] = json!(2023))),
        ("a field in a row given alone", with(&|v| v["input"]["indicators"] = json!({ "weight": 3 }))),
        ("an unknown enum value", with(&|v| v["input"]["indicators"][0]["level1"] = json!("HAPPINESS"))),
        ("null where a value is required", with(&|v| v["input"]["name"] = Value::Null)),
        ("a required field left out", with(&|v| drop(v["input"].as_object_mut().unwrap().remove("name")))),
        ("a string for a number", with(&|v| v["input"]["fiscalYear"] = json!("2023"))),
        ("a number beyond Int", with(&|v| v["first"] = json!(10_000_000_000_i64))),
        ("a list for an object", with(&|v| v["input"]["funds"] = json!([]))),
        ("a string for a row", with(&|v| v["input"]["indicators"] = json!(["完成率"]))),
        ("a bad date", with(&|v| v["input"]["plannedStart"] = json!("2023-02-30"))),
    ];
    let answer = async |variables: &Value| -> Value {
        serde_json::from_str(&client.raw(read, variables.clone()).await).expect("a JSON answer")
    };
    let mut first = Vec::new();
    for (what, variables) in &bad {
        let refused = answer(variables).await;
        assert!(refused["errors"].is_array(), "{what}: {refused}");
        first.push(refused);
    }
    let fine = answer(&with(&|_| {})).await;
    assert!(fine.get("errors").is_none(), "{fine}");
    for round in 0..2 {
        for ((what, variables), before) in bad.iter().zip(&first) {
            assert_eq!(&answer(variables).await, before, "{what} (round {round})");
        }
        assert_eq!(answer(&with(&|_| {})).await, fine);
    }
}
