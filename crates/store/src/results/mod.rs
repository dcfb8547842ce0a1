//! 结果应用 and 整改 in the database: the year's rules (`rules.rs`), the result that counts for a
//! request and the suggestion it makes (`prior.rs`), the bureau's decision (`decision.rs`), and the
//! rectification items an accepted self-evaluation opens (`items.rs`). The rules themselves are
//! the domain's (`results.rs`).

mod decision;
mod form;
mod items;
mod prior;
mod records;
mod report;
pub use decision::DecisionRecord;
pub use prior::CountingResult;
pub use report::ApplicationReport;
mod rules;

use jixiao_domain::{Actor, Message, Role};
use sea_orm::DatabaseConnection;

pub(crate) use decision::decided_amount;
pub use items::{ItemFilter, MAX_ITEMS_LISTED, MAX_ITEMS_PER_PROJECT};
pub(crate) use items::{open_items, open_items_of};
pub use records::{ItemRecord, ItemStepRecord};

use crate::error::{StoreError, StoreResult};
use crate::lifecycle::Commits;

/// Results applied and rectification, for one actor.
pub struct Results<'a> {
    db: &'a DatabaseConnection,
    commits: &'a Commits,
    actor: Actor,
    clock: &'a crate::Clock,
}

impl crate::Store {
    pub fn results(&self, actor: Actor) -> Results<'_> {
        Results { db: &self.db, commits: &self.commits, actor, clock: &self.clock }
    }
}

impl Results<'_> {
    /// The bureau: approvers and admins.
    fn bureau(&self) -> bool {
        matches!(self.actor.role, Role::Approver | Role::Admin)
    }

    fn follows(&self, department_id: i64) -> bool {
        self.actor.follows_department(department_id)
    }

    /// Suggestions and decisions are the bureau's own working figures.
    fn ensure_bureau(&self) -> StoreResult<()> {
        if self.bureau() {
            return Ok(());
        }
        Err(StoreError::Forbidden(Message::new(
            "建议数和安排数是财政部门的内部数据：只有审核人员和管理员可以查看",
            "suggestions and decisions are the bureau's: only approvers and admins see them",
        )))
    }
}
