//! `checkDeclaration`'s own lane: a form read from the request body once, straight into its
//! input type.
//!
//! A form is checked as the user types, so the same request comes over and over with a new
//! form. Read the general way, its 60 rows were copied three times before the check saw them:
//! the body into async-graphql's variables, the variable into the argument's value, and each
//! level of the input type copying its fields out of that value (BENCHMARKS.md, step 21). Here,
//! when the body's document is one already validated whose only root field is
//! `checkDeclaration(input: $form)`, the body is read once, its form straight into
//! `CreateProjectInput` (serde, below and in `inputs.rs`), and the variable is given a
//! placeholder that the argument takes as "the form read before" (`FormArgument`).
//!
//! The lane answers exactly as the general way would, because it only takes forms the general
//! way reads to the same value: every field is read as async-graphql reads it (a scalar or enum
//! by its own `InputType::parse`), and anything else (a field the type lacks, a value that would
//! be coerced, such as one row given without its list, a NUL, a duplicate key, extensions,
//! another variable, an error of any kind) sends the request the general way, whose answer,
//! error or not, is the one given. The placeholder is a binary value, which no JSON body can
//! hold, so no client can make the argument take a form that was not read here.

use std::borrow::Cow;
use std::fmt;
use std::sync::Mutex;

use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection};
use async_graphql::registry::Registry;
use async_graphql::{Context, InputType, InputValueError, InputValueResult, Name, Value, Variables};
use memchr::memmem;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::ApiError;
use crate::graphql::checked_documents::CheckedDocuments;
use crate::graphql::declaration::inputs::CreateProjectInput;
use crate::graphql::guard::operation;

/// The root field, argument and variable type the lane serves.
const FIELD: &str = "checkDeclaration";
const ARGUMENT: &str = "input";
const VARIABLE_TYPE: &str = "CreateProjectInput!";

/// The request for a JSON `body` when it can take the lane: its variable holds the placeholder
/// and its data the form. `None` sends the body the general way.
pub fn request(documents: &CheckedDocuments, body: &[u8]) -> Option<async_graphql::Request> {
    // Every other body is passed over with one quick look. A NUL is refused with its path by the
    // guard, the general way (`guard::check_variables`).
    memmem::find(body, FIELD.as_bytes())?;
    if memmem::find(body, b"\\u0000").is_some() {
        return None;
    }
    // Checked as UTF-8 once, not string by string (a body that is not, the general way refuses).
    let body = std::str::from_utf8(body).ok()?;
    let read = Map(LaneBody { documents }).deserialize(&mut serde_json::Deserializer::from_str(body)).ok()?;
    let mut request = async_graphql::Request::new(read.query);
    request.operation_name = read.operation_name;
    request.variables =
        Variables::from_value(Value::Object([(Name::new(read.variable), placeholder())].into_iter().collect()));
    Some(request.data(ReadForm(Mutex::new(Some(read.form)))))
}

/// Reads a JSON request body in one pass, for the lane or not at all (an error). Its fields are
/// read as `async_graphql::Request` reads them, so a body one refuses the other refuses too:
/// `query` a string, `operationName` a string or null, other keys passed over, a key given twice
/// refused. The variables are read straight into the form when the query came before them (as
/// clients write it); else they are kept as text and read once the query is known.
struct LaneBody<'d> {
    documents: &'d CheckedDocuments,
}

/// What the lane read from a body.
struct LaneRead {
    query: String,
    operation_name: Option<String>,
    variable: String,
    form: CreateProjectInput,
}

enum HeldVariables<'de> {
    Read { variable: String, form: CreateProjectInput },
    Text(&'de RawValue),
}

#[derive(Deserialize)]
#[serde(field_identifier)]
enum Key {
    #[serde(rename = "query")]
    Query,
    #[serde(rename = "operationName")]
    OperationName,
    #[serde(rename = "variables")]
    Variables,
    #[serde(rename = "extensions")]
    Extensions,
    #[serde(other)]
    Other,
}

/// A string, borrowed from the body when it has no escapes.
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

impl LaneBody<'_> {
    /// The form's variable when `query` is a document validated before and a lone check.
    fn variable_of(&self, query: &str, operation_name: Option<&str>) -> Option<String> {
        let kept = self.documents.known(query).filter(|kept| kept.validated())?;
        form_variable(&kept.document, operation_name).map(str::to_owned)
    }
}

fn not_for_the_lane<E: de::Error>() -> E {
    E::custom("not for the lane")
}

fn once<T, E: de::Error>(seen: &Option<T>) -> Result<(), E> {
    if seen.is_some() { Err(E::custom("a key given twice")) } else { Ok(()) }
}

/// Reads a JSON object with the visitor it holds (the lane's readers are map visitors with state).
struct Map<V>(V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for Map<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        deserializer.deserialize_map(self.0)
    }
}

impl<'de> Visitor<'de> for LaneBody<'_> {
    type Value = LaneRead;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GraphQL request checking one form")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LaneRead, A::Error> {
        let mut query: Option<Cow<'de, str>> = None;
        let mut operation_name: Option<Option<String>> = None;
        let mut variables: Option<HeldVariables<'de>> = None;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Query => {
                    once(&query)?;
                    query = Some(map.next_value::<Text<'de>>()?.0);
                }
                Key::OperationName => {
                    once(&operation_name)?;
                    operation_name = Some(map.next_value()?);
                }
                Key::Variables => {
                    once(&variables)?;
                    let given = operation_name.as_ref().and_then(Option::as_deref);
                    let variable = query.as_deref().and_then(|query| self.variable_of(query, given));
                    variables = Some(match variable {
                        Some(variable) => {
                            let form = map.next_value_seed(Map(OnlyVariable { name: &variable }))?;
                            HeldVariables::Read { variable, form }
                        }
                        // The query or the operation's name is yet to come.
                        None if query.is_none() || operation_name.is_none() => HeldVariables::Text(map.next_value()?),
                        None => return Err(not_for_the_lane()),
                    });
                }
                Key::Extensions => return Err(not_for_the_lane()),
                Key::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        let query = query.unwrap_or_default();
        let operation_name = operation_name.flatten();
        // Which variable is the form is known only with the operation's name, which may come last.
        let variable = self.variable_of(&query, operation_name.as_deref()).ok_or_else(not_for_the_lane)?;
        let form = match variables.ok_or_else(not_for_the_lane)? {
            HeldVariables::Read { variable: read, form } if read == variable => form,
            HeldVariables::Read { .. } => return Err(not_for_the_lane()),
            HeldVariables::Text(text) => Map(OnlyVariable { name: &variable })
                .deserialize(&mut serde_json::Deserializer::from_str(text.get()))
                .map_err(|_| not_for_the_lane::<A::Error>())?,
        };
        Ok(LaneRead { query: query.into_owned(), operation_name, variable, form })
    }
}

/// The variable the operation gives `checkDeclaration` as its whole input, when that is all the
/// operation does: one root field, one variable, no directives, no default.
fn form_variable<'d>(document: &'d ExecutableDocument, operation_name: Option<&str>) -> Option<&'d str> {
    let operation = &operation(document, operation_name)?.node;
    if operation.ty != OperationType::Query || !operation.directives.is_empty() {
        return None;
    }
    let [definition] = operation.variable_definitions.as_slice() else { return None };
    let definition = &definition.node;
    let plain = definition.default_value.is_none() && definition.directives.is_empty();
    if !plain || definition.var_type.node.to_string() != VARIABLE_TYPE {
        return None;
    }
    let [selection] = operation.selection_set.node.items.as_slice() else { return None };
    let Selection::Field(field) = &selection.node else { return None };
    let field = &field.node;
    if field.name.node != FIELD || !field.directives.is_empty() {
        return None;
    }
    let [(argument, value)] = field.arguments.as_slice() else { return None };
    let given = matches!(&value.node, async_graphql_value::Value::Variable(name) if *name == definition.name.node);
    (argument.node == ARGUMENT && given).then_some(definition.name.node.as_str())
}

/// Reads a variables object holding exactly one variable, `name`, as the form.
struct OnlyVariable<'n> {
    name: &'n str,
}

impl<'de> Visitor<'de> for OnlyVariable<'_> {
    type Value = CreateProjectInput;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "variables holding only ${}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CreateProjectInput, A::Error> {
        let first: Option<Cow<str>> = map.next_key()?;
        if first.as_deref() != Some(self.name) {
            return Err(de::Error::custom("not the form's variable"));
        }
        let form = map.next_value()?;
        if map.next_key::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("more than one variable"));
        }
        Ok(form)
    }
}

/// The variable's value on the lane: binary, which JSON cannot give.
fn placeholder() -> Value {
    Value::Binary(Default::default())
}

/// Whether a variable holds the lane's placeholder: its form was read whole, no field its type
/// lacks (`schema::may_skip_validation`).
pub(super) fn is_placeholder(value: &Value) -> bool {
    matches!(value, Value::Binary(_))
}

/// The form the lane read, taken by the one field that asks for it.
struct ReadForm(Mutex<Option<CreateProjectInput>>);

/// `checkDeclaration`'s argument: the form given the general way, or read by the lane. Its type
/// in the schema is `CreateProjectInput!` as before.
pub enum FormArgument {
    Given(Box<CreateProjectInput>),
    ReadBefore,
}

impl FormArgument {
    pub fn into_form(self, ctx: &Context<'_>) -> Result<CreateProjectInput, ApiError> {
        match self {
            FormArgument::Given(form) => Ok(*form),
            FormArgument::ReadBefore => ctx
                .data_opt::<ReadForm>()
                .and_then(|read| read.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take())
                .ok_or_else(|| ApiError::internal(&"the form read before was not there")),
        }
    }
}

impl InputType for FormArgument {
    type RawValueType = Self;

    fn type_name() -> Cow<'static, str> {
        CreateProjectInput::type_name()
    }

    fn qualified_type_name() -> String {
        CreateProjectInput::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        CreateProjectInput::create_type_info(registry)
    }

    fn parse(value: Option<Value>) -> InputValueResult<Self> {
        match value {
            Some(value) if is_placeholder(&value) => Ok(FormArgument::ReadBefore),
            value => CreateProjectInput::parse(value)
                .map(|form| FormArgument::Given(Box::new(form)))
                .map_err(InputValueError::propagate),
        }
    }

    fn to_value(&self) -> Value {
        match self {
            FormArgument::Given(form) => form.to_value(),
            FormArgument::ReadBefore => Value::Null,
        }
    }

    fn as_raw_value(&self) -> Option<&Self> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value as Json, json};

    use super::*;

    /// The seed's projects as forms, and forms written the ways a client may write them.
    fn forms() -> Vec<Json> {
        let seed: Json = serde_json::from_str(crate::demo::DEMO_DECLARATION).unwrap();
        let mut forms: Vec<Json> = seed["projects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|project| {
                let mut form = project.clone();
                let fields = form.as_object_mut().unwrap();
                fields.remove("competentDepartment");
                fields.remove("implementingUnit");
                fields.insert("fiscalYear".into(), json!(2023));
                fields.insert("implementingUnitId".into(), json!("QnVkZ2V0VW5pdDox"));
                form
            })
            .collect();
        let least = json!({ "fiscalYear": 2024, "implementingUnitId": "x", "name": "只有名称" });
        let mut nulls = least.clone();
        for optional in ["category", "plannedStart", "plannedEnd", "sections", "overallGoal", "annualGoal", "funds"] {
            nulls[optional] = Json::Null;
        }
        nulls["indicatorFramework"] = Json::Null;
        nulls["sections"] = json!({ "overview": null, "plan": "方案" });
        nulls["funds"] = json!({ "total": null, "fiscal": "", "annualOther": "1.5" });
        nulls["indicators"] = json!([
            { "level1": "COST", "level2": "ECONOMIC_COST", "name": "成本", "target": "≤15万元", "note": null, "libraryEntryId": null },
            { "target": "≥90", "libraryEntryId": "TGlicmFyeUVudHJ5OjE" },
            { "level1": null, "name": "缺一级", "target": "1" }
        ]);
        let mut number_id = least.clone();
        number_id["implementingUnitId"] = json!(42);
        number_id["indicatorFramework"] = json!("CENTRAL_2021");
        number_id["fundItems"] = json!([]);
        forms.extend([least, nulls, number_id]);
        forms
    }

    /// A form as the general way reads it (async-graphql's `parse`), in the domain's terms.
    fn general(
        form: &Json,
    ) -> Option<(async_graphql::ID, (jixiao_domain::DeclarationInput, Vec<jixiao_domain::Problem>))> {
        let input = CreateProjectInput::parse(Some(Value::from_json(form.clone()).unwrap())).ok()?;
        Some((input.implementing_unit_id.clone(), input.into_domain()))
    }

    fn lane(
        form: &Json,
    ) -> Option<(async_graphql::ID, (jixiao_domain::DeclarationInput, Vec<jixiao_domain::Problem>))> {
        let variables = serde_json::to_string(&json!({ "input": form })).unwrap();
        let input = Map(OnlyVariable { name: "input" })
            .deserialize(&mut serde_json::Deserializer::from_str(&variables))
            .ok()?;
        Some((input.implementing_unit_id.clone(), input.into_domain()))
    }

    #[test]
    fn the_lane_reads_every_form_as_async_graphql_reads_it() {
        for form in forms() {
            let read = lane(&form).unwrap_or_else(|| panic!("the lane did not take {form}"));
            assert_eq!(Some(read), general(&form), "{form}");
        }
    }

    #[test]
    fn what_the_general_way_would_read_otherwise_or_refuse_does_not_take_the_lane() {
        let form = &forms()[0];
        let changed = |path: &str, value: Json| {
            let mut form = form.clone();
            *form.pointer_mut(path).unwrap() = value;
            form
        };
        let mut cases = vec![
            // Fields a type lacks (the general way ignores them; the guard refuses them).
            changed("/sections", json!({ "overview": "x", "extra": "y" })),
            changed("/funds", json!({ "total": "1.00", "tota": "2.00" })),
            changed(
                "/indicators/0",
                json!({ "level1": "OUTPUT", "level2": "QUANTITY", "name": "n", "target": "1", "x": 1 }),
            ),
            // Coerced: one row without its list; refused: wrong types, unknown names, overflow.
            changed("/indicators", form["indicators"][0].clone()),
            changed("/fundItems", json!({ "name": "经费", "amount": "1.00" })),
            changed("/indicators/0/level1", json!("NOT_A_LEVEL")),
            changed("/indicators/0/level2", json!(3)),
            changed("/plannedStart", json!("2023-02-30")),
            changed("/fiscalYear", json!("2023")),
            changed("/fiscalYear", json!(2023.5)),
            changed("/fiscalYear", json!(1_i64 << 40)),
            changed("/name", Json::Null),
            changed("/implementingUnitId", json!(1.5)),
            changed("/category", json!(["RECURRING"])),
            changed("/indicators/0/target", json!({ "text": "=100%" })),
        ];
        let mut top = form.clone();
        top["shape"] = json!("extra");
        cases.push(top);
        for case in &cases {
            assert!(lane(case).is_none(), "the lane took {case}");
        }
        // A key given twice is the general way's to answer.
        let twice = r#"{"input": {"fiscalYear": 2023, "fiscalYear": 2024, "implementingUnitId": "x", "name": "n"}}"#;
        let read = Map(OnlyVariable { name: "input" }).deserialize(&mut serde_json::Deserializer::from_str(twice));
        assert!(read.is_err());
    }

    const CHECK: &str =
        "query Check($input: CreateProjectInput!) { checkDeclaration(input: $input) { findings { code } } }";

    fn body(query: &str, variables: Json) -> Vec<u8> {
        serde_json::to_vec(&json!({ "query": query, "variables": variables })).unwrap()
    }

    /// The guard keeps `query`; it is validated when `validated`.
    fn kept(query: &str, validated: bool) -> CheckedDocuments {
        let documents = CheckedDocuments::new(10_000, true);
        let kept = documents.check(&mut async_graphql::Request::new(query)).unwrap().unwrap();
        if validated {
            kept.mark_validated();
        }
        documents
    }

    #[test]
    fn only_a_validated_lone_check_of_one_form_takes_the_lane() {
        let form = forms()[0].clone();
        let taken = request(&kept(CHECK, true), &body(CHECK, json!({ "input": form }))).expect("the lane");
        assert_eq!(taken.variables.get("input").map(is_placeholder), Some(true));
        assert!(taken.data.contains_key(&std::any::TypeId::of::<ReadForm>()));
        // Not validated yet, or not known.
        assert!(request(&kept(CHECK, false), &body(CHECK, json!({ "input": form }))).is_none());
        assert!(request(&CheckedDocuments::new(10_000, true), &body(CHECK, json!({ "input": form }))).is_none());
        // Another variable, a NUL, extensions, no variables.
        let documents = kept(CHECK, true);
        assert!(request(&documents, &body(CHECK, json!({ "input": form, "other": 1 }))).is_none());
        let mut nul = form.clone();
        nul["name"] = json!("名\u{0}称");
        assert!(request(&documents, &body(CHECK, json!({ "input": nul }))).is_none());
        let with = json!({ "query": CHECK, "variables": { "input": form }, "extensions": null });
        assert!(request(&documents, &serde_json::to_vec(&with).unwrap()).is_none());
        assert!(request(&documents, &body(CHECK, Json::Null)).is_none());
        // Documents that do more than check one form given as a variable.
        for query in [
            "query($input: CreateProjectInput!) { checkDeclaration(input: $input) { findings { code } } me { username } }",
            "query($input: CreateProjectInput!, $x: Boolean!) { checkDeclaration(input: $input) @include(if: $x) { findings { code } } }",
            "query($input: CreateProjectInput!) { a: checkDeclaration(input: $input) { findings { code } } b: checkDeclaration(input: $input) { findings { code } } }",
            "query($input: CreateProjectInput) { checkDeclaration(input: $input) { findings { code } } }",
            "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
            "query { checkDeclaration(input: { fiscalYear: 2023, implementingUnitId: \"x\", name: \"n\" }) { findings { code } } }",
        ] {
            assert!(request(&kept(query, true), &body(query, json!({ "input": form }))).is_none(), "{query}");
        }
        // An alias and a named operation among others take it.
        let named = "query A { me { username } } query B($f: CreateProjectInput!) { c: checkDeclaration(input: $f) { findings { code } } }";
        let mut with_name = json!({ "query": named, "variables": { "f": form } });
        with_name["operationName"] = json!("B");
        let documents = kept(named, true);
        assert!(request(&documents, &serde_json::to_vec(&with_name).unwrap()).is_some());
        // Read in whatever order the keys come: the variables before the query, the operation's
        // name last (it decides which variable is the form).
        let form_text = form.to_string();
        let quoted = Json::from(named).to_string();
        let late = format!(r#"{{"variables":{{"f":{form_text}}},"query":{quoted},"operationName":"B"}}"#);
        let taken = request(&documents, late.as_bytes()).expect("the lane");
        assert_eq!(taken.operation_name.as_deref(), Some("B"));
        let other = format!(r#"{{"query":{quoted},"variables":{{"f":{form_text}}},"operationName":"A"}}"#);
        assert!(request(&documents, other.as_bytes()).is_none());
        let twice =
            format!(r#"{{"query":{quoted},"variables":{{"f":{form_text}}},"operationName":"B","query":{quoted}}}"#);
        assert!(request(&documents, twice.as_bytes()).is_none());
    }

    #[test]
    fn the_placeholder_is_nothing_json_can_give() {
        for given in [json!(null), json!(""), json!([]), json!({}), json!("AAAA"), json!([0, 1])] {
            assert!(!is_placeholder(&Value::from_json(given).unwrap()));
        }
    }
}
