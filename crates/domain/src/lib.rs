//! The domain of Jixiao: the 财政支出项目绩效目标申报表 (budget performance-goal declaration) as
//! types and rules. No I/O, no database: everything here is a pure function with a test.
//!
//! With the `graphql` feature (the gateway's) its enums, `Sections` and `FundsInput` are also the
//! schema's types: one definition, whose doc comments are the descriptions the schema publishes
//! (notes for Rust readers are `//` comments). Without it, nothing here knows of GraphQL.

pub mod approval;
pub mod catalog;
pub mod changes;
pub mod dates;
pub mod declaration;
pub mod department_goals;
pub mod document;
pub mod evaluation;
pub mod findings;
pub mod funds;
pub mod indicator;
pub mod library;
pub mod library_seed;
pub mod lifecycle;
pub mod login_throttle;
pub mod message;
pub mod money;
pub mod monitoring;
pub mod organization;
pub mod permissions;
pub mod problem;
pub mod publication;
pub mod rectification;
pub mod results;
pub mod review_grade;
pub mod review_remark;
pub mod target_value;
pub mod todo;
pub mod visibility_class;
pub mod workflow;

pub use catalog::{Framework, Level1, Level2};
pub use declaration::{Category, Declaration, DeclarationInput, FormText, Sections};
pub use document::{DeclarationDocument, ImportProject};
pub use findings::{Finding, FindingCode, FindingCounts, Severity};
pub use funds::{FundItem, FundItemInput, Funds, FundsInput, FundsMismatch};
pub use indicator::{Indicator, IndicatorInput};
pub use lifecycle::{FormAction, FormStatus};
pub use message::{Lang, Message};
pub use money::{Money, MoneyError, Total};
pub use permissions::{Actor, Decision, ProjectOp, ProjectVisibility, ReportOp, Role, UserVisibility};
pub use problem::{Problem, ProblemCode, Problems};
pub use review_grade::{CriteriaScores, Grading};
pub use target_value::{Comparator, Decimal, Direction, TargetError, TargetKind, TargetValue};
pub use visibility_class::VisibilityClass;
pub use workflow::{ReviewAction, Status};
