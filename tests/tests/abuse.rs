//! Every kind of abuse at once, for a bounded time, against the release binary: deep literals,
//! fragment fan-out, a login flood, list amplification, NUL everywhere and wrong content types.
//! Meanwhile the server stays up, its memory under a stated bound, `/healthz` answers within
//! 100 ms (once in a while a busy two-core machine delays one: never two in a row, never past
//! 500 ms, as in `hardening.rs`), and an ordinary user's requests succeed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jixiao_tests::{Client, PASSWORD, Server, World};
use serde_json::{Value, json};

/// How long the abusers run.
const ABUSE_FOR: Duration = Duration::from_secs(8);
/// The server's resident memory may grow at most this much under the abuse.
const MEMORY_BOUND_MIB: u64 = 200;

/// One attack: what it sends (with content type), and the error codes it may get back.
struct Attack {
    name: &'static str,
    content_type: Option<&'static str>,
    body: String,
    token: bool,
    expected: &'static [&'static str],
}

fn attacks() -> Vec<Attack> {
    let fan_out = {
        let mut q = String::from("{ ...F0 }");
        for level in 0..9 {
            let spreads: Vec<String> = (0..10).map(|_| format!("...F{}", level + 1)).collect();
            q.push_str(&format!(" fragment F{level} on Query {{ {} }}", spreads.join(" ")));
        }
        q.push_str(" fragment F9 on Query { __typename }");
        q
    };
    let amplification: String = (0..40)
        .map(|i| format!("a{i}: projects(first: 100) {{ nodes {{ indicators {{ name target {{ text }} }} }} }} "))
        .collect();
    let body = |q: String| json!({ "query": q }).to_string();
    vec![
        Attack {
            name: "deep list literal",
            content_type: Some("application/json"),
            body: body(format!("{{__typename @skip(if:{}true{})}}", "[".repeat(3000), "]".repeat(3000))),
            token: false,
            expected: &["QUERY_TOO_DEEP"],
        },
        Attack {
            name: "deep object literal",
            content_type: Some("application/json"),
            body: body(format!("{{ projects(filter: {}1{}) {{ totalCount }} }}", "{a:".repeat(3000), "}".repeat(3000))),
            token: true,
            expected: &["QUERY_TOO_DEEP"],
        },
        Attack {
            name: "fragment fan-out",
            content_type: Some("application/json"),
            body: body(fan_out),
            token: false,
            expected: &["QUERY_TOO_COMPLEX"],
        },
        Attack {
            name: "list amplification",
            content_type: Some("application/json"),
            body: body(format!("{{ {amplification} }}")),
            token: true,
            expected: &["QUERY_TOO_COMPLEX"],
        },
        Attack {
            name: "NUL in a login",
            content_type: Some("application/json"),
            body: json!({ "query": "mutation($u: String!) { login(username: $u, password: \"x\") { token } }", "variables": { "u": "a\u{0}b" } })
                .to_string(),
            token: false,
            expected: &["BAD_USER_INPUT"],
        },
        Attack {
            name: "NUL in a filter",
            content_type: Some("application/json"),
            body: body("{ projects(filter: { nameContains: \"\\u0000\" }) { totalCount } }".into()),
            token: true,
            expected: &["BAD_USER_INPUT"],
        },
        Attack {
            name: "text/plain posing as JSON",
            content_type: Some("text/plain; x=application/json"),
            body: body("{ __typename }".into()),
            token: false,
            expected: &["UNSUPPORTED_MEDIA_TYPE"],
        },
        Attack {
            name: "no content type",
            content_type: None,
            body: body("{ __typename }".into()),
            token: false,
            expected: &["UNSUPPORTED_MEDIA_TYPE"],
        },
    ]
}

async fn send(http: &reqwest::Client, base: &str, attack: &Attack, token: &str, forwarded: &str) -> Value {
    let mut request =
        http.post(format!("{base}/graphql")).header("x-forwarded-for", forwarded).body(attack.body.clone());
    if let Some(ct) = attack.content_type {
        request = request.header("content-type", ct);
    }
    if attack.token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap_or_else(|e| panic!("{}: the server did not answer: {e}", attack.name));
    response.json().await.unwrap_or_else(|e| panic!("{}: not JSON: {e}", attack.name))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_service_stays_up_small_and_responsive_under_every_abuse_at_once() {
    let world = World::with_fixture().await;
    let server = Arc::new(Server::start_release(&world.db.url, &[("JIXIAO_TRUST_PROXY", "true")]).await);
    let base = server.base_url.clone();
    let user = Client::new(&base).login("submitter", PASSWORD).await;
    let admin_token = Client::new(&base).login("admin", PASSWORD).await.token.unwrap();
    let before = server.rss_kib();
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));

    let mut abusers = Vec::new();
    for (i, attack) in attacks().into_iter().enumerate() {
        let (base, token, stop, sent) = (base.clone(), admin_token.clone(), stop.clone(), sent.clone());
        abusers.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            while !stop.load(Ordering::Relaxed) {
                let r = send(&http, &base, &attack, &token, &format!("198.51.100.{i}")).await;
                let code = r["errors"][0]["extensions"]["code"].as_str().unwrap_or("none").to_string();
                assert!(attack.expected.contains(&code.as_str()), "{}: {r}", attack.name);
                sent.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    // A login flood from many addresses, with random usernames.
    for worker in 0..8 {
        let (base, stop, sent) = (base.clone(), stop.clone(), sent.clone());
        abusers.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut n = 0u32;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let body = json!({ "query": format!("mutation {{ login(username: \"flood{worker}x{n}\", password: \"guess{n}\") {{ token }} }}") });
                let r: Value = http
                    .post(format!("{base}/graphql"))
                    .header("x-forwarded-for", format!("203.0.113.{}", (worker * 31 + n) % 250))
                    .json(&body)
                    .send()
                    .await
                    .expect("the server answers logins")
                    .json()
                    .await
                    .unwrap();
                let code = r["errors"][0]["extensions"]["code"].as_str().unwrap_or("none");
                assert!(code == "UNAUTHENTICATED" || code == "RATE_LIMITED", "login flood: {r}");
                sent.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }

    let started = Instant::now();
    let (mut peak, mut slowest, mut served, mut slow_before) = (before, Duration::ZERO, 0, false);
    while started.elapsed() < ABUSE_FOR {
        let t = Instant::now();
        let r = reqwest::Client::new().get(format!("{base}/healthz")).send().await.expect("/healthz answers");
        assert_eq!(r.status(), 200);
        let took = t.elapsed();
        let slow = took >= Duration::from_millis(100);
        assert!(!(slow && slow_before), "/healthz took over 100 ms twice in a row ({took:?} the second)");
        slow_before = slow;
        slowest = slowest.max(took);
        // An ordinary user's work goes on.
        let d = user.data("{ me { username } projects(first: 5) { totalCount nodes { name } } }", json!({})).await;
        assert_eq!(d["projects"]["totalCount"], 5);
        served += 1;
        peak = peak.max(server.rss_kib());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for abuser in abusers {
        abuser.await.expect("an abuser's answer was not what it should be");
    }
    let grew = (peak - before) / 1024;
    eprintln!(
        "abuse: {} hostile requests in {:?}; /healthz slowest {slowest:?}; {served} ordinary requests; memory +{grew} MiB",
        sent.load(Ordering::Relaxed),
        ABUSE_FOR
    );
    assert!(slowest < Duration::from_millis(500), "/healthz took {slowest:?}");
    assert!(grew < MEMORY_BOUND_MIB, "memory grew by {grew} MiB");
    assert!(sent.load(Ordering::Relaxed) > 100, "the abusers barely ran");
    user.data("{ me { username } }", json!({})).await;
}
