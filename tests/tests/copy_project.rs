//! 延续项目: next year's declaration starts from this year's (`copyProject`).

use jixiao_tests::World;
use serde_json::json;

const COPY: &str = "mutation($id: ID!, $y: Int!) { copyProject(input: { id: $id, fiscalYear: $y }) {
    project { id name fiscalYear status plannedStart plannedEnd overallGoal funds { total annualRequest }
              fundItems { name amount } indicators { level1 level2 name target { text } }
              previousProject { id } findings { severity } }
    userErrors { field code } } }";

#[tokio::test]
async fn each_seed_project_carries_into_2024_and_can_be_submitted() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let seed = submitter
        .data(
            "{ projects(first: 10) { nodes { id name plannedStart plannedEnd overallGoal funds { total annualRequest }
               fundItems { name amount } indicators { level1 level2 name target { text } } } } }",
            json!({}),
        )
        .await;
    let seed = seed["projects"]["nodes"].as_array().unwrap().clone();
    assert_eq!(seed.len(), 5);
    for source in &seed {
        let r = submitter.data(COPY, json!({ "id": source["id"], "y": 2024 })).await;
        let copy = &r["copyProject"]["project"];
        assert_eq!(r["copyProject"]["userErrors"], json!([]), "{r}");
        assert_eq!((copy["fiscalYear"].clone(), copy["status"].clone()), (json!(2024), json!("DRAFT")));
        assert_eq!(copy["previousProject"]["id"], source["id"]);
        for field in ["name", "overallGoal", "funds", "fundItems", "indicators"] {
            assert_eq!(copy[field], source[field], "{field} of {}", source["name"]);
        }
        let moved = |d: &serde_json::Value| d.as_str().map(|d| d.replacen("2023", "2024", 1));
        assert_eq!(copy["plannedStart"].as_str().map(str::to_string), moved(&source["plannedStart"]));
        assert_eq!(copy["plannedEnd"].as_str().map(str::to_string), moved(&source["plannedEnd"]));
        assert!(copy["findings"].as_array().unwrap().iter().all(|f| f["severity"] != "ERROR"), "{r}");
        let submitted = submitter
            .data(
                "mutation($id: ID!) { submitProject(id: $id) { project { status } userErrors { code } } }",
                json!({ "id": copy["id"] }),
            )
            .await;
        assert_eq!(submitted["submitProject"]["project"]["status"], "SUBMITTED", "{submitted}");
        // Once is enough: the same name in the same year is taken.
        let again = submitter.data(COPY, json!({ "id": source["id"], "y": 2024 })).await;
        assert_eq!(again["copyProject"]["userErrors"], json!([{ "field": "name", "code": "ALREADY_EXISTS" }]));
    }
    // A year outside the form's range is the input's fault.
    let r = submitter.data(COPY, json!({ "id": seed[0]["id"], "y": 1900 })).await;
    assert_eq!(r["copyProject"]["userErrors"][0]["field"], "fiscalYear", "{r}");
}
