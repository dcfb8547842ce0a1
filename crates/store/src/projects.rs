//! Projects, through one access-controlled handle.
//!
//! Every query of [`Projects`] is narrowed to what the actor may see (`visible`); every write
//! first asks the domain's [`Actor::decide`]. Writes of a whole declaration (the project row,
//! its fund items and indicators) happen in one transaction, and every change of an existing
//! project is a compare-and-set on (id, status, version): of two racing writers exactly one wins.

use std::collections::HashMap;

use chrono::Utc;
use jixiao_domain::review_grade;
use jixiao_domain::{
    Actor, Declaration, DeclarationInput, FundItem, Indicator, Message, Money, ProblemCode, ProjectOp,
    ProjectVisibility, ReviewAction, Role, Status,
};
use jixiao_domain::{CriteriaScores, Grading};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query, SelectStatement};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

use crate::children::{newest_rows_by_project, rows_by_project};
use crate::entity::{budget_unit, fund_item, indicator, project, project_snapshot, review, submission_snapshot, user};
use crate::error::{StoreError, StoreResult, UniqueKey};
pub(crate) use crate::error::{allow, version_conflict};
use crate::indicator_names_cache::IndicatorNamesCache;
use crate::ordering::{Keyset, ProjectOrder};
use crate::record::{ProjectRecord, REVIEWS_SHOWN, ReviewRecord, Row, fund_item_from, indicator_from};

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
    /// Only the departments the actor is assigned to (`assignments.rs`), when they have any.
    pub assigned_to_me: bool,
}

/// One project as the copied-indicator rule reads it among its department's others.
#[derive(Clone, Debug)]
pub struct ProjectIndicatorNames {
    pub id: i64,
    pub name: String,
    pub indicator_names: Vec<String>,
}

pub struct Projects<'a> {
    db: &'a DatabaseConnection,
    /// What forms are compared with, kept between checks (`department_year.rs`).
    names: &'a IndicatorNamesCache,
    actor: Actor,
    max_creates_per_hour: u32,
    pub(crate) parts_together: bool,
}

impl<'a> Projects<'a> {
    pub(crate) fn new(
        db: &'a DatabaseConnection,
        names: &'a IndicatorNamesCache,
        actor: Actor,
        max_creates_per_hour: u32,
        parts_together: bool,
    ) -> Self {
        Projects { db, names, actor, max_creates_per_hour, parts_together }
    }

    pub(crate) fn names(&self) -> &IndicatorNamesCache {
        self.names
    }

    /// Commits a write of projects or their indicators, and forgets at once what forms are
    /// compared with: a form checked here after this write's answer sees the write.
    pub(crate) async fn commit(&self, txn: sea_orm::DatabaseTransaction) -> StoreResult<()> {
        txn.commit().await?;
        self.names.forget();
        Ok(())
    }

    /// The projects this actor may see: not deleted, and within the actor's visibility.
    pub(crate) fn visible(&self) -> Condition {
        let live = Condition::all().add(project::Column::DeletedAt.is_null());
        match self.actor.project_visibility() {
            ProjectVisibility::Everything => live,
            ProjectVisibility::Department(d) => live.add(project::Column::DepartmentId.eq(d)),
            ProjectVisibility::AllButDrafts => live.add(project::Column::Status.ne(Status::Draft.code())),
            ProjectVisibility::DepartmentButDrafts(d) => {
                live.add(project::Column::DepartmentId.eq(d)).add(project::Column::Status.ne(Status::Draft.code()))
            }
        }
    }

    pub(crate) fn db(&self) -> &DatabaseConnection {
        self.db
    }

    pub(crate) fn actor(&self) -> Actor {
        self.actor
    }

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
            c = c.add(crate::assignments::assigned_to(self.actor.user_id));
        }
        c
    }

    pub(crate) async fn find_visible<C: ConnectionTrait>(&self, conn: &C, id: i64) -> StoreResult<ProjectRecord> {
        let row = project::Entity::find_by_id(id).filter(self.visible()).one(conn).await?;
        Ok(row.ok_or(StoreError::NotFound)?.try_into()?)
    }

    pub async fn get(&self, id: i64) -> StoreResult<ProjectRecord> {
        self.find_visible(self.db, id).await
    }

    /// The visible ones among `ids` (for `node(id)` and loaders); the others are simply absent.
    pub async fn get_many(&self, ids: &[i64]) -> StoreResult<HashMap<i64, ProjectRecord>> {
        let rows = project::Entity::find()
            .filter(self.visible())
            .filter(project::Column::Id.is_in(ids.iter().copied()))
            .all(self.db)
            .await?;
        rows.into_iter().map(|m| Ok((m.id, ProjectRecord::try_from(m)?))).collect()
    }

    /// A page of at most `limit` rows in `order`, starting after the row `from` (keyset, no
    /// OFFSET). `backward` reads towards the start instead (for `last`/`before`), nearest first.
    pub async fn list(
        &self,
        filter: &ProjectFilter,
        order: ProjectOrder,
        from: Option<&Keyset>,
        backward: bool,
        limit: u64,
    ) -> StoreResult<Vec<ProjectRecord>> {
        let rows = self.page_select(filter, order, from, backward, limit).all(self.db).await?;
        Ok(rows.into_iter().map(ProjectRecord::try_from).collect::<Result<_, _>>()?)
    }

    /// The statement behind [`Projects::list`] (also read with its parts, `with_parts.rs`).
    pub(crate) fn page_select(
        &self,
        filter: &ProjectFilter,
        order: ProjectOrder,
        from: Option<&Keyset>,
        backward: bool,
        limit: u64,
    ) -> sea_orm::Select<project::Entity> {
        let scan = order.scan(backward);
        let mut q = project::Entity::find().filter(self.filtered(filter));
        if let Some(from) = from {
            q = q.filter(scan.after(from));
        }
        for (expr, dir) in scan.terms() {
            q = q.order_by(expr, dir);
        }
        q.limit(limit)
    }

    pub async fn count(&self, filter: &ProjectFilter) -> StoreResult<u64> {
        Ok(project::Entity::find().filter(self.filtered(filter)).count(self.db).await?)
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

    /// The fund items of each visible project among `project_ids`, in the form's order.
    pub async fn fund_items_of(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<Row<FundItem>>>> {
        let projects = fund_item::Column::ProjectId.in_subquery(self.visible_among(project_ids));
        rows_by_project::<fund_item::Entity, _, _>(
            self.db,
            projects,
            fund_item::Column::Position,
            |r| r.project_id,
            |r| Ok(fund_item_from(r)),
        )
        .await
    }

    /// The indicators of each visible project among `project_ids`, in the form's order.
    pub async fn indicators_of(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<Row<Indicator>>>> {
        let projects = indicator::Column::ProjectId.in_subquery(self.visible_among(project_ids));
        rows_by_project::<indicator::Entity, _, _>(
            self.db,
            projects,
            indicator::Column::Position,
            |r| r.project_id,
            indicator_from,
        )
        .await
    }

    /// For each (department, fiscal year): the visible live projects of that year, each with its
    /// id, name and indicator names in the form's order. What the copied-indicator rule reads of
    /// a project's siblings; a project the caller may not see is not among them.
    pub async fn indicator_names_by_department_year(
        &self,
        keys: &[(i64, i32)],
    ) -> StoreResult<HashMap<(i64, i32), Vec<ProjectIndicatorNames>>> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let mut years = Condition::any();
        for (department, year) in keys {
            years = years.add(
                Condition::all()
                    .add(project::Column::DepartmentId.eq(*department))
                    .add(project::Column::FiscalYear.eq(*year)),
            );
        }
        let projects: Vec<(i64, i64, i32, String)> = project::Entity::find()
            .select_only()
            .columns([
                project::Column::Id,
                project::Column::DepartmentId,
                project::Column::FiscalYear,
                project::Column::Name,
            ])
            .filter(self.visible())
            .filter(years)
            .order_by_asc(project::Column::Id)
            .into_tuple()
            .all(self.db)
            .await?;
        self.with_indicator_names(projects).await
    }

    /// `projects` (id, department, year, name) with their indicator names, by (department, year).
    async fn with_indicator_names(
        &self,
        projects: Vec<(i64, i64, i32, String)>,
    ) -> StoreResult<HashMap<(i64, i32), Vec<ProjectIndicatorNames>>> {
        let mut out: HashMap<(i64, i32), Vec<ProjectIndicatorNames>> = HashMap::new();
        let ids: Vec<i64> = projects.iter().map(|p| p.0).collect();
        let mut names: HashMap<i64, Vec<String>> = HashMap::new();
        for chunk in ids.chunks(5_000) {
            let rows: Vec<(i64, String)> = indicator::Entity::find()
                .select_only()
                .columns([indicator::Column::ProjectId, indicator::Column::Name])
                .filter(indicator::Column::ProjectId.is_in(chunk.iter().copied()))
                .order_by_asc(indicator::Column::ProjectId)
                .order_by_asc(indicator::Column::Position)
                .into_tuple()
                .all(self.db)
                .await?;
            for (project_id, name) in rows {
                names.entry(project_id).or_default().push(name);
            }
        }
        for (id, department, year, name) in projects {
            let indicator_names = names.remove(&id).unwrap_or_default();
            out.entry((department, year)).or_default().push(ProjectIndicatorNames { id, name, indicator_names });
        }
        Ok(out)
    }

    /// The approved snapshots of each visible project among `project_ids`, oldest first; the
    /// last is the one in force.
    pub async fn snapshots_of(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<crate::SnapshotRecord>>> {
        let projects = project_snapshot::Column::ProjectId.in_subquery(self.visible_among(project_ids));
        crate::snapshots::snapshots_of(self.db, projects).await
    }

    /// The declaration as submitted the time before the project's current state: the
    /// submission that was sent back (or withdrawn), to compare the one under review (or being
    /// edited) with. `None` before a project's second submission.
    pub async fn previous_submission(&self, p: &ProjectRecord) -> StoreResult<Option<crate::SnapshotRecord>> {
        let visible = submission_snapshot::Column::ProjectId.in_subquery(self.visible_among(&[p.id]));
        let mut submissions = crate::snapshots::submissions(self.db, visible).await?;
        if p.status.is_under_review() {
            // The latest is the submission under review itself.
            submissions.pop();
        }
        Ok(submissions.pop())
    }

    /// The workflow steps of each visible project among `project_ids`, oldest first: the last
    /// [`REVIEWS_SHOWN`] of a longer history.
    pub async fn reviews_of(&self, project_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<ReviewRecord>>> {
        let projects = review::Column::ProjectId.in_subquery(self.visible_among(project_ids));
        newest_rows_by_project::<review::Entity, _, _>(
            self.db,
            projects,
            review::Column::Id,
            review::Column::ProjectId,
            REVIEWS_SHOWN,
            |r| r.project_id,
            ReviewRecord::try_from,
        )
        .await
    }

    /// Declares a new project, as DRAFT, for the department of `unit_id`. Who may declare is
    /// decided before the input is checked, so a caller without the right learns nothing more.
    pub async fn create(&self, unit_id: i64, input: &DeclarationInput) -> StoreResult<ProjectRecord> {
        let txn = self.db.begin().await?;
        let unit = budget_unit::Entity::find_by_id(unit_id).one(&txn).await?;
        allow(self.actor.may_create_project_in(unit.as_ref().map(|u| u.department_id)))?;
        let unit = unit.ok_or_else(unknown_unit)?;
        let declaration = input.check().map_err(StoreError::Rejected)?;
        self.check_creation_rate(&txn, 1).await?;
        let record =
            insert_declaration(&txn, unit.department_id, unit.id, &declaration, Some(self.actor.user_id)).await?;
        self.commit(txn).await?;
        Ok(record)
    }

    /// What `create` would refuse of `input` for the unit `unit_id` (an unknown unit included)
    /// and the findings of the form as far as it parses; nothing is written.
    pub async fn check_unsaved(
        &self,
        unit_id: i64,
        input: &DeclarationInput,
    ) -> StoreResult<(Vec<jixiao_domain::Problem>, Vec<jixiao_domain::Finding>)> {
        let (mut problems, mut findings, read) = jixiao_domain::findings::check_unsaved(input);
        // Copies among the department's other projects of the year that the caller may see; the
        // project of the same name is this one being edited (names are unique in a year).
        let Some((department, year)) = self.department_year(unit_id, input.fiscal_year).await? else {
            problems.insert(0, unknown_unit_problem());
            return Ok((problems, findings));
        };
        let name = input.text.name.trim();
        let siblings: Vec<jixiao_domain::findings::Sibling<'_>> = year
            .iter()
            .filter(|p| p.name != name && self.actor.can_see(department, p.status))
            .map(|p| jixiao_domain::findings::Sibling {
                name: &p.name,
                indicator_names: p.indicator_names.iter().map(String::as_str).collect(),
            })
            .collect();
        findings.extend(jixiao_domain::findings::copied_indicators(&read, &siblings));
        Ok((problems, findings))
    }

    /// One user creating projects by the thousand is a script, not a person filling forms:
    /// their creations in the last hour (deleted ones too) are counted and more are refused.
    /// `adding` projects are about to be created (an import adds many at once); with the ones
    /// already created in the hour they may not pass the limit.
    pub(crate) async fn check_creation_rate<C: ConnectionTrait>(&self, conn: &C, adding: u64) -> StoreResult<()> {
        if self.max_creates_per_hour == u32::MAX || adding == 0 {
            return Ok(());
        }
        // The user's row stays locked while the hour is counted and the projects inserted.
        crate::row_lock::lock_row::<user::Entity, _>(conn, self.actor.user_id).await?;
        let max = u64::from(self.max_creates_per_hour);
        // Only whether the limit is reached matters, so at most `max` creations are read (an
        // index-only range of `projects_created_by_created_at`): the check costs a user at the
        // limit no more than one at their first project, however many the hour has seen.
        let since = Utc::now() - chrono::Duration::hours(1);
        let recent = project::Entity::find()
            .select_only()
            .column(project::Column::CreatedAt)
            .filter(project::Column::CreatedBy.eq(self.actor.user_id))
            .filter(project::Column::CreatedAt.gte(since))
            .limit(max)
            .count(conn)
            .await?;
        if recent >= max {
            return Err(StoreError::RateLimited(Message::new(
                format!("您在一小时内创建的项目已达上限 {max} 个：请稍后再试，批量导入请使用申报文件（jixiao import）"),
                format!(
                    "you have reached the limit of {max} projects created in an hour: try again later, \
                     or import a declaration file (jixiao import) for bulk loads"
                ),
            )));
        }
        if recent + adding > max {
            return Err(StoreError::RateLimited(Message::new(
                format!(
                    "您在一小时内已创建 {recent} 个项目，再导入 {adding} 个将超过上限 {max}：请稍后再试，或请管理员用 jixiao import 导入"
                ),
                format!(
                    "you have created {recent} projects in the last hour; {adding} more would pass the limit of {max}: \
                     try again later, or ask an operator to load it with jixiao import"
                ),
            )));
        }
        Ok(())
    }

    /// Edits the declaration of a DRAFT or REJECTED project whose version is still
    /// `expected_version`: `edit` changes the declaration as entered, the result is checked
    /// whole and replaces the old one. `unit_id` moves it to another unit of the same department.
    pub async fn update(
        &self,
        id: i64,
        expected_version: i32,
        unit_id: Option<i64>,
        edit: impl FnOnce(&mut DeclarationInput),
    ) -> StoreResult<ProjectRecord> {
        let txn = self.db.begin().await?;
        let current = self.find_visible(&txn, id).await?;
        allow(self.actor.decide(ProjectOp::Edit, current.department_id, current.status))?;
        ensure_editable(&current)?;
        ensure_version(&current, expected_version)?;
        let stored = load_declaration(&txn, &current).await?;
        let before = stored.to_input();
        let mut input = before.clone();
        edit(&mut input);
        let declaration = input.check().map_err(StoreError::Rejected)?;
        let declaration = &declaration;
        let unit_id = match unit_id {
            Some(u) if u != current.implementing_unit_id => {
                let unit = budget_unit::Entity::find_by_id(u).one(&txn).await?.ok_or_else(unknown_unit)?;
                if unit.department_id != current.department_id {
                    return Err(StoreError::problem(
                        "implementingUnitId",
                        ProblemCode::InvalidInput,
                        Message::new(
                            "该实施单位属于另一个部门：项目不能转到其他部门",
                            "the implementing unit belongs to another department; a project stays in its department",
                        ),
                    ));
                }
                unit.id
            }
            _ => current.implementing_unit_id,
        };
        // Only the columns that change are written: an edit of a goal leaves the counted
        // columns alone (so the totals trigger, `UPDATE OF` them, does not fire) and, with no
        // indexed column written, PostgreSQL can update the row in place (HOT).
        let mut row = changed_columns(declaration_row(declaration), &declaration_row(&stored));
        if unit_id != current.implementing_unit_id {
            row.implementing_unit_id = Set(unit_id);
        }
        let now = stored_now();
        row.version = Set(current.version + 1);
        row.updated_at = Set(now);
        let result = project::Entity::update_many()
            .set(row)
            .filter(cas(id, current.status, expected_version))
            .exec(&txn)
            .await
            .map_err(StoreError::unique_as(UniqueKey::ProjectName, duplicate_name(declaration)))?;
        if result.rows_affected != 1 {
            return Err(version_conflict());
        }
        // A list sent whole replaces the old rows (new ids); a list left as it was keeps its rows
        // and their ids, so that row edits by others stay addressable.
        if input.fund_items != before.fund_items {
            fund_item::Entity::delete_many().filter(fund_item::Column::ProjectId.eq(id)).exec(&txn).await?;
            insert_fund_items(&txn, id, declaration, &[]).await?;
        }
        if input.indicators != before.indicators {
            indicator::Entity::delete_many().filter(indicator::Column::ProjectId.eq(id)).exec(&txn).await?;
            insert_indicators(&txn, id, declaration, &[]).await?;
        }
        crate::findings::store_findings(&txn, id, declaration).await?;
        self.commit(txn).await?;
        // The row as just written (what reading it again would give).
        Ok(ProjectRecord {
            implementing_unit_id: unit_id,
            fiscal_year: declaration.fiscal_year,
            version: current.version + 1,
            text: declaration.text.clone(),
            funds: declaration.funds.clone(),
            updated_at: now,
            ..current
        })
    }

    /// Deletes a DRAFT or REJECTED project. It disappears from every query; its review
    /// history, if any, is kept.
    pub async fn delete(&self, id: i64) -> StoreResult<()> {
        let txn = self.db.begin().await?;
        let current = self.find_visible(&txn, id).await?;
        allow(self.actor.decide(ProjectOp::Delete, current.department_id, current.status))?;
        ensure_deletable(&current)?;
        let result = project::Entity::update_many()
            .col_expr(project::Column::DeletedAt, Expr::value(Utc::now()))
            .col_expr(project::Column::Version, Expr::value(current.version + 1))
            .filter(cas(id, current.status, current.version))
            .exec(&txn)
            .await?;
        if result.rows_affected != 1 {
            return Err(version_conflict());
        }
        self.commit(txn).await?;
        Ok(())
    }

    /// Moves a project along the workflow (submit, withdraw, approve, reject, start or cancel an
    /// adjustment) and records the step. Submitting checks the whole declaration first and
    /// reports every problem at once.
    pub async fn transition(&self, id: i64, action: ReviewAction, comment: &str) -> StoreResult<ProjectRecord> {
        self.transition_from(id, None, action, comment).await
    }

    /// Approves or sends back a project with a grade (and the criteria's scores): the grade
    /// must agree with the decision and the scores' band (`review_grade`), and a project sent
    /// back graded 差 ends NOT_APPROVED.
    pub async fn decide(
        &self,
        id: i64,
        action: ReviewAction,
        comment: &str,
        grading: Option<Grading>,
    ) -> StoreResult<ProjectRecord> {
        self.step(id, None, action, comment, grading).await
    }

    /// [`Projects::transition`], refused with VERSION_CONFLICT when the project is no longer at
    /// `expected_version` (when given). Approving keeps a snapshot of the declaration approved
    /// (the targets in force) and enrolls the project in its year's monitoring rounds;
    /// cancelling an adjustment puts the snapshot in force back.
    pub async fn transition_from(
        &self,
        id: i64,
        expected_version: Option<i32>,
        action: ReviewAction,
        comment: &str,
    ) -> StoreResult<ProjectRecord> {
        self.step(id, expected_version, action, comment, None).await
    }

    async fn step(
        &self,
        id: i64,
        expected_version: Option<i32>,
        action: ReviewAction,
        comment: &str,
        grading: Option<Grading>,
    ) -> StoreResult<ProjectRecord> {
        let txn = self.db.begin().await?;
        let current = self.find_visible(&txn, id).await?;
        allow(self.actor.decide(action.into(), current.department_id, current.status))?;
        if let Some(expected) = expected_version {
            ensure_version(&current, expected)?;
        }
        let rejected = |p| StoreError::Rejected(vec![p]);
        jixiao_domain::workflow::check_comment(action, comment).map_err(rejected)?;
        if let Some(grading) = &grading {
            review_grade::check_grading(action, current.status, grading).map_err(StoreError::Rejected)?;
        }
        let department_reviews = action == ReviewAction::Submit && self.department_reviews(&txn, &current).await?;
        let to =
            jixiao_domain::workflow::destination(current.status, action, department_reviews, grading.map(|g| g.grade))
                .map_err(rejected)?;
        // Submitting checks the declaration and keeps it as submitted: read once for both.
        let submitted = if action == ReviewAction::Submit {
            Some(crate::snapshots::load_identified(&txn, &current).await?)
        } else {
            None
        };
        if let Some(submitted) = &submitted {
            let mut problems = match submitted.declaration.check_submission() {
                Ok(()) => vec![],
                Err(problems) => problems,
            };
            problems.extend(crate::remark_rows::unanswered(&txn, id).await?);
            if !problems.is_empty() {
                return Err(StoreError::Rejected(problems));
            }
        }
        let now = stored_now();
        let mut update = project::Entity::update_many()
            .col_expr(project::Column::Status, Expr::value(to.code()))
            .col_expr(project::Column::Version, Expr::value(current.version + 1))
            .col_expr(project::Column::UpdatedAt, Expr::value(now));
        if action == ReviewAction::Submit {
            update = update.col_expr(project::Column::SubmittedAt, Expr::value(now));
        }
        let result = update.filter(cas(id, current.status, current.version)).exec(&txn).await?;
        if result.rows_affected != 1 {
            // Someone else moved or edited the project between our read and our write.
            return Err(StoreError::problem(
                "id",
                ProblemCode::VersionConflict,
                Message::new(
                    "项目在同一时刻被他人修改：请刷新后重试",
                    "the project was changed by someone else at the same moment; reload it and try again",
                ),
            ));
        }
        review::Entity::insert(review::ActiveModel {
            id: NotSet,
            project_id: Set(id),
            action: Set(action.code().to_string()),
            from_status: Set(current.status.code().to_string()),
            to_status: Set(to.code().to_string()),
            actor_id: Set(self.actor.user_id),
            comment: Set(comment.trim().to_string()),
            at: Set(now),
            grade: Set(grading.map(|g| g.grade.code().to_string())),
            completeness_score: Set(score(grading, |s| s.completeness)),
            relevance_score: Set(score(grading, |s| s.relevance)),
            appropriateness_score: Set(score(grading, |s| s.appropriateness)),
            feasibility_score: Set(score(grading, |s| s.feasibility)),
        })
        .exec(&txn)
        .await?;
        let version = current.version + 1;
        if let Some(submitted) = submitted {
            crate::snapshots::keep_submitted(&txn, &current, submitted, version, now).await?;
        }
        match action {
            ReviewAction::Approve => {
                let reason = if current.status == Status::AdjustmentSubmitted {
                    crate::snapshots::adjustment_reason(&txn, id).await?
                } else {
                    String::new()
                };
                let approved = ProjectRecord { version, ..current.clone() };
                crate::snapshots::keep(
                    &txn,
                    &approved,
                    version,
                    (now, Some(self.actor.user_id)),
                    &reason,
                    comment.trim(),
                )
                .await?;
                crate::monitoring::enroll(&txn, &approved).await?;
            }
            ReviewAction::StartAdjustment => crate::snapshots::ensure_in_force(&txn, &current).await?,
            ReviewAction::CancelAdjustment => restore_in_force(&txn, &current).await?,
            _ => {}
        }
        // The row as just written; cancelling an adjustment rewrote the declaration, so that
        // one is read again.
        let record = if action == ReviewAction::CancelAdjustment {
            project::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?.try_into()?
        } else {
            let submitted_at = if action == ReviewAction::Submit { Some(now) } else { current.submitted_at };
            ProjectRecord { status: to, version, updated_at: now, submitted_at, ..current }
        };
        self.commit(txn).await?;
        Ok(record)
    }
}

impl Projects<'_> {
    /// Whether the project's department reviews its units' declarations before the bureau:
    /// it has at least one department reviewer who is not disabled, as of this submission.
    async fn department_reviews<C: ConnectionTrait>(&self, conn: &C, p: &ProjectRecord) -> StoreResult<bool> {
        let reviewers = user::Entity::find()
            .filter(user::Column::DepartmentId.eq(p.department_id))
            .filter(user::Column::Role.eq(Role::DepartmentReviewer.code()))
            .filter(user::Column::Disabled.eq(false))
            .count(conn)
            .await?;
        Ok(reviewers > 0)
    }
}

/// One criterion's score as stored (checked to be 0–25 before this).
fn score(grading: Option<Grading>, criterion: impl Fn(&CriteriaScores) -> i32) -> Option<i16> {
    grading.and_then(|g| g.scores).and_then(|s| i16::try_from(criterion(&s)).ok())
}

/// Cancelling an adjustment: the declaration goes back to the snapshot in force, rows and ids
/// included, and its stored findings with it.
async fn restore_in_force<C: ConnectionTrait>(conn: &C, p: &ProjectRecord) -> StoreResult<()> {
    let Some(snapshot) = crate::snapshots::in_force(conn, p.id).await? else {
        return Err(StoreError::Database(sea_orm::DbErr::Custom(format!("project {} has no snapshot in force", p.id))));
    };
    let declaration = &snapshot.declaration;
    project::Entity::update_many()
        .set(declaration_row(declaration))
        .filter(project::Column::Id.eq(p.id))
        .exec(conn)
        .await?;
    fund_item::Entity::delete_many().filter(fund_item::Column::ProjectId.eq(p.id)).exec(conn).await?;
    indicator::Entity::delete_many().filter(indicator::Column::ProjectId.eq(p.id)).exec(conn).await?;
    insert_fund_items(conn, p.id, declaration, &snapshot.fund_item_ids).await?;
    insert_indicators(conn, p.id, declaration, &snapshot.indicator_ids).await?;
    crate::findings::store_findings(conn, p.id, declaration).await
}

/// The whole declaration of a project, read inside the caller's transaction (which has already
/// found the project visible).
pub(crate) async fn load_declaration<C: ConnectionTrait>(conn: &C, p: &ProjectRecord) -> StoreResult<Declaration> {
    Ok(crate::snapshots::load_identified(conn, p).await?.declaration)
}

/// The compare-and-set condition: this project, still in this status and at this version.
pub(crate) fn cas(id: i64, status: Status, version: i32) -> Condition {
    Condition::all()
        .add(project::Column::Id.eq(id))
        .add(project::Column::Status.eq(status.code()))
        .add(project::Column::Version.eq(version))
        .add(project::Column::DeletedAt.is_null())
}

pub(crate) fn ensure_editable(p: &ProjectRecord) -> StoreResult<()> {
    if p.status.is_editable() {
        Ok(())
    } else {
        Err(StoreError::problem(
            "id",
            ProblemCode::InvalidTransition,
            Message::new(
                format!(
                    "{}状态的项目不能修改：只有草稿、已退回或调整中的项目可以修改（已批复的项目请先申请调整）",
                    p.status.label()
                ),
                format!(
                    "a {} project cannot be changed; only DRAFT, REJECTED or ADJUSTING ones can (adjust an approved one first)",
                    p.status.code()
                ),
            ),
        ))
    }
}

pub(crate) fn ensure_deletable(p: &ProjectRecord) -> StoreResult<()> {
    if p.status.is_deletable() {
        Ok(())
    } else {
        Err(StoreError::problem(
            "id",
            ProblemCode::InvalidTransition,
            Message::new(
                format!("{}状态的项目不能删除：只有草稿或已退回的项目可以删除", p.status.label()),
                format!("a {} project cannot be deleted; only DRAFT or REJECTED ones can", p.status.code()),
            ),
        ))
    }
}

pub(crate) fn ensure_version(p: &ProjectRecord, expected: i32) -> StoreResult<()> {
    if p.version == expected { Ok(()) } else { Err(version_conflict()) }
}

fn unknown_unit_problem() -> jixiao_domain::Problem {
    jixiao_domain::Problem::new(
        "implementingUnitId",
        ProblemCode::InvalidInput,
        Message::new("没有这个编号的预算单位", "no budget unit has this id"),
    )
}

fn unknown_unit() -> StoreError {
    StoreError::Rejected(vec![unknown_unit_problem()])
}

fn duplicate_name(d: &Declaration) -> Message {
    Message::new(
        format!("本部门 {} 年度已申报名为“{}”的项目", d.fiscal_year, d.text.name),
        format!("the department already declared a project named \"{}\" for {}", d.text.name, d.fiscal_year),
    )
}

/// The condition "declared under `framework`", by the rule of `Framework::inferred`: the
/// framework the project says, or, when it says none, the 2021 guideline exactly when one of its
/// indicators has COST as its level 1.
fn framework_is(framework: jixiao_domain::Framework) -> Condition {
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

/// The declaration's own columns of the project row.
fn declaration_row(d: &Declaration) -> project::ActiveModel {
    let (f, t) = (&d.funds, &d.text);
    project::ActiveModel {
        fiscal_year: Set(d.fiscal_year),
        name: Set(t.name.clone()),
        category: Set(t.category.map(|c| c.code().to_string())),
        planned_start: Set(t.planned_start),
        planned_end: Set(t.planned_end),
        overview: Set(t.sections.overview.clone()),
        basis: Set(t.sections.basis.clone()),
        implementing_body: Set(t.sections.implementing_body.clone()),
        plan: Set(t.sections.plan.clone()),
        cycle: Set(t.sections.cycle.clone()),
        budget_arrangement: Set(t.sections.budget_arrangement.clone()),
        overall_goal: Set(t.overall_goal.clone()),
        annual_goal: Set(t.annual_goal.clone()),
        indicator_framework: Set(t.indicator_framework.map(|f| f.code().to_string())),
        total_fen: Set(f.total.map(Money::fen)),
        fiscal_fen: Set(f.fiscal.map(Money::fen)),
        other_fen: Set(f.other.map(Money::fen)),
        annual_request_fen: Set(f.annual_request.map(Money::fen)),
        current_year_appropriation_fen: Set(f.current_year_appropriation.map(Money::fen)),
        carryover_fen: Set(f.carryover.map(Money::fen)),
        annual_other_fen: Set(f.annual_other.map(Money::fen)),
        ..Default::default()
    }
}

/// Now, to the microsecond: what the database keeps of a time, so that a record built from
/// what was written equals the row read back.
fn stored_now() -> chrono::DateTime<Utc> {
    use chrono::SubsecRound;
    Utc::now().trunc_subsecs(6)
}

/// `row` without the columns whose values are those of `was` (the row as stored): what an
/// UPDATE needs to write.
fn changed_columns(mut row: project::ActiveModel, was: &project::ActiveModel) -> project::ActiveModel {
    use sea_orm::{ActiveModelTrait, Iterable};
    for column in project::Column::iter() {
        if let (Set(new), Set(old)) = (row.get(column), was.get(column))
            && new == old
        {
            row.not_set(column);
        }
    }
    row
}

/// Inserts a new DRAFT project with its fund items and indicators, inside the caller's transaction.
pub(crate) async fn insert_declaration<C: ConnectionTrait>(
    conn: &C,
    department_id: i64,
    unit_id: i64,
    declaration: &Declaration,
    created_by: Option<i64>,
) -> StoreResult<ProjectRecord> {
    let now = Utc::now();
    let mut row = declaration_row(declaration);
    row.department_id = Set(department_id);
    row.implementing_unit_id = Set(unit_id);
    row.status = Set(Status::Draft.code().to_string());
    row.version = Set(1);
    row.created_by = Set(created_by);
    row.created_at = Set(now);
    row.updated_at = Set(now);
    row.submitted_at = Set(None);
    row.deleted_at = Set(None);
    let inserted = project::Entity::insert(row)
        .exec_with_returning(conn)
        .await
        .map_err(StoreError::unique_as(UniqueKey::ProjectName, duplicate_name(declaration)))?;
    insert_children(conn, inserted.id, declaration).await?;
    crate::findings::insert_findings(conn, inserted.id, declaration).await?;
    Ok(inserted.try_into()?)
}

async fn insert_children<C: ConnectionTrait>(conn: &C, project_id: i64, d: &Declaration) -> StoreResult<()> {
    insert_fund_items(conn, project_id, d, &[]).await?;
    insert_indicators(conn, project_id, d, &[]).await
}

/// The row's id: the one given (a row put back as it was), or a new one.
fn row_id(ids: &[i64], i: usize) -> sea_orm::ActiveValue<i64> {
    ids.get(i).map_or(NotSet, |id| Set(*id))
}

/// Inserts the declaration's fund items, with the ids in `ids` (as many as there are rows) or,
/// when it is empty, new ones.
async fn insert_fund_items<C: ConnectionTrait>(
    conn: &C,
    project_id: i64,
    d: &Declaration,
    ids: &[i64],
) -> StoreResult<()> {
    if !d.fund_items.is_empty() {
        let rows = d.fund_items.iter().enumerate().map(|(i, item)| fund_item::ActiveModel {
            id: row_id(ids, i),
            project_id: Set(project_id),
            position: Set(i as i32),
            name: Set(item.name.clone()),
            amount_fen: Set(item.amount.fen()),
        });
        fund_item::Entity::insert_many(rows).exec(conn).await?;
    }
    Ok(())
}

/// Inserts the declaration's indicators, with the ids in `ids` or new ones (as for fund items).
async fn insert_indicators<C: ConnectionTrait>(
    conn: &C,
    project_id: i64,
    d: &Declaration,
    ids: &[i64],
) -> StoreResult<()> {
    if !d.indicators.is_empty() {
        let rows = d.indicators.iter().enumerate().map(|(i, ind)| indicator::ActiveModel {
            id: row_id(ids, i),
            project_id: Set(project_id),
            position: Set(i as i32),
            level1: Set(ind.level1.code().to_string()),
            level2: Set(ind.level2.code().to_string()),
            name: Set(ind.name.clone()),
            target_text: Set(ind.target.text().to_string()),
            note: Set(ind.note.clone()),
        });
        indicator::Entity::insert_many(rows).exec(conn).await?;
    }
    Ok(())
}
