use async_graphql::{EmptySubscription, Schema, SchemaBuilder};

use super::access::RequestAuth;
use super::error::add_missing_codes;
use super::field_errors::NullOnError;
use super::guard::MAX_NESTING;
use super::mutation::Mutation;
use super::query::Query;
use super::types::node::Node;
use crate::auth::Authenticator;

pub type JixiaoSchema = Schema<Query, Mutation, EmptySubscription>;

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

fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query, Mutation::default(), EmptySubscription)
        .register_output_type::<Node>()
        .extension(NullOnError)
        // Selection sets nest at most this deep, fragments included (async-graphql's own check
        // after parsing; `guard` has already bounded the text's nesting before it).
        .limit_recursive_depth(MAX_NESTING)
}

fn limited(limits: Limits) -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    let b = builder().limit_depth(limits.max_depth).limit_complexity(limits.max_complexity);
    if limits.introspection { b } else { b.disable_introspection() }
}

pub fn build(authenticator: Authenticator, limits: Limits) -> JixiaoSchema {
    limited(limits).data(authenticator).finish()
}

/// The SDL exactly as served (what `jixiao schema` prints and `schema.graphql` holds).
pub fn sdl() -> String {
    builder().finish().sdl()
}

/// The schema with its limits but without a database: every resolver answers UNAUTHENTICATED
/// (or, for `login`, an error) before it would read anything. For checking the request pipeline
/// (the guard, parsing, validation, the limits) on any input, as the fuzz target does.
pub fn without_database(limits: Limits) -> JixiaoSchema {
    limited(limits).finish()
}

/// Runs one request with the caller's credentials, and gives every error a code.
pub async fn execute(
    schema: &JixiaoSchema,
    request: async_graphql::Request,
    auth: RequestAuth,
) -> async_graphql::Response {
    let mut response = schema.execute(request.data(auth)).await;
    add_missing_codes(&mut response);
    response
}
