//! The objects of results applied, as types only: `Project` names them, and their resolvers
//! (`types.rs`) name `Project`, so they are declared apart to keep the imports one way.

use jixiao_domain::results::Suggestion;
use jixiao_store::results::{CountingResult, DecisionRecord, ItemRecord};

/// 上年评价结果: the result that counts for a request (its nearest predecessor's, the bureau's
/// evaluation before the self-evaluation).
pub struct PriorResult(pub CountingResult);

/// 建议数: what the year's rules suggest for a request, from the result that counts.
pub struct BudgetSuggestion(pub Suggestion);

/// 安排数: the bureau's decision on a request, which its approval grants unless told otherwise.
pub struct BudgetDecision(pub DecisionRecord);

/// 整改事项.
pub struct RectificationItem(pub ItemRecord);
