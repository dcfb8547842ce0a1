use std::process::ExitCode;
use std::time::Duration;

/// Small blocks from mimalloc, large ones mapped on their own (`memory.rs`).
#[global_allocator]
static ALLOCATOR: jixiao_gateway::memory::Allocator = jixiao_gateway::memory::Allocator;

/// Two runtimes: the main one accepts connections, answers `/healthz`, `/readyz` and `/metrics`
/// and handles signals; GraphQL requests run on the other (see `http.rs`). A request that keeps
/// every core of the second busy cannot stop the first from answering, timing it out or shutting
/// down, and at exit whatever is still running there is dropped instead of waited for. (A form
/// check on its lane, whose work is bounded, is answered on the first: `http.rs`, `run`.)
fn main() -> ExitCode {
    jixiao_gateway::memory::return_large_allocations();
    let main = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("jixiao-http")
        .enable_all()
        .build()
        .expect("the main runtime starts");
    let work = tokio::runtime::Builder::new_multi_thread()
        .thread_name("jixiao-graphql")
        .enable_all()
        .build()
        .expect("the GraphQL runtime starts");
    let code = main.block_on(jixiao_gateway::cli::run(work.handle().clone()));
    work.shutdown_background();
    main.shutdown_timeout(Duration::from_secs(1));
    code
}
