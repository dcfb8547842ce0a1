//! A grade with the decision (优良中差) and the four criteria's scores: the grade must agree with
//! the decision and with the scores' band (edges included), every refusal changes nothing, the
//! grade is kept on the review step, and 差 ends the project NOT_APPROVED, from which the unit
//! can only copy it into a new draft.

use jixiao_tests::{CREATE_PROJECT, Client, World, complete_declaration, unit_of};
use serde_json::{Value, json};

const APPROVE: &str = "mutation($id: ID!, $grade: Grade, $scores: CriteriaScoresInput) {
    approveProject(id: $id, grade: $grade, scores: $scores) {
        project { status reviews { action grade scores { completeness relevance appropriateness feasibility total } } }
        userErrors { field code message } } }";
const REJECT: &str = "mutation($id: ID!, $grade: Grade, $scores: CriteriaScoresInput) {
    rejectProject(id: $id, reason: \"目标与内容不相关\", grade: $grade, scores: $scores) {
        project { status reviews { action toStatus grade scores { total } } }
        userErrors { field code message } } }";

fn scores(each: [i32; 4]) -> Value {
    json!({ "completeness": each[0], "relevance": each[1], "appropriateness": each[2], "feasibility": each[3] })
}

struct Setup {
    _world: World,
    submitter: Client,
    approver: Client,
    unit: String,
}

async fn setup() -> Setup {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    Setup { _world: world, submitter, approver, unit }
}

impl Setup {
    async fn submitted(&self, name: &str) -> String {
        let r = self.submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&self.unit, name) })).await;
        let id = r["createProject"]["project"]["id"].as_str().unwrap().to_string();
        let s = self
            .submitter
            .data(
                "mutation($id: ID!) { submitProject(id: $id) { project { status } userErrors { message } } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(s["submitProject"]["project"]["status"], "SUBMITTED", "{s}");
        id
    }

    async fn status(&self, id: &str) -> String {
        let r = self.approver.data("query($id: ID!) { project(id: $id) { status } }", json!({ "id": id })).await;
        r["project"]["status"].as_str().unwrap().to_string()
    }
}

/// The user errors' (field, code), and the project's status afterwards.
async fn refused(s: &Setup, query: &str, op: &str, vars: Value) -> Vec<(String, String)> {
    let id = vars["id"].as_str().unwrap().to_string();
    let r = s.approver.data(query, vars).await;
    assert_eq!(r[op]["project"], Value::Null, "{r}");
    assert_eq!(s.status(&id).await, "SUBMITTED", "a refused decision changes nothing");
    r[op]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
        .collect()
}

fn at(field: &str) -> Vec<(String, String)> {
    vec![(field.to_string(), "INVALID_INPUT".to_string())]
}

#[tokio::test]
async fn grades_agree_with_the_decision_and_the_scores_band() {
    let s = setup().await;
    let id = s.submitted("评级项目").await;

    // The grade must agree with the decision.
    assert_eq!(refused(&s, APPROVE, "approveProject", json!({ "id": id, "grade": "FAIR" })).await, at("grade"));
    assert_eq!(refused(&s, APPROVE, "approveProject", json!({ "id": id, "grade": "POOR" })).await, at("grade"));
    assert_eq!(refused(&s, REJECT, "rejectProject", json!({ "id": id, "grade": "EXCELLENT" })).await, at("grade"));
    // The sum's band: 89 is 良, not 优; 59 is 差, not 中.
    let r =
        s.approver.data(APPROVE, json!({ "id": id, "grade": "EXCELLENT", "scores": scores([25, 25, 20, 19]) })).await;
    let message = r["approveProject"]["userErrors"][0]["message"].as_str().unwrap();
    assert!(message.contains("89") && message.contains("良"), "the message says the sum and its grade: {message}");
    assert_eq!(
        refused(&s, REJECT, "rejectProject", json!({ "id": id, "grade": "FAIR", "scores": scores([15, 15, 15, 14]) }))
            .await,
        at("grade")
    );
    // Each score 0–25, every problem at once; scores without a grade.
    assert_eq!(
        refused(
            &s,
            APPROVE,
            "approveProject",
            json!({ "id": id, "grade": "GOOD", "scores": scores([26, -1, 20, 20]) })
        )
        .await,
        [at("scores.completeness"), at("scores.relevance")].concat()
    );
    assert_eq!(
        refused(&s, APPROVE, "approveProject", json!({ "id": id, "scores": scores([25, 25, 25, 25]) })).await,
        at("grade")
    );
    let en = s.approver.with_language("en");
    let r = en.data(APPROVE, json!({ "id": id, "grade": "POOR" })).await;
    assert!(r["approveProject"]["userErrors"][0]["message"].as_str().unwrap().contains("not approved"), "{r}");

    // 90 is 优: approved, the grade and scores kept on the step.
    let r =
        s.approver.data(APPROVE, json!({ "id": id, "grade": "EXCELLENT", "scores": scores([25, 25, 20, 20]) })).await;
    assert_eq!(r["approveProject"]["userErrors"], json!([]), "{r}");
    let last = r["approveProject"]["project"]["reviews"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last,
        json!({ "action": "APPROVE", "grade": "EXCELLENT",
                "scores": { "completeness": 25, "relevance": 25, "appropriateness": 20, "feasibility": 20, "total": 90 } })
    );

    // 中 sends back to be revised, as without a grade; 80 is 良 at its edge.
    let fair = s.submitted("评为中的项目").await;
    let r = s.approver.data(REJECT, json!({ "id": fair, "grade": "FAIR", "scores": scores([20, 20, 20, 19]) })).await;
    assert_eq!(r["rejectProject"]["project"]["status"], "REJECTED", "{r}");
    let good = s.submitted("评为良的项目").await;
    let r = s.approver.data(APPROVE, json!({ "id": good, "grade": "GOOD", "scores": scores([20, 20, 20, 20]) })).await;
    assert_eq!(r["approveProject"]["project"]["status"], "APPROVED", "{r}");
    // A decision without a grade has none.
    let plain = s.submitted("不评级的项目").await;
    let r = s.approver.data(APPROVE, json!({ "id": plain })).await;
    assert_eq!(r["approveProject"]["project"]["reviews"][1]["grade"], Value::Null, "{r}");
}

#[tokio::test]
async fn poor_ends_not_approved_which_can_only_be_copied() {
    let s = setup().await;
    let id = s.submitted("评为差的项目").await;
    let r = s.approver.data(REJECT, json!({ "id": id, "grade": "POOR", "scores": scores([10, 10, 10, 10]) })).await;
    assert_eq!(r["rejectProject"]["userErrors"], json!([]), "{r}");
    let project = &r["rejectProject"]["project"];
    assert_eq!(project["status"], "NOT_APPROVED");
    assert_eq!(
        project["reviews"][1],
        json!({ "action": "REJECT", "toStatus": "NOT_APPROVED", "grade": "POOR", "scores": { "total": 40 } })
    );

    // Final: the unit cannot edit, submit, withdraw, delete or adjust it; the approver cannot decide it again.
    let version = s.submitter.data("query($id: ID!) { project(id: $id) { version } }", json!({ "id": id })).await["project"]
        ["version"]
        .as_i64()
        .unwrap();
    let attempts = [
        (
            &s.submitter,
            "submitProject",
            "mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }".to_string(),
        ),
        (
            &s.submitter,
            "withdrawProject",
            "mutation($id: ID!) { withdrawProject(id: $id) { userErrors { code } } }".into(),
        ),
        (&s.submitter, "deleteProject", "mutation($id: ID!) { deleteProject(id: $id) { userErrors { code } } }".into()),
        (
            &s.submitter,
            "updateProject",
            format!(
                "mutation($id: ID!) {{ updateProject(input: {{ id: $id, expectedVersion: {version}, name: \"改名\" }}) {{ userErrors {{ code }} }} }}"
            ),
        ),
        (
            &s.submitter,
            "startAdjustment",
            format!(
                "mutation($id: ID!) {{ startAdjustment(input: {{ id: $id, expectedVersion: {version}, reason: \"再试\" }}) {{ userErrors {{ code }} }} }}"
            ),
        ),
        (
            &s.approver,
            "approveProject",
            "mutation($id: ID!) { approveProject(id: $id) { userErrors { code } } }".into(),
        ),
        (
            &s.approver,
            "rejectProject",
            "mutation($id: ID!) { rejectProject(id: $id, reason: \"再退\") { userErrors { code } } }".into(),
        ),
    ];
    for (client, op, query) in attempts {
        let r = client.data(&query, json!({ "id": id })).await;
        assert_eq!(r[op]["userErrors"][0]["code"], "INVALID_TRANSITION", "{op}: {r}");
    }
    assert_eq!(s.status(&id).await, "NOT_APPROVED");

    // Copied into a new draft of the next year, which goes its own way.
    let r = s
        .submitter
        .data(
            "mutation($id: ID!) { copyProject(input: { id: $id, fiscalYear: 2024 }) { project { status previousProject { status } } userErrors { message } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        r["copyProject"]["project"],
        json!({ "status": "DRAFT", "previousProject": { "status": "NOT_APPROVED" } }),
        "{r}"
    );

    // The label is there for front ends.
    let labels = s.submitter.data("{ labels { enum values { value label } } }", json!({})).await;
    let status = labels["labels"].as_array().unwrap().iter().find(|l| l["enum"] == "ProjectStatus").unwrap().clone();
    assert!(status["values"].as_array().unwrap().contains(&json!({ "value": "NOT_APPROVED", "label": "不予通过" })));
}

#[tokio::test]
async fn an_adjustment_is_not_graded_poor_and_bulk_grades_are_checked_once() {
    let s = setup().await;
    let id = s.submitted("调整项目").await;
    s.approver.data(APPROVE, json!({ "id": id })).await;
    let version = s.submitter.data("query($id: ID!) { project(id: $id) { version } }", json!({ "id": id })).await["project"]
        ["version"]
        .clone();
    s.submitter
        .data(
            "mutation($i: StartAdjustmentInput!) { startAdjustment(input: $i) { userErrors { code } } }",
            json!({ "i": { "id": id, "expectedVersion": version, "reason": "年中调整" } }),
        )
        .await;
    s.submitter
        .data("mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }", json!({ "id": id }))
        .await;
    let r = s.approver.data(REJECT, json!({ "id": id, "grade": "POOR" })).await;
    assert_eq!(r["rejectProject"]["userErrors"][0]["field"], "grade", "{r}");
    assert_eq!(s.status(&id).await, "ADJUSTMENT_SUBMITTED");
    let r = s.approver.data(REJECT, json!({ "id": id, "grade": "FAIR" })).await;
    assert_eq!(r["rejectProject"]["project"]["status"], "ADJUSTING", "{r}");

    let bulk = "mutation($ids: [ID!]!, $grade: Grade, $scores: CriteriaScoresInput) {
        approveProjects(input: { ids: $ids, grade: $grade, scores: $scores }) {
            results { project { status reviews { grade scores { total } } } userErrors { code } }
            userErrors { field code } } }";
    let ids = [s.submitted("批量一").await, s.submitted("批量二").await];
    // A grade that does not approve refuses the whole batch: nothing is decided.
    let r = s.approver.data(bulk, json!({ "ids": ids, "grade": "FAIR" })).await;
    assert_eq!(
        r["approveProjects"],
        json!({ "results": [], "userErrors": [{ "field": "grade", "code": "INVALID_INPUT" }] })
    );
    let r =
        s.approver.data(bulk, json!({ "ids": ids, "grade": "EXCELLENT", "scores": scores([20, 20, 20, 20]) })).await;
    assert_eq!(r["approveProjects"]["results"], json!([]), "{r}");
    for id in &ids {
        assert_eq!(s.status(id).await, "SUBMITTED");
    }
    let r = s.approver.data(bulk, json!({ "ids": ids, "grade": "GOOD", "scores": scores([22, 21, 20, 22]) })).await;
    for result in r["approveProjects"]["results"].as_array().unwrap() {
        assert_eq!(result["project"]["status"], "APPROVED", "{r}");
        assert_eq!(result["project"]["reviews"][1], json!({ "grade": "GOOD", "scores": { "total": 85 } }));
    }
}

/// 良 carries the agreed amendments (财预〔2015〕88号): an approval graded GOOD completes the
/// targets with the department inside the approval; the snapshot in force holds them, `changes`
/// shows them against the submission, and the department sees them. 优 takes none; an amendment
/// that does not check refuses the approval whole.
#[tokio::test]
async fn good_carries_the_agreed_amendments_into_the_targets_in_force() {
    let s = setup().await;
    const AMEND: &str = "mutation($id: ID!, $grade: Grade, $amendments: ApprovalAmendmentsInput) {
        approveProject(id: $id, grade: $grade, amendments: $amendments) {
            project { status annualGoal indicators { id target { text } note } }
            userErrors { field code message } } }";
    let id = s.submitted("评为良并商定修改的项目").await;
    let other = s.submitted("另一个项目").await;
    let q = "query($id: ID!) { project(id: $id) { indicators { id name target { text } } } }";
    let mine = s.approver.data(q, json!({ "id": id })).await["project"]["indicators"].clone();
    let theirs = s.approver.data(q, json!({ "id": other })).await["project"]["indicators"].clone();
    let first = mine[0]["id"].as_str().unwrap().to_string();
    let agreed = json!({ "annualGoal": "全年化解信访矛盾不少于 130 件",
        "indicators": [{ "id": first, "target": "≥98%", "note": "与部门商定提高" }] });

    // Only with GOOD; a row of another project, or a target that does not read, refuses it whole.
    for grade in [json!("EXCELLENT"), Value::Null] {
        let errors =
            refused(&s, AMEND, "approveProject", json!({ "id": id, "grade": grade, "amendments": agreed })).await;
        assert_eq!(errors, [("amendments".to_string(), "INVALID_INPUT".to_string())], "{grade}");
    }
    let foreign = json!({ "indicators": [{ "id": theirs[0]["id"], "target": "≥98%" }] });
    let errors =
        refused(&s, AMEND, "approveProject", json!({ "id": id, "grade": "GOOD", "amendments": foreign })).await;
    assert_eq!(errors, [("amendments.indicators[0].id".to_string(), "INVALID_INPUT".to_string())]);
    let unreadable = json!({ "indicators": [{ "id": first, "target": "≥" }] });
    let errors =
        refused(&s, AMEND, "approveProject", json!({ "id": id, "grade": "GOOD", "amendments": unreadable })).await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].0.starts_with("indicators[0]"), "{errors:?}");

    // Approved with what was agreed: the row keeps its id; the declaration in force holds it.
    let r = s.approver.data(AMEND, json!({ "id": id, "grade": "GOOD", "amendments": agreed })).await;
    let project = &r["approveProject"]["project"];
    assert_eq!(
        (project["status"].as_str(), project["annualGoal"].as_str()),
        (Some("APPROVED"), Some("全年化解信访矛盾不少于 130 件")),
        "{r}"
    );
    assert_eq!(project["indicators"][0], json!({ "id": first, "target": { "text": "≥98%" }, "note": "与部门商定提高" }));
    assert_eq!(project["indicators"][1]["target"], mine[1]["target"], "rows not amended stay");
    let q = "query($id: ID!) { project(id: $id) {
        snapshots { declaration { annualGoal indicators { id target { text } } } }
        changes { field indicatorId old new } } }";
    for client in [&s.approver, &s.submitter] {
        let seen = client.data(q, json!({ "id": id })).await;
        let p = &seen["project"];
        let in_force = &p["snapshots"][0]["declaration"];
        assert_eq!(
            (in_force["annualGoal"].as_str(), in_force["indicators"][0]["target"]["text"].as_str()),
            (Some("全年化解信访矛盾不少于 130 件"), Some("≥98%"))
        );
        let changed: Vec<(String, String)> = p["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["field"].as_str().unwrap().to_string(), c["new"].as_str().unwrap_or("").to_string()))
            .collect();
        assert!(changed.contains(&("annualGoal".into(), "全年化解信访矛盾不少于 130 件".into())), "{changed:?}");
        assert!(changed.contains(&("indicators.target".into(), "≥98%".into())), "{changed:?}");
    }

    // approveProjects: amendments for some of the ids; one for an id not approved refuses the batch.
    let bulk = "mutation($i: ApproveProjectsInput!) { approveProjects(input: $i) {
        results { project { status overallGoal } userErrors { code } } userErrors { field code } } }";
    let ids = [s.submitted("批量良一").await, s.submitted("批量良二").await];
    let stray = json!({ "ids": ids, "grade": "GOOD",
        "amendments": [{ "projectId": other, "amendments": { "overallGoal": "不相干" } }] });
    let r = s.approver.data(bulk, json!({ "i": stray })).await;
    assert_eq!(
        r["approveProjects"]["userErrors"],
        json!([{ "field": "amendments[0].projectId", "code": "INVALID_INPUT" }])
    );
    let one = json!({ "ids": ids, "grade": "GOOD",
        "amendments": [{ "projectId": ids[1], "amendments": { "overallGoal": "商定后的总目标" } }] });
    let r = s.approver.data(bulk, json!({ "i": one })).await;
    let results = r["approveProjects"]["results"].as_array().unwrap();
    assert_eq!(results[1]["project"], json!({ "status": "APPROVED", "overallGoal": "商定后的总目标" }), "{r}");
    assert_eq!(results[0]["project"]["status"], "APPROVED");
    assert_ne!(results[0]["project"]["overallGoal"], "商定后的总目标");
}
