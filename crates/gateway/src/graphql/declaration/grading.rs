//! The grade and criteria scores a reviewer may give with `approveProject`, `rejectProject` and
//! `approveProjects`; the rules (the grade agrees with the decision, the scores' sum with the
//! grade) are the domain's `review_grade`.

use async_graphql::{InputObject, SimpleObject};
use jixiao_domain::{CriteriaScores, Grading, Problem};

use crate::graphql::types::enums::Grade;

/// 评分: the four criteria of 财预〔2015〕88号, each 0–25; their sum must fall in the grade's
/// band (≥ 90 优, ≥ 80 良, ≥ 60 中, else 差).
#[derive(InputObject)]
pub struct CriteriaScoresInput {
    /// 完整性
    pub completeness: i32,
    /// 相关性
    pub relevance: i32,
    /// 适当性
    pub appropriateness: i32,
    /// 可行性
    pub feasibility: i32,
}

/// The four criteria's scores given with a decision.
#[derive(SimpleObject)]
#[graphql(name = "CriteriaScores")]
pub struct CriteriaScoresView {
    /// 完整性 (0–25)
    pub completeness: i32,
    /// 相关性 (0–25)
    pub relevance: i32,
    /// 适当性 (0–25)
    pub appropriateness: i32,
    /// 可行性 (0–25)
    pub feasibility: i32,
    /// Their sum (0–100).
    pub total: i32,
}

impl From<CriteriaScores> for CriteriaScoresView {
    fn from(s: CriteriaScores) -> Self {
        CriteriaScoresView {
            completeness: s.completeness,
            relevance: s.relevance,
            appropriateness: s.appropriateness,
            feasibility: s.feasibility,
            total: s.total(),
        }
    }
}

/// The grading asked for, as the domain reads it (`Grading::asked`: scores need a grade).
pub fn grading(grade: Option<Grade>, scores: Option<CriteriaScoresInput>) -> Result<Option<Grading>, Problem> {
    let scores = scores.map(|s| CriteriaScores {
        completeness: s.completeness,
        relevance: s.relevance,
        appropriateness: s.appropriateness,
        feasibility: s.feasibility,
    });
    Grading::asked(grade.map(Into::into), scores)
}
