//! Filling the form the way people do, over HTTP on PostgreSQL: a draft that starts with a name
//! and grows one row and one amount at a time, its findings at each step, and submission waiting
//! until the last ERROR is fixed; every row edit refused on a stale version; moves that keep
//! positions dense.

use jixiao_tests::{CREATE_PROJECT, World, client::Client, unit_of};
use serde_json::{Value, json};

const PROJECT: &str = "id version status category
    funds { total fiscal other annualRequest currentYearAppropriation carryover annualOther }
    plannedStart plannedEnd
    fundItems { id position name amount }
    indicators { id position level1 level2 name target { text kind } }
    findings { code severity field }";

fn add_indicator() -> String {
    format!(
        "mutation($i: AddIndicatorInput!) {{ addIndicator(input: $i) {{
            project {{ {PROJECT} }} indicator {{ id position name target {{ text kind }} }} userErrors {{ field code message }} }} }}"
    )
}

fn update_indicator() -> String {
    format!(
        "mutation($i: UpdateIndicatorInput!) {{ updateIndicator(input: $i) {{
            project {{ {PROJECT} }} indicator {{ id position level2 target {{ text kind }} }} userErrors {{ field code message }} }} }}"
    )
}

fn move_indicator() -> String {
    format!(
        "mutation($i: MoveIndicatorInput!) {{ moveIndicator(input: $i) {{
            project {{ {PROJECT} }} indicator {{ id position }} userErrors {{ field code }} }} }}"
    )
}

fn add_fund_item() -> String {
    format!(
        "mutation($i: AddFundItemInput!) {{ addFundItem(input: $i) {{
            project {{ {PROJECT} }} fundItem {{ id position name amount }} userErrors {{ field code message }} }} }}"
    )
}

fn update_project() -> String {
    format!(
        "mutation($i: UpdateProjectInput!) {{ updateProject(input: $i) {{ project {{ {PROJECT} }} userErrors {{ field code message }} }} }}"
    )
}

const SUBMIT: &str =
    "mutation($id: ID!) { submitProject(id: $id) { project { status } userErrors { field code message } } }";

/// The codes of a project's ERROR findings, with their fields, sorted.
fn errors(project: &Value) -> Vec<String> {
    let mut out: Vec<String> = project["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "ERROR")
        .map(|f| format!("{} {}", f["code"].as_str().unwrap(), f["field"].as_str().unwrap()))
        .collect();
    out.sort();
    out
}

/// Runs one edit; checks it was saved at the next version; returns the project.
async fn saved(client: &Client, mutation: &str, field: &str, input: Value, version: &mut i64) -> Value {
    let r = client.data(mutation, json!({ "i": input })).await;
    let payload = &r[field];
    assert_eq!(payload["userErrors"], json!([]), "{field}: {r}");
    let project = payload["project"].clone();
    *version += 1;
    assert_eq!(project["version"], json!(*version), "every edit raises the version by one: {r}");
    project
}

#[tokio::test]
async fn a_declaration_is_built_one_piece_at_a_time_from_an_empty_draft() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;

    // Only the year, the unit and the name.
    let r = submitter
        .data(
            CREATE_PROJECT,
            json!({ "input": { "fiscalYear": 2023, "implementingUnitId": unit, "name": "逐项填写的项目" } }),
        )
        .await;
    assert_eq!(r["createProject"]["userErrors"], json!([]), "{r}");
    let id = r["createProject"]["project"]["id"].clone();
    let mut version = 1;
    let read = |client: Client, id: Value| async move {
        client.data(&format!("query($id: ID!) {{ project(id: $id) {{ {PROJECT} }} }}"), json!({ "id": id })).await["project"].clone()
    };
    let draft = read(submitter.clone(), id.clone()).await;
    assert_eq!(draft["category"], Value::Null);
    assert_eq!(draft["funds"]["total"], Value::Null, "unknown amounts are null, not zero");
    let mut want = vec![
        "AMOUNT_MISSING funds.annualOther",
        "AMOUNT_MISSING funds.annualRequest",
        "AMOUNT_MISSING funds.carryover",
        "AMOUNT_MISSING funds.currentYearAppropriation",
        "AMOUNT_MISSING funds.fiscal",
        "AMOUNT_MISSING funds.other",
        "AMOUNT_MISSING funds.total",
        "CATEGORY_MISSING category",
        "DATES_MISSING plannedEnd",
        "DATES_MISSING plannedStart",
        "GOAL_EMPTY annualGoal",
        "GOAL_EMPTY overallGoal",
        "MISSING_LEVEL1 indicators",
        "MISSING_LEVEL1 indicators",
        "MISSING_LEVEL1 indicators",
    ];
    assert_eq!(errors(&draft), want);
    let refused = submitter.data(SUBMIT, json!({ "id": id })).await;
    assert_eq!(refused["submitProject"]["project"], Value::Null);
    assert_eq!(refused["submitProject"]["userErrors"].as_array().unwrap().len(), want.len(), "{refused}");

    // Three indicators, one at a time: a target still being typed and a level 2 filed under
    // the wrong level 1 are kept, as ERROR findings on their rows.
    let rows = [
        json!({ "level1": "OUTPUT", "level2": "QUANTITY", "name": "调解完成率", "target": "≥" }),
        json!({ "level1": "BENEFIT", "level2": "QUALITY", "name": "矛盾化解率", "target": "≥85%" }),
        json!({ "level1": "SATISFACTION", "level2": "SERVICE_SATISFACTION", "name": "群众满意度", "target": "≥90%" }),
    ];
    let mut indicator_ids = vec![];
    for (i, row) in rows.iter().enumerate() {
        let input = json!({ "projectId": id, "expectedVersion": version, "indicator": row });
        let r = submitter.data(&add_indicator(), json!({ "i": input })).await;
        assert_eq!(r["addIndicator"]["userErrors"], json!([]), "{r}");
        version += 1;
        assert_eq!(r["addIndicator"]["project"]["version"], json!(version));
        assert_eq!(r["addIndicator"]["indicator"]["position"], json!(i), "added last");
        indicator_ids.push(r["addIndicator"]["indicator"]["id"].clone());
    }
    let draft = read(submitter.clone(), id.clone()).await;
    assert_eq!(draft["indicators"][0]["target"], json!({ "text": "≥", "kind": "INVALID" }), "kept as typed");
    want.retain(|e| !e.starts_with("MISSING_LEVEL1"));
    want.push("LEVEL2_WRONG_PARENT indicators[1].level2");
    want.push("TARGET_INVALID indicators[0].target");
    want.sort();
    assert_eq!(errors(&draft), want);

    // The header: category, dates, goals; then the funds, two amounts at a time.
    let header = json!({ "id": id, "expectedVersion": version, "category": "ONE_OFF", "plannedStart": "2023-03-01",
        "plannedEnd": "2023-12-31", "overallGoal": "化解信访矛盾", "annualGoal": "全年化解信访矛盾" });
    saved(&submitter, &update_project(), "updateProject", header, &mut version).await;
    let amounts =
        json!({ "id": id, "expectedVersion": version, "funds": { "total": "15000.00", "fiscal": "15000.00" } });
    let p = saved(&submitter, &update_project(), "updateProject", amounts, &mut version).await;
    assert_eq!(p["funds"]["total"], "15000.00");
    assert_eq!(p["funds"]["other"], Value::Null, "the amounts not sent stay unknown");
    let amounts = json!({ "id": id, "expectedVersion": version, "funds": { "other": "0", "annualRequest": "15000",
        "currentYearAppropriation": "15000", "carryover": "0", "annualOther": "0" } });
    let p = saved(&submitter, &update_project(), "updateProject", amounts, &mut version).await;
    assert_eq!(errors(&p), ["LEVEL2_WRONG_PARENT indicators[1].level2", "TARGET_INVALID indicators[0].target"]);
    assert_eq!(
        p["indicators"].as_array().unwrap().iter().map(|i| i["id"].clone()).collect::<Vec<_>>(),
        indicator_ids,
        "an update that leaves the indicators out keeps them, ids and all"
    );

    // Two fund items, one by one: after the first they do not add up (saved, with the finding).
    let first = json!({ "projectId": id, "expectedVersion": version, "fundItem": { "name": "调解员补贴", "amount": "10000.00" } });
    let r = submitter.data(&add_fund_item(), json!({ "i": first })).await;
    assert_eq!(r["addFundItem"]["userErrors"], json!([]), "{r}");
    version += 1;
    assert!(errors(&r["addFundItem"]["project"]).contains(&"FUND_ITEMS_MISMATCH fundItems".to_string()), "{r}");
    let second = json!({ "projectId": id, "expectedVersion": version, "position": 0,
        "fundItem": { "name": "场地", "amount": "5000.00" } });
    let r = submitter.data(&add_fund_item(), json!({ "i": second })).await;
    version += 1;
    assert_eq!(r["addFundItem"]["fundItem"]["position"], 0, "added where asked");
    let p = &r["addFundItem"]["project"];
    assert_eq!(
        p["fundItems"].as_array().unwrap().iter().map(|i| i["name"].clone()).collect::<Vec<_>>(),
        [json!("场地"), json!("调解员补贴")]
    );
    assert_eq!(errors(p), ["LEVEL2_WRONG_PARENT indicators[1].level2", "TARGET_INVALID indicators[0].target"]);

    // Clearing a date is an explicit null.
    let cleared = json!({ "id": id, "expectedVersion": version, "plannedEnd": null });
    let p = saved(&submitter, &update_project(), "updateProject", cleared, &mut version).await;
    assert_eq!(p["plannedEnd"], Value::Null);
    assert!(errors(&p).contains(&"DATES_MISSING plannedEnd".to_string()));
    let refused = submitter.data(SUBMIT, json!({ "id": id })).await;
    let fields: Vec<&str> = refused["submitProject"]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["indicators[0].target", "indicators[1].level2", "plannedEnd"], "{refused}");

    // Fix the rows and the date; only then does it go.
    let fix = json!({ "id": indicator_ids[0], "expectedVersion": version, "target": "≥95%" });
    let r = submitter.data(&update_indicator(), json!({ "i": fix })).await;
    version += 1;
    assert_eq!(r["updateIndicator"]["indicator"]["target"], json!({ "text": "≥95%", "kind": "QUANTITATIVE" }), "{r}");
    let fix = json!({ "id": indicator_ids[1], "expectedVersion": version, "level2": "SOCIAL_BENEFIT" });
    let r = submitter.data(&update_indicator(), json!({ "i": fix })).await;
    version += 1;
    assert_eq!(r["updateIndicator"]["indicator"]["id"], indicator_ids[1], "ids stay across edits");
    let refused = submitter.data(SUBMIT, json!({ "id": id })).await;
    assert_eq!(refused["submitProject"]["userErrors"][0]["field"], "plannedEnd", "the last ERROR: {refused}");
    let date = json!({ "id": id, "expectedVersion": version, "plannedEnd": "2023-12-31" });
    let p = saved(&submitter, &update_project(), "updateProject", date, &mut version).await;
    assert_eq!(errors(&p), Vec::<String>::new());
    let done = submitter.data(SUBMIT, json!({ "id": id })).await;
    assert_eq!(done["submitProject"]["project"]["status"], "SUBMITTED", "{done}");

    // A submitted form is not edited row by row either.
    let late = json!({ "id": indicator_ids[2], "expectedVersion": version + 1, "name": "改名" });
    let r = submitter.data(&update_indicator(), json!({ "i": late })).await;
    assert_eq!(r["updateIndicator"]["userErrors"][0]["code"], "INVALID_TRANSITION", "{r}");
}

#[tokio::test]
async fn every_row_edit_on_a_stale_version_changes_nothing() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let r =
        submitter.data(CREATE_PROJECT, json!({ "input": jixiao_tests::complete_declaration(&unit, "过期版本") })).await;
    let id = r["createProject"]["project"]["id"].clone();
    // Someone else saves in between: the version the client loaded (1) is stale.
    let q = "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { version } } }";
    submitter.data(q, json!({ "i": { "id": id, "expectedVersion": 1, "annualGoal": "另一人的修改" } })).await;
    let stale = 1;
    let p =
        submitter.data(&format!("query($id: ID!) {{ project(id: $id) {{ {PROJECT} }} }}"), json!({ "id": id })).await;
    let version = p["project"]["version"].as_i64().unwrap();
    assert_eq!(version, 2);
    let (indicator, item) = (p["project"]["indicators"][0]["id"].clone(), p["project"]["fundItems"][0]["id"].clone());
    let indicator_row = json!({ "level1": "OUTPUT", "level2": "QUALITY", "name": "新指标", "target": "=100%" });
    let cases = [
        (
            "addIndicator",
            "AddIndicatorInput",
            json!({ "projectId": id, "expectedVersion": stale, "indicator": indicator_row }),
        ),
        ("updateIndicator", "UpdateIndicatorInput", json!({ "id": indicator, "expectedVersion": stale, "name": "改" })),
        ("removeIndicator", "RemoveIndicatorInput", json!({ "id": indicator, "expectedVersion": stale })),
        ("moveIndicator", "MoveIndicatorInput", json!({ "id": indicator, "expectedVersion": stale, "position": 2 })),
        (
            "addFundItem",
            "AddFundItemInput",
            json!({ "projectId": id, "expectedVersion": stale, "fundItem": { "name": "新", "amount": "1.00" } }),
        ),
        ("updateFundItem", "UpdateFundItemInput", json!({ "id": item, "expectedVersion": stale, "amount": "2.00" })),
        ("removeFundItem", "RemoveFundItemInput", json!({ "id": item, "expectedVersion": stale })),
        ("moveFundItem", "MoveFundItemInput", json!({ "id": item, "expectedVersion": stale, "position": 1 })),
    ];
    for (mutation, input_type, input) in cases {
        let q = format!(
            "mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ project {{ id }} userErrors {{ field code message }} }} }}"
        );
        let r = submitter.data(&q, json!({ "i": input })).await;
        assert_eq!(r[mutation]["project"], Value::Null, "{mutation}: {r}");
        assert_eq!(r[mutation]["userErrors"][0]["code"], "VERSION_CONFLICT", "{mutation}: {r}");
        assert_eq!(r[mutation]["userErrors"][0]["field"], "expectedVersion", "{mutation}: {r}");
        let now = submitter
            .data(&format!("query($id: ID!) {{ project(id: $id) {{ {PROJECT} }} }}"), json!({ "id": id }))
            .await;
        assert_eq!(now, p, "{mutation} on a stale version changed nothing");
    }
    // And the right version works, for one of them.
    let q = "mutation($i: RemoveFundItemInput!) { removeFundItem(input: $i) { project { version fundItems { id } } fundItem { id } userErrors { code } } }";
    let r = submitter.data(q, json!({ "i": { "id": item, "expectedVersion": version } })).await;
    assert_eq!(r["removeFundItem"]["project"]["version"], json!(version + 1), "{r}");
    assert_eq!(r["removeFundItem"]["fundItem"], Value::Null, "a removed row is gone");
    assert_eq!(r["removeFundItem"]["project"]["fundItems"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn moving_and_removing_keep_positions_dense_and_in_order() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let mut input = jixiao_tests::complete_declaration(&unit, "移动指标");
    let names = ["一", "二", "三", "四", "五"];
    input["indicators"] = names
        .iter()
        .map(|n| json!({ "level1": "OUTPUT", "level2": "QUANTITY", "name": format!("指标{n}"), "target": "=100%" }))
        .collect();
    let r = submitter.data(CREATE_PROJECT, json!({ "input": input })).await;
    let id = r["createProject"]["project"]["id"].clone();
    let p =
        submitter.data(&format!("query($id: ID!) {{ project(id: $id) {{ {PROJECT} }} }}"), json!({ "id": id })).await;
    let mut version = p["project"]["version"].as_i64().unwrap();
    // The model: ids in the order the form should show.
    let mut order: Vec<Value> =
        p["project"]["indicators"].as_array().unwrap().iter().map(|i| i["id"].clone()).collect();
    let check = |project: &Value, order: &[Value]| {
        let rows = project["indicators"].as_array().unwrap();
        let positions: Vec<i64> = rows.iter().map(|r| r["position"].as_i64().unwrap()).collect();
        assert_eq!(positions, (0..order.len() as i64).collect::<Vec<_>>(), "dense positions: {project}");
        let ids: Vec<Value> = rows.iter().map(|r| r["id"].clone()).collect();
        assert_eq!(ids, order, "in the order asked");
    };
    for (from, to) in [(0usize, 3usize), (4, 0), (2, 99), (1, 1), (3, 2)] {
        let moving = order[from].clone();
        let r = submitter
            .data(&move_indicator(), json!({ "i": { "id": moving, "expectedVersion": version, "position": to } }))
            .await;
        assert_eq!(r["moveIndicator"]["userErrors"], json!([]), "{r}");
        version += 1;
        let row = order.remove(from);
        order.insert(to.min(order.len()), row);
        assert_eq!(r["moveIndicator"]["indicator"]["position"], json!(to.min(order.len() - 1)));
        check(&r["moveIndicator"]["project"], &order);
    }
    let q = format!(
        "mutation($i: RemoveIndicatorInput!) {{ removeIndicator(input: $i) {{ project {{ {PROJECT} }} userErrors {{ code }} }} }}"
    );
    let r = submitter.data(&q, json!({ "i": { "id": order[1], "expectedVersion": version } })).await;
    version += 1;
    order.remove(1);
    check(&r["removeIndicator"]["project"], &order);
    let r = submitter
        .data(&move_indicator(), json!({ "i": { "id": order[0], "expectedVersion": version, "position": -1 } }))
        .await;
    assert_eq!(r["moveIndicator"]["userErrors"][0]["field"], "position", "{r}");
}

#[tokio::test]
async fn row_edits_are_the_departments_submitters_only() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let admin = world.login("admin").await;
    let seed =
        submitter.data("{ projects(first: 1) { nodes { id version status indicators { id } } } }", json!({})).await;
    let project = &seed["projects"]["nodes"][0];
    let indicator = project["indicators"][0]["id"].clone();
    let q = "mutation($i: UpdateIndicatorInput!) { updateIndicator(input: $i) { project { id } userErrors { code } } }";
    let input = json!({ "i": { "id": indicator, "expectedVersion": project["version"], "name": "改名" } });
    for (who, client) in [("approver", &approver), ("admin", &admin)] {
        let r = client.gql(q, input.clone()).await;
        let code = jixiao_tests::client::error_code(&r);
        assert!(code == "FORBIDDEN" || code == "NOT_FOUND", "{who}: {r}");
    }
    let r = world.anonymous().gql(q, input.clone()).await;
    assert_eq!(jixiao_tests::client::error_code(&r), "UNAUTHENTICATED");
    // An id of another kind is the request's fault.
    let r = submitter.gql(q, json!({ "i": { "id": project["id"], "expectedVersion": 1, "name": "x" } })).await;
    assert_eq!(jixiao_tests::client::error_code(&r), "BAD_USER_INPUT", "{r}");
}

#[tokio::test]
async fn a_row_added_before_its_name_is_typed_is_kept_until_named() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let r = submitter
        .data(CREATE_PROJECT, json!({ "input": jixiao_tests::complete_declaration(&unit, "先加行后命名") }))
        .await;
    let id = r["createProject"]["project"]["id"].clone();
    let mut version = r["createProject"]["project"]["version"].as_i64().unwrap();
    let blank = json!({ "projectId": id, "expectedVersion": version,
        "indicator": { "level1": "OUTPUT", "level2": "QUALITY", "name": "", "target": "" } });
    let r = submitter.data(&add_indicator(), json!({ "i": blank })).await;
    assert_eq!(r["addIndicator"]["userErrors"], json!([]), "{r}");
    version += 1;
    let row = r["addIndicator"]["indicator"]["id"].clone();
    let p = &r["addIndicator"]["project"];
    assert_eq!(errors(p), ["ROW_NAME_MISSING indicators[3].name", "TARGET_INVALID indicators[3].target"]);
    let named = json!({ "id": row, "expectedVersion": version, "name": "验收合格率", "target": "=100%" });
    let r = submitter.data(&update_indicator(), json!({ "i": named })).await;
    assert_eq!(errors(&r["updateIndicator"]["project"]), Vec::<String>::new(), "{r}");
    // A name too long for its column is refused, on the input's own path.
    let long = json!({ "id": row, "expectedVersion": version + 1, "name": "长".repeat(201) });
    let r = submitter.data(&update_indicator(), json!({ "i": long })).await;
    assert_eq!(r["updateIndicator"]["userErrors"][0]["field"], "name", "{r}");
    assert_eq!(r["updateIndicator"]["userErrors"][0]["code"], "INVALID_INPUT", "{r}");
}

/// Mutations of one request run one after another; what a later one answers is the project as
/// the earlier ones left it, not as the request first loaded it.
#[tokio::test]
async fn a_later_mutation_of_the_same_request_sees_the_earlier_ones_writes() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let r =
        submitter.data(CREATE_PROJECT, json!({ "input": jixiao_tests::complete_declaration(&unit, "同一请求") })).await;
    let id = r["createProject"]["project"]["id"].clone();
    let q = "mutation($id: ID!) {
        a: updateProject(input: { id: $id, expectedVersion: 1, annualGoal: \"第一次\" }) { project { version annualGoal indicators { id } } }
        b: addIndicator(input: { projectId: $id, expectedVersion: 2,
             indicator: { level1: OUTPUT, level2: QUALITY, name: \"验收合格率\", target: \"=100%\" } }) { project { version indicators { id } } }
        c: submitProject(id: $id) { project { version status annualGoal indicators { id } reviews { action } } } }";
    let r = submitter.data(q, json!({ "id": id })).await;
    assert_eq!(r["a"]["project"]["version"], 2, "{r}");
    assert_eq!(r["b"]["project"]["version"], 3, "{r}");
    assert_eq!(
        r["b"]["project"]["indicators"].as_array().unwrap().len(),
        4,
        "the added row, not the cached three: {r}"
    );
    let c = &r["c"]["project"];
    assert_eq!((c["status"].clone(), c["version"].clone()), (json!("SUBMITTED"), json!(4)), "{r}");
    assert_eq!(c["indicators"].as_array().unwrap().len(), 4, "{r}");
    assert_eq!(c["reviews"], json!([{ "action": "SUBMIT" }]), "{r}");
}
