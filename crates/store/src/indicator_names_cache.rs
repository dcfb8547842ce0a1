//! The projects of a department's year with their indicator names, as the copied-indicator rule
//! reads them when a form is checked (`Projects::check_unsaved`), kept between checks instead of
//! read on every one. A form is checked as the user types, so the same department's year is read
//! over and over while it hardly ever changes (BENCHMARKS.md, step 23).
//!
//! Kept: every live project of the year, whatever its status, with its status; each caller is
//! shown only those it may see (`Actor::can_see`, the rule `Projects::visible` writes in SQL), so
//! one entry serves every role. Forgotten, all at once, the moment anything it was read from
//! changes:
//! - on this instance, right after the write commits (`Projects::commit`), so a form checked
//!   after a save answered here always sees the save;
//! - on every instance, when PostgreSQL announces a write to `projects`, `indicators` or
//!   `budget_units` on `jixiao_declarations` (migration 20), or to `library_entries` or
//!   `self_evaluations` (migration 29), whoever made it (another instance, the command line, an
//!   operator in psql): milliseconds after the commit.
//!
//! Beside the projects, the indicator library as each department's forms' rules read it (its
//! entries with the department's last actual values), by the same rules.
//!
//! While the listener is not connected (starting, reconnecting, SQLite, the command line)
//! nothing is kept and every check reads. A read that began before a forgetting is not kept.
//! An unknown budget unit is never kept (it is read each time), so units added later are found.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use jixiao_domain::Status;
use jixiao_domain::findings::LibraryFact;

/// The channel the triggers notify.
pub const CHANNEL: &str = "jixiao_declarations";

/// More than this (bytes of names, roughly) and the cache starts over: bounded memory whatever
/// the years and departments checked.
const MAX_WEIGHT: usize = 16 << 20;

/// One live project of the department's year.
#[derive(Debug)]
pub(crate) struct KeptProject {
    pub id: i64,
    pub name: String,
    pub status: Status,
    /// In the form's order.
    pub indicator_names: Vec<String>,
}

impl KeptProject {
    /// About how much memory the project holds.
    fn weight(&self) -> usize {
        const STRING: usize = std::mem::size_of::<String>();
        let names: usize = self.indicator_names.iter().map(|n| STRING + n.len()).sum();
        std::mem::size_of::<KeptProject>() + self.name.len() + names
    }
}

/// The live projects of one department's year, by id.
pub(crate) type DepartmentYear = Arc<Vec<KeptProject>>;

/// What one kept year costs besides its projects: an empty year (any `fiscalYear` a form gives)
/// counts too, so no run of checks can grow the map past the bound with years that hold nothing.
const ENTRY_WEIGHT: usize = 64;

/// About how much memory a kept year holds.
fn weight(projects: &[KeptProject]) -> usize {
    ENTRY_WEIGHT + projects.iter().map(KeptProject::weight).sum::<usize>()
}

/// What the indicator library's rules read for one department's forms (`library::facts_for`).
pub(crate) type DepartmentLibrary = Arc<Vec<LibraryFact>>;

/// About how much memory a department's library holds.
fn library_weight(facts: &[LibraryFact]) -> usize {
    const STRING: usize = std::mem::size_of::<String>();
    let text = |f: &LibraryFact| f.name.len() + f.aliases.iter().map(|a| STRING + a.len()).sum::<usize>();
    ENTRY_WEIGHT + facts.iter().map(|f| std::mem::size_of::<LibraryFact>() + text(f) + 16).sum::<usize>()
}

#[derive(Default)]
struct Kept {
    /// Budget unit → its department.
    units: HashMap<i64, i64>,
    /// (department, fiscal year) → its projects.
    years: HashMap<(i64, i32), DepartmentYear>,
    /// Department → the library as its forms' rules read it.
    libraries: HashMap<i64, DepartmentLibrary>,
    weight: usize,
}

#[derive(Default)]
pub struct IndicatorNamesCache {
    kept: Mutex<Kept>,
    /// Raised by every forgetting: a read that began before one may be stale and is not kept.
    generation: AtomicU64,
    /// Whether a listener is connected and subscribed (only then is anything kept).
    listening: AtomicBool,
    /// Checks answered from the cache, and those that read.
    hits: AtomicU64,
    misses: AtomicU64,
}

/// What `/metrics` shows of the cache.
#[derive(Clone, Copy, Debug)]
pub struct IndicatorNamesCacheStats {
    pub hits: u64,
    pub misses: u64,
}

impl std::fmt::Debug for IndicatorNamesCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndicatorNamesCache")
            .field("listening", &self.listening.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl IndicatorNamesCache {
    /// The department of budget unit `unit_id` and its projects of `year`, when kept.
    pub(crate) fn get(&self, unit_id: i64, year: i32) -> Option<(i64, DepartmentYear)> {
        if !self.listening.load(Ordering::Acquire) {
            return None;
        }
        let found = {
            let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            kept.units.get(&unit_id).and_then(|&department| {
                kept.years.get(&(department, year)).map(|projects| (department, projects.clone()))
            })
        };
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    pub fn stats(&self) -> IndicatorNamesCacheStats {
        IndicatorNamesCacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    /// What to hand back to [`IndicatorNamesCache::keep`] with what was read after this call.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps what was read after `generation` was taken, unless something was forgotten since.
    pub(crate) fn keep(&self, unit_id: i64, department: i64, year: i32, projects: &DepartmentYear, generation: u64) {
        let weight = weight(projects);
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        // Checked under the lock that forgetting takes too, so no change can slip in between.
        if !self.listening.load(Ordering::Acquire) || self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if weight > MAX_WEIGHT {
            return;
        }
        if kept.weight + weight > MAX_WEIGHT {
            *kept = Kept::default();
        }
        kept.units.insert(unit_id, department);
        if let Some(replaced) = kept.years.insert((department, year), projects.clone()) {
            kept.weight -= self::weight(&replaced);
        }
        kept.weight += weight;
    }

    /// Whether a listener keeps what is kept current (only then is anything kept).
    pub(crate) fn is_listening(&self) -> bool {
        self.listening.load(Ordering::Acquire)
    }

    /// The library as `department`'s forms' rules read it, when kept. (Not counted apart: the
    /// hits and misses count checks, by their compared projects, read just before.)
    pub(crate) fn get_library(&self, department: i64) -> Option<DepartmentLibrary> {
        if !self.is_listening() {
            return None;
        }
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).libraries.get(&department).cloned()
    }

    /// Keeps `department`'s library read after `generation` was taken, unless something was
    /// forgotten since.
    pub(crate) fn keep_library(&self, department: i64, facts: &DepartmentLibrary, generation: u64) {
        let weight = library_weight(facts);
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if !self.is_listening() || self.generation.load(Ordering::Acquire) != generation || weight > MAX_WEIGHT {
            return;
        }
        if kept.weight + weight > MAX_WEIGHT {
            *kept = Kept::default();
        }
        if let Some(replaced) = kept.libraries.insert(department, facts.clone()) {
            kept.weight -= library_weight(&replaced);
        }
        kept.weight += weight;
    }

    /// Forgets everything: a project, an indicator, a budget unit, a library entry or a
    /// self-evaluation changed somewhere.
    pub(crate) fn forget(&self) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        *kept = Kept::default();
    }

    /// Whether changes are heard now; either way, whatever was kept is forgotten (it may have
    /// missed notifications while not listening).
    pub(crate) fn set_listening(&self, listening: bool) {
        self.forget();
        self.listening.store(listening, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(names: &[&str]) -> DepartmentYear {
        Arc::new(vec![KeptProject {
            id: 1,
            name: "项目".into(),
            status: Status::Draft,
            indicator_names: names.iter().map(|n| n.to_string()).collect(),
        }])
    }

    #[test]
    fn nothing_is_kept_while_not_listening() {
        let cache = IndicatorNamesCache::default();
        cache.keep(7, 3, 2023, &year(&["走访户数"]), cache.generation());
        assert!(cache.get(7, 2023).is_none());
    }

    #[test]
    fn a_departments_library_is_kept_and_forgotten_like_its_projects() {
        let library = |name: &str| {
            Arc::new(vec![LibraryFact {
                entry_id: 1,
                level2: jixiao_domain::Level2::Quantity,
                name: name.into(),
                aliases: vec![],
                status: jixiao_domain::library::LibraryEntryStatus::Confirmed,
                history_value: Some("92%".into()),
            }])
        };
        let cache = IndicatorNamesCache::default();
        cache.keep_library(3, &library("走访户数"), cache.generation());
        assert!(cache.get_library(3).is_none(), "nothing is kept while not listening");
        cache.set_listening(true);
        let before = cache.generation();
        cache.forget(); // an entry changed while the library was being read
        cache.keep_library(3, &library("旧"), before);
        assert!(cache.get_library(3).is_none(), "a stale read is not kept");
        cache.keep_library(3, &library("新"), cache.generation());
        assert_eq!(cache.get_library(3).unwrap()[0].name, "新");
        assert!(cache.get_library(4).is_none(), "another department's is read");
        cache.forget();
        assert!(cache.get_library(3).is_none());
    }

    #[test]
    fn a_read_that_began_before_a_change_is_not_kept() {
        let cache = IndicatorNamesCache::default();
        cache.set_listening(true);
        let before = cache.generation();
        cache.forget(); // an indicator changed while the old names were being read
        cache.keep(7, 3, 2023, &year(&["旧名称"]), before);
        assert!(cache.get(7, 2023).is_none(), "the stale names must not be served");
        cache.keep(7, 3, 2023, &year(&["新名称"]), cache.generation());
        let (department, projects) = cache.get(7, 2023).unwrap();
        assert_eq!((department, projects[0].indicator_names[0].as_str()), (3, "新名称"));
        assert!(cache.get(7, 2024).is_none(), "another year is read");
        assert!(cache.get(8, 2023).is_none(), "another unit is read");
        cache.forget();
        assert!(cache.get(7, 2023).is_none());
    }

    #[test]
    fn losing_the_listener_forgets_everything() {
        let cache = IndicatorNamesCache::default();
        cache.set_listening(true);
        cache.keep(7, 3, 2023, &year(&["走访户数"]), cache.generation());
        cache.set_listening(false);
        cache.set_listening(true);
        assert!(cache.get(7, 2023).is_none());
    }

    #[test]
    fn years_that_hold_nothing_count_against_the_bound_too() {
        let cache = IndicatorNamesCache::default();
        cache.set_listening(true);
        let empty: DepartmentYear = Arc::new(Vec::new());
        for year in 0..(MAX_WEIGHT / ENTRY_WEIGHT + 10) as i32 {
            cache.keep(7, 3, year, &empty, cache.generation());
        }
        let kept = cache.kept.lock().unwrap();
        assert!(kept.years.len() <= MAX_WEIGHT / ENTRY_WEIGHT, "{} years kept", kept.years.len());
        assert!(kept.weight <= MAX_WEIGHT);
    }

    #[test]
    fn the_cache_starts_over_rather_than_grow_past_its_bound() {
        let cache = IndicatorNamesCache::default();
        cache.set_listening(true);
        let big = "指".repeat(MAX_WEIGHT / 3 / 2);
        for unit in 0..4 {
            cache.keep(unit, unit, 2023, &year(&[&big]), cache.generation());
        }
        let kept = cache.kept.lock().unwrap();
        assert!(kept.weight <= MAX_WEIGHT && kept.years.len() < 4, "{} years kept", kept.years.len());
        drop(kept);
        assert!(cache.get(3, 2023).is_some(), "the latest is kept");
        let huge = "指".repeat(MAX_WEIGHT / 3 + 1);
        cache.keep(9, 9, 2023, &year(&[&huge]), cache.generation());
        assert!(cache.get(9, 2023).is_none(), "one year larger than the bound is not kept");
    }
}
