//! Two instances on one database. Each keeps the callers' users between requests; a change made
//! through one (or by the command line) reaches the other through PostgreSQL notifications
//! (within `NOTIFIED_WITHIN`, long before the cache's 30 s): a disabled user is refused there, a
//! changed role applies there.

use std::time::{Duration, Instant};

use jixiao_tests::client::{Client, error_code};
use jixiao_tests::server::{Server, until_listening};
use jixiao_tests::{NOTIFIED_WITHIN, World, add_user, jixiao};
use serde_json::json;

/// The hits of instance `base_url`'s user cache, from `/metrics`.
async fn cache_hits(base_url: &str) -> u64 {
    let (_, text) = Client::new(base_url).get("/metrics").await;
    let line =
        text.lines().find(|l| l.starts_with("jixiao_user_cache_total{result=\"hit\"}")).expect("the cache metric");
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

/// Asks `client` for `{ me { role } }` until `done` says the answer is the awaited one; how long
/// that took (at most twice `NOTIFIED_WITHIN` is waited).
async fn until(client: &Client, done: impl Fn(&serde_json::Value) -> bool) -> Duration {
    let started = Instant::now();
    loop {
        let r = client.gql("{ me { role } }", json!({})).await;
        if done(&r) || started.elapsed() > 2 * NOTIFIED_WITHIN {
            eprintln!("reached after {:?}", started.elapsed());
            return started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_change_made_through_one_instance_holds_on_the_other_within_a_second() {
    let world = World::with_fixture().await;
    let b = Server::start(&world.db.url).await;
    until_listening(&world.server.base_url).await;
    until_listening(&b.base_url).await;
    add_user(&world.db.url, "reviewer2", "SUBMITTER", Some("SJQ-XFB")).await;
    let admin_on_a = world.login("admin").await;
    let on_a = world.login("reviewer2").await;
    let on_b = Client::new(&b.base_url).with_token(on_a.token());

    // B serves the user from its cache once it has read them.
    for _ in 0..3 {
        assert_eq!(on_b.data("{ me { role } }", json!({})).await["me"]["role"], "SUBMITTER");
    }
    assert!(cache_hits(&b.base_url).await >= 2, "B keeps the user between requests");

    // A role changed through A applies on B.
    let id = on_a.data("{ me { id } }", json!({})).await["me"]["id"].as_str().unwrap().to_string();
    admin_on_a
        .data(
            "mutation($id: ID!) { updateUser(input: { id: $id, role: APPROVER, departmentId: null }) { userErrors { code } } }",
            json!({ "id": id }),
        )
        .await;
    let took = until(&on_b, |r| r["data"]["me"]["role"] == "APPROVER").await;
    assert!(took < NOTIFIED_WITHIN, "the new role reached B after {took:?}");

    // Disabled through A: refused on B.
    admin_on_a.data("mutation($id: ID!) { disableUser(id: $id) { userErrors { code } } }", json!({ "id": id })).await;
    let took = until(&on_b, |r| r["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED").await;
    assert!(took < NOTIFIED_WITHIN, "the disabled user was still served by B after {took:?}");

    // A change the command line makes (another process altogether) reaches both.
    add_user(&world.db.url, "reviewer3", "SUBMITTER", Some("SJQ-XFB")).await;
    let on_a = world.login("reviewer3").await;
    let on_b = Client::new(&b.base_url).with_token(on_a.token());
    on_b.data("{ me { role } }", json!({})).await;
    on_a.data("{ me { role } }", json!({})).await;
    let out = jixiao(&world.db.url, &["user", "disable", "--username", "reviewer3"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for client in [&on_a, &on_b] {
        let took = until(client, |r| r["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED").await;
        assert!(took < NOTIFIED_WITHIN, "still served {took:?} after `jixiao user disable`");
        assert_eq!(error_code(&client.gql("{ me { role } }", json!({})).await), "UNAUTHENTICATED");
    }
}
