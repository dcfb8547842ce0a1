//! The library's screens: one entry, a filtered page, suggestions as people type, and each
//! entry's uses by year with the actual values of accepted self-evaluations.

use std::collections::{BTreeMap, HashMap};

use jixiao_domain::evaluation::IndicatorResult;
use jixiao_domain::library::{LibraryChange, LibraryEntryStatus, LibraryScope, MAX_SUGGEST_TEXT, MAX_SUGGESTIONS};
use jixiao_domain::monitoring::ReportStatus;
use jixiao_domain::{Level1, Level2, Role};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
    Statement,
};

use super::{Library, LibraryEntryRecord};
use crate::entity::library_entry;
use crate::error::{StoreError, StoreResult};

/// A page of entries holds at most this many.
pub const MAX_PAGE: u64 = 100;
/// An entry's uses one read lists at most (the newest years first).
pub const MAX_USES_LISTED: u64 = 500;

/// What a list of entries is narrowed to, beyond what the caller may read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LibraryFilter {
    pub scope: Option<LibraryScope>,
    pub department_id: Option<i64>,
    pub level1: Option<Level1>,
    pub level2: Option<Level2>,
    pub name_contains: Option<String>,
    pub status: Option<LibraryEntryStatus>,
}

/// One use of an entry: a row of a project, with the actual value of the project's accepted
/// self-evaluation when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryUse {
    pub fiscal_year: i32,
    pub project_id: i64,
    pub department_id: i64,
    pub indicator_id: i64,
    pub target: String,
    pub actual: Option<String>,
}

/// `%text%` for LIKE, with LIKE's own characters escaped.
fn containing(text: &str) -> LikeExpr {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

impl Library<'_> {
    /// The entries the caller may read: the bureau all, a department's users the common ones and
    /// their own department's, a security auditor none.
    fn readable(&self) -> Condition {
        match self.actor.role {
            Role::Approver | Role::Admin => Condition::all(),
            Role::SecurityAuditor => Condition::all().add(Expr::val(1).eq(0)),
            Role::Submitter | Role::DepartmentReviewer => Condition::any()
                .add(library_entry::Column::DepartmentId.is_null())
                .add(library_entry::Column::DepartmentId.eq(self.actor.department_id.unwrap_or(-1))),
        }
    }

    /// Security auditors read the audit log and nothing else.
    fn not_an_auditor(&self) -> StoreResult<()> {
        if self.actor.role == Role::SecurityAuditor {
            return Err(StoreError::Forbidden(jixiao_domain::permissions::auditor_reads_only()));
        }
        Ok(())
    }

    /// The entry `id` if the caller may read it; NOT_FOUND otherwise.
    pub(super) async fn visible<C: ConnectionTrait>(&self, conn: &C, id: i64) -> StoreResult<LibraryEntryRecord> {
        self.not_an_auditor()?;
        let found = library_entry::Entity::find_by_id(id).filter(self.readable()).one(conn).await?;
        LibraryEntryRecord::try_from(found.ok_or(StoreError::NotFound)?)
    }

    pub async fn get(&self, id: i64) -> StoreResult<LibraryEntryRecord> {
        self.visible(self.db, id).await
    }

    /// The entries of `ids` the caller may read (for batched reads by id).
    pub async fn by_ids(&self, ids: &[i64]) -> StoreResult<Vec<LibraryEntryRecord>> {
        let rows = library_entry::Entity::find()
            .filter(library_entry::Column::Id.is_in(ids.iter().copied()))
            .filter(self.readable())
            .all(self.db)
            .await?;
        rows.into_iter().map(LibraryEntryRecord::try_from).collect()
    }

    /// A page of the entries matching `filter`, in id order after `after`, at most `first`
    /// (≤ [`MAX_PAGE`]); with whether more follow.
    pub async fn list(
        &self,
        filter: &LibraryFilter,
        after: Option<i64>,
        first: u64,
    ) -> StoreResult<(Vec<LibraryEntryRecord>, bool)> {
        self.not_an_auditor()?;
        let first = Ord::min(first, MAX_PAGE);
        let mut c = Condition::all().add(self.readable());
        if let Some(scope) = filter.scope {
            c = c.add(library_entry::Column::Scope.eq(scope.code()));
        }
        if let Some(d) = filter.department_id {
            c = c.add(library_entry::Column::DepartmentId.eq(d));
        }
        if let Some(l1) = filter.level1 {
            c = c.add(library_entry::Column::Level1.eq(l1.code()));
        }
        if let Some(l2) = filter.level2 {
            c = c.add(library_entry::Column::Level2.eq(l2.code()));
        }
        if let Some(text) = filter.name_contains.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            c = c.add(Expr::col(library_entry::Column::Name).like(containing(text)));
        }
        if let Some(status) = filter.status {
            c = c.add(library_entry::Column::Status.eq(status.code()));
        }
        if let Some(after) = after {
            c = c.add(library_entry::Column::Id.gt(after));
        }
        let mut rows = library_entry::Entity::find()
            .filter(c)
            .order_by_asc(library_entry::Column::Id)
            .limit(first + 1)
            .all(self.db)
            .await?;
        let more = rows.len() as u64 > first;
        rows.truncate(first as usize);
        Ok((rows.into_iter().map(LibraryEntryRecord::try_from).collect::<StoreResult<_>>()?, more))
    }

    /// At most [`MAX_SUGGESTIONS`] confirmed entries for what is being typed: the common ones and
    /// `department_id`'s (a department's users: always their own), whose name or another
    /// spelling contains `text`, under `level2` when given; most used first, then by name.
    pub async fn suggest(
        &self,
        level2: Option<Level2>,
        text: &str,
        department_id: Option<i64>,
    ) -> StoreResult<Vec<(LibraryEntryRecord, i64)>> {
        let department = match self.actor.role {
            Role::Approver | Role::Admin => department_id,
            Role::Submitter | Role::DepartmentReviewer => self.actor.department_id,
            Role::SecurityAuditor => {
                return Err(StoreError::Forbidden(jixiao_domain::permissions::auditor_reads_only()));
            }
        };
        let text: String = text.trim().chars().take(MAX_SUGGEST_TEXT).collect();
        let mut c = Condition::all().add(library_entry::Column::Status.eq(LibraryEntryStatus::Confirmed.code())).add(
            Condition::any()
                .add(library_entry::Column::DepartmentId.is_null())
                .add(library_entry::Column::DepartmentId.eq(department.unwrap_or(-1))),
        );
        if let Some(l2) = level2 {
            c = c.add(library_entry::Column::Level2.eq(l2.code()));
        }
        if !text.is_empty() {
            c = c.add(
                Condition::any()
                    .add(Expr::col(library_entry::Column::Name).like(containing(&text)))
                    .add(Expr::col(library_entry::Column::Aliases).like(containing(&text))),
            );
        }
        // Uses: the live projects whose rows were picked from the entry.
        let uses = Expr::cust(
            "(SELECT COUNT(DISTINCT i.project_id) FROM indicators i JOIN projects p ON p.id = i.project_id \
             WHERE i.library_entry_id = library_entries.id AND p.deleted_at IS NULL)",
        );
        let rows = library_entry::Entity::find()
            .filter(c)
            .column_as(uses.clone(), "uses")
            .order_by_desc(uses)
            .order_by_asc(library_entry::Column::Name)
            .order_by_asc(library_entry::Column::Id)
            .limit(MAX_SUGGESTIONS)
            .into_model::<WithUses>()
            .all(self.db)
            .await?;
        rows.into_iter().map(|r| Ok((LibraryEntryRecord::try_from(r.entry)?, r.uses))).collect()
    }

    /// The department whose uses the caller sees: none for the bureau (every one), its own for a
    /// department's users.
    fn uses_seen_in(&self) -> Option<i64> {
        match self.actor.role {
            Role::Approver | Role::Admin => None,
            _ => Some(self.actor.department_id.unwrap_or(-1)),
        }
    }

    /// How many live projects the caller may see use each of `ids` (rows picked from it).
    pub async fn use_counts(&self, ids: &[i64]) -> StoreResult<HashMap<i64, i64>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let backend = self.db.get_database_backend();
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let department = self.uses_seen_in().map_or_else(String::new, |d| format!(" AND p.department_id = {d}"));
        let sql = format!(
            "SELECT i.library_entry_id AS entry_id, COUNT(DISTINCT i.project_id) AS uses FROM indicators i \
             JOIN projects p ON p.id = i.project_id WHERE p.deleted_at IS NULL AND i.library_entry_id IN ({list}){department} \
             GROUP BY i.library_entry_id"
        );
        let rows = Counted::find_by_statement(Statement::from_string(backend, sql)).all(self.db).await?;
        Ok(rows.into_iter().map(|r| (r.entry_id, r.uses)).collect())
    }

    /// The uses of each of `ids` the caller may see, newest year first, at most
    /// [`MAX_USES_LISTED`] each (entries it may not read have none).
    pub async fn uses(&self, ids: &[i64]) -> StoreResult<BTreeMap<i64, Vec<EntryUse>>> {
        let readable: Vec<i64> = self.by_ids(ids).await?.into_iter().map(|e| e.id).collect();
        uses_of(self.db, &readable, self.uses_seen_in(), false, MAX_USES_LISTED).await
    }

    /// The last accepted actual value of each of `ids` among the uses the caller may see.
    pub async fn history_values(&self, ids: &[i64]) -> StoreResult<HashMap<i64, String>> {
        last_actuals(self.db, ids, self.uses_seen_in()).await
    }
}

#[derive(FromQueryResult)]
struct WithUses {
    #[sea_orm(nested)]
    entry: library_entry::Model,
    uses: i64,
}

#[derive(FromQueryResult)]
struct Counted {
    entry_id: i64,
    uses: i64,
}

#[derive(FromQueryResult)]
struct UseRow {
    entry_id: i64,
    indicator_id: i64,
    project_id: i64,
    department_id: i64,
    fiscal_year: i32,
    target_text: String,
    results: Option<String>,
}

/// The uses of each of `entries` on live projects (of `department` alone when given; only those
/// with an accepted self-evaluation when `evaluated`), at most `per_entry` of each, newest year
/// first, each with its project's accepted self-evaluation's actual value.
pub(super) async fn uses_of<C: ConnectionTrait>(
    conn: &C,
    entries: &[i64],
    department: Option<i64>,
    evaluated: bool,
    per_entry: u64,
) -> StoreResult<BTreeMap<i64, Vec<EntryUse>>> {
    if entries.is_empty() {
        return Ok(BTreeMap::new());
    }
    let backend = conn.get_database_backend();
    let list = entries.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let department = department.map_or_else(String::new, |d| format!(" AND p.department_id = {d}"));
    let accepted = ReportStatus::Accepted.code();
    let join = if evaluated { "JOIN" } else { "LEFT JOIN" };
    // Numbered within each entry, so that a much used entry cannot crowd the others out of a batch.
    let sql = format!(
        "SELECT * FROM (SELECT i.library_entry_id AS entry_id, i.id AS indicator_id, p.id AS project_id, \
         p.department_id, p.fiscal_year, i.target_text, se.results, ROW_NUMBER() OVER (PARTITION BY \
         i.library_entry_id ORDER BY p.fiscal_year DESC, p.id DESC, i.id) AS n FROM indicators i \
         JOIN projects p ON p.id = i.project_id \
         {join} self_evaluations se ON se.project_id = p.id AND se.status = '{accepted}' \
         WHERE p.deleted_at IS NULL AND i.library_entry_id IN ({list}){department}) numbered \
         WHERE n <= {per_entry} ORDER BY entry_id, n"
    );
    let rows = UseRow::find_by_statement(Statement::from_string(backend, sql)).all(conn).await?;
    let mut out: BTreeMap<i64, Vec<EntryUse>> = BTreeMap::new();
    for r in rows {
        let actual = r
            .results
            .as_deref()
            .and_then(|json| serde_json::from_str::<BTreeMap<i64, IndicatorResult>>(json).ok())
            .and_then(|mut results| results.remove(&r.indicator_id))
            .and_then(|result| result.actual)
            .filter(|a| !a.trim().is_empty());
        out.entry(r.entry_id).or_default().push(EntryUse {
            fiscal_year: r.fiscal_year,
            project_id: r.project_id,
            department_id: r.department_id,
            indicator_id: r.indicator_id,
            target: r.target_text,
            actual,
        });
    }
    Ok(out)
}

/// The last accepted self-evaluation's actual value of each of `entries` (of `department` alone
/// when given): one row per entry read.
pub(super) async fn last_actuals<C: ConnectionTrait>(
    conn: &C,
    entries: &[i64],
    department: Option<i64>,
) -> StoreResult<HashMap<i64, String>> {
    let uses = uses_of(conn, entries, department, true, 1).await?;
    Ok(uses.into_iter().filter_map(|(id, u)| Some((id, history_value(&u)?.to_string()))).collect())
}

/// The last accepted actual value among `uses` (newest year first).
pub fn history_value(uses: &[EntryUse]) -> Option<&str> {
    uses.iter().find_map(|u| u.actual.as_deref())
}

impl Library<'_> {
    /// Fills the rows picked from the library (`library_entry_id` given) from their entries
    /// (`fill_from_entry`): each must be a confirmed entry the caller may read. `field` names a
    /// row's place for the problems (`indicators[2]`).
    pub async fn fill_picked(
        &self,
        rows: &mut [jixiao_domain::IndicatorInput],
        field: impl Fn(usize) -> String,
    ) -> StoreResult<()> {
        let ids: Vec<i64> = rows.iter().filter_map(|r| r.library_entry_id).collect();
        if ids.is_empty() {
            return Ok(());
        }
        let entries: HashMap<i64, LibraryEntryRecord> =
            self.by_ids(&ids).await?.into_iter().map(|e| (e.id, e)).collect();
        let mut problems = jixiao_domain::Problems::default();
        for (i, row) in rows.iter_mut().enumerate() {
            let Some(id) = row.library_entry_id else { continue };
            match entries.get(&id) {
                Some(e) if e.status == LibraryEntryStatus::Confirmed => {
                    jixiao_domain::library::fill_from_entry(row, &e.entry, id);
                }
                Some(e) => problems.push(
                    &format!("{}.libraryEntryId", field(i)),
                    jixiao_domain::ProblemCode::InvalidInput,
                    jixiao_domain::Message::new(
                        format!("指标库条目“{}”{}，不能选用", e.entry.name, e.status.label()),
                        format!("the library entry “{}” is {}: it cannot be picked", e.entry.name, e.status.code()),
                    ),
                ),
                None => problems.push(
                    &format!("{}.libraryEntryId", field(i)),
                    jixiao_domain::ProblemCode::NotFound,
                    jixiao_domain::Message::new("没有这个指标库条目", "no such library entry"),
                ),
            }
        }
        problems.into_result(()).map_err(StoreError::Rejected)
    }
}

/// Most entries one export holds.
pub const MAX_EXPORTED: usize = 20_000;

impl Library<'_> {
    /// Every entry the caller may read (in id order, at most [`MAX_EXPORTED`]), each with how many
    /// live projects use it and its last accepted actual value among the uses the caller may see:
    /// the library's workbook.
    pub async fn everything(&self) -> StoreResult<Vec<(LibraryEntryRecord, i64, Option<String>)>> {
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let (page, more) = self.list(&LibraryFilter::default(), after, MAX_PAGE).await?;
            after = page.last().map(|e| e.id);
            let ids: Vec<i64> = page.iter().map(|e| e.id).collect();
            let counts = self.use_counts(&ids).await?;
            let mut history = self.history_values(&ids).await?;
            for e in page {
                let count = counts.get(&e.id).copied().unwrap_or(0);
                let history = history.remove(&e.id);
                out.push((e, count, history));
            }
            if !more || out.len() >= MAX_EXPORTED {
                out.truncate(MAX_EXPORTED);
                return Ok(out);
            }
        }
    }
}

/// The changes of an entry one read lists at most (the newest).
pub const MAX_VERSIONS_LISTED: u64 = 100;

/// One change of an entry, as `library_entry_versions` keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryVersion {
    pub entry_id: i64,
    pub version: i32,
    pub action: LibraryChange,
    pub changed_by: i64,
    pub changed_at: chrono::DateTime<chrono::Utc>,
}

impl Library<'_> {
    /// The changes of each of `ids` the caller may read, newest first, at most
    /// [`MAX_VERSIONS_LISTED`] each.
    pub async fn versions(&self, ids: &[i64]) -> StoreResult<BTreeMap<i64, Vec<EntryVersion>>> {
        use crate::entity::library_entry_version;
        let readable: Vec<i64> = self.by_ids(ids).await?.into_iter().map(|e| e.id).collect();
        let rows = library_entry_version::Entity::find()
            .filter(library_entry_version::Column::EntryId.is_in(readable))
            .order_by_asc(library_entry_version::Column::EntryId)
            .order_by_desc(library_entry_version::Column::Version)
            .all(self.db)
            .await?;
        let mut out: BTreeMap<i64, Vec<EntryVersion>> = BTreeMap::new();
        for v in rows {
            let kept = out.entry(v.entry_id).or_default();
            if (kept.len() as u64) < MAX_VERSIONS_LISTED {
                kept.push(EntryVersion {
                    entry_id: v.entry_id,
                    version: v.version,
                    action: super::coded(LibraryChange::from_code, "library change", &v.action)?,
                    changed_by: v.changed_by,
                    changed_at: v.changed_at,
                });
            }
        }
        Ok(out)
    }
}
