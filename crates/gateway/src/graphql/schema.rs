use std::sync::Arc;

use async_graphql::parser::types::OperationType;
use async_graphql::{Schema, SchemaBuilder, ValidationMode};

use crate::auth::Authenticator;
use crate::error::add_missing_codes;
use crate::graphql::access::RequestAuth;
use crate::graphql::checked_documents::KeptDocument;
use crate::graphql::field_errors::NullOnError;
use crate::graphql::form_lane;
use crate::graphql::guard::{MAX_NESTING, operation};
use crate::graphql::input_shapes::InputShapes;
use crate::graphql::key_order::order_answer;
use crate::graphql::mutation::Mutation;
use crate::graphql::query::Query;
use crate::graphql::subscription::Subscription;
use crate::graphql::types::node::Node;

pub(crate) type Inner = Schema<Query, Mutation, Subscription>;

/// The schema, built three times. `strict` gives a failed field its `null` as the specification
/// asks (the `NullOnError` extension around every field's resolution); `fast` is the same schema
/// without it. The extension costs a boxed future per field, about a fifth of a 1,400-field list
/// screen (BENCHMARKS.md), and only matters when a field fails. So a read runs on `fast`, and only
/// if its answer has an error is it run again, on `strict`, whose answer is the one sent: a read
/// changes nothing, so running it twice is safe. Mutations always run on `strict`.
///
/// `validated` is `fast` without async-graphql's validation of the document and of the
/// arguments' values (it still measures depth and complexity), for a read of a document that
/// passed that validation before. What the validation decides about a document depends on its
/// text and the schema alone, except for the variables' values: reading the arguments checks
/// their types again (an error, and the read runs again on `strict`, whose validation answers
/// as always), and what reading would let through, a field the input type does not have, is
/// looked for before (`input_shapes.rs`). The validation was about a seventh of a 60-indicator
/// `checkDeclaration`, most of it going over the form's values, and more than a quarter of the
/// one-project screen, whose query text is long (BENCHMARKS.md, step 20).
#[derive(Clone)]
pub struct JixiaoSchema {
    strict: Inner,
    fast: Inner,
    validated: Inner,
    shapes: Arc<InputShapes>,
}

impl JixiaoSchema {
    /// What runs subscriptions (`ws.rs`): the strict schema, a failed field of an event being
    /// its `null` as in any answer.
    pub(crate) fn for_subscriptions(&self) -> Inner {
        self.strict.clone()
    }

    fn of(
        limits: Limits,
        data: impl Fn(SchemaBuilder<Query, Mutation, Subscription>) -> SchemaBuilder<Query, Mutation, Subscription>,
    ) -> JixiaoSchema {
        JixiaoSchema {
            strict: data(limited(limits).extension(NullOnError)).finish(),
            fast: data(limited(limits)).finish(),
            validated: data(limited(limits)).validation_mode(ValidationMode::Fast).finish(),
            shapes: Arc::new(InputShapes::of_schema()),
        }
    }

    /// Whether the read may skip validation: its document passed it before, and its variables
    /// name no field their input types lack.
    fn may_skip_validation(&self, request: &async_graphql::Request, kept: Option<&KeptDocument>) -> bool {
        let Some(kept) = kept.filter(|k| k.validated()) else { return false };
        let Some(operation) = operation(&kept.document, request.operation_name.as_deref()) else { return false };
        operation.node.variable_definitions.iter().all(|definition| {
            let definition = &definition.node;
            request.variables.get(definition.name.node.as_str()).is_none_or(|value| {
                form_lane::is_placeholder(value) || self.shapes.fits(&definition.var_type.node.to_string(), value)
            })
        })
    }
}

/// Limits on what one request may ask for: deep nesting and huge fan-outs are refused before
/// anything runs.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_depth: usize,
    /// Each field costs 1, and a list costs its page size times what each row costs.
    pub max_complexity: usize,
    /// Whether `__schema` and `__type` may be asked (switch off in production if wanted).
    pub introspection: bool,
}

fn builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query, Mutation::default(), Subscription)
        .register_output_type::<Node>()
        // Selection sets nest at most this deep, fragments included (async-graphql's own check
        // after parsing; `guard` has already bounded the text's nesting before it).
        .limit_recursive_depth(MAX_NESTING)
}

fn limited(limits: Limits) -> SchemaBuilder<Query, Mutation, Subscription> {
    let b = builder().limit_depth(limits.max_depth).limit_complexity(limits.max_complexity);
    if limits.introspection { b } else { b.disable_introspection() }
}

pub fn build(authenticator: Authenticator, limits: Limits) -> JixiaoSchema {
    JixiaoSchema::of(limits, |b| b.data(authenticator.clone()))
}

/// The SDL exactly as served (what `jixiao schema` prints and `schema.graphql` holds).
pub fn sdl() -> String {
    builder().finish().sdl()
}

/// The schema with its limits but without a database: every resolver answers UNAUTHENTICATED
/// (or, for `login`, an error) before it would read anything. For checking the request pipeline
/// (the guard, parsing, validation, the limits) on any input, as the fuzz target does.
pub fn without_database(limits: Limits) -> JixiaoSchema {
    JixiaoSchema::of(limits, |b| b)
}

/// Whether the operation `request` will run is a query (its document was parsed by the guard).
fn is_read(request: &mut async_graphql::Request) -> bool {
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else { return false };
    operation(document, name.as_deref()).is_some_and(|op| op.node.ty == OperationType::Query)
}

/// Where a read's variables come from if it is run again. A copy made up front cost every read a
/// copy of its variables (for a 60-indicator `checkDeclaration`, 2.7% of the request's
/// instructions: BENCHMARKS.md, step 14), while reads are run again only when their first answer
/// has an error.
/// So a JSON body is kept (its bytes are shared, not copied) and its variables read from it again
/// when needed; other requests (multipart) copy them.
#[derive(Clone, Copy)]
pub enum VariablesAgain<'a> {
    FromBody(&'a [u8]),
    Copied,
}

/// The same request again, without its data (a query needs none but the caller's access). Its
/// text (already checked by the guard) is parsed again only if it is run again.
struct Again<'a> {
    request: async_graphql::Request,
    body: Option<&'a [u8]>,
}

impl<'a> Again<'a> {
    fn of(request: &async_graphql::Request, variables: VariablesAgain<'a>) -> Again<'a> {
        let mut copy = async_graphql::Request::new(request.query.clone());
        copy.operation_name = request.operation_name.clone();
        copy.extensions = request.extensions.clone();
        copy.introspection_mode = request.introspection_mode;
        let body = match variables {
            VariablesAgain::FromBody(body) => Some(body),
            VariablesAgain::Copied => {
                copy.variables = request.variables.clone();
                None
            }
        };
        Again { request: copy, body }
    }

    /// The request, its variables read again from the body they came in (which parsed once, so
    /// parses again the same).
    fn request(self) -> Option<async_graphql::Request> {
        let mut request = self.request;
        if let Some(body) = self.body {
            request.variables = serde_json::from_slice::<async_graphql::Request>(body).ok()?.variables;
        }
        Some(request)
    }
}

/// A read's request again, to run it once more elsewhere (on the primary, after a replica failed
/// it); `None` for a request with uploads (no read has any).
pub fn read_again(request: &async_graphql::Request, variables: VariablesAgain<'_>) -> Option<async_graphql::Request> {
    if !request.uploads.is_empty() {
        return None;
    }
    Again::of(request, variables).request()
}

/// Runs one request with the caller's credentials, and gives every error a code. `variables`
/// says where a read's variables are had again should it be run again; `kept` is the request's
/// document as the guard kept it (none for a text too long to keep).
/// The answer's keys come in the selection's order (`key_order.rs`).
pub async fn execute(
    schema: &JixiaoSchema,
    mut request: async_graphql::Request,
    variables: VariablesAgain<'_>,
    auth: RequestAuth,
    kept: Option<&KeptDocument>,
) -> async_graphql::Response {
    let operation_name = request.operation_name.clone();
    // A document too long to be kept is copied (cheaper than parsing it again).
    let own_document = if kept.is_none() { request.parsed_query().ok().cloned() } else { None };
    let mut response = execute_in_any_order(schema, request, variables, auth, kept).await;
    if let Some(document) = kept.map(|k| &k.document).or(own_document.as_ref()) {
        order_answer(document, operation_name.as_deref(), &mut response.data);
    }
    response
}

async fn execute_in_any_order(
    schema: &JixiaoSchema,
    mut request: async_graphql::Request,
    variables: VariablesAgain<'_>,
    auth: RequestAuth,
    kept: Option<&KeptDocument>,
) -> async_graphql::Response {
    // A read whose fields may be skipped runs on `strict` at once: only there is an object whose
    // every field was skipped answered as `{}` (`field_errors.rs`).
    let skips = request.query.contains("@skip") || request.query.contains("@include");
    // A read without credentials fails at every field that reads data (UNAUTHENTICATED): it would
    // fail on `fast` only to run again, so it runs on `strict` at once.
    let signed_in = matches!(auth, RequestAuth::Granted(_));
    let retry = (is_read(&mut request) && request.uploads.is_empty() && !skips && signed_in)
        .then(|| Again::of(&request, variables));
    let response = match retry {
        Some(retry) => {
            let kept_auth = auth.kept_aside();
            let skipped_validation = schema.may_skip_validation(&request, kept);
            let first = if skipped_validation {
                schema.validated.execute(request.data(auth)).await
            } else {
                schema.fast.execute(request.data(auth)).await
            };
            if first.errors.is_empty() {
                // Ran without an error, so its document passed validation (now or before).
                kept.inspect(|k| k.mark_validated());
                return finish(first);
            }
            // The one reason a read runs twice: a field failed, and only `strict` shapes `data`
            // around a failed field as the specification asks (`field_errors.rs`). Errors of the
            // request itself (its document, its variables, its limits: no path) leave `data`
            // null on either schema, so the first answer stands; except after validation was
            // skipped, where only `strict` validates the variables as always.
            let validated = !skipped_validation;
            if validated && first.errors.iter().all(|e| e.path.is_empty()) {
                return finish(first);
            }
            match retry.request() {
                Some(again) => schema.strict.execute(again.data(kept_auth.into_auth())).await,
                None => first,
            }
        }
        None => schema.strict.execute(request.data(auth)).await,
    };
    finish(response)
}

/// Every answer's last touches.
fn finish(mut response: async_graphql::Response) -> async_graphql::Response {
    // An operation that ran has an object as `data`, even when every field was skipped.
    if response.data == async_graphql::Value::Null && response.errors.is_empty() {
        response.data = async_graphql::Value::Object(Default::default());
    }
    add_missing_codes(&mut response);
    response
}
