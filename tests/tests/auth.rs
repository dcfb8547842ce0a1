//! Nobody gets in without a valid token; tokens are real JWTs and passwords real argon2id hashes.

use jixiao_tests::client::error_code;
use jixiao_tests::{PASSWORD, World};
use serde_json::json;

#[tokio::test]
async fn every_operation_but_login_needs_a_valid_token() {
    let world = World::with_fixture().await;
    let anonymous = world.anonymous();
    for query in [
        "{ me { username } }",
        "{ departments { totalCount } }",
        "{ projects { totalCount } }",
        "{ declarationSummary(fiscalYear: 2023) { projectCount } }",
        "{ indicatorCatalog { code } }",
        "mutation { createDepartment(input: { code: \"X\", name: \"x\" }) { userErrors { code } } }",
        "mutation { deleteProject(id: \"UHJvamVjdDox\") { userErrors { code } } }",
    ] {
        let r = anonymous.gql(query, json!({})).await;
        assert_eq!(error_code(&r), "UNAUTHENTICATED", "{query}: {r}");
        assert!(
            r["data"].is_null() || r["data"].as_object().unwrap().values().all(|v| v.is_null()),
            "{query} leaked data: {r}"
        );
    }
    for garbage in ["garbage", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", ""] {
        let r = anonymous.with_token(garbage).gql("{ me { username } }", json!({})).await;
        assert_eq!(error_code(&r), "UNAUTHENTICATED", "{garbage}: {r}");
    }
}

#[tokio::test]
async fn login_gives_a_token_that_names_the_user() {
    let world = World::with_fixture().await;
    let client = world.login("submitter").await;
    let me = client.data("{ me { username role department { code } } }", json!({})).await;
    assert_eq!(me["me"], json!({ "username": "submitter", "role": "SUBMITTER", "department": { "code": "SJQ-XFB" } }));
    let token = client.token.clone().unwrap();
    assert_eq!(token.split('.').count(), 3, "a JWT");

    let login = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }";
    let wrong_password = world.anonymous().gql(login, json!({ "u": "submitter", "p": "not the password" })).await;
    let unknown_user = world.anonymous().gql(login, json!({ "u": "nobody", "p": PASSWORD })).await;
    assert_eq!(error_code(&wrong_password), "UNAUTHENTICATED");
    assert_eq!(error_code(&unknown_user), "UNAUTHENTICATED");
    assert_eq!(
        wrong_password["errors"][0]["message"], unknown_user["errors"][0]["message"],
        "no hint which one was wrong"
    );
}

#[tokio::test]
async fn a_token_from_another_secret_is_refused() {
    let world = World::with_fixture().await;
    let other = jixiao_tests::Server::start_with(
        &world.db.url,
        &[("JIXIAO_JWT_SECRET", "a-different-secret-of-more-than-32-bytes")],
    )
    .await;
    let token = world.login("admin").await.token.unwrap();
    let r = jixiao_tests::Client::new(&other.base_url).with_token(&token).gql("{ me { username } }", json!({})).await;
    assert_eq!(error_code(&r), "UNAUTHENTICATED");
}

#[tokio::test]
async fn the_service_refuses_to_start_on_postgresql_without_a_strong_secret() {
    let db = jixiao_tests::TestDatabase::create().await;
    let out = tokio::process::Command::new(jixiao_tests::server::binary())
        .env("DATABASE_URL", &db.url)
        .env("JIXIAO_JWT_SECRET", "short")
        .args(["serve", "--bind", "127.0.0.1:0"])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("至少需要 32 字节"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = tokio::process::Command::new(jixiao_tests::server::binary())
        .env("DATABASE_URL", &db.url)
        .env_remove("JIXIAO_JWT_SECRET")
        .args(["serve", "--bind", "127.0.0.1:0"])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("必须设置 JIXIAO_JWT_SECRET"));
}

#[tokio::test]
async fn admins_create_departments_units_and_users_and_others_may_not() {
    let world = World::with_fixture().await;
    let admin = world.login("admin").await;
    let submitter = world.login("submitter").await;
    let create_dept = "mutation($c: String!, $n: String!) { createDepartment(input: { code: $c, name: $n }) { department { id code name } userErrors { field code } } }";

    let r = submitter.gql(create_dept, json!({ "c": "SJQ-CZJ", "n": "松江区财政局" })).await;
    assert_eq!(error_code(&r), "FORBIDDEN");

    let r = admin.data(create_dept, json!({ "c": "SJQ-CZJ", "n": "松江区财政局" })).await;
    let dept = r["createDepartment"]["department"].clone();
    assert_eq!(dept["name"], "松江区财政局");
    let again = admin.data(create_dept, json!({ "c": "SJQ-CZJ", "n": "重复" })).await;
    assert_eq!(again["createDepartment"]["userErrors"], json!([{ "field": "code", "code": "ALREADY_EXISTS" }]));

    let unit = admin
        .data(
            "mutation($d: ID!) { createBudgetUnit(input: { departmentId: $d, code: \"SJQ-CZJ-1\", name: \"松江区财政局本级\" }) { budgetUnit { code department { code } } userErrors { code } } }",
            json!({ "d": dept["id"] }),
        )
        .await;
    assert_eq!(
        unit["createBudgetUnit"]["budgetUnit"],
        json!({ "code": "SJQ-CZJ-1", "department": { "code": "SJQ-CZJ" } })
    );
    let again = admin
        .data(
            "mutation($d: ID!) { createBudgetUnit(input: { departmentId: $d, code: \"SJQ-CZJ-1\", name: \"重复\" }) { userErrors { field code } } }",
            json!({ "d": dept["id"] }),
        )
        .await;
    assert_eq!(again["createBudgetUnit"]["userErrors"], json!([{ "field": "code", "code": "ALREADY_EXISTS" }]));

    let create_user = "mutation($d: ID) { createUser(input: { username: \"czj\", role: SUBMITTER, departmentId: $d, password: \"long enough pw\" }) { user { username role } userErrors { field code } } }";
    let made = admin.data(create_user, json!({ "d": dept["id"] })).await;
    assert_eq!(made["createUser"]["user"], json!({ "username": "czj", "role": "SUBMITTER" }));
    let no_dept = admin.data(create_user.replace("czj", "czj2").as_str(), json!({ "d": null })).await;
    assert_eq!(no_dept["createUser"]["userErrors"], json!([{ "field": "departmentId", "code": "INVALID_INPUT" }]));
    let newcomer = world.anonymous().login("czj", "long enough pw").await;
    assert_eq!(newcomer.data("{ me { department { code } } }", json!({})).await["me"]["department"]["code"], "SJQ-CZJ");
}
