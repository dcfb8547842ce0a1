//! What a request may contain, checked before async-graphql parses, validates or runs it.
//!
//! async-graphql's parser (pest) and its validation rules recurse over the document: over nested
//! list and object literals, selection sets and fragment spreads. A request that nests deeply
//! enough exhausts the thread's stack and aborts the whole process, and one whose fragments
//! spread each other ten times over expands to billions of fields that validation walks one by
//! one. So, in this order, each step linear in the size of the request and none recursing deeper
//! than the one before allowed:
//!
//! 1. the raw text may nest brackets (`(`, `[`, `{`) at most [`MAX_NESTING`] deep (a scan of the
//!    text that skips strings and comments; this bounds every recursive walk after it);
//! 2. the document is parsed (once; the parsed document is handed on to async-graphql);
//! 3. fragments may not spread each other in a cycle nor chain deeper than [`MAX_NESTING`], and the
//!    fields of the whole document after fragment expansion are counted (each fragment once,
//!    memoised, in an explicit post-order so a long chain of fragments costs no stack) and may be
//!    at most `max_fields`;
//! 4. no text value, in the document or in the variables, may contain a NUL character (PostgreSQL
//!    text cannot hold one; refusing it here means no resolver ever sends one to the database);
//! 5. `@skip(if:)` and `@include(if:)` take a Boolean or a variable (async-graphql does not
//!    check literals there and would silently drop the field).

use jixiao_domain::Message;
use std::collections::HashMap;

use async_graphql::parser::Positioned;
use async_graphql::parser::types::{
    Directive, DocumentOperations, ExecutableDocument, FragmentDefinition, OperationDefinition, Selection, SelectionSet,
};
use async_graphql_value::{ConstValue, Value};

use crate::error::ApiError;

/// The deepest the text of a request may nest brackets, and the longest chain of fragment
/// spreads. Legitimate queries (GraphiQL's introspection query included) stay below 20.
pub const MAX_NESTING: usize = 64;

/// Checks `request` and, when it passes, attaches the parsed document so it is not parsed again.
/// Without `introspection`, a request for `__schema` or `__type` is refused (async-graphql
/// would answer it with a silent `null`).
pub fn check(request: &mut async_graphql::Request, max_fields: u64, introspection: bool) -> Result<(), ApiError> {
    let depth = bracket_depth(&request.query);
    if depth > MAX_NESTING {
        return Err(ApiError::TooDeep(Message::new(
            format!("查询的括号嵌套了 {depth} 层，最多 {MAX_NESTING} 层"),
            format!("the query nests brackets {depth} deep; at most {MAX_NESTING} levels are accepted"),
        )));
    }
    let document = async_graphql::parser::parse_query(&request.query).map_err(|e| {
        let detail = clip(&e.to_string(), 200);
        ApiError::bad_input(format!("查询语句无法解析：{detail}"), format!("the query does not parse: {detail}"))
    })?;
    let fields = expanded_fields(&document)?;
    if fields > max_fields {
        return Err(ApiError::TooComplex(Message::new(
            format!("查询展开片段后共 {fields} 个字段，最多 {max_fields} 个"),
            format!(
                "the query expands to {fields} fields once its fragments are spread; at most {max_fields} are accepted"
            ),
        )));
    }
    if !introspection && asks_for_the_schema(&document) {
        return Err(ApiError::Forbidden(Message::new(
            "本服务已关闭内省查询（introspection：__schema、__type）；完整的接口定义见仓库中的 schema.graphql。",
            "introspection (__schema, __type) is switched off on this service; the whole API is in the repository's schema.graphql",
        )));
    }
    check_document_values(&document)?;
    check_variables(request)?;
    request.set_parsed_query(document);
    Ok(())
}

/// Step 4 for the variables, which come with each request (the document's own values are
/// checked with the document).
pub fn check_variables(request: &async_graphql::Request) -> Result<(), ApiError> {
    // Most requests have no NUL anywhere: look for one first, and spell out where it is (a path
    // per value, which costs a string per value of a whole form) only once one is found.
    if !request.variables.iter().any(|(_, value)| has_nul(value)) {
        return Ok(());
    }
    for (name, value) in request.variables.iter() {
        check_const_value(value, &mut format!("variables.{name}"))?;
    }
    Ok(())
}

fn has_nul(value: &ConstValue) -> bool {
    match value {
        ConstValue::String(s) => s.contains('\0'),
        ConstValue::List(items) => items.iter().any(has_nul),
        ConstValue::Object(fields) => fields.values().any(has_nul),
        _ => false,
    }
}

/// The name of the operation a checked request will run, for logs and metrics: the client's
/// `operationName`, or else the name of the document's only operation.
pub fn operation_name(request: &mut async_graphql::Request) -> Option<String> {
    if let Some(name) = &request.operation_name {
        return Some(clip(name, 64));
    }
    match &request.parsed_query().ok()?.operations {
        DocumentOperations::Multiple(named) if named.len() == 1 => named.keys().next().map(|n| clip(n, 64)),
        _ => None,
    }
}

/// The operation a request runs: the one it names, or the document's only one.
pub fn operation<'a>(
    document: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a Positioned<OperationDefinition>> {
    match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        _ => None,
    }
}

/// The deepest nesting of `(`, `[` and `{` in a GraphQL text, outside strings and comments.
pub fn bracket_depth(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut i, mut depth, mut deepest) = (0, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") { 4 } else { 1 };
                }
                i += 2; // the closing quotes (the loop's `i += 1` takes the third)
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// Whether any operation or fragment selects `__schema` or `__type` (`__typename` is not
/// introspection of the schema, and is always answered).
fn asks_for_the_schema(document: &ExecutableDocument) -> bool {
    /// Recursion is bounded: the text nests at most [`MAX_NESTING`] deep.
    fn asks(set: &SelectionSet) -> bool {
        set.items.iter().any(|selection| match &selection.node {
            Selection::Field(field) => {
                matches!(field.node.name.node.as_str(), "__schema" | "__type") || asks(&field.node.selection_set.node)
            }
            Selection::FragmentSpread(_) => false,
            Selection::InlineFragment(inline) => asks(&inline.node.selection_set.node),
        })
    }
    document.fragments.values().any(|f| asks(&f.node.selection_set.node))
        || document.operations.iter().any(|(_, op)| asks(&op.node.selection_set.node))
}

/// What one selection set holds before its fragments are expanded.
#[derive(Default)]
struct Local<'d> {
    /// Fields written in it, at any depth.
    fields: u64,
    /// Its deepest selection set, counting fragment spreads and inline fragments as a level.
    depth: usize,
    /// Each fragment spread, with the depth it is written at.
    spreads: Vec<(&'d str, usize)>,
}

impl<'d> Local<'d> {
    fn of(set: &'d SelectionSet) -> Local<'d> {
        let mut local = Local::default();
        local.walk(set, 1);
        local
    }

    /// Recursion is bounded: the text nests at most [`MAX_NESTING`] deep.
    fn walk(&mut self, set: &'d SelectionSet, depth: usize) {
        self.depth = self.depth.max(depth);
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    self.fields += 1;
                    if !field.node.selection_set.node.items.is_empty() {
                        self.walk(&field.node.selection_set.node, depth + 1);
                    }
                }
                Selection::FragmentSpread(spread) => {
                    self.spreads.push((spread.node.fragment_name.node.as_str(), depth))
                }
                Selection::InlineFragment(inline) => self.walk(&inline.node.selection_set.node, depth + 1),
            }
        }
    }
}

/// A fragment's cost once every spread in it is expanded.
#[derive(Clone, Copy)]
struct Expanded {
    fields: u64,
    depth: usize,
}

/// Fields of every operation and fragment definition after expansion, summed (validation walks
/// each of them). Refuses cycles and chains of spreads deeper than [`MAX_NESTING`].
fn expanded_fields(document: &ExecutableDocument) -> Result<u64, ApiError> {
    let locals: HashMap<&str, Local> =
        document.fragments.iter().map(|(name, f)| (name.as_str(), Local::of(&f.node.selection_set.node))).collect();
    let mut done: HashMap<&str, Expanded> = HashMap::with_capacity(locals.len());
    let mut names: Vec<&str> = locals.keys().copied().collect();
    names.sort_unstable(); // the same answer for the same document
    for root in names {
        expand_fragment(root, &locals, &mut done)?;
    }
    let mut total = done.values().fold(0u64, |sum, e| sum.saturating_add(e.fields));
    for (_, operation) in document.operations.iter() {
        let expanded = combine(&Local::of(&operation.node.selection_set.node), &done);
        if expanded.depth > MAX_NESTING {
            return Err(too_deep_spreads());
        }
        total = total.saturating_add(expanded.fields);
    }
    Ok(total)
}

/// Expands `root` and every fragment it reaches, in post-order with an explicit stack (a chain
/// of a hundred thousand fragments costs no stack), each fragment once.
fn expand_fragment<'d>(
    root: &'d str,
    locals: &HashMap<&'d str, Local<'d>>,
    done: &mut HashMap<&'d str, Expanded>,
) -> Result<(), ApiError> {
    if done.contains_key(root) {
        return Ok(());
    }
    // (fragment, index of its next spread to look at); `on_stack` finds cycles.
    let mut stack: Vec<(&str, usize)> = vec![(root, 0)];
    let mut on_stack: std::collections::HashSet<&str> = [root].into();
    while let Some((name, next)) = stack.last_mut() {
        let local = &locals[*name];
        if let Some(&(spread, _)) = local.spreads.get(*next) {
            *next += 1;
            if on_stack.contains(spread) {
                let (spread, name) = (clip(spread, 64), clip(name, 64));
                return Err(ApiError::bad_input(
                    format!("片段 `{spread}` 经由 `{name}` 引用了自身：片段不能循环引用"),
                    format!("fragment `{spread}` spreads itself (through `{name}`): fragments may not form a cycle"),
                ));
            }
            if locals.contains_key(spread) && !done.contains_key(spread) {
                if stack.len() >= MAX_NESTING {
                    return Err(too_deep_spreads());
                }
                on_stack.insert(spread);
                stack.push((spread, 0));
            }
        } else {
            let expanded = combine(local, done);
            if expanded.depth > MAX_NESTING {
                return Err(too_deep_spreads());
            }
            done.insert(name, expanded);
            on_stack.remove(*name);
            stack.pop();
        }
    }
    Ok(())
}

/// A selection set's cost, given the expanded cost of the fragments it spreads (an unknown
/// fragment costs nothing here; validation reports it).
fn combine(local: &Local, done: &HashMap<&str, Expanded>) -> Expanded {
    let mut expanded = Expanded { fields: local.fields, depth: local.depth };
    for (spread, at) in &local.spreads {
        if let Some(inner) = done.get(spread) {
            expanded.fields = expanded.fields.saturating_add(inner.fields);
            expanded.depth = expanded.depth.max(at.saturating_add(inner.depth));
        }
    }
    expanded
}

fn too_deep_spreads() -> ApiError {
    ApiError::TooDeep(Message::new(
        format!("片段相互引用超过 {MAX_NESTING} 层"),
        format!("fragments spread each other more than {MAX_NESTING} levels deep"),
    ))
}

/// Every value written in the document: arguments, directive arguments and variable defaults.
fn check_document_values(document: &ExecutableDocument) -> Result<(), ApiError> {
    for (_, operation) in document.operations.iter() {
        for variable in &operation.node.variable_definitions {
            if let Some(default) = &variable.node.default_value {
                check_const_value(&default.node, &mut format!("${}", variable.node.name.node))?;
            }
        }
        check_directives(&operation.node.directives)?;
        check_selection_set(&operation.node.selection_set.node)?;
    }
    for (_, fragment) in document.fragments.iter() {
        let FragmentDefinition { directives, selection_set, .. } = &fragment.node;
        check_directives(directives)?;
        check_selection_set(&selection_set.node)?;
    }
    Ok(())
}

fn check_selection_set(set: &SelectionSet) -> Result<(), ApiError> {
    for selection in &set.items {
        check_directives(selection.node.directives())?;
        match &selection.node {
            Selection::Field(field) => {
                for (name, value) in &field.node.arguments {
                    check_value(&value.node, &mut format!("{}({})", field.node.name.node, name.node))?;
                }
                check_selection_set(&field.node.selection_set.node)?;
            }
            Selection::FragmentSpread(_) => {}
            Selection::InlineFragment(inline) => check_selection_set(&inline.node.selection_set.node)?,
        }
    }
    Ok(())
}

fn check_directives(directives: &[Positioned<Directive>]) -> Result<(), ApiError> {
    for directive in directives {
        let name = directive.node.name.node.as_str();
        for (argument, value) in &directive.node.arguments {
            let path = &mut format!("@{name}({})", argument.node);
            if matches!(name, "skip" | "include")
                && argument.node == "if"
                && !matches!(value.node, Value::Boolean(_) | Value::Variable(_))
            {
                let given = clip(&value.node.to_string(), 40);
                return Err(ApiError::bad_input(
                    format!("{path} 只接受 true、false 或布尔变量，而不是 {given}"),
                    format!("{path} takes true, false or a Boolean variable, not {given}"),
                ));
            }
            check_value(&value.node, path)?;
        }
    }
    Ok(())
}

/// Values in the document nest no deeper than the text does (see [`MAX_NESTING`]).
fn check_value(value: &Value, path: &mut String) -> Result<(), ApiError> {
    match value {
        Value::String(s) => check_text(s, path),
        Value::List(items) => {
            items.iter().enumerate().try_for_each(|(i, v)| with_segment(path, &format!("[{i}]"), |p| check_value(v, p)))
        }
        Value::Object(fields) => {
            fields.iter().try_for_each(|(k, v)| with_segment(path, &format!(".{k}"), |p| check_value(v, p)))
        }
        _ => Ok(()),
    }
}

/// Variables come from JSON, which serde_json reads at most 128 levels deep.
fn check_const_value(value: &ConstValue, path: &mut String) -> Result<(), ApiError> {
    match value {
        ConstValue::String(s) => check_text(s, path),
        ConstValue::List(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| with_segment(path, &format!("[{i}]"), |p| check_const_value(v, p))),
        ConstValue::Object(fields) => fields
            .iter()
            .try_for_each(|(k, v)| with_segment(path, &format!(".{}", clip(k, 64)), |p| check_const_value(v, p))),
        _ => Ok(()),
    }
}

fn with_segment<T>(path: &mut String, segment: &str, f: impl FnOnce(&mut String) -> T) -> T {
    let len = path.len();
    path.push_str(segment);
    let out = f(path);
    path.truncate(len);
    out
}

fn check_text(text: &str, path: &str) -> Result<(), ApiError> {
    if text.contains('\0') {
        let path = clip(path, 200);
        return Err(ApiError::bad_input(
            format!("{path} 含有空字符（\\u0000），任何文字都不能含有：请删除"),
            format!("{path} contains a NUL character (\\u0000), which no text may contain: remove it"),
        ));
    }
    Ok(())
}

/// At most `max` characters of a client-supplied text, for messages and logs.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::Variables;

    use super::*;

    fn run(query: &str) -> Result<(), ApiError> {
        check(&mut async_graphql::Request::new(query), 5_000, true)
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        assert_eq!(bracket_depth("{ a(x: \"[[[[\") { b { c } } }"), 3);
        assert_eq!(bracket_depth("{ a # [[[[[[\n }"), 1);
        assert_eq!(bracket_depth("{ a(x: \"\"\" [[[ \\\"\"\" [[ \"\"\") }"), 2);
        assert_eq!(bracket_depth("{ a(x: \"\\\"[[[\") }"), 2);
    }

    #[test]
    fn deep_literals_are_refused_before_parsing() {
        let deep = format!("{{__typename @skip(if:{}true{})}}", "[".repeat(2000), "]".repeat(2000));
        assert!(matches!(run(&deep), Err(ApiError::TooDeep(_))));
        let object = format!("{{ a(x: {}1{}) }}", "{a:".repeat(5000), "}".repeat(5000));
        assert!(matches!(run(&object), Err(ApiError::TooDeep(_))));
        // Unbalanced closing brackets cannot hide an opening one.
        let sneaky = format!("{{ a(x: {}{}1) }}", "]".repeat(100), "[".repeat(100));
        assert!(matches!(run(&sneaky), Err(ApiError::TooDeep(_))));
    }

    #[test]
    fn fragment_fan_out_is_counted_after_expansion() {
        // Eight levels, each spreading the next ten times: 10^8 fields from 700 bytes.
        let mut q = String::from("{ ...F0 }");
        for level in 0..8 {
            let spreads = (0..10).map(|_| format!("...F{}", level + 1)).collect::<Vec<_>>().join(" ");
            q.push_str(&format!(" fragment F{level} on Query {{ {spreads} }}"));
        }
        q.push_str(" fragment F8 on Query { __typename }");
        match run(&q) {
            // 10^8 fields from the operation, and each fragment once more, as validation walks them.
            Err(ApiError::TooComplex(m)) => assert!(m.en().contains("211111111"), "{m}"),
            other => panic!("{other:?}"),
        }
        // A modest fragment used a few times passes.
        assert!(run("{ a: me { ...U } b: me { ...U } } fragment U on User { id username }").is_ok());
    }

    #[test]
    fn cycles_and_long_chains_are_refused_without_recursion() {
        assert!(matches!(
            run("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"),
            Err(ApiError::BadUserInput(_))
        ));
        let mut chain = String::from("{ ...F0 }");
        for i in 0..100_000 {
            chain.push_str(&format!(" fragment F{i} on Query {{ ...F{} }}", i + 1));
        }
        chain.push_str(" fragment F100000 on Query { __typename }");
        assert!(matches!(run(&chain), Err(ApiError::TooDeep(_))));
    }

    #[test]
    fn nul_is_refused_wherever_a_text_is_written() {
        for query in [
            "{ projects(filter: { nameContains: \"a\\u0000b\" }) { totalCount } }",
            "{ a @skip(if: $x) }",
            "query($x: String = \"\\u0000\") { department(code: $x) { id } }",
            "mutation { login(username: \"x\\u0000\", password: \"y\") { token } }",
        ] {
            let result = run(query);
            if query.contains("\\u0000") {
                assert!(
                    matches!(result, Err(ApiError::BadUserInput(ref m)) if m.en().contains("NUL")),
                    "{query}: {result:?}"
                );
            }
        }
        let mut request = async_graphql::Request::new(
            "mutation($i: CreateProjectInput!) { createProject(input: $i) { userErrors { field } } }",
        )
        .variables(Variables::from_json(
            serde_json::json!({ "i": { "indicators": [{ "name": "ok" }, { "note": "\u{0}" }] } }),
        ));
        match check(&mut request, 5_000, true) {
            Err(ApiError::BadUserInput(m)) => assert!(m.en().contains("variables.i.indicators[1].note"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn skip_and_include_take_booleans() {
        assert!(matches!(run("{ me @include(if: [false]) { id } }"), Err(ApiError::BadUserInput(_))));
        assert!(matches!(run("{ me @skip(if: \"yes\") { id } }"), Err(ApiError::BadUserInput(_))));
        assert!(run("query($b: Boolean!) { me @include(if: $b) { id } }").is_ok());
        assert!(run("{ me @skip(if: false) { id } }").is_ok());
    }

    #[test]
    fn clip_keeps_whole_characters() {
        assert_eq!(clip("项目名称很长", 2), "项目…");
        assert_eq!(clip("ab", 2), "ab");
    }
}
