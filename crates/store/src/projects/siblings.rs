//! What the copied-indicator rule reads of a project's siblings: the names of their indicators.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::*;
use crate::entity::{indicator, project};
use crate::error::StoreResult;

/// One project as the copied-indicator rule reads it among its department's others.
#[derive(Clone, Debug)]
pub struct ProjectIndicatorNames {
    pub id: i64,
    pub name: String,
    pub indicator_names: Vec<String>,
}

impl Projects<'_> {
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
}
