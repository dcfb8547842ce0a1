//! Lists of projects: filter, ordering and keyset pages, shared by `Query.projects`,
//! `Department.projects` and `BudgetUnit.projects`.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use jixiao_domain::Money;
use std::collections::HashMap;

use jixiao_store::{
    Keyset, PageOf, Parts, ProjectFilter, ProjectOrder, ProjectOrderField, ProjectRecord, ProjectWithParts, SortKey,
};
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::graphql::access::{Access, access};
use crate::graphql::declaration::loaders::{FundItemsOf, IndicatorsOf, ReviewsOf};
use crate::graphql::declaration::project::Project;
use crate::graphql::loaders::{Batch, warm};
use crate::graphql::organization::loaders::{DepartmentKey, UnitKey, UserKey};
use crate::graphql::scalars::DateTime;
use crate::graphql::types::connection::{PageInfo, PageRequest, decode_cursor, encode_cursor};
use crate::graphql::types::enums::{IndicatorFramework, ProjectCategory, ProjectStatus};
use crate::ids::{Kind, decode};
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProjectOrderBy {
    /// Creation order.
    #[default]
    Created,
    Name,
    /// 项目资金总额
    TotalFunds,
    PlannedStart,
    UpdatedAt,
    /// Submission time: with `status: [SUBMITTED]`, the approvers' queue, oldest first.
    SubmittedAt,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderDirection {
    #[default]
    Asc,
    Desc,
}

/// How a list of projects is ordered; ties are broken by creation order, and projects without
/// the key (not yet submitted, no planned start) come last.
#[derive(InputObject, Default)]
pub struct ProjectOrderInput {
    #[graphql(default)]
    pub field: ProjectOrderBy,
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl ProjectOrderInput {
    fn into_store(self) -> ProjectOrder {
        let field = match self.field {
            ProjectOrderBy::Created => ProjectOrderField::Id,
            ProjectOrderBy::Name => ProjectOrderField::Name,
            ProjectOrderBy::TotalFunds => ProjectOrderField::TotalFunds,
            ProjectOrderBy::PlannedStart => ProjectOrderField::PlannedStart,
            ProjectOrderBy::UpdatedAt => ProjectOrderField::UpdatedAt,
            ProjectOrderBy::SubmittedAt => ProjectOrderField::SubmittedAt,
        };
        ProjectOrder { field, descending: self.direction == OrderDirection::Desc }
    }
}

fn order_code(order: &ProjectOrder) -> String {
    format!("{}{}", order.field.cursor_tag(), if order.descending { "-" } else { "+" })
}

fn key_json(key: SortKey) -> Value {
    match key {
        SortKey::Int(v) => json!(v),
        SortKey::Amount(v) => json!(v),
        SortKey::Text(v) => json!(v),
        SortKey::Date(v) => json!(v.map(|d| d.to_string())),
        SortKey::Time(v) => {
            json!(v.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)))
        }
    }
}

fn key_from_json(field: ProjectOrderField, v: &Value) -> Option<SortKey> {
    Some(match field {
        ProjectOrderField::Id => SortKey::Int(v.as_i64()?),
        ProjectOrderField::TotalFunds => SortKey::Amount(if v.is_null() { None } else { Some(v.as_i64()?) }),
        ProjectOrderField::Name => SortKey::Text(v.as_str()?.to_string()),
        ProjectOrderField::PlannedStart => SortKey::Date(match v {
            Value::Null => None,
            v => Some(v.as_str()?.parse().ok()?),
        }),
        ProjectOrderField::UpdatedAt | ProjectOrderField::SubmittedAt => SortKey::Time(match v {
            Value::Null => None,
            v => Some(chrono::DateTime::parse_from_rfc3339(v.as_str()?).ok()?.with_timezone(&chrono::Utc)),
        }),
    })
}

/// Narrows a list of projects. Every condition given must hold.
#[derive(InputObject, Default)]
pub struct ProjectFilterInput {
    pub fiscal_year: Option<i32>,
    pub department_id: Option<ID>,
    pub implementing_unit_id: Option<ID>,
    /// Any of these statuses (at least one; leave it out for every status).
    pub status: Option<Vec<ProjectStatus>>,
    pub category: Option<ProjectCategory>,
    /// Part of the name, e.g. `信访`.
    pub name_contains: Option<String>,
    /// 项目资金总额 at least this many yuan, e.g. "100000.00".
    pub total_funds_min: Option<String>,
    /// 项目资金总额 at most this many yuan.
    pub total_funds_max: Option<String>,
    /// Changed at or after this moment.
    pub updated_since: Option<DateTime>,
    /// Only projects with (true) or without (false) a WARNING finding.
    pub has_warnings: Option<bool>,
    /// Declared under this 指标体系 (said so, or implied by the indicators).
    pub indicator_framework: Option<IndicatorFramework>,
    /// Only the departments you are assigned to as an approver (对口科室, `assignApprover`); when
    /// you have none, every department's projects (what you may see either way).
    pub assigned_to_me: Option<bool>,
    /// Only projects whose declaration or review is past its deadline (true: filling, the
    /// department's review or the bureau's, as `todo` counts them), or those that are not (false).
    pub overdue: Option<bool>,
}

impl ProjectFilterInput {
    pub fn into_store(self) -> ApiResult<ProjectFilter> {
        // An empty list would read as "any of no statuses" to one client and "every status" to
        // another: it is refused rather than guessed.
        if self.status.as_ref().is_some_and(Vec::is_empty) {
            return Err(ApiError::bad_input(
                "filter.status 是空列表：请至少给出一个状态，或不填以查看所有状态",
                "filter.status is an empty list: name at least one status, or leave status out for every status",
            ));
        }
        Ok(ProjectFilter {
            fiscal_year: self.fiscal_year,
            department_id: self.department_id.as_ref().map(|id| decode(id, Kind::Department)).transpose()?,
            implementing_unit_id: self
                .implementing_unit_id
                .as_ref()
                .map(|id| decode(id, Kind::BudgetUnit))
                .transpose()?,
            statuses: self.status.unwrap_or_default().into_iter().map(Into::into).collect(),
            category: self.category.map(Into::into),
            name_contains: self.name_contains,
            total_funds_min: self.total_funds_min.as_deref().map(|t| amount("totalFundsMin", t)).transpose()?,
            total_funds_max: self.total_funds_max.as_deref().map(|t| amount("totalFundsMax", t)).transpose()?,
            updated_since: self.updated_since.map(|d| d.0),
            has_warnings: self.has_warnings,
            indicator_framework: self.indicator_framework.map(Into::into),
            assigned_to_me: self.assigned_to_me.unwrap_or(false),
            overdue: self.overdue,
        })
    }
}

fn amount(field: &str, text: &str) -> ApiResult<Money> {
    Money::parse_yuan(text).map_err(|e| {
        ApiError::BadUserInput(e.message().prefixed(&format!("filter.{field}："), &format!("filter.{field}: ")))
    })
}

#[derive(SimpleObject)]
pub struct ProjectEdge {
    pub cursor: String,
    pub node: Project,
}

pub struct ProjectConnection {
    filter: ProjectFilter,
    edges: Vec<ProjectEdge>,
    page_info: PageInfo,
}

#[Object]
impl ProjectConnection {
    async fn edges(&self) -> &[ProjectEdge] {
        &self.edges
    }
    async fn nodes(&self) -> Vec<&Project> {
        self.edges.iter().map(|e| &e.node).collect()
    }
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }
    /// How many projects match the filter (that you may see), over all pages. Counted only when asked for.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(access(ctx)?.projects().count(&self.filter).await.map_err(ApiError::from)? as i64)
    }
}

/// The parts of its projects a query asks for (`asks` answers for a path below a project).
pub fn parts_asked(asks: impl Fn(&[&str]) -> bool) -> Parts {
    // Findings are worked out from the declaration, fund items and indicators included.
    let reviewed = asks(&["findings"]) || asks(&["findingCounts"]);
    Parts {
        // A project's unit belongs to the project's department, so one look-up serves both paths.
        department: asks(&["department"]) || asks(&["implementingUnit", "department"]),
        unit: asks(&["implementingUnit"]),
        fund_items: reviewed || asks(&["fundItems"]),
        indicators: reviewed || asks(&["indicators"]),
        reviews: asks(&["reviews"]),
        review_actors: asks(&["reviews", "actor"]),
    }
}

/// Puts the parts read with these projects into the request's loader cache, and loads (one
/// statement per relation) those `wanted` that were not read with them; the resolvers then find
/// them all there. Without this the loader's batching depends on timing, and a large page can
/// split into several batches. Returns the projects.
pub async fn prefetch(wanted: Parts, access: &Access, rows: Vec<ProjectWithParts>) -> ApiResult<Vec<ProjectRecord>> {
    let loader = &*access.loader();
    let ids: Vec<i64> = rows.iter().map(|r| r.record.id).collect();
    let mut departments = HashMap::new();
    let mut units = HashMap::new();
    let mut fund_items = HashMap::new();
    let mut indicators = HashMap::new();
    let mut reviews = HashMap::new();
    let mut actors = HashMap::new();
    let mut actors_read = false;
    let mut records = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row.record.id;
        if let Some(d) = row.department {
            departments.insert(DepartmentKey(d.id), d);
        }
        if let Some(u) = row.unit {
            units.insert(UnitKey(u.id), u);
        }
        if let Some(items) = row.fund_items {
            fund_items.insert(FundItemsOf(id), items);
        }
        if let Some(list) = row.indicators {
            indicators.insert(IndicatorsOf(id), list);
        }
        if let Some(list) = row.reviews {
            reviews.insert(ReviewsOf(id), list);
        }
        if let Some(users) = row.review_actors {
            actors_read = true;
            actors.extend(users.into_iter().map(|u| (UserKey(u.id), u)));
        }
        records.push(row.record);
    }
    let unit_keys: Vec<UnitKey> = records.iter().map(|r| UnitKey(r.implementing_unit_id)).collect();
    let department_keys: Vec<DepartmentKey> = records.iter().map(|r| DepartmentKey(r.department_id)).collect();
    let units = feed_or_warm(loader, units, wanted.unit, unit_keys);
    let departments = feed_or_warm(loader, departments, wanted.department, department_keys);
    let items = feed_or_warm(loader, fund_items, wanted.fund_items, ids.iter().map(|&id| FundItemsOf(id)));
    let indicators = feed_or_warm(loader, indicators, wanted.indicators, ids.iter().map(|&id| IndicatorsOf(id)));
    let reviews = async {
        if !reviews.is_empty() {
            if actors_read {
                loader.feed_many(actors).await;
            } else if wanted.review_actors {
                warm(loader, reviews.values().flatten().map(|r| UserKey(r.actor_id))).await?;
            }
            loader.feed_many(reviews).await;
        } else if wanted.reviews {
            let reviews = warm(loader, ids.iter().map(|&id| ReviewsOf(id))).await?;
            if wanted.review_actors {
                warm(loader, reviews.values().flatten().map(|r| UserKey(r.actor_id))).await?;
            }
        }
        Ok(())
    };
    tokio::try_join!(units, departments, items, indicators, reviews)?;
    Ok(records)
}

/// Puts `read` (a part read with the projects: for all of them, or for none) into the request's
/// cache; when nothing was read and the part is `wanted`, loads `keys` by their own statement.
async fn feed_or_warm<K>(
    loader: &DataLoader<Batch, HashMapCache>,
    read: HashMap<K, <Batch as Loader<K>>::Value>,
    wanted: bool,
    keys: impl IntoIterator<Item = K>,
) -> ApiResult<()>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    Batch: Loader<K, Error = ApiError>,
{
    if !read.is_empty() {
        loader.feed_many(read).await;
    } else if wanted {
        warm(loader, keys).await?;
    }
    Ok(())
}

/// Arguments of every project list (`Query.projects`, `Department.projects`, `BudgetUnit.projects`).
pub struct ProjectListArgs {
    pub filter: ProjectFilter,
    pub order_by: Option<ProjectOrderInput>,
    pub page: PageRequest,
}

pub async fn project_connection(ctx: &Context<'_>, args: ProjectListArgs) -> ApiResult<ProjectConnection> {
    let order = args.order_by.unwrap_or_default().into_store();
    let code = order_code(&order);
    let page = args.page;
    let from = match page.cursor.as_deref() {
        Some(c) => {
            let (key, id) = decode_cursor(c, &code)?;
            let key = key_from_json(order.field, &key).ok_or_else(|| {
                ApiError::bad_input(format!("“{c}”不是本列表的游标"), format!("\"{c}\" is not a cursor of this list"))
            })?;
            Some(Keyset { key, id })
        }
        None => None,
    };
    let access = access(ctx)?;
    let look = ctx.look_ahead();
    let asks = |path: &[&str]| {
        let via = |start: async_graphql::Lookahead<'_>| path.iter().fold(start, |l, f| l.field(f)).exists();
        via(look.field("nodes")) || via(look.field("edges").field("node"))
    };
    let wanted = parts_asked(asks);
    let mut rows = access
        .projects()
        .list_with(
            &PageOf { filter: &args.filter, order, from: from.as_ref(), backward: page.backward, limit: page.size + 1 },
            wanted,
        )
        .await?;
    // The extra row only tells whether there is a next page: its parts, read with it, are dropped.
    let extra =
        rows.len().checked_sub(page.size as usize).and_then(|n| (n > 0).then(|| rows.split_off(page.size as usize)));
    let mut rows = prefetch(wanted, access, rows).await?;
    rows.extend(extra.into_iter().flatten().map(|r| r.record));
    let (edges, page_info) = page.finish(rows, |r| encode_cursor(&code, key_json(order.key_of(r)), r.id));
    let edges = edges.into_iter().map(|(cursor, r)| ProjectEdge { cursor, node: Project(r) }).collect();
    Ok(ProjectConnection { filter: args.filter, page_info, edges })
}
