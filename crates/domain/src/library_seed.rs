//! Seeding the indicator library from what exists: a year's approved projects' rows become one
//! entry per spelling, and the spellings the reviewer's near-duplicate rule joins are proposed as
//! one entry with aliases (`seedIndicatorLibrary`, store `library/seed.rs`).

use std::collections::BTreeMap;

use crate::catalog::{Level1, Level2};
use crate::library::{IndicatorDirection, LibraryEntryStatus};

/// One indicator row of an approved project, as seeding reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedRow {
    pub department_id: i64,
    pub level1: Level1,
    pub level2: Level2,
    pub name: String,
    pub unit: String,
    pub direction: IndicatorDirection,
    pub indicator_id: i64,
    pub project_id: i64,
}

/// One entry seeding makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedEntry {
    pub department_id: i64,
    pub level1: Level1,
    pub level2: Level2,
    pub name: String,
    pub unit: String,
    pub direction: IndicatorDirection,
    pub status: LibraryEntryStatus,
    pub aliases: Vec<String>,
    /// The indicator rows it was used by (empty for a merge proposal: its spellings' entries hold them).
    pub indicator_ids: Vec<i64>,
    /// Distinct projects using it (a merge proposal: using any of its spellings).
    pub projects: usize,
}

/// What seeding makes of a year's approved rows: one CONFIRMED entry per distinct (department,
/// level 1, level 2, name), with each use; and for each set of spellings the near-duplicate rule
/// of the reviewer's assistant finds under the same levels, one PROPOSED entry under the most
/// used spelling (then the shorter, then the first in order) with the others as aliases, for the
/// bureau to confirm (which retires the spellings' own entries and moves their uses to it).
/// Units and directions are those of the spelling's first use.
pub fn seed_plan(rows: &[SeedRow]) -> Vec<SeedEntry> {
    let mut entries: Vec<SeedEntry> = Vec::new();
    let mut at: BTreeMap<(i64, Level1, Level2, &str), usize> = BTreeMap::new();
    let mut projects: Vec<Vec<i64>> = Vec::new();
    for row in rows {
        let key = (row.department_id, row.level1, row.level2, row.name.as_str());
        let i = *at.entry(key).or_insert_with(|| {
            entries.push(SeedEntry {
                department_id: row.department_id,
                level1: row.level1,
                level2: row.level2,
                name: row.name.clone(),
                unit: row.unit.clone(),
                direction: row.direction,
                status: LibraryEntryStatus::Confirmed,
                aliases: Vec::new(),
                indicator_ids: Vec::new(),
                projects: 0,
            });
            projects.push(Vec::new());
            entries.len() - 1
        });
        entries[i].indicator_ids.push(row.indicator_id);
        if !projects[i].contains(&row.project_id) {
            projects[i].push(row.project_id);
        }
    }
    for (e, p) in entries.iter_mut().zip(&projects) {
        e.projects = p.len();
    }
    let proposals = near_spelling_groups(&entries)
        .into_iter()
        .map(|group| {
            let mut members: Vec<&SeedEntry> = group.iter().map(|&i| &entries[i]).collect();
            let mut all_projects: Vec<i64> = group.iter().flat_map(|&i| projects[i].iter().copied()).collect();
            all_projects.sort_unstable();
            all_projects.dedup();
            members.sort_by_key(|e| (std::cmp::Reverse(e.projects), e.name.chars().count()));
            let lead = members[0];
            SeedEntry {
                status: LibraryEntryStatus::Proposed,
                aliases: members[1..].iter().map(|e| e.name.clone()).collect(),
                indicator_ids: Vec::new(),
                projects: all_projects.len(),
                ..lead.clone()
            }
        })
        .collect::<Vec<_>>();
    entries.extend(proposals);
    entries
}

/// The sets (two or more) of entries under the same department and levels whose names the
/// near-duplicate rule joins, each in the entries' order; joined transitively.
fn near_spelling_groups(entries: &[SeedEntry]) -> Vec<Vec<usize>> {
    use crate::findings::similar_names;
    let mut parent: Vec<usize> = (0..entries.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut by_levels: BTreeMap<(i64, Level1, Level2), Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        by_levels.entry((e.department_id, e.level1, e.level2)).or_default().push(i);
    }
    for members in by_levels.values() {
        let names: Vec<&str> = members.iter().map(|&i| entries[i].name.as_str()).collect();
        for (a, b) in similar_names(&names) {
            let (ra, rb) = (root(&mut parent, members[a]), root(&mut parent, members[b]));
            if ra != rb {
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..entries.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    groups.into_values().filter(|g| g.len() > 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::parents_of;

    fn row(department_id: i64, l2: Level2, name: &str, project_id: i64, indicator_id: i64) -> SeedRow {
        let level1 = parents_of(l2)[0];
        SeedRow {
            department_id,
            level1,
            level2: l2,
            name: name.into(),
            unit: "%".into(),
            direction: IndicatorDirection::HigherIsBetter,
            indicator_id,
            project_id,
        }
    }

    #[test]
    fn seeding_keeps_each_spelling_and_proposes_one_entry_for_near_spellings() {
        use Level2::*;
        let rows = [
            row(1, Quality, "道路养护合格率", 10, 1),
            row(1, Quality, "道路养护合格率", 11, 2),
            row(1, Quality, "道路养护合格率", 11, 3),
            row(1, Quality, "道路维护合格率", 12, 4),
            row(1, Quality, "道路养护维护合格率", 13, 5),
            row(1, Quality, "桥梁检测完成率", 12, 6),
            row(2, Quality, "道路维护合格率", 20, 7),
            row(1, Timeliness, "道路维护合格率", 10, 8),
        ];
        let plan = seed_plan(&rows);
        let confirmed: Vec<(i64, &str, usize, usize)> = plan
            .iter()
            .filter(|e| e.status == LibraryEntryStatus::Confirmed)
            .map(|e| (e.department_id, e.name.as_str(), e.indicator_ids.len(), e.projects))
            .collect();
        assert_eq!(
            confirmed,
            [
                (1, "道路养护合格率", 3, 2),
                (1, "道路维护合格率", 1, 1),
                (1, "道路养护维护合格率", 1, 1),
                (1, "桥梁检测完成率", 1, 1),
                (2, "道路维护合格率", 1, 1),
                (1, "道路维护合格率", 1, 1),
            ],
            "one entry per department, levels and spelling; a project counted once"
        );
        let proposed: Vec<_> = plan.iter().filter(|e| e.status == LibraryEntryStatus::Proposed).collect();
        assert_eq!(proposed.len(), 1, "another department and another level 2 are not joined");
        assert_eq!(proposed[0].name, "道路养护合格率", "the most used spelling leads");
        assert_eq!(proposed[0].aliases, ["道路维护合格率", "道路养护维护合格率"], "joined through one another");
        assert_eq!((proposed[0].projects, proposed[0].department_id), (4, 1));
        assert!(proposed[0].indicator_ids.is_empty());
    }

    #[test]
    fn distinct_measures_are_not_joined_and_ties_go_to_the_shorter() {
        use Level2::*;
        let plan = seed_plan(&[
            row(1, Timeliness, "维稳工作开展及时性", 1, 1),
            row(1, Timeliness, "维稳工作开展有效性", 2, 2),
            row(1, Quality, "信访课题研究成果", 1, 3),
            row(1, Quality, "课题研究成果", 2, 4),
        ]);
        let proposed: Vec<_> = plan.iter().filter(|e| e.status == LibraryEntryStatus::Proposed).collect();
        assert_eq!(proposed.len(), 1);
        assert_eq!(
            (proposed[0].name.as_str(), proposed[0].aliases.as_slice()),
            ("课题研究成果", &["信访课题研究成果".to_string()][..])
        );
    }
}
