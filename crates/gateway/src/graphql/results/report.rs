//! 结果应用情况: a year's report of results applied, for the bureau.

use async_graphql::Object;
use jixiao_store::results::ApplicationReport;

// The same counts per grade as the self-evaluation summary's.
use crate::graphql::evaluation::types::GradeCount;

pub struct ResultsApplication(pub ApplicationReport);

/// 结果应用情况: the year's requests before the bureau (submitted, approved, adjusting) and what
/// their predecessors' results did to them. Money in yuan, and in 万元 rounded half up.
#[Object]
impl ResultsApplication {
    async fn requests(&self) -> i64 {
        self.0.requests
    }
    /// Requests with a result that counts.
    async fn linked(&self) -> i64 {
        self.0.linked
    }
    async fn by_grade(&self) -> Vec<GradeCount> {
        self.0
            .by_grade
            .iter()
            .map(|(grade, count)| GradeCount { grade: *grade, label: grade.label(), count: *count })
            .collect()
    }
    /// Requests without one (shown as asked, with a warning).
    async fn missing(&self) -> i64 {
        self.0.missing
    }
    async fn requested(&self) -> String {
        self.0.requested.to_string()
    }
    async fn requested_wan_yuan(&self) -> String {
        self.0.requested.wan_yuan()
    }
    /// What the year's rules suggest, summed.
    async fn suggested(&self) -> String {
        self.0.suggested.to_string()
    }
    async fn suggested_wan_yuan(&self) -> String {
        self.0.suggested.wan_yuan()
    }
    /// requested − suggested.
    async fn suggested_cut(&self) -> String {
        jixiao_domain::Total::from_fen(self.0.requested.fen() - self.0.suggested.fen()).to_string()
    }
    async fn suggested_cut_wan_yuan(&self) -> String {
        jixiao_domain::Total::from_fen(self.0.requested.fen() - self.0.suggested.fen()).wan_yuan()
    }
    /// Requests the bureau decided (`decideBudget`), and those it has not.
    async fn decided(&self) -> i64 {
        self.0.decided
    }
    async fn undecided(&self) -> i64 {
        self.0.undecided
    }
    /// What was decided for the decided requests, summed.
    async fn decided_amount(&self) -> String {
        self.0.decided_amount.to_string()
    }
    /// The money cut over the decided requests: what they asked less what was decided.
    async fn cut(&self) -> String {
        jixiao_domain::Total::from_fen(self.0.decided_requested.fen() - self.0.decided_amount.fen()).to_string()
    }
    async fn cut_wan_yuan(&self) -> String {
        jixiao_domain::Total::from_fen(self.0.decided_requested.fen() - self.0.decided_amount.fen()).wan_yuan()
    }
}
