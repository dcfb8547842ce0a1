//! What one signed-in actor may reach, and nothing else: the only handle the GraphQL resolvers
//! hold. Projects (and their parts) through the actor's visibility and the permission rules,
//! the organization (visible to every signed-in user), users through the users rule, and the
//! admin handle only for admins. The unchecked [`Store`] stays with the command line and the
//! authenticator.

use std::collections::HashMap;

use jixiao_domain::{Actor, UserVisibility};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

use crate::entity::{review, user};
use crate::error::StoreResult;
use crate::organization::Admin;
use crate::projects::Projects;
use crate::{BudgetUnit, Department, Store, User};

#[derive(Clone, Debug)]
pub struct Scope {
    store: Store,
    actor: Actor,
}

impl Store {
    /// The handle for requests made by `actor`, counting the writes committed through it.
    pub fn scope(&self, actor: Actor) -> Scope {
        let store = Store { commits: Default::default(), not_for_class: Default::default(), ..self.clone() };
        Scope { store, actor }
    }
}

impl Scope {
    pub fn actor(&self) -> Actor {
        self.actor
    }

    /// Moves on with every write committed through this scope: what was read before a write of
    /// one's own is stale after it (the gateway's loaders start afresh).
    pub fn generation(&self) -> u64 {
        self.store.commits.generation()
    }

    /// Whether what was read through this scope is the same for every caller of the actor's
    /// visibility class (`jixiao_domain::VisibilityClass`), and so may be kept for all of them.
    /// Not when a read used who the caller is (their own user, an approver's assigned
    /// departments), nor when it read the audit trail, which grows with every request and whose
    /// writes therefore drop nothing (migration 30).
    pub fn answer_is_for_class(&self) -> bool {
        !self.store.not_for_class.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Says that the answer being read is not the class's (`me`, the audit trail).
    pub fn answer_not_for_class(&self) {
        self.store.not_for_class.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// When anything a read may read last changed (`data_changes.rs`).
    pub fn data_changes(&self) -> &crate::data_changes::DataChanges {
        &self.store.changes
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub fn projects(&self) -> Projects<'_> {
        self.store.projects(self.actor)
    }

    /// What happens from now on (every event: a subscriber keeps what its actor may see).
    pub fn events(&self) -> tokio::sync::broadcast::Receiver<std::sync::Arc<crate::events::Event>> {
        self.store.events()
    }

    /// The audit trail, for admins and security auditors.
    pub fn audit_trail(&self) -> StoreResult<crate::AuditTrail<'_>> {
        self.answer_not_for_class();
        self.store.audit_trail(self.actor)
    }

    /// Departments' overall goals (部门整体绩效目标).
    pub fn department_goals(&self) -> crate::department_goals::DepartmentGoalsStore<'_> {
        self.store.department_goals(self.actor)
    }

    /// Self-evaluations, through the reports rule.
    pub fn evaluations(&self) -> crate::evaluations::Evaluations<'_> {
        self.store.evaluations(self.actor)
    }

    /// Results applied and rectification (结果应用, 整改), through their rules.
    pub fn results(&self) -> crate::results::Results<'_> {
        self.store.results(self.actor)
    }

    /// Issuing acts and publication (批复下达, 绩效公开), through their rules.
    pub fn publication(&self) -> crate::publication::Publication<'_> {
        self.store.publication(self.actor)
    }

    /// The indicator library (指标库).
    pub fn library(&self) -> crate::library::Library<'_> {
        self.store.library(self.actor)
    }

    /// What waits for the caller, and the year's deadlines (待办).
    pub fn todo(&self) -> crate::todo::Todo<'_> {
        self.store.todo(self.actor)
    }

    /// Today in China by the store's clock (what is due and overdue).
    pub fn today(&self) -> chrono::NaiveDate {
        self.store.clock().today()
    }

    /// How often a screen following what is due looks at the clock.
    pub fn clock_check(&self) -> std::time::Duration {
        self.store.clock().check_every()
    }

    /// Monitoring rounds and reports, through the reports rule.
    pub fn monitoring(&self) -> crate::monitoring::Monitoring<'_> {
        self.store.monitoring(self.actor)
    }

    /// Departments, units and users to create and change: FORBIDDEN unless the actor is an admin.
    pub fn admin(&self) -> StoreResult<Admin<'_>> {
        self.store.admin(self.actor)
    }

    pub async fn departments_page(&self, after: Option<i64>, limit: u64) -> StoreResult<Vec<Department>> {
        self.store.departments_page(after, limit).await
    }

    pub async fn department_count(&self) -> StoreResult<u64> {
        self.store.department_count().await
    }

    pub async fn departments_by_ids(&self, ids: &[i64]) -> StoreResult<HashMap<i64, Department>> {
        self.store.departments_by_ids(ids).await
    }

    pub async fn department_by_code(&self, code: &str) -> StoreResult<Option<Department>> {
        self.store.department_by_code(code).await
    }

    pub async fn units_by_ids(&self, ids: &[i64]) -> StoreResult<HashMap<i64, BudgetUnit>> {
        self.store.units_by_ids(ids).await
    }

    pub async fn units_of_departments(&self, department_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<BudgetUnit>>> {
        self.store.units_of_departments(department_ids).await
    }

    /// The departments each of these users is assigned to as an approver (对口科室).
    pub async fn assigned_departments(&self, user_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<i64>>> {
        self.store.assigned_departments(user_ids).await
    }

    /// The users among `ids` this actor may see (`Actor::user_visibility`); the others are
    /// simply absent.
    pub async fn users_by_ids(&self, ids: &[i64]) -> StoreResult<HashMap<i64, User>> {
        let mut find = user::Entity::find().filter(user::Column::Id.is_in(ids.iter().copied()));
        if let UserVisibility::SelfAndActorsOnVisibleProjects(me) = self.actor.user_visibility() {
            if ids.contains(&me) {
                // A caller always sees themselves; another of their class may not see them.
                self.answer_not_for_class();
            }
            let actors = Query::select()
                .column(review::Column::ActorId)
                .from(review::Entity)
                .cond_where(
                    Condition::all()
                        .add(review::Column::ActorId.is_in(ids.iter().copied()))
                        .add(review::Column::ProjectId.in_subquery(self.projects().visible_projects())),
                )
                .to_owned();
            find = find.filter(Condition::any().add(user::Column::Id.eq(me)).add(user::Column::Id.in_subquery(actors)));
        }
        let rows = find.all(self.store.connection()).await?;
        Ok(rows.into_iter().map(|u| (u.id, u)).collect())
    }
}
