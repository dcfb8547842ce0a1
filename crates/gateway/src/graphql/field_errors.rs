//! Field errors as the GraphQL specification has them (section 6.4.4, "Handling Field Errors").
//!
//! async-graphql leaves a field that failed out of `data` altogether, whatever its type: `{ me
//! { username } a: project(id: "<absent>") { id } }` came back without an `a` key, and a query
//! whose every field was skipped came back as `"data": null`. The specification asks for:
//!
//! - a nullable field that fails is `null`, with its error in `errors`;
//! - a non-null field that fails makes its nearest nullable ancestor field `null` (and `data`
//!   itself when there is none);
//! - an operation that ran has an object as `data`, even when every field was skipped.
//!
//! And a field whose every subfield was skipped (`me { username @skip(if: true) }`) is an empty
//! object, `{}`: async-graphql answers an object that resolved to no field at all with `null`, so a
//! non-null field (or a non-null item of a list) that answers `null` without an error is that case
//! and becomes `{}`. (A nullable one stays `null`: there the same answer also means "none".)
//!
//! This extension does that around every field's resolution, in one place, so no resolver has
//! to remember it. It runs on the `strict` schema only: a read that failed is run again there,
//! and a read that uses `@skip` or `@include` runs there at once (`schema.rs`), so other reads
//! skip its cost.

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextResolve, ResolveInfo};
use async_graphql::{PathSegment, Response, ServerError, ServerResult, Value};

pub struct NullOnError;

impl ExtensionFactory for NullOnError {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(NullOnErrorExtension::default())
    }
}

/// One per request.
#[derive(Default)]
struct NullOnErrorExtension {
    /// Errors of nullable fields answered with `null`; they join the response's errors at the end.
    errors: Mutex<Vec<ServerError>>,
    /// Paths of non-null fields that failed, until their nearest nullable ancestor absorbs them.
    failed_non_null: Mutex<Vec<Vec<String>>>,
}

impl NullOnErrorExtension {
    /// Removes the failures at or below `path`; returns whether there were any. Cheap when there
    /// are none (the common case): the path is only spelled out when it must be compared.
    fn absorb_failures_under(&self, path: impl FnOnce() -> Vec<String>) -> bool {
        let mut failed = self.failed_non_null.lock().unwrap_or_else(|e| e.into_inner());
        if failed.is_empty() {
            return false;
        }
        let path = path();
        let before = failed.len();
        failed.retain(|f| !f.starts_with(&path));
        failed.len() != before
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for NullOnErrorExtension {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        let absorbed = std::mem::take(&mut *self.errors.lock().unwrap_or_else(|e| e.into_inner()));
        response.errors.extend(absorbed);
        let unabsorbed = !self.failed_non_null.lock().unwrap_or_else(|e| e.into_inner()).is_empty();
        if unabsorbed {
            response.data = Value::Null;
        } else if response.data == Value::Null && response.errors.is_empty() {
            response.data = Value::Object(Default::default());
        }
        response
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let nullable = !info.return_type.ends_with('!');
        let return_type = info.return_type;
        let path_node = info.path_node;
        let path = || path_node.to_string_vec();
        match next.run(ctx, info).await {
            Ok(_) if nullable && self.absorb_failures_under(path) => Ok(Some(Value::Null)),
            Ok(Some(value)) => Ok(Some(filled(return_type, value))),
            Ok(None) => Ok(None),
            Err(mut error) if nullable => {
                self.absorb_failures_under(path);
                if error.path.is_empty() {
                    error.path = path().into_iter().map(segment).collect();
                }
                self.errors.lock().unwrap_or_else(|e| e.into_inner()).push(error);
                Ok(Some(Value::Null))
            }
            Err(error) => {
                self.failed_non_null.lock().unwrap_or_else(|e| e.into_inner()).push(path());
                Err(error)
            }
        }
    }
}

/// `value` of a field of type `ty` (`User!`, `[Indicator!]!`), with each `null` where the type is
/// non-null (an object that resolved to no field, every one skipped) made `{}`.
fn filled(ty: &str, value: Value) -> Value {
    let Some(inner) = ty.strip_suffix('!') else {
        // Nullable: a list may still hold non-null items.
        return match (ty.strip_prefix('[').and_then(|t| t.strip_suffix(']')), value) {
            (Some(item), Value::List(items)) => Value::List(items.into_iter().map(|v| filled(item, v)).collect()),
            (_, value) => value,
        };
    };
    match (inner.strip_prefix('[').and_then(|t| t.strip_suffix(']')), value) {
        (Some(item), Value::List(items)) => Value::List(items.into_iter().map(|v| filled(item, v)).collect()),
        (None, Value::Null) => Value::Object(Default::default()),
        (_, value) => value,
    }
}

fn segment(s: String) -> PathSegment {
    match s.parse::<usize>() {
        Ok(i) => PathSegment::Index(i),
        Err(_) => PathSegment::Field(s),
    }
}

#[cfg(test)]
mod tests {
    use super::filled;
    use async_graphql::Value;

    #[test]
    fn a_non_null_object_without_fields_is_an_empty_object() {
        let empty = Value::Object(Default::default());
        assert_eq!(filled("User!", Value::Null), empty);
        assert_eq!(filled("User", Value::Null), Value::Null, "nullable: none");
        assert_eq!(filled("[Indicator!]!", Value::List(vec![Value::Null])), Value::List(vec![empty.clone()]));
        assert_eq!(filled("[Indicator]", Value::List(vec![Value::Null])), Value::List(vec![Value::Null]));
        assert_eq!(filled("String!", Value::from("x")), Value::from("x"));
    }
}
