//! GraphiQL works where there is no internet: the page and every script and style it loads come
//! from the service, and in a real (headless) Chromium that may reach nothing but the service it
//! renders and runs a query (`tests/browser/graphiql.mjs`, playwright-core driving Debian's
//! Chromium; the test command installs both). On a first visit its editor says how to sign in and
//! where the token goes, and its documentation explorer shows the schema.

use jixiao_tests::{Server, TestDatabase};

#[tokio::test]
async fn graphiql_renders_and_runs_a_query_with_no_network_but_the_service() {
    let db = TestDatabase::create().await;
    let server = Server::start(&db.url).await;
    let client = jixiao_tests::Client::new(&server.base_url);
    let (status, page) = client.open_page("/graphql").await;
    assert_eq!(status, 200);
    assert!(!page.contains("http://") && !page.contains("https://") && !page.contains("//unpkg"), "{page}");
    for asset in ["graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"] {
        assert!(page.contains(&format!("/graphiql/{asset}")), "the page loads {asset}");
        assert_eq!(client.get(&format!("/graphiql/{asset}")).await.0, 200, "{asset} is served");
    }
    // Paths that climb out, sent as written (an HTTP client would tidy `..` away before sending).
    for path in ["/graphiql/../Cargo.toml", "/graphiql/..%2FCargo.toml", "/graphiql/%2e%2e%2fCargo.toml"] {
        let (status, body) = raw_get(&server.base_url, path).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert!(!body.contains("[package]"), "{path} served a file from outside");
    }

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
    assert!(stdout.contains("first visit: the editor explains signing in"), "{stdout}");
}

#[tokio::test]
async fn graphiql_can_be_switched_off() {
    let db = TestDatabase::create().await;
    let server = Server::start_with(&db.url, &[("JIXIAO_GRAPHIQL", "false")]).await;
    let client = jixiao_tests::Client::new(&server.base_url);
    let (status, body) = client.open_page("/graphql").await;
    assert_eq!(status, 400, "a GET without a query once GraphiQL is off: {body}");
    assert!(body.contains("BAD_USER_INPUT") && body.contains("query"), "{body}");
    assert_eq!(client.get("/graphiql/graphiql.min.js").await.0, 404);
}

/// A GET of `path` exactly as written, over a plain TCP connection: its status and body.
async fn raw_get(base_url: &str, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = base_url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("the server accepts a connection");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer).to_string();
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("an HTTP status line");
    (status, answer)
}
