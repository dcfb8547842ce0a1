//! A worksheet as the cells it holds, streamed from its XML under a budget.
//!
//! calamine's `worksheet_range` allocates the dense rectangle between a sheet's first and last
//! cells: a 1.6 KB sheet with values in A1 and XFD1048576 asks for 2^34 cells (512 GiB) and aborts
//! the process. Here cells are read one by one (`worksheet_cells_reader`) and only the ones with a
//! value are kept, so memory follows what the file holds, never the distance between its cells;
//! and every cell read, with or without a value, is counted against a [`Budget`] of cells and time
//! that also stops the read as soon as nobody waits for its answer.

use std::collections::BTreeMap;
use std::io::{Read, Seek};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use calamine::{Data, Xlsx};

/// Cells a whole workbook may hold (read, with or without a value): a 500-project book holds about
/// 330,000, so real declarations fit several times over.
pub const MAX_CELLS: u64 = 2_000_000;

/// How long a workbook may be read before the read is stopped.
pub const MAX_READING: Duration = Duration::from_secs(10);

/// Why a read stopped before its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exhausted {
    /// More than [`Budget`]'s cells.
    Cells(u64),
    /// Longer than [`Budget`]'s time.
    Time(Duration),
    /// Nobody waits for the answer any more (the request ended).
    Abandoned,
}

/// What a read may still spend: cells, time, and whether anyone still waits for it.
#[derive(Clone, Debug)]
pub struct Budget {
    cells_left: u64,
    cells: u64,
    started: Instant,
    time: Duration,
    abandoned: Arc<AtomicBool>,
}

impl Budget {
    pub fn new(cells: u64, time: Duration) -> Self {
        Budget { cells_left: cells, cells, started: Instant::now(), time, abandoned: Arc::new(AtomicBool::new(false)) }
    }

    /// [`MAX_CELLS`] and [`MAX_READING`].
    pub fn standard() -> Self {
        Budget::new(MAX_CELLS, MAX_READING)
    }

    /// A flag that, once set (by whoever stops waiting), ends the read at its next cell.
    pub fn abandon_flag(&self) -> Arc<AtomicBool> {
        self.abandoned.clone()
    }

    /// Spends one cell; every 1,024 cells also looks at the clock and the flag.
    fn spend(&mut self) -> Result<(), Exhausted> {
        if self.cells_left == 0 {
            return Err(Exhausted::Cells(self.cells));
        }
        self.cells_left -= 1;
        if self.cells_left % 1024 == 0 {
            self.check()?;
        }
        Ok(())
    }

    /// Whether there is still time and somebody waiting.
    pub fn check(&self) -> Result<(), Exhausted> {
        if self.abandoned.load(Ordering::Relaxed) {
            return Err(Exhausted::Abandoned);
        }
        if self.started.elapsed() > self.time {
            return Err(Exhausted::Time(self.time));
        }
        Ok(())
    }
}

/// The cells of one worksheet that hold a value, by (row, column), 0-based and absolute.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    cells: BTreeMap<(u32, u32), Data>,
}

impl Sheet {
    /// The value at (row, column), if the cell holds one.
    pub fn get(&self, row: u32, col: u32) -> Option<&Data> {
        self.cells.get(&(row, col))
    }

    /// The rows that hold at least one value, in order: a label is looked for among these, never
    /// among the empty rows between two far-apart cells.
    pub fn rows(&self) -> impl Iterator<Item = u32> + '_ {
        let mut last = None;
        self.cells.keys().filter_map(move |&(row, _)| {
            let new = last != Some(row);
            last = Some(row);
            new.then_some(row)
        })
    }

    /// The last row holding a value.
    pub fn last_row(&self) -> Option<u32> {
        self.cells.keys().next_back().map(|&(row, _)| row)
    }

    #[cfg(test)]
    pub fn from_cells(cells: impl IntoIterator<Item = ((u32, u32), Data)>) -> Self {
        Sheet { cells: cells.into_iter().collect() }
    }
}

/// Why a sheet could not be read.
pub enum SheetError {
    /// The sheet's XML is not readable (calamine's words).
    Unreadable(String),
    Exhausted(Exhausted),
}

/// Reads the sheet `name` cell by cell, keeping the cells with a value, spending `budget`.
pub fn read_sheet<RS: Read + Seek>(book: &mut Xlsx<RS>, name: &str, budget: &mut Budget) -> Result<Sheet, SheetError> {
    budget.check().map_err(SheetError::Exhausted)?;
    let mut reader = book.worksheet_cells_reader(name).map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let mut cells = BTreeMap::new();
    loop {
        budget.spend().map_err(SheetError::Exhausted)?;
        match reader.next_cell() {
            Ok(Some(cell)) => {
                let value = Data::from(cell.get_value().clone());
                if value != Data::Empty {
                    cells.insert(cell.get_position(), value);
                }
            }
            Ok(None) => return Ok(Sheet { cells }),
            Err(e) => return Err(SheetError::Unreadable(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_those_with_values_in_order() {
        let sheet = Sheet::from_cells([
            ((0, 0), Data::String("a".into())),
            ((0, 3), Data::Int(1)),
            ((1_048_575, 16_383), Data::Int(2)),
        ]);
        assert_eq!(sheet.rows().collect::<Vec<_>>(), vec![0, 1_048_575]);
        assert_eq!(sheet.last_row(), Some(1_048_575));
        assert_eq!(sheet.get(0, 3), Some(&Data::Int(1)));
        assert_eq!(sheet.get(5, 5), None);
    }

    #[test]
    fn a_budget_runs_out_of_cells_and_of_time_and_can_be_abandoned() {
        let mut budget = Budget::new(3, Duration::from_secs(60));
        assert!((0..3).all(|_| budget.spend().is_ok()));
        assert_eq!(budget.spend(), Err(Exhausted::Cells(3)));

        let budget = Budget::new(10, Duration::ZERO);
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(budget.check(), Err(Exhausted::Time(Duration::ZERO)));

        let budget = Budget::new(10, Duration::from_secs(60));
        budget.abandon_flag().store(true, Ordering::Relaxed);
        assert_eq!(budget.check(), Err(Exhausted::Abandoned));
    }
}
