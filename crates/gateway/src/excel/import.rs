//! A workbook into the store, for `jixiao import` and `importDeclaration` alike: read it (a
//! filled template goes to the department it is imported for, its units matched by name), then
//! import the declaration through the given door, its problems told at their cells.
//!
//! Reading is a burst of CPU bounded by its budget (`sheet.rs`: cells and seconds), done on one
//! thread of its own below serving's priority, one workbook at a time per process: an upload can
//! neither hold a GraphQL worker nor take more than one core, and when its request ends (answered,
//! timed out, disconnected) the read stops at its next cell instead of going on unseen.

use std::sync::OnceLock;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::Bytes;
use jixiao_domain::document::OrgRef;
use jixiao_domain::{DeclarationDocument, Message, Problem};
use jixiao_store::{BudgetUnit, Department, ImportReport, StoreError, StoreResult};
use tokio::sync::Semaphore;

use super::read::{Destination, ReadWorkbook, read};
use super::sheet::Budget;
use crate::quiet_threads::QuietThreads;

/// How long an upload waits for the reader to be free before it is refused as busy.
const TURN_WAIT: Duration = Duration::from_secs(5);

/// The one reading thread, started at the first workbook.
fn reader() -> &'static QuietThreads {
    static READER: OnceLock<QuietThreads> = OnceLock::new();
    READER.get_or_init(|| QuietThreads::start("workbook-read", 1))
}

/// One read at a time; its permit lives as long as the read itself (not its waiting caller).
static TURN: Semaphore = Semaphore::const_new(1);

/// Sets the read's flag when its caller stops waiting, so the read stops too.
struct AbandonOnDrop(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Drop for AbandonOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Gives the reading turn back when dropped.
struct TurnBack;

impl Drop for TurnBack {
    fn drop(&mut self) {
        TURN.add_permits(1);
    }
}

fn unreadable() -> Vec<Problem> {
    vec![Problem::new(
        "file",
        jixiao_domain::ProblemCode::InvalidInput,
        Message::new(
            "不是可读的 .xlsx 工作簿（文件内容有误）：请在 Excel 中打开并另存为 .xlsx 后重试",
            "not a readable .xlsx workbook (its content is malformed): open it in Excel, save it as .xlsx and try again",
        ),
    )]
}

fn busy() -> WorkbookRefused {
    WorkbookRefused::Busy(Message::new(
        "服务正忙于读取其他工作簿：请几秒钟后再试",
        "the service is busy reading other workbooks: try again in a few seconds",
    ))
}

/// Reads `bytes` on the reading thread under the standard budget, in turn.
pub async fn read_in_turn(bytes: Bytes, destination: Option<Destination>) -> Result<ReadWorkbook, WorkbookRefused> {
    in_turn(bytes, move |bytes, budget| read(bytes, destination.as_ref(), budget)).await
}

/// Runs `reading` over `bytes` on the reading thread under the standard budget, one workbook at
/// a time: every kind of workbook an upload brings (a declaration, the indicator library) is read
/// this way.
pub async fn in_turn<T, F>(bytes: Bytes, reading: F) -> Result<T, WorkbookRefused>
where
    T: Send + 'static,
    F: FnOnce(&[u8], &mut Budget) -> Result<T, Vec<Problem>> + Send + 'static,
{
    let permit = match tokio::time::timeout(TURN_WAIT, TURN.acquire()).await {
        Ok(Ok(permit)) => permit,
        _ => return Err(busy()),
    };
    // The permit goes back when the job is done with the thread, or dropped unrun, or panics.
    permit.forget();
    let turn = TurnBack;
    let mut budget = Budget::standard();
    let _abandon = AbandonOnDrop(budget.abandon_flag());
    let job = move || {
        let _turn = turn;
        // A reader that panics on some malformed part (calamine's cell references overflow in a
        // build with overflow checks) refuses that workbook; the service and the thread go on.
        let reading = std::panic::AssertUnwindSafe(|| reading(&bytes, &mut budget));
        std::panic::catch_unwind(reading).unwrap_or_else(|_| {
            tracing::warn!("a workbook's reader panicked; the workbook was refused");
            Err(unreadable())
        })
    };
    match reader().run(job).await {
        Some(read) => read.map_err(WorkbookRefused::Problems),
        None => Err(busy()),
    }
}

/// Why a workbook was not imported.
pub enum WorkbookRefused {
    /// What a person can fix, each at its cell (or field); nothing was written.
    Problems(Vec<Problem>),
    /// Anything else (forbidden, rate limited, the database).
    Store(StoreError),
    /// Other workbooks are being read: nothing was read, try again shortly.
    Busy(Message),
}

/// Where a template goes: `department` with its budget `units`, in `fiscal_year` if given.
pub fn destination(department: &Department, units: Vec<BudgetUnit>, fiscal_year: Option<i32>) -> Destination {
    Destination {
        department: OrgRef { code: department.code.clone(), name: department.name.clone() },
        budget_units: units.into_iter().map(|u| OrgRef { code: u.code, name: u.name }).collect(),
        fiscal_year,
    }
}

/// Reads `bytes` (in turn, see above) and hands the declaration to `import`; its problems come
/// back at their cells.
pub async fn import_workbook<F, Fut>(
    bytes: Bytes,
    destination: Option<Destination>,
    import: F,
) -> Result<(ReadWorkbook, ImportReport), WorkbookRefused>
where
    F: FnOnce(DeclarationDocument) -> Fut,
    Fut: std::future::Future<Output = StoreResult<ImportReport>>,
{
    let workbook = read_in_turn(bytes, destination).await?;
    match import(workbook.document.clone()).await {
        Ok(report) => Ok((workbook, report)),
        Err(StoreError::Rejected(problems)) => Err(WorkbookRefused::Problems(workbook.at_cells(problems))),
        Err(other) => Err(WorkbookRefused::Store(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_reading_turn_comes_back_whatever_became_of_the_read() {
        for _ in 0..3 {
            let read = read_in_turn(Bytes::from_static(b"not a workbook"), None).await;
            assert!(matches!(read, Err(WorkbookRefused::Problems(_))), "refused for what it is, not as busy");
        }
        // A caller that stops waiting once its read is under way: the next one still gets a turn.
        let abandoned =
            tokio::time::timeout(Duration::from_millis(1), read_in_turn(Bytes::from(vec![0u8; 4096]), None));
        let _ = abandoned.await;
        let read = read_in_turn(Bytes::from_static(b"still not a workbook"), None).await;
        assert!(matches!(read, Err(WorkbookRefused::Problems(_))));
    }
}
