//! What a list of projects is narrowed to: the caller's filter on top of their visibility.

use chrono::Utc;
use jixiao_domain::{Money, Status};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition};

use super::*;
use crate::entity::{indicator, project};

/// One page of a list: at most `limit` projects that `filter` keeps, in `order`, starting after
/// the row `from` (keyset, no OFFSET); `backward` reads towards the start instead (for
/// `last`/`before`), nearest first.
#[derive(Clone, Copy, Debug)]
pub struct PageOf<'a> {
    pub filter: &'a ProjectFilter,
    pub order: crate::ProjectOrder,
    pub from: Option<&'a crate::Keyset>,
    pub backward: bool,
    pub limit: u64,
}

/// What a list of projects is narrowed to, beyond the actor's visibility.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectFilter {
    pub fiscal_year: Option<i32>,
    pub department_id: Option<i64>,
    pub implementing_unit_id: Option<i64>,
    /// Any of these; empty means every status.
    pub statuses: Vec<Status>,
    pub category: Option<jixiao_domain::Category>,
    /// A substring of the name (Chinese included); `%` and `_` are plain characters.
    pub name_contains: Option<String>,
    /// 项目资金总额 at least / at most.
    pub total_funds_min: Option<Money>,
    pub total_funds_max: Option<Money>,
    pub updated_since: Option<chrono::DateTime<Utc>>,
    /// Only projects with (true) or without (false) a WARNING finding.
    pub has_warnings: Option<bool>,
    /// Declared under this framework: said so, or (saying nothing) implied by the indicators.
    pub indicator_framework: Option<jixiao_domain::Framework>,
    /// Only the departments the actor is assigned to (`organization/assignments.rs`), when they have any.
    pub assigned_to_me: bool,
    /// Only projects whose declaration or review is late (true), or those that are not (false):
    /// the to-do list's rule (`todo/waiting.rs`).
    pub overdue: Option<bool>,
}

impl Projects<'_> {
    pub(crate) fn filtered(&self, f: &ProjectFilter) -> Condition {
        let mut c = self.visible();
        if let Some(y) = f.fiscal_year {
            c = c.add(project::Column::FiscalYear.eq(y));
        }
        if let Some(d) = f.department_id {
            c = c.add(project::Column::DepartmentId.eq(d));
        }
        if let Some(u) = f.implementing_unit_id {
            c = c.add(project::Column::ImplementingUnitId.eq(u));
        }
        if !f.statuses.is_empty() {
            c = c.add(project::Column::Status.is_in(f.statuses.iter().map(|s| s.code())));
        }
        if let Some(cat) = f.category {
            c = c.add(project::Column::Category.eq(cat.code()));
        }
        if let Some(text) = f.name_contains.as_deref().filter(|t| !t.is_empty()) {
            let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            c = c.add(Expr::col(project::Column::Name).like(LikeExpr::new(format!("%{escaped}%")).escape('\\')));
        }
        if let Some(min) = f.total_funds_min {
            c = c.add(project::Column::TotalFen.gte(min.fen()));
        }
        if let Some(max) = f.total_funds_max {
            c = c.add(project::Column::TotalFen.lte(max.fen()));
        }
        if let Some(since) = f.updated_since {
            c = c.add(project::Column::UpdatedAt.gte(since));
        }
        if let Some(wanted) = f.has_warnings {
            let has = crate::findings::has_finding(jixiao_domain::Severity::Warning);
            c = c.add(if wanted { has } else { has.not() });
        }
        if let Some(framework) = f.indicator_framework {
            c = c.add(framework_is(framework));
        }
        if f.assigned_to_me {
            // Whose assignments: the answer is this approver's own, not their class's.
            self.not_for_class.store(true, std::sync::atomic::Ordering::Relaxed);
            c = c.add(crate::organization::assignments::assigned_to(self.actor.user_id));
        }
        if let Some(wanted) = f.overdue {
            let overdue = crate::todo::project_is_overdue(self.clock.today());
            c = c.add(if wanted { overdue } else { overdue.not() });
        }
        c
    }

    /// The ids among `project_ids` of projects this actor may see: what the child rows below
    /// are narrowed to, so that a caller cannot read the parts of a project it could not read.
    pub(crate) fn visible_among(&self, project_ids: &[i64]) -> SelectStatement {
        self.visible_projects().and_where(project::Column::Id.is_in(project_ids.iter().copied())).to_owned()
    }

    /// The ids of every project this actor may see, as a subquery.
    pub(crate) fn visible_projects(&self) -> SelectStatement {
        Query::select().column(project::Column::Id).from(project::Entity).cond_where(self.visible()).to_owned()
    }

    /// The ids of the visible projects `filter` keeps, as a subquery.
    pub(crate) fn ids_matching(&self, filter: &ProjectFilter) -> SelectStatement {
        Query::select().column(project::Column::Id).from(project::Entity).cond_where(self.filtered(filter)).to_owned()
    }
}

/// The condition "declared under `framework`", by the rule of `Framework::inferred`: the
/// framework the project says, or, when it says none, the 2021 guideline exactly when one of its
/// indicators has COST as its level 1.
pub(super) fn framework_is(framework: jixiao_domain::Framework) -> Condition {
    let cost_level1 = Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(indicator::Entity)
            .and_where(
                Expr::col((indicator::Entity, indicator::Column::ProjectId))
                    .equals((project::Entity, project::Column::Id)),
            )
            .and_where(Expr::col((indicator::Entity, indicator::Column::Level1)).eq(jixiao_domain::Level1::Cost.code()))
            .to_owned(),
    );
    let implied = match framework {
        jixiao_domain::Framework::Central2021 => cost_level1,
        jixiao_domain::Framework::Shanghai2023 => cost_level1.not(),
    };
    Condition::any()
        .add(project::Column::IndicatorFramework.eq(framework.code()))
        .add(Condition::all().add(project::Column::IndicatorFramework.is_null()).add(implied))
}
