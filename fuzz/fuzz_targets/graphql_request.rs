#![no_main]
//! Any bytes as the body of `POST /graphql`: read as JSON, through the request guard, parsed,
//! validated against the real schema with its limits and run without credentials (no database
//! is touched: every resolver stops at UNAUTHENTICATED). Never a panic or a stack overflow, and
//! every error that comes back carries a code.

use std::sync::OnceLock;

use jixiao_gateway::graphql::access::RequestAuth;
use jixiao_gateway::graphql::guard;
use jixiao_gateway::graphql::schema::{JixiaoSchema, Limits, VariablesAgain, execute, without_database};
use libfuzzer_sys::fuzz_target;

fn schema() -> &'static JixiaoSchema {
    static SCHEMA: OnceLock<JixiaoSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| without_database(Limits { max_depth: 15, max_complexity: 100_000, introspection: true }))
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok(async_graphql::BatchRequest::Single(mut request)) = serde_json::from_slice(data) else { return };
    if guard::check(&mut request, 5_000, data.len() % 2 == 0).is_err() {
        return;
    }
    let response = runtime().block_on(execute(schema(), request, VariablesAgain::Copied, RequestAuth::Missing, None));
    for error in &response.errors {
        let code = error.extensions.as_ref().and_then(|e| e.get("code"));
        assert!(code.is_some(), "an error without a code: {error:?}");
    }
    let _ = serde_json::to_vec(&response).expect("every answer serialises");
});
