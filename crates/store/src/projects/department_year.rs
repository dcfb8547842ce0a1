//! What a form is compared with when it is checked: the live projects of its unit's department
//! in its year, with their indicator names, and the department's indicator library, from the
//! cache while it is kept current (`indicator_names_cache.rs`), else read.

use std::sync::Arc;

use sea_orm::sea_query::JoinType;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{budget_unit, indicator, project};
use crate::error::StoreResult;
use crate::indicator_names_cache::{DepartmentYear, KeptProject};
use crate::projects::Projects;
use crate::record::status;

impl Projects<'_> {
    /// The department of budget unit `unit_id` (`None`: no such unit) and every live project of
    /// that department in `year`, whatever its status: the caller narrows them to those it may
    /// see (`Actor::can_see`), so that what is kept serves every caller.
    pub(crate) async fn department_year(&self, unit_id: i64, year: i32) -> StoreResult<Option<(i64, DepartmentYear)>> {
        let names = self.names();
        if let Some(kept) = names.get(unit_id, year) {
            return Ok(Some(kept));
        }
        let generation = names.generation();
        let Some((department, projects)) = self.read_department_year(unit_id, year).await? else { return Ok(None) };
        let projects = Arc::new(projects);
        names.keep(unit_id, department, year, &projects, generation);
        Ok(Some((department, projects)))
    }

    /// The library as the rules read it for a form of `department` that concerns `concerns`:
    /// while a listener keeps the cache current, all of the department's, kept between checks;
    /// otherwise only what the form concerns, read each time.
    pub(crate) async fn library_facts(
        &self,
        department: i64,
        concerns: &crate::library::Concerns,
    ) -> StoreResult<crate::indicator_names_cache::DepartmentLibrary> {
        let names = self.names();
        if let Some(kept) = names.get_library(department) {
            return Ok(kept);
        }
        if !names.is_listening() {
            return Ok(Arc::new(crate::library::facts_for(self.db(), department, Some(concerns)).await?));
        }
        let generation = names.generation();
        let all = Arc::new(crate::library::facts_for(self.db(), department, None).await?);
        names.keep_library(department, &all, generation);
        Ok(all)
    }

    /// The unit's department, its live projects of the year and their indicator names, as one
    /// row per indicator (a project without indicators, or a unit without projects, as one row
    /// with the missing parts null), by project id and the indicators' order.
    async fn read_department_year(&self, unit_id: i64, year: i32) -> StoreResult<Option<(i64, Vec<KeptProject>)>> {
        let projects_of_year = budget_unit::Entity::belongs_to(project::Entity)
            .from(budget_unit::Column::DepartmentId)
            .to(project::Column::DepartmentId)
            .on_condition(move |_, _| {
                Condition::all().add(project::Column::DeletedAt.is_null()).add(project::Column::FiscalYear.eq(year))
            })
            .into();
        let their_indicators = project::Entity::belongs_to(indicator::Entity)
            .from(project::Column::Id)
            .to(indicator::Column::ProjectId)
            .into();
        type Row = (i64, Option<i64>, Option<String>, Option<String>, Option<String>);
        let rows: Vec<Row> = budget_unit::Entity::find()
            .select_only()
            .column(budget_unit::Column::DepartmentId)
            .column_as(project::Column::Id, "project_id")
            .column_as(project::Column::Name, "project_name")
            .column_as(project::Column::Status, "project_status")
            .column_as(indicator::Column::Name, "indicator_name")
            .join(JoinType::LeftJoin, projects_of_year)
            .join(JoinType::LeftJoin, their_indicators)
            .filter(budget_unit::Column::Id.eq(unit_id))
            .order_by_asc(project::Column::Id)
            .order_by_asc(indicator::Column::Position)
            .into_tuple()
            .all(self.db())
            .await?;
        let Some(&(department, ..)) = rows.first() else { return Ok(None) };
        let mut projects: Vec<KeptProject> = Vec::new();
        for (_, id, name, status_code, indicator_name) in rows {
            let (Some(id), Some(name), Some(status_code)) = (id, name, status_code) else { continue };
            if projects.last().is_none_or(|p| p.id != id) {
                projects.push(KeptProject { id, name, status: status(&status_code)?, indicator_names: Vec::new() });
            }
            if let (Some(project), Some(indicator_name)) = (projects.last_mut(), indicator_name) {
                project.indicator_names.push(indicator_name);
            }
        }
        Ok(Some((department, projects)))
    }
}

#[cfg(test)]
mod tests {
    use jixiao_domain::{Actor, DeclarationDocument, Finding, FindingCode, Role};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    use crate::entity::{budget_unit, project};
    use crate::{NewUser, Store};

    const SEED: &str = include_str!("../../../../fixtures/songjiang-2023.json");

    fn copied(findings: &[Finding]) -> bool {
        findings.iter().any(|f| f.code == FindingCode::CopiedIndicators)
    }

    /// On SQLite no notice ever comes: with the cache made to keep as if one could, only the
    /// forgetting right after a commit here keeps the next check here current.
    #[tokio::test]
    async fn a_save_here_is_seen_by_the_next_check_here_without_waiting_for_a_notice() {
        let store = Store::connect("sqlite::memory:", 1).await.unwrap();
        store.migrate().await.unwrap();
        let doc: DeclarationDocument = serde_json::from_str(SEED).unwrap();
        let report = store.operator().import(&doc).await.unwrap();
        let first = &doc.check().unwrap()[0];
        let db = store.connection();
        let unit =
            budget_unit::Entity::find().filter(budget_unit::Column::Code.eq(&first.unit_code)).one(db).await.unwrap();
        let unit = unit.unwrap();
        let saved = project::Entity::find_by_id(report.created_ids[0]).one(db).await.unwrap().unwrap();
        let new_user = NewUser {
            username: "tianbao",
            display_name: "填报人",
            role: Role::Submitter,
            department_id: Some(unit.department_id),
            password_hash: "not a hash: this user never logs in",
        };
        let user = store.operator().create_user(new_user).await.unwrap();
        let projects =
            store.projects(Actor { user_id: user.id, role: Role::Submitter, department_id: Some(unit.department_id) });
        store.names.set_listening(true);

        let mut form = first.declaration.clone();
        form.text.name = "另一个项目".into();
        assert!(copied(&projects.check_unsaved(unit.id, &form).await.unwrap().1));
        assert!(copied(&projects.check_unsaved(unit.id, &form).await.unwrap().1));
        assert_eq!(store.names.stats().hits, 1, "the second check is answered from what the first read");

        projects
            .update(saved.id, saved.version, None, |d| {
                for indicator in &mut d.indicators {
                    indicator.name.push_str("（改）");
                }
            })
            .await
            .unwrap();
        assert!(!copied(&projects.check_unsaved(unit.id, &form).await.unwrap().1), "checked against the old names");
    }
}
