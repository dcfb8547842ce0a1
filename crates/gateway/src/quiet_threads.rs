//! Threads of their own, at a lower CPU priority than serving, for work that keeps a core busy:
//! password checks (`auth`) and reading uploaded workbooks (`excel`).
//!
//! Each argon2id check keeps a core busy for tens of milliseconds, and a flood of logins keeps
//! every core busy for as long as it lasts. On tokio's blocking threads those checks took the
//! cores as equals of the threads that serve pages and health checks. Here they run at nice 10:
//! whenever anything else is ready to run, it runs first, and logins take what is left (under a
//! login flood on two cores, `/healthz`'s median 0.5-0.7 ms against 0.8-1.0 ms at equal
//! priority). A workbook read is the same kind of burst. The threads live as long as their owner;
//! how many jobs run at once is bounded by their number.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

/// Threads that run jobs at a lower priority.
#[derive(Clone)]
pub struct QuietThreads {
    jobs: Sender<Job>,
}

/// How much lower than serving the jobs run (a nice value, 0 to 19).
const NICENESS: i32 = 10;

impl QuietThreads {
    /// Starts `count` threads (at least one), named `{name}-{i}`.
    pub fn start(name: &str, count: usize) -> Self {
        let (jobs, waiting) = channel::<Job>();
        let waiting = Arc::new(Mutex::new(waiting));
        for i in 0..count.max(1) {
            let waiting = waiting.clone();
            let started = std::thread::Builder::new().name(format!("{name}-{i}")).spawn(move || {
                lower_own_priority();
                run_jobs(&waiting);
            });
            if let Err(e) = started {
                tracing::error!(error = %e, thread = name, "cannot start a low-priority thread");
            }
        }
        QuietThreads { jobs }
    }

    /// What `job` returns, computed on one of the threads; `None` if none is running.
    pub async fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = answer.send(job());
        });
        self.jobs.send(job).ok()?;
        answered.await.ok()
    }
}

/// Runs jobs until every sender is gone.
fn run_jobs(waiting: &Mutex<Receiver<Job>>) {
    loop {
        // The lock is held only while waiting for a job, never while one runs.
        let job = match waiting.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        match job {
            // A job that panics is answered as an internal error (its answer is dropped);
            // the thread stays for the next.
            Ok(job) => {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            }
            Err(_) => return,
        }
    }
}

/// The calling thread's nice value.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn own_niceness() -> i32 {
    // SAFETY: a plain system call about the calling thread, with no pointers.
    unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
}

/// Lowers the calling thread's priority by [`NICENESS`] below the service's (on Linux the nice
/// value is a thread's own; 19 is the lowest).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn lower_own_priority() {
    let lower = (own_niceness() + NICENESS).min(19);
    // SAFETY: a plain system call about the calling thread, with no pointers.
    let changed = unsafe { libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, lower) };
    if changed != 0 {
        tracing::warn!("cannot lower the priority of a low-priority thread: it runs at the service's");
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn lower_own_priority() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_on_threads_of_lower_priority_and_answer() {
        let threads = QuietThreads::start("test", 2);
        let answers: Vec<_> = (0..6).map(|i| threads.run(move || i * 2)).collect();
        let mut got = Vec::new();
        for answer in answers {
            got.push(answer.await);
        }
        assert_eq!(got, (0..6).map(|i| Some(i * 2)).collect::<Vec<_>>());
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            let serving = own_niceness();
            assert_eq!(threads.run(own_niceness).await, Some((serving + NICENESS).min(19)));
        }
    }
}
