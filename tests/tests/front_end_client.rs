//! A real front end against the release build: the GraphQL Code Generator types every operation
//! of docs/api.md and the client's own screen from schema.graphql (an operation that does not
//! validate fails it), `tsc` type-checks the screen against them, and the screen runs with Apollo
//! Client and the graphql-ws client library (`tests/client/`, npm packages the test command
//! installs): first with automatic persisted queries (the first request of each operation misses,
//! then goes by hash), then with the generated manifest loaded by `jixiao documents add` on an
//! instance that runs trusted documents only.

use std::path::Path;
use std::process::Output;

use jixiao_tests::{PASSWORD, Server, TestDatabase, add_user, fixture_path, jixiao};

const CLIENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/client");

async fn node(args: &[&str]) -> Output {
    tokio::process::Command::new("node")
        .args(args)
        .current_dir(CLIENT)
        .output()
        .await
        .expect("node runs (the test command installs Node.js and tests/client's packages)")
}

fn succeeded(what: &str, out: &Output) -> String {
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{what} failed:\n{stderr}\n{stdout}");
    stdout.into_owned()
}

#[tokio::test]
async fn a_typed_apollo_client_runs_a_screen_by_persisted_and_by_trusted_documents() {
    // Types first: they need no server.
    let generated = node(&["codegen.mjs"]).await;
    let said = succeeded("the GraphQL Code Generator", &generated);
    assert!(said.contains("operations of docs/api.md"), "{said}");
    let tsc = node(&["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"]).await;
    succeeded("tsc over the screen and the generated types", &tsc);
    // The compiled screen is CommonJS, in a package that is otherwise ES modules.
    std::fs::write(Path::new(CLIENT).join("dist/package.json"), "{\"type\": \"commonjs\"}").unwrap();

    let db = TestDatabase::create().await;
    let out = jixiao(&db.url, &["import", fixture_path().to_str().unwrap()], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    add_user(&db.url, "submitter", "SUBMITTER", Some("SJQ-XFB")).await;

    let open = Server::start_release(&db.url, &[]).await;
    let ran = node(&["dist/screen.js", &open.base_url, "submitter", PASSWORD]).await;
    let said = succeeded("the screen with automatic persisted queries", &ran);
    for step in
        ["the first request sent the hash alone and missed", "the retry sent the text once", "the subscriber heard it"]
    {
        assert!(said.contains(step), "{step}: {said}");
    }

    let manifest = Path::new(CLIENT).join("generated/gql/persisted-documents.json");
    let added = jixiao(&db.url, &["documents", "add", manifest.to_str().unwrap()], None).await;
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let trusted = Server::start_release(&db.url, &[("JIXIAO_TRUSTED_DOCUMENTS_ONLY", "true")]).await;
    let ran = node(&["dist/screen.js", &trusted.base_url, "submitter", PASSWORD, "trusted"]).await;
    let said = succeeded("the screen with trusted documents only", &ran);
    for step in ["trusted: the id alone, no text, and it ran", "the subscriber heard it"] {
        assert!(said.contains(step), "{step}: {said}");
    }
}
