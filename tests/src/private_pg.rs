//! A PostgreSQL server of a test's own, on a free port, that the test may stop and start again
//! (to prove the service survives its database going away). Uses the server binaries of the
//! machine's PostgreSQL installation; as root, runs them as the `postgres` user.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct PrivatePostgres {
    dir: PathBuf,
    bin: PathBuf,
    pub port: u16,
}

fn server_bin() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL's server binaries are installed under /usr/lib/postgresql (scripts/test.sh installs them)")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().expect("an initdb under /usr/lib/postgresql/*/bin")
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false)
}

fn run(bin: &Path, tool: &str, args: &[&str]) -> std::process::Output {
    let exe = bin.join(tool);
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&exe);
        c
    } else {
        Command::new(&exe)
    };
    cmd.args(args).output().unwrap_or_else(|e| panic!("run {tool}: {e}"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl PrivatePostgres {
    pub fn start() -> PrivatePostgres {
        let bin = server_bin();
        let dir = std::env::temp_dir().join(format!("jixiao-pg-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&dir).unwrap();
        if is_root() {
            assert!(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir).status().unwrap().success());
        }
        let data = dir.join("data");
        let out = run(
            &bin,
            "initdb",
            &["-D", data.to_str().unwrap(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"],
        );
        assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
        let pg = PrivatePostgres { dir, bin, port: free_port() };
        pg.resume();
        pg
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Starts (again) and waits until it accepts connections.
    pub fn resume(&self) {
        let data = self.dir.join("data");
        let opts = format!("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", self.port, self.dir.display());
        let log = self.dir.join("log");
        let out = run(
            &self.bin,
            "pg_ctl",
            &["-D", data.to_str().unwrap(), "-o", &opts, "-l", log.to_str().unwrap(), "-w", "start"],
        );
        assert!(out.status.success(), "pg_ctl start: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Stops at once, as a crash would: open connections are cut.
    pub fn kill(&self) {
        let data = self.dir.join("data");
        let out = run(&self.bin, "pg_ctl", &["-D", data.to_str().unwrap(), "-m", "immediate", "-w", "stop"]);
        assert!(out.status.success(), "pg_ctl stop: {}", String::from_utf8_lossy(&out.stderr));
    }
}

impl PrivatePostgres {
    /// Crashes it at once from this process: SIGQUIT to the postmaster (what `-m immediate`
    /// sends, without the delay of starting pg_ctl), so requests in flight are cut mid-statement;
    /// returns when it is gone. Starts again with crash recovery on [`PrivatePostgres::resume`].
    pub fn crash(&self) {
        let pid_file = self.dir.join("data").join("postmaster.pid");
        let text = std::fs::read_to_string(&pid_file).expect("postmaster.pid of a running server");
        let pid = text.lines().next().expect("the pid line").trim().to_string();
        assert!(Command::new("kill").args(["-QUIT", &pid]).status().unwrap().success(), "kill -QUIT {pid}");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while pid_file.exists() {
            assert!(std::time::Instant::now() < deadline, "the postmaster did not exit");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

impl PrivatePostgres {
    /// A streaming replica of this server on a port of its own: a base backup taken with
    /// `pg_basebackup -R` (which writes `standby.signal` and the connection to the primary), started
    /// as a hot standby that replays what the primary writes from then on.
    pub fn replica(&self) -> PrivatePostgres {
        let dir = std::env::temp_dir().join(format!("jixiao-replica-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&dir).unwrap();
        if is_root() {
            assert!(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir).status().unwrap().success());
        }
        let data = dir.join("data");
        let port = self.port.to_string();
        let out = run(
            &self.bin,
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &port,
                "-U",
                "postgres",
                "-D",
                data.to_str().unwrap(),
                "-R",
                "-X",
                "stream",
                // At once, rather than waiting for a checkpoint spread over minutes.
                "--checkpoint=fast",
            ],
        );
        assert!(out.status.success(), "pg_basebackup: {}", String::from_utf8_lossy(&out.stderr));
        let replica = PrivatePostgres { dir, bin: self.bin.clone(), port: free_port() };
        replica.resume();
        replica
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = run(&self.bin, "pg_ctl", &["-D", data.to_str().unwrap(), "-m", "immediate", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
