//! The real `jixiao` binary: run as a command, or started as a server on a free port.

use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

/// The secret the test servers sign with (at least 32 bytes, as production requires).
pub const TEST_JWT_SECRET: &str = "test-secret-0123456789abcdef0123456789abcdef";

/// `target/debug/jixiao`, built from the sources of this checkout (see [`built`]); `JIXIAO_BIN`
/// names another binary instead.
pub fn binary() -> PathBuf {
    match std::env::var("JIXIAO_BIN") {
        Ok(path) => PathBuf::from(path),
        Err(_) => built(false),
    }
}

/// `target/release/jixiao`, for the tests about the process itself (stack, memory, timeouts),
/// which must hold for the binary that is shipped; `JIXIAO_RELEASE_BIN` names another.
pub fn release_binary() -> PathBuf {
    match std::env::var("JIXIAO_RELEASE_BIN") {
        Ok(path) => PathBuf::from(path),
        Err(_) => built(true),
    }
}

/// Builds `jixiao` (once per test process, a no-op when it is up to date) and returns its path,
/// so that a plain `cargo test` never runs a binary older than the sources it tests.
fn built(release: bool) -> PathBuf {
    static DEBUG: OnceLock<PathBuf> = OnceLock::new();
    static RELEASE: OnceLock<PathBuf> = OnceLock::new();
    let cell = if release { &RELEASE } else { &DEBUG };
    cell.get_or_init(|| {
        let exe = std::env::current_exe().expect("test executable path");
        // <target>/<profile>/deps/<test>: the target folder is three levels up.
        let target = exe.ancestors().nth(3).expect("the target folder").to_path_buf();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = std::process::Command::new(cargo);
        build
            .args(["build", "--quiet", "-p", "jixiao-gateway", "--bin", "jixiao"])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
        // Cargo gives a test process variables of its own (CARGO_MANIFEST_DIR, CARGO_PKG_*, …);
        // some build scripts (ring's) track them, so passing them on would rebuild half the tree
        // here and again in the next plain `cargo build`.
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            let set_for_tests = ["CARGO_MANIFEST_", "CARGO_PKG_", "CARGO_CRATE_", "CARGO_BIN_", "CARGO_TARGET_TMPDIR"]
                .iter()
                .any(|prefix| name.starts_with(prefix))
                || name == "CARGO_PRIMARY_PACKAGE"
                || name == "CARGO_RUSTC_CURRENT_DIR"
                || name == "OUT_DIR";
            if set_for_tests {
                build.env_remove(name.as_ref());
            }
        }
        if release {
            build.arg("--release");
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "building jixiao failed (its errors are printed above)");
        let bin = target.join(if release { "release" } else { "debug" }).join("jixiao");
        assert!(bin.exists(), "{} is missing after building it", bin.display());
        bin
    })
    .clone()
}

fn command(db_url: &str) -> Command {
    command_of(binary(), db_url)
}

/// The address of a PgBouncer in transaction mode in front of the tests' PostgreSQL, when the
/// test command runs a test binary again through one (`scripts/pgbouncer.sh`).
const POOLER_ADDRESS: &str = "JIXIAO_TEST_POOLER_ADDRESS";

/// Where `jixiao` reaches `db_url`: through the pooler when one is set and `db_url` is on the
/// tests' server (a test's private PostgreSQL is reached directly), with LISTEN on a direct
/// connection, as docs/scaling.md tells operators to set it up.
fn reach(cmd: &mut Command, db_url: &str) {
    let pooler = std::env::var(POOLER_ADDRESS).ok().filter(|a| !a.is_empty());
    let server = crate::database::server_address();
    match pooler {
        Some(pooler) if db_url.contains(&format!("@{server}/")) => {
            cmd.env("DATABASE_URL", db_url.replacen(&format!("@{server}/"), &format!("@{pooler}/"), 1))
                .env("JIXIAO_DB_POOLER", "transaction")
                .env("JIXIAO_LISTEN_DATABASE_URL", db_url);
        }
        _ => {
            cmd.env("DATABASE_URL", db_url).env_remove("JIXIAO_DB_POOLER").env_remove("JIXIAO_LISTEN_DATABASE_URL");
        }
    }
}

fn command_of(binary: PathBuf, db_url: &str) -> Command {
    let mut cmd = Command::new(binary);
    reach(&mut cmd, db_url);
    cmd.env("JIXIAO_JWT_SECRET", TEST_JWT_SECRET).env("RUST_LOG", "info").env_remove("JIXIAO_BIND").kill_on_drop(true);
    // The operator's language is the default (Chinese) whatever this machine's locale; a test of
    // English asks for it.
    for name in ["JIXIAO_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        cmd.env_remove(name);
    }
    cmd
}

/// Runs `jixiao ARGS` against `db_url`, with `stdin` as its standard input.
pub async fn jixiao(db_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    jixiao_with(db_url, args, stdin, &[]).await
}

/// [`jixiao`] with `env` set (the operator's language, say).
pub async fn jixiao_with(db_url: &str, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut cmd = command(db_url);
    cmd.envs(env.iter().copied());
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start jixiao");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).await.unwrap();
    }
    drop(input);
    tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("jixiao finishes within 60 s")
        .unwrap()
}

pub struct Server {
    pub base_url: String,
    child: Child,
    log: Arc<Mutex<String>>,
}

/// The most of a server's log a test keeps (later lines are dropped).
const MAX_LOG_BYTES: usize = 8 * 1024 * 1024;

impl Server {
    /// Starts `jixiao serve` on a free loopback port and waits until it listens.
    pub async fn start(db_url: &str) -> Server {
        Server::start_with(db_url, &[]).await
    }

    pub async fn start_with(db_url: &str, env: &[(&str, &str)]) -> Server {
        Server::start_binary(binary(), db_url, env).await
    }

    /// Starts the release build (see [`release_binary`]).
    pub async fn start_release(db_url: &str, env: &[(&str, &str)]) -> Server {
        Server::start_binary(release_binary(), db_url, env).await
    }

    pub async fn start_binary(binary: PathBuf, db_url: &str, env: &[(&str, &str)]) -> Server {
        let mut cmd = command_of(binary, db_url);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Server::spawn(cmd).await
    }

    /// Starts the embedded default in `dir`, as the README's first command does: no
    /// DATABASE_URL and no secret, so `dir/jixiao-demo.db` is made (with the demo) or reopened.
    pub async fn start_embedded(dir: &std::path::Path) -> Server {
        let mut cmd = Command::new(binary());
        cmd.current_dir(dir)
            .env_remove("DATABASE_URL")
            .env_remove("JIXIAO_JWT_SECRET")
            .env_remove("JIXIAO_BIND")
            .env("RUST_LOG", "info")
            .kill_on_drop(true);
        Server::spawn(cmd).await
    }

    async fn spawn(mut cmd: Command) -> Server {
        cmd.args(["serve", "--bind", "127.0.0.1:0"]).stdout(Stdio::null()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start jixiao serve");
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let mut seen = Vec::new();
        let base_url = tokio::time::timeout(Duration::from_secs(60), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(rest) = line.split("serving GraphQL on ").nth(1) {
                    return rest.split_whitespace().next().map(|u| u.trim_end_matches("/graphql").to_string());
                }
                seen.push(line);
            }
            None
        })
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("jixiao serve did not start; it said:\n{}", seen.join("\n")));
        // Keep draining the log so the server never blocks on a full pipe, and keep it for tests
        // that read it.
        let log = Arc::new(Mutex::new(seen.join("\n")));
        let sink = log.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                let mut log = sink.lock().unwrap_or_else(|e| e.into_inner());
                if log.len() + line.len() < MAX_LOG_BYTES {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        });
        Server { base_url, child, log }
    }

    /// What the server has logged so far (its standard error).
    pub fn log(&self) -> String {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id().expect("the server is running")
    }

    /// The CPU time the server has used so far (user and system), in milliseconds (Linux).
    pub fn cpu_ms(&self) -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).expect("/proc is readable");
        // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th.
        let after = &stat[stat.rfind(')').expect("a stat line") + 2..];
        let fields: Vec<u64> = after.split(' ').skip(11).take(2).map(|f| f.parse().unwrap_or(0)).collect();
        // SAFETY: sysconf reads a constant of the system.
        let ticks = unsafe { libc_sysconf_clk_tck() };
        fields.iter().sum::<u64>() * 1000 / ticks
    }

    /// The server's resident memory, in KiB (Linux).
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).expect("/proc is readable");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/PID/status")
    }

    /// Sends SIGTERM and waits up to `within` for the process to end; returns whether it did.
    pub async fn terminate(mut self, within: Duration) -> bool {
        let pid = self.pid();
        let _ = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status();
        tokio::time::timeout(within, self.child.wait()).await.is_ok()
    }

    /// Sends SIGTERM and returns at once (the process shuts down in its own time).
    pub fn signal_terminate(&self) {
        let _ = std::process::Command::new("kill").args(["-TERM", &self.pid().to_string()]).status();
    }

    /// Waits up to `within` for the process to end; returns whether it did.
    pub async fn exited_within(mut self, within: Duration) -> bool {
        tokio::time::timeout(within, self.child.wait()).await.is_ok()
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// Waits until the server at `base_url` listens for user changes (it connects just after it
/// starts; until then it reads the caller's user on every request).
pub async fn until_listening(base_url: &str) {
    for _ in 0..100 {
        let (_, text) = crate::client::Client::new(base_url).get("/metrics").await;
        if text.lines().any(|l| l == "jixiao_user_cache_listening 1")
            && text.lines().any(|l| l == "jixiao_events_listening 1")
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{base_url} never listened for user changes and events");
}

/// Clock ticks per second (`sysconf(_SC_CLK_TCK)`), without a dependency for one call.
unsafe fn libc_sysconf_clk_tck() -> u64 {
    unsafe extern "C" {
        fn sysconf(name: i32) -> i64;
    }
    // _SC_CLK_TCK is 2 on Linux.
    let ticks = unsafe { sysconf(2) };
    if ticks > 0 { ticks as u64 } else { 100 }
}
