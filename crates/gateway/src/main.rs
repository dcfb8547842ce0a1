use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    jixiao_gateway::cli::run().await
}
