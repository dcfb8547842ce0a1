//! What is overdue in a fiscal year, per department and stage: the bureau's figures (every
//! department), a department's own users theirs. Read from the same parts as the to-do list.

use std::collections::BTreeMap;

use jixiao_domain::todo::{DeadlineStage, TodoKind};
use sea_orm::{ConnectionTrait, Statement};

use super::Todo;
use super::waiting::{Sql, Whose, waiting};
use crate::error::{StoreError, StoreResult};

/// How many items of one stage are overdue in one department.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverdueCount {
    pub department_id: i64,
    pub stage: DeadlineStage,
    pub count: i64,
}

impl Todo<'_> {
    /// The year's overdue items by department and stage, of the departments the caller follows,
    /// in department then stage order; only where something is overdue.
    pub async fn overdue(&self, fiscal_year: i32) -> StoreResult<Vec<OverdueCount>> {
        let backend = self.db.get_database_backend();
        let mut sql = Sql::default();
        let union = waiting(&mut sql, Whose::Year(fiscal_year), false, backend).expect("every kind is read for a year");
        let today = sql.bind(self.today());
        // A department's own users read their department's rows only (the bureau every one).
        let department = if self.actor.follows_every_department() {
            String::new()
        } else {
            format!(" AND t.department_id = {}", sql.bind(self.actor.department_id.unwrap_or(-1)))
        };
        sql.text = format!(
            "SELECT t.department_id, t.kind, CAST(COUNT(*) AS BIGINT) AS n FROM ({union}) t \
             WHERE t.deadline < {today}{department} GROUP BY t.department_id, t.kind"
        );
        let rows = self.db.query_all_raw(Statement::from_sql_and_values(backend, sql.text, sql.values)).await?;
        let mut counts: BTreeMap<(i64, usize), i64> = BTreeMap::new();
        for row in rows {
            let department_id: i64 = row.try_get("", "department_id")?;
            if !self.actor.follows_department(department_id) {
                continue;
            }
            let code: String = row.try_get("", "kind")?;
            let stage = TodoKind::from_code(&code).and_then(TodoKind::stage).ok_or_else(|| {
                StoreError::Database(sea_orm::DbErr::Custom(format!("an overdue item of kind {code} without a stage")))
            })?;
            let position = DeadlineStage::ALL.iter().position(|s| *s == stage).unwrap_or(usize::MAX);
            *counts.entry((department_id, position)).or_default() += row.try_get::<i64>("", "n")?;
        }
        Ok(counts
            .into_iter()
            .map(|((department_id, position), count)| OverdueCount {
                department_id,
                stage: DeadlineStage::ALL[position],
                count,
            })
            .collect())
    }
}
