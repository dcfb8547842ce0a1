//! Objects whose fields are plain values of the object (the boxes and rows of the form: funds,
//! sections, fund items, indicators, targets), answered in one pass over the query's selection
//! instead of a future per field. A list screen asks for about 1,400 such fields; async-graphql
//! resolves each through a boxed future, a context and an ordered merge, which was most of what
//! serving the page cost once its rows were read (BENCHMARKS.md).
//!
//! The one pass takes only what it can answer exactly as the resolvers would: plain fields
//! without arguments or directives, each response key once. Anything else (fragments,
//! `@include`, `__typename`, an alias used twice) goes to the object's own resolvers, so the
//! answer is the same either way; the resolvers and [`PlainFields`] give every field the same
//! value (tested byte for byte against the generic path in `tests/tests/plain_values.rs`).

use std::borrow::Cow;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, Selection, SelectionSet};
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::resolve_list;
use async_graphql::{ContextSelectionSet, OutputType, Positioned, ServerResult, Value};

/// An object that can give each of its plain fields' values directly.
pub trait PlainFields {
    /// The value `field` (its name; for an object-typed field, also its own selection) has for
    /// this object, or `None` when the field is not one of the plain ones.
    fn plain_field(&self, field: &Field) -> Option<Value>;
}

/// The object's answer to `selection`, or `None` when the selection is not plain throughout.
pub fn plain_object(selection: &SelectionSet, of: &impl PlainFields) -> Option<Value> {
    let mut answer = IndexMap::with_capacity(selection.items.len());
    for item in &selection.items {
        let Selection::Field(field) = &item.node else { return None };
        let field = &field.node;
        if !field.directives.is_empty() || !field.arguments.is_empty() {
            return None;
        }
        let value = of.plain_field(field)?;
        if answer.insert(field.response_key().node.clone(), value).is_some() {
            return None;
        }
    }
    Some(Value::Object(answer))
}

/// `T` in the schema (same name, same fields), answered in one pass when the selection allows.
pub struct Plain<T>(pub T);

impl<T: OutputType + PlainFields> OutputType for Plain<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn introspection_type_name(&self) -> Cow<'static, str> {
        self.0.introspection_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, field: &Positioned<Field>) -> ServerResult<Value> {
        match plain_object(&ctx.item.node, &self.0) {
            Some(answer) => Ok(answer),
            None => self.0.resolve(ctx, field).await,
        }
    }
}

/// `[T!]!` in the schema (a project's fund items, its indicators), every row answered in one
/// pass when the selection allows. A list of [`Plain`] still resolved each row through a future
/// of its own; a list page has about 240 such rows (BENCHMARKS.md, step 11).
pub struct PlainList<T>(pub Vec<T>);

impl<T: OutputType + PlainFields> OutputType for PlainList<T> {
    fn type_name() -> Cow<'static, str> {
        <Vec<T>>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<T>>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<T>>::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, field: &Positioned<Field>) -> ServerResult<Value> {
        let rows: Option<Vec<Value>> = self.0.iter().map(|row| plain_object(&ctx.item.node, row)).collect();
        match rows {
            Some(rows) => Ok(Value::List(rows)),
            None => resolve_list(ctx, field, &self.0, Some(self.0.len())).await,
        }
    }
}

/// Plain values of the leaf types the form uses.
pub fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

pub fn optional_text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, text)
}
