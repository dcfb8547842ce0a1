//! GraphiQL works where there is no internet: the page and every script and style it loads come
//! from the service, and in a real (headless) Chromium that may reach nothing but the service it
//! renders and runs a query (`tests/browser/graphiql.mjs`, playwright-core driving Debian's
//! Chromium; the test command installs both).

use jixiao_tests::{Server, TestDatabase};

#[tokio::test]
async fn graphiql_renders_and_runs_a_query_with_no_network_but_the_service() {
    let db = TestDatabase::create().await;
    let server = Server::start(&db.url).await;
    let client = jixiao_tests::Client::new(&server.base_url);
    let (status, page) = client.get("/graphql").await;
    assert_eq!(status, 200);
    assert!(!page.contains("http://") && !page.contains("https://") && !page.contains("//unpkg"), "{page}");
    for asset in ["graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"] {
        assert!(page.contains(&format!("/graphiql/{asset}")), "the page loads {asset}");
        assert_eq!(client.get(&format!("/graphiql/{asset}")).await.0, 200, "{asset} is served");
    }
    assert_eq!(client.get("/graphiql/../Cargo.toml").await.0, 404);

    // Where no Chromium can be had (Ubuntu's packages are snap stubs), the test command says so
    // loudly and only this browser run is skipped.
    if std::env::var("JIXIAO_BROWSER_TEST").as_deref() == Ok("skip") {
        eprintln!("SKIPPED: the GraphiQL browser run (no working Chromium here; see the test command's warning)");
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/browser/graphiql.mjs");
    let out = tokio::process::Command::new("node")
        .arg(script)
        .arg(&server.base_url)
        .output()
        .await
        .expect("node runs (the test command installs Node.js packages and Chromium)");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the browser run failed:\n{stderr}\n{stdout}");
    assert!(stdout.contains("\"label\": \"草稿\""), "the answer shows in the result pane: {stdout}");
}

#[tokio::test]
async fn graphiql_can_be_switched_off() {
    let db = TestDatabase::create().await;
    let server = Server::start_with(&db.url, &[("JIXIAO_GRAPHIQL", "false")]).await;
    let client = jixiao_tests::Client::new(&server.base_url);
    assert_ne!(client.get("/graphql").await.0, 200);
    assert_eq!(client.get("/graphiql/graphiql.min.js").await.0, 404);
}
