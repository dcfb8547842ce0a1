//! The steps of projects' reviews, with the grade given with a decision.
form_history!(
    "reviews",
    project_id,
    /// The grade given with an approval or a rejection (EXCELLENT, GOOD, FAIR, POOR), if any.
    grade: Option<String>,
    completeness_score: Option<i16>,
    relevance_score: Option<i16>,
    appropriateness_score: Option<i16>,
    feasibility_score: Option<i16>,
);
