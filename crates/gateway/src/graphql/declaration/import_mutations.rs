//! `importDeclaration`: a workbook uploaded by a submitter (the GraphQL multipart request
//! convention), read and imported into their own department as DRAFT projects, all or nothing,
//! with every problem at its cell (`项目2!C14`).

use async_graphql::{Context, Object, Result, SimpleObject, Upload};

use crate::error::ApiError;
use crate::excel::import::{WorkbookRefused, destination, import_workbook};
use crate::graphql::access::access;
use crate::graphql::declaration::project::Project;
use crate::graphql::payload::{UserError, user_errors};

#[derive(SimpleObject)]
pub struct ImportDeclarationPayload {
    /// The projects created, as DRAFT, in the workbook's order.
    pub created: Vec<Project>,
    /// The names of the workbook's projects the department already had that year: left as they were.
    pub unchanged: Vec<String>,
    /// Each problem at its cell (`field` is `项目2!C14`, or `file` for the workbook as a whole).
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct ImportMutation;

#[Object]
impl ImportMutation {
    /// Imports a workbook: one exported by Jixiao (`/export/…`), or the template
    /// (`/export/template.xlsx`) filled in, whose 实施单位 must name units of the caller's
    /// department. Submitters only, into their own department; `fiscalYear` for a template whose
    /// title gives none. Projects the department already has that year are left unchanged.
    async fn import_declaration(
        &self,
        ctx: &Context<'_>,
        file: Upload,
        fiscal_year: Option<i32>,
    ) -> Result<ImportDeclarationPayload> {
        let access = access(ctx)?;
        let actor = access.actor;
        if let jixiao_domain::Decision::Forbidden(message) = actor.may_create_project_in(actor.department_id) {
            return Err(ApiError::Forbidden(message).into());
        }
        let upload = file.value(ctx)?;
        let department_id = actor.department_id.unwrap_or_default();
        let department = access.scope.departments_by_ids(&[department_id]).await.map_err(ApiError::from)?;
        let department =
            department.get(&department_id).ok_or_else(|| ApiError::not_found(("主管部门", "department")))?;
        let mut units = access.scope.units_of_departments(&[department_id]).await.map_err(ApiError::from)?;
        let to = destination(department, units.remove(&department_id).unwrap_or_default(), fiscal_year);
        let projects = access.projects();
        let importing = &projects;
        let imported =
            import_workbook(upload.content, Some(to), |doc| async move { importing.import(&doc).await }).await;
        match imported {
            Ok((_, report)) => {
                let mut found = projects.get_many(&report.created_ids).await.map_err(ApiError::from)?;
                let created = report.created_ids.iter().filter_map(|id| found.remove(id)).map(Project).collect();
                Ok(ImportDeclarationPayload { created, unchanged: report.unchanged, user_errors: vec![] })
            }
            Err(WorkbookRefused::Problems(problems)) => {
                Ok(ImportDeclarationPayload { created: vec![], unchanged: vec![], user_errors: user_errors(problems) })
            }
            Err(WorkbookRefused::Store(e)) => Err(ApiError::from(e).into()),
            Err(WorkbookRefused::Busy(message)) => Err(ApiError::RateLimited(message).into()),
        }
    }
}
