//! Declaring a new project, checking an unsaved one, and the hourly limit on creations.

use chrono::Utc;
use jixiao_domain::{DeclarationInput, Message, ProblemCode};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, TransactionTrait};

use super::*;
use crate::entity::{budget_unit, project, user};
use crate::error::allow;
use crate::error::{StoreError, StoreResult};
use crate::record::ProjectRecord;

impl Projects<'_> {
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
        // Copies among the department's other projects of the year that the caller may see; the
        // project of the same name is this one being edited (names are unique in a year).
        let Some((department, year)) = self.department_year(unit_id, input.fiscal_year).await? else {
            let (mut problems, findings) =
                jixiao_domain::findings::check_unsaved(input, &jixiao_domain::findings::ReviewContext::ALONE);
            problems.insert(0, unknown_unit_problem());
            return Ok((problems, findings));
        };
        let name = input.text.name.trim();
        let concerns = crate::library::Concerns {
            names: input.indicators.iter().map(|r| r.name.trim().to_string()).collect(),
            linked: input.indicators.iter().filter_map(|r| r.library_entry_id).collect(),
        };
        let facts = self.library_facts(department, &concerns).await?;
        let context = crate::findings::review_context(
            year.iter(),
            |p| p.name != name && self.actor.can_see(department, p.status),
            |p| (p.name.as_str(), p.indicator_names.as_slice()),
            &facts,
        );
        let (problems, findings) = jixiao_domain::findings::check_unsaved(input, &context);
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
}

pub(super) fn unknown_unit_problem() -> jixiao_domain::Problem {
    jixiao_domain::Problem::new(
        "implementingUnitId",
        ProblemCode::InvalidInput,
        Message::new("没有这个编号的预算单位", "no budget unit has this id"),
    )
}

pub(super) fn unknown_unit() -> StoreError {
    StoreError::Rejected(vec![unknown_unit_problem()])
}
