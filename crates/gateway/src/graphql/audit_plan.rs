//! Every write through GraphQL in the audit trail: before a mutation runs, what each of its root
//! fields names (the operation, the ids among its arguments, the version it expects, the
//! username a login tries); after, how each ended (ok, rejected with userErrors, or the error's
//! code) and what it answered (the version after, the ids it created). Arguments are read only
//! for ids and versions, so a password, a token or a form's text never reaches the trail.

use async_graphql::parser::types::{OperationType, Selection};
use async_graphql::{Name, Value};
use async_graphql_value::ConstValue;
use jixiao_store::AuditEvent;

use crate::graphql::guard::operation;
use crate::ids::readable;

/// One root field of a mutation, as planned.
#[derive(Clone, Debug, Default)]
pub struct PlannedField {
    /// Where its answer is in `data`.
    key: String,
    name: String,
    objects: Vec<String>,
    version_before: Option<i64>,
    /// The username a login tries.
    login: Option<String>,
}

/// What a mutation is about to do (`None` for a query).
#[derive(Clone, Debug, Default)]
pub struct Planned {
    fields: Vec<PlannedField>,
}

/// How many ids one field keeps (a bulk approval names up to a few hundred projects).
const MAX_OBJECTS: usize = 100;

fn is_id_argument(name: &str) -> bool {
    name == "id" || name == "ids" || name.ends_with("Id") || name.ends_with("Ids")
}

/// The ids and the expected version among an argument's value, walked to a bounded depth.
fn collect(name: &str, value: &ConstValue, field: &mut PlannedField, depth: usize) {
    if depth > 6 || field.objects.len() >= MAX_OBJECTS {
        return;
    }
    match value {
        ConstValue::String(s) if is_id_argument(name) => {
            field.objects.push(readable(s).unwrap_or_else(|| "?".into()));
        }
        ConstValue::List(items) if is_id_argument(name) => {
            for item in items.iter().take(MAX_OBJECTS) {
                collect(name, item, field, depth + 1);
            }
        }
        ConstValue::Number(n) if name == "expectedVersion" || name == "version" => {
            field.version_before = field.version_before.or(n.as_i64());
        }
        ConstValue::Object(entries) => {
            for (key, v) in entries {
                collect(key.as_str(), v, field, depth + 1);
            }
        }
        ConstValue::List(items) => {
            for item in items.iter().take(MAX_OBJECTS) {
                collect(name, item, field, depth + 1);
            }
        }
        _ => {}
    }
}

/// What the request's mutation will do, read from its document and variables; `None` for a
/// query or a document that does not parse (which runs nothing).
pub fn plan(request: &mut async_graphql::Request) -> Option<Planned> {
    let variables = request.variables.clone();
    let name = request.operation_name.clone();
    let document = request.parsed_query().ok()?;
    let op = operation(document, name.as_deref())?;
    if op.node.ty != OperationType::Mutation {
        return None;
    }
    let mut planned = Planned::default();
    for item in &op.node.selection_set.node.items {
        let Selection::Field(f) = &item.node else {
            planned.fields.push(PlannedField { key: String::new(), name: "(fragment)".into(), ..Default::default() });
            continue;
        };
        let f = &f.node;
        let mut field = PlannedField {
            key: f.response_key().node.to_string(),
            name: f.name.node.to_string(),
            ..Default::default()
        };
        for (arg, value) in &f.arguments {
            let value = value.node.clone().into_const_with(|var: Name| {
                Ok::<_, std::convert::Infallible>(variables.get(&var).cloned().unwrap_or(ConstValue::Null))
            });
            let Ok(value) = value;
            if field.name == "login" && arg.node == "username" {
                if let ConstValue::String(s) = &value {
                    field.login = Some(s.chars().take(64).collect());
                }
                continue;
            }
            collect(arg.node.as_str(), &value, &mut field, 0);
        }
        planned.fields.push(field);
    }
    Some(planned)
}

/// Who asked, and from where.
pub struct Caller<'a> {
    pub actor_id: Option<i64>,
    pub actor: &'a str,
    pub address: &'a str,
    pub request_id: &'a str,
}

/// The first `version` and the `id`s in a field's answer, two levels down at most.
fn answered(value: &Value, field: &mut PlannedField, version_after: &mut Option<i64>, depth: usize) {
    let Value::Object(entries) = value else { return };
    for (key, v) in entries {
        match (key.as_str(), v) {
            ("version", Value::Number(n)) => *version_after = version_after.or(n.as_i64()),
            ("id", Value::String(s)) if field.objects.len() < MAX_OBJECTS => {
                if let Some(id) = readable(s).filter(|id| !field.objects.contains(id)) {
                    field.objects.push(id);
                }
            }
            (_, Value::Object(_)) if depth < 2 => answered(v, field, version_after, depth + 1),
            _ => {}
        }
    }
}

/// The trail's records for a mutation that ran: one per root field, with its outcome.
pub fn events(planned: Planned, caller: &Caller<'_>, response: &async_graphql::Response) -> Vec<AuditEvent> {
    let data = match &response.data {
        Value::Object(entries) => Some(entries),
        _ => None,
    };
    let code_of = |e: &async_graphql::ServerError| {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .and_then(|c| if let Value::String(s) = c { Some(s.clone()) } else { None })
            .unwrap_or_else(|| "ERROR".into())
    };
    planned
        .fields
        .into_iter()
        .map(|mut field| {
            let own_error = response.errors.iter().find(|e| {
                e.path.is_empty()
                    || matches!(e.path.first(), Some(async_graphql::PathSegment::Field(k)) if *k == field.key)
            });
            let answer = data.and_then(|d| d.get(field.key.as_str()));
            let rejected = answer
                .and_then(|a| if let Value::Object(o) = a { o.get("userErrors") } else { None })
                .is_some_and(|u| matches!(u, Value::List(l) if !l.is_empty()));
            let outcome = match (own_error, rejected) {
                (Some(e), _) => code_of(e),
                (None, true) => "rejected".into(),
                (None, false) => "ok".into(),
            };
            let mut version_after = None;
            if let Some(a) = answer {
                answered(a, &mut field, &mut version_after, 0);
            }
            let (actor, actor_id) = match &field.login {
                Some(tried) => (tried.clone(), None),
                None => (caller.actor.to_string(), caller.actor_id),
            };
            AuditEvent {
                actor_id,
                actor,
                address: caller.address.to_string(),
                request_id: caller.request_id.to_string(),
                operation: if field.name == "login" { "login".into() } else { format!("mutation.{}", field.name) },
                objects: field.objects,
                version_before: field.version_before,
                version_after,
                outcome,
                detail: String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{Kind, encode};

    #[test]
    fn ids_and_versions_are_planned_and_secrets_are_not() {
        let project = encode(Kind::Project, 42).0;
        let mut request = async_graphql::Request::new(
            "mutation($id: ID!, $p: String!) { a: approveProject(id: $id, expectedVersion: 3, comment: \"好\") { project { version } }
               changePassword(oldPassword: $p, newPassword: \"x\") { token } login(username: \"Wang\", password: $p) { token } }",
        )
        .variables(async_graphql::Variables::from_json(serde_json::json!({ "id": project, "p": "secret" })));
        let planned = plan(&mut request).expect("a mutation");
        assert_eq!(planned.fields.len(), 3);
        assert_eq!(planned.fields[0].key, "a");
        assert_eq!(planned.fields[0].objects, vec!["Project:42".to_string()]);
        assert_eq!(planned.fields[0].version_before, Some(3));
        assert_eq!(planned.fields[2].login.as_deref(), Some("Wang"));
        let all = format!("{planned:?}");
        assert!(!all.contains("secret") && !all.contains("好"), "{all}");
        let mut query = async_graphql::Request::new("{ me { id } }");
        assert!(plan(&mut query).is_none());
    }
}
