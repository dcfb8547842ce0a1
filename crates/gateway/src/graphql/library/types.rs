//! The objects of the library screens.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use jixiao_domain::library::{IndicatorDirection, LibraryChange, LibraryEntryStatus, LibraryScope, ValueBasis};
use jixiao_domain::{Level1, Level2};
use jixiao_store::library::{EntryUse, LibraryEntryRecord};

use super::loaders::{HistoryValueOf, UseCountOf, UsesOf, VersionsOf};

use crate::graphql::access::access;
use crate::graphql::cost::list_cost;
use crate::graphql::declaration::project::Project;
use crate::graphql::organization::loaders::UserKey;
use crate::graphql::scalars::DateTime;
use crate::graphql::types::connection::PageInfo;
use crate::graphql::types::nodes::{Department, User};
use crate::ids::{Kind, encode};

/// One entry of the indicator library.
pub struct LibraryEntry(pub LibraryEntryRecord);

#[Object]
impl LibraryEntry {
    pub async fn id(&self) -> ID {
        encode(Kind::LibraryEntry, self.0.id)
    }
    /// COMMON (共性, the bureau's for every department) or DEPARTMENT (个性).
    async fn scope(&self) -> LibraryScope {
        self.0.scope
    }
    /// The department of a DEPARTMENT entry.
    async fn department(&self, ctx: &Context<'_>) -> Result<Option<Department>> {
        match self.0.department_id {
            Some(id) => Ok(Some(Department::of(ctx, id).await?)),
            None => Ok(None),
        }
    }
    async fn level1(&self) -> Level1 {
        self.0.entry.level1
    }
    async fn level2(&self) -> Level2 {
        self.0.entry.level2
    }
    /// 三级指标名称: the library's spelling.
    async fn name(&self) -> &str {
        &self.0.entry.name
    }
    /// 计量单位 (`%`, `天`, `万元` …), empty when there is none.
    async fn unit(&self) -> &str {
        &self.0.entry.unit
    }
    async fn direction(&self) -> IndicatorDirection {
        self.0.entry.direction
    }
    /// 指标解释.
    async fn definition(&self) -> &str {
        &self.0.entry.definition
    }
    /// 计算公式.
    async fn formula(&self) -> &str {
        &self.0.entry.formula
    }
    /// 指标值确定依据.
    async fn value_basis(&self) -> ValueBasis {
        self.0.entry.value_basis
    }
    /// 参考值.
    async fn reference_value(&self) -> Option<&str> {
        self.0.entry.reference_value.as_deref()
    }
    /// 标杆值, set by the bureau.
    async fn benchmark_value(&self) -> Option<&str> {
        self.0.entry.benchmark_value.as_deref()
    }
    /// The other spellings of the same indicator (a row named so is a LIBRARY_SPELLING finding).
    async fn aliases(&self) -> &[String] {
        &self.0.entry.aliases
    }
    async fn status(&self) -> LibraryEntryStatus {
        self.0.status
    }
    /// Moves with every change; give it back as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    /// How many live projects you may see use it (rows picked from it).
    async fn uses(&self, ctx: &Context<'_>) -> Result<i32> {
        let count = access(ctx)?.loader().load_one(UseCountOf(self.0.id)).await?.unwrap_or(0);
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }
    /// Its uses by year, newest first (projects you may see; at most 500): each row's target, and
    /// the actual value of the project's accepted self-evaluation when there is one.
    #[graphql(complexity = "list_cost(jixiao_store::library::MAX_USES_LISTED as usize, child_complexity)")]
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<LibraryEntryUse>> {
        let uses = access(ctx)?.loader().load_one(UsesOf(self.0.id)).await?.unwrap_or_default();
        Ok(uses.into_iter().map(LibraryEntryUse).collect())
    }
    /// Every change of it, newest first (at most 100): who, when, and what (CREATE, UPDATE,
    /// CONFIRMED, RETIRED, MERGED into another entry, SEED, IMPORT).
    #[graphql(complexity = "list_cost(jixiao_store::library::MAX_VERSIONS_LISTED as usize, child_complexity)")]
    async fn versions(&self, ctx: &Context<'_>) -> Result<Vec<LibraryEntryVersion>> {
        let versions = access(ctx)?.loader().load_one(VersionsOf(self.0.id)).await?.unwrap_or_default();
        Ok(versions.into_iter().map(LibraryEntryVersion).collect())
    }
    /// 历史值: the last accepted self-evaluation's actual value among its uses you may see.
    async fn history_value(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(access(ctx)?.loader().load_one(HistoryValueOf(self.0.id)).await?)
    }
}

/// One change of an entry.
pub struct LibraryEntryVersion(pub jixiao_store::library::EntryVersion);

#[Object]
impl LibraryEntryVersion {
    /// The entry's version after the change.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// How the entry came to be as this version has it (labels in `labels`).
    async fn action(&self) -> LibraryChange {
        self.0.action
    }
    /// Who changed it, when the users rule shows them; null otherwise.
    async fn changed_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(access(ctx)?.loader().load_one(UserKey(self.0.changed_by)).await?.map(User))
    }
    async fn changed_at(&self) -> DateTime {
        DateTime(self.0.changed_at)
    }
}

/// One use of an entry: a row of a project of a year.
pub struct LibraryEntryUse(pub EntryUse);

#[Object]
impl LibraryEntryUse {
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    async fn project(&self, ctx: &Context<'_>) -> Result<Option<Project>> {
        Project::visible(ctx, self.0.project_id).await
    }
    async fn indicator_id(&self) -> ID {
        encode(Kind::Indicator, self.0.indicator_id)
    }
    /// The row's target as written.
    async fn target(&self) -> &str {
        &self.0.target
    }
    /// 实际完成值 of the project's accepted self-evaluation.
    async fn actual(&self) -> Option<&str> {
        self.0.actual.as_deref()
    }
}

/// A page of the library.
#[derive(SimpleObject)]
pub struct LibraryEntryConnection {
    pub nodes: Vec<LibraryEntry>,
    pub page_info: PageInfo,
}

/// A suggestion: an entry and how many projects use it.
#[derive(SimpleObject)]
pub struct IndicatorSuggestion {
    pub entry: LibraryEntry,
    pub uses: i32,
}
