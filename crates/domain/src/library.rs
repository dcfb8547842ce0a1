//! 指标库: the indicator library. 共性 (COMMON) entries the bureau sets for every department and
//! 个性 (DEPARTMENT) entries of one department, each with its definition, formula, unit,
//! direction and the basis of its value (财预〔2021〕101号: 计划标准, 行业标准, 历史标准, 财政部门
//! 认可的其他标准), so that a target is picked, not invented afresh each year, and a target below
//! what was already achieved shows (the reviewer's rule in `findings/library.rs`).
//!
//! Who does what: a department's users propose entries of their own department (PROPOSED); the
//! bureau (approvers, admins) creates entries of either scope (CONFIRMED at once), confirms,
//! edits and retires them, and alone sets a benchmark (标杆值). Everyone but the security
//! auditor reads the common entries and their own department's; the bureau reads all.

use crate::catalog::{Level1, Level2, coded_enum, parents_of};
use crate::message::Message;
use crate::problem::{Problem, ProblemCode, Problems};
use crate::target_value::{MAX_TARGET_CHARS, TargetKind, TargetValue};
use crate::{Actor, Decision, Role};

/// At most this many suggestions answer one keystroke.
pub const MAX_SUGGESTIONS: u64 = 10;
/// What is typed is read up to this many characters (a name is at most 200, but nobody types
/// that much before picking).
pub const MAX_SUGGEST_TEXT: usize = 50;
/// Other spellings one entry keeps.
pub const MAX_ALIASES: usize = 20;
pub const MAX_UNIT: usize = 20;
pub const MAX_DEFINITION: usize = 2000;

coded_enum!(
    /// Whose entry it is.
    LibraryScope as "LibraryScope" {
        /// 共性指标: the bureau's, for every department.
        Common => ("COMMON", "共性指标"),
        /// 个性指标: one department's own.
        Department => ("DEPARTMENT", "个性指标"),
    }
);

coded_enum!(
    /// Which way an indicator is better.
    IndicatorDirection as "IndicatorDirection" {
        HigherIsBetter => ("HIGHER_IS_BETTER", "正向指标（越高越好）"),
        LowerIsBetter => ("LOWER_IS_BETTER", "反向指标（越低越好）"),
        Equal => ("EQUAL", "等于目标值"),
        Qualitative => ("QUALITATIVE", "定性指标"),
    }
);

coded_enum!(
    /// The basis of a target value (财预〔2021〕101号).
    ValueBasis as "ValueBasis" {
        Plan => ("PLAN", "计划标准"),
        Industry => ("INDUSTRY", "行业标准"),
        History => ("HISTORY", "历史标准"),
        Other => ("OTHER", "财政部门认可的其他标准"),
    }
);

coded_enum!(
    /// Where an entry stands.
    LibraryEntryStatus as "LibraryEntryStatus" {
        /// 待确认: proposed by a department, or a merge of near spellings proposed by seeding.
        Proposed => ("PROPOSED", "待确认"),
        /// 已确认: offered when indicators are picked.
        Confirmed => ("CONFIRMED", "已确认"),
        /// 已停用: no longer offered; a row still named so is a finding.
        Retired => ("RETIRED", "已停用"),
    }
);

coded_enum!(
    /// What one kept version of an entry records: how it came to be as it is.
    LibraryChange as "LibraryChange" {
        /// 新增: added by a person.
        Create => ("CREATE", "新增"),
        /// 修改: its content edited.
        Update => ("UPDATE", "修改"),
        /// 改为待确认: set back to proposed.
        Proposed => ("PROPOSED", "改为待确认"),
        /// 确认: confirmed by the bureau.
        Confirmed => ("CONFIRMED", "确认"),
        /// 停用: retired.
        Retired => ("RETIRED", "停用"),
        /// 并入其他写法: retired when a merged spelling was confirmed (its uses moved there).
        Merged => ("MERGED", "并入其他写法"),
        /// 由已批复项目生成: made by seeding from approved projects.
        Seed => ("SEED", "由已批复项目生成"),
        /// 由工作簿导入: imported from the library's workbook.
        Import => ("IMPORT", "由工作簿导入"),
    }
);

impl From<LibraryEntryStatus> for LibraryChange {
    /// The change that moves an entry to `status`.
    fn from(status: LibraryEntryStatus) -> LibraryChange {
        match status {
            LibraryEntryStatus::Proposed => LibraryChange::Proposed,
            LibraryEntryStatus::Confirmed => LibraryChange::Confirmed,
            LibraryEntryStatus::Retired => LibraryChange::Retired,
        }
    }
}

/// An entry's content as written by a person (everything but its scope, status and history).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryContent {
    pub level1: Option<Level1>,
    pub level2: Option<Level2>,
    pub name: String,
    pub unit: String,
    pub direction: Option<IndicatorDirection>,
    pub definition: String,
    pub formula: String,
    pub value_basis: Option<ValueBasis>,
    pub reference_value: Option<String>,
    pub benchmark_value: Option<String>,
    pub aliases: Vec<String>,
}

/// A checked entry content.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub level1: Level1,
    pub level2: Level2,
    pub name: String,
    pub unit: String,
    pub direction: IndicatorDirection,
    pub definition: String,
    pub formula: String,
    pub value_basis: ValueBasis,
    pub reference_value: Option<String>,
    pub benchmark_value: Option<String>,
    pub aliases: Vec<String>,
}

fn required<T: Copy>(value: Option<T>, field: &str, label: (&str, &str), problems: &mut Problems) -> Option<T> {
    if value.is_none() {
        problems.push(
            field,
            ProblemCode::InvalidInput,
            Message::new(format!("请填写{}", label.0), format!("{} is required", label.1)),
        );
    }
    value
}

/// A reference or benchmark value reads like a target (`92%`, `≥95%`, `30天`), or is empty.
fn check_value(field: &str, label: (&str, &str), value: &Option<String>, problems: &mut Problems) -> Option<String> {
    let text = value.as_deref().map(str::trim).filter(|t| !t.is_empty())?;
    problems.check_text(field, label, text, MAX_TARGET_CHARS, false);
    if TargetValue::as_typed(text).kind() == TargetKind::Invalid {
        problems.push(
            field,
            ProblemCode::InvalidInput,
            Message::new(
                format!("{}“{text}”无法识别：请写数值和单位，如 92%", label.0),
                format!("{} “{text}” does not read: write a number with its unit, like 92%", label.1),
            ),
        );
    }
    Some(text.to_string())
}

impl EntryContent {
    /// The entry, or every problem of it: levels and the rest required, level 2 under level 1,
    /// texts within their bounds, values that read, aliases distinct from the name.
    pub fn check(self) -> Result<Entry, Vec<Problem>> {
        let mut p = Problems::default();
        let level1 = required(self.level1, "level1", ("一级指标", "level 1"), &mut p);
        let level2 = required(self.level2, "level2", ("二级指标", "level 2"), &mut p);
        if let (Some(l1), Some(l2)) = (level1, level2)
            && !parents_of(l2).contains(&l1)
        {
            p.push(
                "level2",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("二级指标“{}”不属于一级指标“{}”", l2.label(), l1.label()),
                    format!("{l2} is not under {l1}"),
                ),
            );
        }
        let direction = required(self.direction, "direction", ("指标方向", "the direction"), &mut p);
        let value_basis = required(self.value_basis, "valueBasis", ("指标值确定依据", "the value basis"), &mut p);
        let name = self.name.trim().to_string();
        p.check_text("name", ("三级指标名称", "the name"), &name, crate::indicator::MAX_INDICATOR_NAME, true);
        p.check_text("unit", ("计量单位", "the unit"), &self.unit, MAX_UNIT, false);
        p.check_text("definition", ("指标解释", "the definition"), &self.definition, MAX_DEFINITION, false);
        p.check_text("formula", ("计算公式", "the formula"), &self.formula, MAX_DEFINITION, false);
        let reference_value =
            check_value("referenceValue", ("参考值", "the reference value"), &self.reference_value, &mut p);
        let benchmark_value =
            check_value("benchmarkValue", ("标杆值", "the benchmark value"), &self.benchmark_value, &mut p);
        let aliases = aliases_of(&name, self.aliases, &mut p);
        let (Some(level1), Some(level2), Some(direction), Some(value_basis)) = (level1, level2, direction, value_basis)
        else {
            return Err(p.into_vec());
        };
        p.into_result(Entry {
            level1,
            level2,
            name,
            unit: self.unit.trim().to_string(),
            direction,
            definition: self.definition.trim().to_string(),
            formula: self.formula.trim().to_string(),
            value_basis,
            reference_value,
            benchmark_value,
            aliases,
        })
    }
}

/// The aliases trimmed, blanks and the name itself dropped, each once, at most [`MAX_ALIASES`].
fn aliases_of(name: &str, given: Vec<String>, p: &mut Problems) -> Vec<String> {
    if given.len() > MAX_ALIASES {
        p.push(
            "aliases",
            ProblemCode::InvalidInput,
            Message::new(format!("其他写法最多 {MAX_ALIASES} 个"), format!("at most {MAX_ALIASES} other spellings")),
        );
    }
    let mut out: Vec<String> = Vec::new();
    for (i, alias) in given.into_iter().take(MAX_ALIASES).enumerate() {
        let alias = alias.trim().to_string();
        p.check_text(
            &format!("aliases[{i}]"),
            ("其他写法", "the other spelling"),
            &alias,
            crate::indicator::MAX_INDICATOR_NAME,
            false,
        );
        if !alias.is_empty() && alias != name && !out.contains(&alias) {
            out.push(alias);
        }
    }
    out
}

impl Actor {
    /// Whether the actor reads the library's entries of `department_id` (`None`: the common
    /// ones): the bureau every entry, a department's users the common ones and their own.
    pub fn may_read_library(&self, department_id: Option<i64>) -> bool {
        match (self.role, department_id) {
            (Role::SecurityAuditor, _) => false,
            (Role::Approver | Role::Admin, _) | (_, None) => true,
            (Role::Submitter | Role::DepartmentReviewer, Some(d)) => self.department_id == Some(d),
        }
    }

    /// Adding an entry: the bureau any (CONFIRMED at once); a department's submitters and
    /// reviewers propose their own department's (PROPOSED), without a benchmark.
    pub fn may_add_library_entry(&self, scope: LibraryScope, department_id: Option<i64>, entry: &Entry) -> Decision {
        match self.role {
            Role::Approver | Role::Admin => Decision::Allow,
            Role::SecurityAuditor => Decision::Forbidden(crate::permissions::auditor_reads_only()),
            Role::Submitter | Role::DepartmentReviewer => match scope {
                LibraryScope::Common => Decision::Forbidden(Message::new(
                    "共性指标由财政部门设定：部门只能提出本部门的个性指标",
                    "common indicators are the bureau's: a department proposes its own indicators only",
                )),
                LibraryScope::Department if department_id != self.department_id => Decision::Forbidden(Message::new(
                    "只能为本部门提出个性指标",
                    "you propose indicators for your own department only",
                )),
                LibraryScope::Department if entry.benchmark_value.is_some() => Decision::Forbidden(Message::new(
                    "标杆值由财政部门设定：提出时请留空",
                    "the benchmark is set by the bureau: leave it empty when proposing",
                )),
                LibraryScope::Department => Decision::Allow,
            },
        }
    }

    /// Confirming, editing and retiring entries is the bureau's (approvers, admins).
    pub fn may_govern_library(&self) -> Decision {
        match self.role {
            Role::Approver | Role::Admin => Decision::Allow,
            _ => Decision::Forbidden(Message::new(
                "指标库由财政部门管理：只有审核人员和管理员可以确认、修改或停用条目",
                "the library is governed by the bureau: only approvers and admins confirm, edit or retire entries",
            )),
        }
    }

    /// Seeding the library from a year's approved projects is an admin's operation.
    pub fn may_seed_library(&self) -> Decision {
        match self.role {
            Role::Admin => Decision::Allow,
            _ => Decision::Forbidden(Message::new(
                "只有管理员可以从已批复项目生成指标库",
                "only admins seed the library from approved projects",
            )),
        }
    }
}

impl LibraryScope {
    /// The scope an entry of `department_id` has (`None`: common).
    pub const fn of(department_id: Option<i64>) -> LibraryScope {
        match department_id {
            Some(_) => LibraryScope::Department,
            None => LibraryScope::Common,
        }
    }
}

/// The status an entry starts in, by who adds it: the bureau's are in force at once.
pub const fn starting_status(actor: &Actor) -> LibraryEntryStatus {
    match actor.role {
        Role::Approver | Role::Admin => LibraryEntryStatus::Confirmed,
        _ => LibraryEntryStatus::Proposed,
    }
}

/// Whether an entry in `from` may be moved to `to` (confirm, retire, or bring a retired one back).
pub fn may_move(from: LibraryEntryStatus, to: LibraryEntryStatus) -> Result<(), Message> {
    use LibraryEntryStatus::*;
    match (from, to) {
        (Proposed, Confirmed) | (Proposed, Retired) | (Confirmed, Retired) | (Retired, Confirmed) => Ok(()),
        _ => Err(Message::new(
            format!("条目当前为“{}”，不能改为“{}”", from.label(), to.label()),
            format!("an entry {} cannot become {}", from.code(), to.code()),
        )),
    }
}

/// The unit a target is written in, as an entry keeps it: `%` of `≥95%`, `天` of `≤30天`,
/// nothing of a qualitative target.
pub fn unit_of(target: &TargetValue) -> String {
    target.unit().unwrap_or_default().to_string()
}

/// The direction a target's comparator says (≥ higher, ≤ lower, = equal), qualitative otherwise.
pub fn direction_of(target: &TargetValue) -> IndicatorDirection {
    use crate::target_value::Comparator::*;
    match target.comparator() {
        Some(Ge | Gt) => IndicatorDirection::HigherIsBetter,
        Some(Le | Lt) => IndicatorDirection::LowerIsBetter,
        Some(Eq | Range) => IndicatorDirection::Equal,
        None => IndicatorDirection::Qualitative,
    }
}

/// Fills a picked row from its entry: the entry's levels and name; its unit after a bare number
/// (`≥90` picked from an entry in `%` is `≥90%`). The target stays the department's.
pub fn fill_from_entry(row: &mut crate::IndicatorInput, entry: &Entry, entry_id: i64) {
    row.level1 = entry.level1;
    row.level2 = entry.level2;
    row.name = entry.name.clone();
    row.library_entry_id = Some(entry_id);
    let typed = row.target.trim();
    let bare = TargetValue::as_typed(typed);
    if !entry.unit.is_empty() && bare.kind() == TargetKind::Quantitative && bare.unit().is_none_or(str::is_empty) {
        row.target = format!("{typed}{}", entry.unit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> EntryContent {
        EntryContent {
            level1: Some(Level1::Satisfaction),
            level2: Some(Level2::ServiceSatisfaction),
            name: " 群众满意度 ".into(),
            unit: "%".into(),
            direction: Some(IndicatorDirection::HigherIsBetter),
            value_basis: Some(ValueBasis::History),
            reference_value: Some("90%".into()),
            aliases: vec!["群众满意度".into(), " 人民群众满意度".into(), "人民群众满意度".into(), " ".into()],
            ..Default::default()
        }
    }

    #[test]
    fn an_entry_is_checked_whole() {
        let e = content().check().unwrap();
        assert_eq!((e.name.as_str(), e.aliases.as_slice()), ("群众满意度", &["人民群众满意度".to_string()][..]));
        let bad = EntryContent {
            level1: Some(Level1::Output),
            reference_value: Some("≥".into()),
            name: " ".into(),
            ..content()
        };
        let fields: Vec<String> = bad.check().unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["level2", "name", "referenceValue"]);
        let aliases = |n: usize| EntryContent { aliases: (0..n).map(|i| format!("写法{i}")).collect(), ..content() };
        assert_eq!(aliases(MAX_ALIASES).check().unwrap().aliases.len(), MAX_ALIASES, "the limit itself is allowed");
        let fields: Vec<String> = aliases(MAX_ALIASES + 1).check().unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["aliases"]);
        let missing = EntryContent { direction: None, value_basis: None, ..content() };
        let fields: Vec<String> = missing.check().unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["direction", "valueBasis"]);
    }

    #[test]
    fn who_adds_reads_and_governs() {
        let actor = |role, department_id| Actor { user_id: 1, role, department_id };
        let entry = content().check().unwrap();
        let benchmarked = Entry { benchmark_value: Some("95%".into()), ..entry.clone() };
        let submitter = actor(Role::Submitter, Some(3));
        assert!(submitter.may_add_library_entry(LibraryScope::Department, Some(3), &entry).is_allowed());
        assert!(!submitter.may_add_library_entry(LibraryScope::Department, Some(4), &entry).is_allowed());
        assert!(!submitter.may_add_library_entry(LibraryScope::Common, None, &entry).is_allowed());
        assert!(!submitter.may_add_library_entry(LibraryScope::Department, Some(3), &benchmarked).is_allowed());
        assert!(
            actor(Role::Approver, None).may_add_library_entry(LibraryScope::Common, None, &benchmarked).is_allowed()
        );
        assert!(
            !actor(Role::SecurityAuditor, None).may_add_library_entry(LibraryScope::Common, None, &entry).is_allowed()
        );
        assert_eq!(starting_status(&submitter), LibraryEntryStatus::Proposed);
        assert_eq!(starting_status(&actor(Role::Admin, None)), LibraryEntryStatus::Confirmed);
        assert!(
            submitter.may_read_library(None)
                && submitter.may_read_library(Some(3))
                && !submitter.may_read_library(Some(4))
        );
        assert!(actor(Role::Approver, None).may_read_library(Some(4)));
        assert!(!actor(Role::SecurityAuditor, None).may_read_library(None));
        assert!(
            !submitter.may_govern_library().is_allowed()
                && actor(Role::Approver, None).may_govern_library().is_allowed()
        );
        assert!(
            !actor(Role::Approver, None).may_seed_library().is_allowed()
                && actor(Role::Admin, None).may_seed_library().is_allowed()
        );
    }

    #[test]
    fn moves_between_statuses() {
        use LibraryEntryStatus::*;
        assert!(
            may_move(Proposed, Confirmed).is_ok()
                && may_move(Confirmed, Retired).is_ok()
                && may_move(Retired, Confirmed).is_ok()
        );
        assert!(
            may_move(Confirmed, Proposed).is_err()
                && may_move(Confirmed, Confirmed).is_err()
                && may_move(Retired, Proposed).is_err()
        );
    }

    #[test]
    fn a_picked_row_takes_the_entrys_name_levels_and_unit() {
        let entry = content().check().unwrap();
        let mut row = crate::IndicatorInput {
            level1: Level1::Output,
            level2: Level2::Quantity,
            name: String::new(),
            target: "≥90".into(),
            note: None,
            library_entry_id: None,
        };
        fill_from_entry(&mut row, &entry, 7);
        assert_eq!(
            (row.level2, row.name.as_str(), row.target.as_str(), row.library_entry_id),
            (Level2::ServiceSatisfaction, "群众满意度", "≥90%", Some(7))
        );
        row.target = "≥85%".into();
        fill_from_entry(&mut row, &entry, 7);
        assert_eq!(row.target, "≥85%", "a unit given stays");
        assert_eq!(direction_of(&TargetValue::as_typed("≤30天")), IndicatorDirection::LowerIsBetter);
        assert_eq!(unit_of(&TargetValue::as_typed("≤30天")), "天");
    }
}
