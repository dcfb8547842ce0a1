//! `checkDeclaration`'s lane (`gateway/src/graphql/form_lane.rs`): once a check's document has
//! been validated, its form is read straight from the request body into the input type. Every
//! form is sent twice: with a document never seen before (the general way: async-graphql reads
//! the variables, validates them and builds the argument) and with the same document after a good
//! form validated it (the lane, when the form may take it). The two answers must be the same
//! bytes, for the seed's forms and for forms written every way a client may write them (an id
//! as a number, nulls, one row without its list, fields a type lacks, a NUL, a key given twice,
//! text escaped or not, another variable, extensions), for several selections, every role and
//! both languages.

use jixiao_tests::client::encode_id;
use jixiao_tests::{Client, World, add_user, fixture, seed_form, unit_of};
use serde_json::{Value, json};

const FULL: &str = "query Check($input: CreateProjectInput!) { checkDeclaration(input: $input) {
    userErrors { field code message } findingCounts { errors warnings infos }
    findings { code severity field message basis indicatorId fundItemId } } }";
const ALIASED: &str = "query Check($input: CreateProjectInput!) { c: checkDeclaration(input: $input) {
    __typename e: userErrors { code } findings { m: message code __typename } } }";
const FRAGMENT: &str = "query Check($form: CreateProjectInput!) { checkDeclaration(input: $form) { ...Found } }
    fragment Found on DeclarationCheck { findings { code field } findingCounts { warnings } }";

/// JSON text with every character beyond ASCII escaped, as Python's `json.dumps` writes it.
fn ascii_escaped(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// The bodies to compare: each a function of the query text and its variable's name.
fn bodies(unit: &str) -> Vec<(String, Box<dyn Fn(&str, &str) -> String>)> {
    let seed = fixture();
    let forms: Vec<Value> = seed["projects"].as_array().unwrap().iter().map(|p| seed_form(p, unit)).collect();
    let first = forms[0].clone();
    let changed = |path: &str, value: Value| {
        let mut form = first.clone();
        let (parent, key) = path.rsplit_once('/').unwrap();
        match form.pointer_mut(parent).unwrap() {
            Value::Object(fields) => drop(fields.insert(key.to_string(), value)),
            Value::Array(rows) => rows[key.parse::<usize>().unwrap()] = value,
            other => panic!("{path} is in {other}"),
        }
        form
    };
    let mut given: Vec<(String, Value)> =
        forms.iter().enumerate().map(|(n, form)| (format!("seed project {n}"), form.clone())).collect();
    let mut nulls = first.clone();
    for optional in ["category", "plannedStart", "plannedEnd", "overallGoal", "indicatorFramework"] {
        nulls[optional] = Value::Null;
    }
    nulls["sections"] = json!({ "overview": null, "plan": "方案" });
    nulls["funds"] = json!({ "total": null, "fiscal": "", "annualOther": "1.5" });
    nulls["indicators"][0]["note"] = Value::Null;
    given.extend([
        ("nulls and blanks".to_string(), nulls),
        ("a unit id as a number".to_string(), changed("/implementingUnitId", json!(12))),
        (
            "a unit that does not exist".to_string(),
            changed("/implementingUnitId", json!(encode_id("BudgetUnit", 999_999))),
        ),
        ("a vague target".to_string(), changed("/indicators/1/target", json!("提高"))),
        ("one row without its list".to_string(), changed("/fundItems", first["fundItems"][0].clone())),
        ("a field a row lacks".to_string(), changed("/indicators/1/weight", json!(5))),
        ("a field the form lacks".to_string(), changed("/budget", json!("1"))),
        ("a NUL".to_string(), changed("/name", json!("名\u{0}称"))),
        ("an unknown level".to_string(), changed("/indicators/0/level1", json!("OUTCOME"))),
        ("a date that is not".to_string(), changed("/plannedEnd", json!("2023-02-30"))),
        ("a year as text".to_string(), changed("/fiscalYear", json!("2023"))),
        ("a year too large".to_string(), changed("/fiscalYear", json!(1_i64 << 33))),
        ("a framework".to_string(), changed("/indicatorFramework", json!("CENTRAL_2021"))),
        ("no rows".to_string(), changed("/indicators", json!([]))),
    ]);
    let mut bodies: Vec<(String, Box<dyn Fn(&str, &str) -> String>)> = given
        .into_iter()
        .map(|(what, form)| {
            let body: Box<dyn Fn(&str, &str) -> String> =
                Box::new(move |query, name| json!({ "query": query, "variables": { name: form } }).to_string());
            (what, body)
        })
        .collect();
    let text = |form: &Value| form.to_string();
    let (form, escaped) = (text(&first), ascii_escaped(&text(&first)));
    let quoted = |query: &str| Value::from(query).to_string();
    bodies.push((
        "text escaped".into(),
        Box::new(move |q, n| format!(r#"{{"query":{},"variables":{{"{n}":{escaped}}}}}"#, quoted(q))),
    ));
    let f = form.clone();
    bodies.push((
        "variables before the query, an operation name".into(),
        Box::new(move |q, n| format!(r#"{{"variables":{{"{n}":{f}}},"operationName":"Check","query":{}}}"#, quoted(q))),
    ));
    let f = form.clone();
    bodies.push((
        "a key given twice".into(),
        Box::new(move |q, n| {
            format!(
                r#"{{"query":{},"variables":{{"{n}":{}}}}}"#,
                quoted(q),
                f.replacen("{", r#"{"fiscalYear":2022,"#, 1)
            )
        }),
    ));
    let f = form.clone();
    bodies.push((
        "another variable".into(),
        Box::new(move |q, n| format!(r#"{{"query":{},"variables":{{"{n}":{f},"other":"x"}}}}"#, quoted(q))),
    ));
    let f = form.clone();
    bodies.push((
        "extensions".into(),
        Box::new(move |q, n| format!(r#"{{"query":{},"variables":{{"{n}":{f}}},"extensions":{{}}}}"#, quoted(q))),
    ));
    bodies.push((
        "extensions null".into(),
        Box::new(move |q, n| format!(r#"{{"query":{},"variables":{{"{n}":{form}}},"extensions":null}}"#, quoted(q))),
    ));
    bodies
}

#[tokio::test]
async fn a_checked_form_is_answered_byte_for_byte_as_the_general_way_answers_it() {
    let world = World::with_fixture().await;
    add_user(&world.db.url, "reviewer", "DEPARTMENT_REVIEWER", Some("SJQ-XFB")).await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let clients: Vec<(&str, Client)> = vec![
        ("submitter", submitter.clone()),
        ("submitter, English", submitter.with_language("en")),
        ("approver", world.login("approver").await),
        ("admin, English", world.login("admin").await.with_language("en")),
        ("department reviewer", world.login("reviewer").await),
        ("anonymous", world.anonymous()),
    ];
    let good = seed_form(&fixture()["projects"][0], &unit);
    let bodies = bodies(&unit);
    let mut case = 0;
    let mut compared = String::new();
    for (who, client) in &clients {
        let selections: &[(&str, &str)] = if *who == "submitter" {
            &[(FULL, "input"), (ALIASED, "input"), (FRAGMENT, "form")]
        } else {
            &[(FULL, "input")]
        };
        for (selection, name) in selections {
            for (what, body) in &bodies {
                case += 1;
                // A comment at the end makes each document new without moving any position in it.
                let general = format!("{selection} # general {case}");
                let known = format!("{selection} # known {case}");
                let first = client.raw_body(&body(&general, name)).await;
                let validating =
                    client.raw_body(&json!({ "query": known, "variables": { *name: good } }).to_string()).await;
                if !validating.contains("\"errors\"") {
                    assert!(validating.contains("\"findings\""), "{validating}");
                }
                for _ in 0..2 {
                    let again = client.raw_body(&body(&known, name)).await;
                    assert_eq!(again, first, "{who}, {what}, {selection}");
                }
                compared.push_str(&first);
            }
        }
    }
    // What was compared: findings in both languages, refusals, the general way's errors.
    for expected in [
        "\"field\":\"implementingUnitId\"",
        "\"severity\":\"WARNING\"",
        "\"indicatorId\":null",
        "绩效指标第",
        "Indicator row",
        "\"code\":\"BAD_USER_INPUT\"",
        "\"code\":\"UNAUTHENTICATED\"",
        "\"__typename\":\"DeclarationCheck\"",
    ] {
        assert!(compared.contains(expected), "the compared answers have {expected}");
    }
}

/// How many form checks the instance answered on their lane (`/metrics`).
async fn on_lane(client: &Client) -> u64 {
    let (_, text) = client.get("/metrics").await;
    text.lines()
        .find_map(|l| l.strip_prefix("jixiao_form_checks_on_lane_total "))
        .and_then(|n| n.trim().parse().ok())
        .expect("the lane counter is in /metrics")
}

/// A check on the lane is answered with a pool of its own (opened on the HTTP runtime), whose
/// connections PostgreSQL counts like any other: `/metrics` counts both pools, and never more
/// than both may open (here the main pool's 1 and the check pool's 2, its least).
#[tokio::test]
async fn the_checks_own_pool_is_counted_in_the_connections_gauge() {
    let world = World::with_fixture_and(&[("JIXIAO_DB_POOL", "1")]).await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let form = json!({ "input": seed_form(&fixture()["projects"][0], &unit) });
    // The first check validates the document (the general way); the next ones take the lane.
    for _ in 0..3 {
        let d = submitter.data(FULL, form.clone()).await;
        assert_eq!(d["checkDeclaration"]["userErrors"], json!([]), "the seed's form is whole");
    }
    assert_eq!(on_lane(&submitter).await, 2, "the second and third checks took the lane");
    // A form the lane does not read (an extra key) goes the general way, answered the same.
    let mut odd = form.clone();
    odd["input"]["extra"] = json!(1);
    let refused = submitter.raw_body(&json!({ "query": FULL, "variables": odd }).to_string()).await;
    assert!(refused.contains("BAD_USER_INPUT"), "{refused}");
    assert_eq!(on_lane(&submitter).await, 2, "not on the lane");
    let (_, text) = submitter.get("/metrics").await;
    let open: u32 = text
        .lines()
        .find_map(|l| l.strip_prefix("jixiao_db_pool_connections{state=\"open\"} "))
        .and_then(|n| n.trim().parse().ok())
        .expect("the pool gauge is in /metrics");
    assert!((2..=3).contains(&open), "both pools' connections are counted: {open} open");
}
