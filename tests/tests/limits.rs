//! Requests that ask too much are refused with a code of their own, before they cost much.

use jixiao_tests::client::error_code;
use jixiao_tests::{Client, Server, World};
use serde_json::{Value, json};

async fn raw(base: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status} not JSON: {text}")))
}

#[tokio::test]
async fn deep_wide_batched_and_oversized_requests_are_refused_with_their_codes() {
    let world = World::with_fixture().await;
    let c = world.login("admin").await;

    let mut deep = String::from("name");
    for _ in 0..10 {
        deep = format!("department {{ projects(first: 1) {{ nodes {{ {deep} }} }} }}");
    }
    let r = c.gql(&format!("{{ projects {{ nodes {{ {deep} }} }} }}"), json!({})).await;
    assert_eq!(error_code(&r), "QUERY_TOO_DEEP", "{r}");

    let flood: String =
        (0..1000).map(|i| format!("a{i}: projects(first: 100) {{ nodes {{ indicators {{ name }} }} }} ")).collect();
    let r = c.gql(&format!("{{ {flood} }}"), json!({})).await;
    assert_eq!(error_code(&r), "QUERY_TOO_COMPLEX", "{r}");

    let base = &world.server.base_url;
    let batch = json!([{ "query": "{ __typename }" }, { "query": "{ __typename }" }]).to_string().into_bytes();
    let (status, r) = raw(base, "application/json", batch).await;
    assert_eq!((status, error_code(&r)), (400, "BATCH_NOT_SUPPORTED"));

    let huge = format!(
        "{{\"query\": \"{{ __typename }}\", \"variables\": {{ \"x\": \"{}\" }} }}",
        "x".repeat(5 * 1024 * 1024)
    )
    .into_bytes();
    let (status, r) = raw(base, "application/json", huge).await;
    assert_eq!((status, error_code(&r)), (413, "PAYLOAD_TOO_LARGE"));

    let (status, r) = raw(base, "application/json", b"{ not json".to_vec()).await;
    assert_eq!((status, error_code(&r)), (400, "BAD_USER_INPUT"));
    let (status, r) = raw(base, "text/plain", b"{ \"query\": \"{ __typename }\" }".to_vec()).await;
    assert_eq!((status, error_code(&r)), (415, "UNSUPPORTED_MEDIA_TYPE"));
    let (status, r) = raw(base, "application/json", vec![0xff, 0xfe, 0x00]).await;
    assert_eq!((status, error_code(&r)), (400, "BAD_USER_INPUT"));
    let r = c.gql("query Q { me { id } }", json!({ "x": 1 })).await;
    assert!(r.get("errors").is_none(), "extra variables are ignored: {r}");
    let r = c.gql("query($n: Int!) { projects(first: $n) { totalCount } }", json!({ "n": "twenty" })).await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT");

    // The server still answers everyone else.
    assert!(c.gql("{ me { username } }", json!({})).await.get("errors").is_none());
}

#[tokio::test]
async fn slow_requests_time_out_and_introspection_and_graphiql_can_be_switched_off() {
    let world = World::with_fixture().await;
    let strict = Server::start_with(
        &world.db.url,
        &[("JIXIAO_REQUEST_TIMEOUT_MS", "10"), ("JIXIAO_INTROSPECTION", "false"), ("JIXIAO_GRAPHIQL", "false")],
    )
    .await;
    let c = Client::new(&strict.base_url);
    // A login hashes a password with argon2id: far longer than 10 ms.
    let r = c
        .gql("mutation { login(username: \"admin\", password: \"correct horse battery\") { token } }", json!({}))
        .await;
    assert_eq!(error_code(&r), "TIMEOUT", "{r}");
    // Introspection off, on a server whose requests have time to run: the same token gets its
    // own data but not the schema (and the default server answers the schema).
    let closed = Server::start_with(&world.db.url, &[("JIXIAO_INTROSPECTION", "false")]).await;
    let token = world.login("admin").await.token.unwrap();
    let closed = Client::new(&closed.base_url).with_token(&token);
    let r = closed.gql("{ __schema { queryType { name } } }", json!({})).await;
    assert_eq!(error_code(&r), "FORBIDDEN", "introspection is off, and the answer says so: {r}");
    assert!(r["errors"][0]["message"].as_str().unwrap().contains("introspection"), "{r}");
    for hidden in
        ["{ __type(name: \"Project\") { name } }", "{ ...F } fragment F on Query { __type(name: \"Query\") { name } }"]
    {
        assert_eq!(error_code(&closed.gql(hidden, json!({})).await), "FORBIDDEN", "{hidden}");
    }
    let typename = closed.data("{ __typename me { __typename } }", json!({})).await;
    assert_eq!(typename["me"]["__typename"], "User", "__typename is not introspection of the schema");
    assert_eq!(closed.data("{ me { username } }", json!({})).await["me"]["username"], "admin");
    let open = world.anonymous().with_token(&token).data("{ __schema { queryType { name } } }", json!({})).await;
    assert_eq!(open["__schema"]["queryType"]["name"], "Query");
    let (status, _) = c.open_page("/graphql").await;
    assert_eq!(status, 400, "no GraphiQL: a GET without a query");
    let out = jixiao_tests::jixiao(&world.db.url, &["serve", "--bind", "127.0.0.1:0", "--max-depth", "1"], None).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("JIXIAO_MAX_DEPTH 为 1"));
}
