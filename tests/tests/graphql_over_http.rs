//! GraphQL over HTTP as front-end teams meet it: the specification's audit suite, GET for
//! queries, the media type deciding how a request that never ran is answered, keys in the
//! selection's order, and documents sent by id (automatic persisted queries, trusted documents)
//! across two instances.

use jixiao_tests::ordered_json::Ordered;
use jixiao_tests::{Client, Server, TestDatabase, World, jixiao};
use serde_json::{Value, json};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// A request as a client library sends it: its status, content type and body.
async fn post(base: &str, accept: Option<&str>, body: &Value, token: Option<&str>) -> (u16, String, String) {
    let mut req = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(accept) = accept {
        req = req.header("accept", accept);
    }
    if let Some(token) = token {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let content_type = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, content_type, resp.text().await.unwrap())
}

fn sha256_hex(text: &str) -> String {
    // The tests' own SHA-256 (FIPS 180-4), so the server's is checked against an independent one.
    let k: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut message = text.as_bytes().to_vec();
    let bits = (message.len() as u64) * 8;
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bits.to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7].wrapping_add(s1).wrapping_add(ch).wrapping_add(k[i]).wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), v[0], v[1], v[2], v[3].wrapping_add(t1), v[4], v[5], v[6]];
        }
        for i in 0..8 {
            h[i] = h[i].wrapping_add(v[i]);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

#[test]
fn the_tests_sha256_is_sha256() {
    assert_eq!(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_eq!(sha256_hex("{ __typename }"), "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b");
}

#[tokio::test]
async fn the_graphql_over_http_audit_suite_passes_every_audit() {
    let db = TestDatabase::create().await;
    let server = Server::start_release(&db.url, &[]).await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/client/audit.mjs");
    let out = tokio::process::Command::new("node")
        .arg(script)
        .arg(format!("{}/graphql", server.base_url))
        .output()
        .await
        .expect("node runs (the test command installs Node.js and tests/client's packages)");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "audits failed:\n{stderr}\n{stdout}");
    assert!(stdout.contains("61 of 61 audits ok"), "{stdout}");
}

#[tokio::test]
async fn get_runs_queries_only_and_its_answers_are_private_to_the_browser() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let http = reqwest::Client::new();
    let url = format!("{}/graphql", world.server.base_url);
    let query = "query Count($year: Int!) { declarationSummary(fiscalYear: $year) { projectCount } }";
    let asked = http
        .get(&url)
        .query(&[("query", query), ("variables", "{\"year\": 2023}"), ("operationName", "Count")])
        .header("authorization", format!("Bearer {}", submitter.token()))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 200);
    let cache = asked.headers()["cache-control"].to_str().unwrap().to_string();
    assert!(cache.contains("private") && cache.contains("no-cache"), "{cache}");
    let vary = asked.headers()["vary"].to_str().unwrap().to_ascii_lowercase();
    assert!(vary.contains("authorization") && vary.contains("accept-language") && vary.contains("accept"), "{vary}");
    let body: Value = asked.json().await.unwrap();
    assert_eq!(body["data"]["declarationSummary"]["projectCount"], 5, "{body}");

    // A mutation by GET is not run: 405 with what to use instead, and nothing changed.
    let login = "mutation { login(username: \"submitter\", password: \"correct horse battery\") { token } }";
    let refused = http.get(&url).query(&[("query", login)]).send().await.unwrap();
    assert_eq!(refused.status(), 405);
    assert_eq!(refused.headers()["allow"], "POST");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "METHOD_NOT_ALLOWED", "{body}");
    assert!(body.get("data").is_none_or(Value::is_null), "{body}");
    let subscription = http.get(&url).query(&[("query", "subscription { projectEvents { action } }")]).send().await;
    assert_eq!(subscription.unwrap().status(), 405);

    // No query, or parameters that do not read: 400, with the parameter named.
    let none = http.get(&url).header("accept", "application/json").send().await.unwrap();
    assert_eq!(none.status(), 400);
    let bad = http.get(&url).query(&[("query", "{ __typename }"), ("variables", "{not json")]).send().await.unwrap();
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("variables"), "{body}");

    // A browser opening the address (text/html) gets GraphiQL, even with ?query= (a link to an
    // example): the page, not an answer.
    let (status, page) = world.anonymous().open_page("/graphql?query=%7B%20__typename%20%7D").await;
    assert_eq!(status, 200);
    assert!(page.contains("<html") && page.contains("graphiql"), "{page}");
}

#[tokio::test]
async fn the_media_type_decides_how_a_request_that_never_ran_is_answered() {
    let world = World::with_fixture().await;
    let base = &world.server.base_url;
    let token = world.login("submitter").await.token().to_string();
    let never_ran = [
        json!({ "query": "{ projects {" }),
        json!({ "query": "{ noSuchField }" }),
        json!({ "query": "query($id: ID!) { project(id: $id) { id } }", "variables": { "id": null } }),
        json!({ "query": "query($n: Int!) { __typename }", "variables": { "n": "ten" } }),
    ];
    for body in &never_ran {
        let (status, content_type, text) = post(base, Some(GRAPHQL_RESPONSE), body, Some(&token)).await;
        assert_eq!(status, 400, "{body}: {text}");
        assert!(content_type.starts_with(GRAPHQL_RESPONSE), "{content_type}");
        let answer: Value = serde_json::from_str(&text).unwrap();
        assert!(answer.get("data").is_none(), "no data entry: {text}");
        assert!(answer["errors"][0]["extensions"]["code"].is_string(), "{text}");
        for accept in [Some("application/json"), Some("*/*"), None] {
            let (status, content_type, text) = post(base, accept, body, Some(&token)).await;
            assert_eq!(status, 200, "{accept:?} {body}: {text}");
            assert!(content_type.starts_with("application/json"), "{content_type}");
            assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["data"], Value::Null, "{text}");
        }
    }
    // A request that ran is 200 under either media type, a failed field beside its null.
    let ran = json!({ "query": "{ me { username } nope: project(id: \"UHJvamVjdDo5OTk5OQ==\") { id } }" });
    for accept in [GRAPHQL_RESPONSE, "application/json"] {
        let (status, content_type, text) = post(base, Some(accept), &ran, Some(&token)).await;
        assert_eq!(status, 200, "{accept}: {text}");
        assert!(content_type.starts_with(accept), "{content_type}");
        let answer: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(answer["data"]["me"]["username"], "submitter", "{text}");
    }
    // The HTTP layer's own refusals follow the media type too: a batch, a missing query.
    for (body, code) in [
        (json!([{ "query": "{ me { id } }" }]), "BATCH_NOT_SUPPORTED"),
        (json!({ "qeury": "{ me { id } }" }), "BAD_USER_INPUT"),
    ] {
        let (status, content_type, text) = post(base, Some(GRAPHQL_RESPONSE), &body, Some(&token)).await;
        assert_eq!(status, 400, "{text}");
        assert!(content_type.starts_with(GRAPHQL_RESPONSE), "{content_type}");
        let answer: Value = serde_json::from_str(&text).unwrap();
        assert!(answer.get("data").is_none() && answer["errors"][0]["extensions"]["code"] == code, "{text}");
    }
}

/// What a selection asks for, in order: each response key with what it asks of its value.
#[derive(Clone, Debug)]
struct Selection(Vec<(String, Option<Selection>)>);

impl Selection {
    fn text(&self) -> String {
        let fields: Vec<String> = self
            .0
            .iter()
            .map(|(key, sub)| match sub {
                Some(sub) => format!("{key} {{ {} }}", sub.text()),
                None => key.clone(),
            })
            .collect();
        fields.join(" ")
    }

    /// Panics where `answer` has its keys in another order than asked (`at` says where).
    fn check(&self, answer: &Ordered, at: &str) {
        match answer {
            Ordered::List(items) => {
                items.iter().enumerate().for_each(|(i, item)| self.check(item, &format!("{at}[{i}]")))
            }
            Ordered::Object(_) => {
                let asked: Vec<&str> = self.0.iter().map(|(k, _)| k.split(':').next().unwrap().trim()).collect();
                assert_eq!(answer.keys(), asked, "the keys of {at} are not in the selection's order");
                for (key, sub) in &self.0 {
                    let key = key.split(':').next().unwrap().trim();
                    if let (Some(sub), Some(value)) = (sub, answer.get(key)) {
                        sub.check(value, &format!("{at}.{key}"));
                    }
                }
            }
            Ordered::Leaf => {}
        }
    }
}

/// Every field of `type_name` that needs no argument, last first (the reverse of the schema's
/// order, so that an answer in the schema's or the resolvers' order fails), objects with their
/// own plain fields, `depth` levels down.
fn every_field(types: &Value, type_name: &str, depth: usize) -> Selection {
    let of = types.as_array().unwrap().iter().find(|t| t["name"] == type_name).unwrap();
    let mut fields = Vec::new();
    for field in of["fields"].as_array().unwrap().iter().rev() {
        let needs_argument = field["args"].as_array().unwrap().iter().any(|a| a["type"]["kind"] == "NON_NULL");
        if needs_argument {
            continue;
        }
        let mut ty = &field["type"];
        while ty["kind"] == "NON_NULL" || ty["kind"] == "LIST" {
            ty = &ty["ofType"];
        }
        let name = field["name"].as_str().unwrap().to_string();
        match ty["kind"].as_str().unwrap() {
            "SCALAR" | "ENUM" => fields.push((name, None)),
            _ if depth == 0 => fields.push((name, Some(Selection(vec![("__typename".into(), None)])))),
            _ => fields.push((name, Some(every_field(types, ty["name"].as_str().unwrap(), depth - 1)))),
        }
    }
    // An alias of the first field, asked last: keys are response keys.
    let (first, sub) = fields[0].clone();
    fields.push((format!("again: {first}"), sub));
    Selection(fields)
}

#[tokio::test]
async fn keys_come_in_the_selection_s_order_for_every_project_field_on_both_reading_paths() {
    let lifted = [("JIXIAO_MAX_COMPLEXITY", "1000000000"), ("JIXIAO_MAX_FIELDS", "100000")];
    let world = World::with_fixture_and(&lifted).await;
    let apart =
        Server::start_with(&world.db.url, &[lifted[0], lifted[1], ("JIXIAO_READ_PARTS_TOGETHER", "false")]).await;
    jixiao_tests::server::until_listening(&apart.base_url).await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    // One project through its life (submitted, approved) so that its history and snapshots hold rows.
    let id = submitter.data("{ projects(first: 1) { nodes { id } } }", json!({})).await["projects"]["nodes"][0]["id"]
        .clone();
    let step = |op: &str| format!("mutation($id: ID!) {{ {op}(id: $id) {{ userErrors {{ code }} }} }}");
    submitter.data(&step("submitProject"), json!({ "id": id })).await;
    approver.data(&step("approveProject"), json!({ "id": id })).await;

    let schema = "{ __schema { types { name fields { name args { type { kind } } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }";
    let types = submitter.data(schema, json!({})).await["__schema"]["types"].clone();
    let project = every_field(&types, "Project", 2);
    let page = Selection(vec![
        ("totalCount".into(), None),
        ("nodes".into(), Some(project.clone())),
        ("pageInfo".into(), Some(Selection(vec![("hasNextPage".into(), None), ("endCursor".into(), None)]))),
    ]);
    let asked = Selection(vec![
        ("projects(first: 5)".into(), Some(page)),
        ("me".into(), Some(Selection(vec![("username".into(), None), ("id".into(), None)]))),
    ]);
    // The selection's keys are `projects`, not `projects(first: 5)`.
    let check = |answer: &Ordered| {
        let data = answer.get("data").unwrap();
        assert_eq!(data.keys(), ["projects", "me"]);
        let Selection(top) = &asked;
        top[0].1.as_ref().unwrap().check(data.get("projects").unwrap(), "projects");
        top[1].1.as_ref().unwrap().check(data.get("me").unwrap(), "me");
    };
    let text = format!("query Everything {{ {} }}", asked.text());
    for reader in [submitter.clone(), Client::new(&apart.base_url).with_token(submitter.token())] {
        // Three times: the document's first read, its read once kept and validated, and a read
        // that runs on the strict schema (`@include` sends it there).
        for text in [text.clone(), text.clone(), text.replace("totalCount", "totalCount @include(if: true)")] {
            let body = reader.raw(&text, json!({})).await;
            check(&Ordered::parse(&body));
        }
    }
    // The approver's reading path (every department) and the project read alone.
    let alone = format!("query One($id: ID!) {{ project(id: $id) {{ {} }} }}", project.text());
    let body = approver.raw(&alone, json!({ "id": id })).await;
    let answer = Ordered::parse(&body);
    project.check(answer.get("data").unwrap().get("project").unwrap(), "project");
}

#[tokio::test]
async fn persisted_queries_miss_once_per_instance_then_run_by_their_hash() {
    let world = World::with_fixture().await;
    let second = Server::start(&world.db.url).await;
    jixiao_tests::server::until_listening(&second.base_url).await;
    let token = world.login("submitter").await.token().to_string();
    let text = "query Count { declarationSummary(fiscalYear: 2023) { projectCount totalFunds } }";
    let hash = sha256_hex(text);
    let by_hash =
        json!({ "operationName": "Count", "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } });
    let with_text = json!({ "query": text, "operationName": "Count", "extensions": by_hash["extensions"] });
    for base in [&world.server.base_url, &second.base_url] {
        // As Apollo Client does it: the hash alone, a miss, the hash with the text, then the hash alone.
        let (_, _, miss) = post(base, None, &by_hash, Some(&token)).await;
        let miss: Value = serde_json::from_str(&miss).unwrap();
        assert_eq!(miss["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND", "{miss}");
        let (status, _, full) = post(base, None, &with_text, Some(&token)).await;
        assert_eq!(status, 200);
        let full: Value = serde_json::from_str(&full).unwrap();
        assert_eq!(full["data"]["declarationSummary"]["projectCount"], 5, "{full}");
        let (_, _, hit) = post(base, None, &by_hash, Some(&token)).await;
        assert_eq!(serde_json::from_str::<Value>(&hit).unwrap(), full, "the hash alone answers as the text did");
        // By GET too (the CDN-friendly way Apollo can send hashed queries).
        let get = reqwest::Client::new()
            .get(format!("{base}/graphql"))
            .query(&[("extensions", by_hash["extensions"].to_string())])
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(get.json::<Value>().await.unwrap(), full);
    }
    // A hash that is not the text's is refused, and nothing is kept under it.
    let forged = json!({ "query": "{ me { username } }", "extensions": { "persistedQuery": { "version": 1, "sha256Hash": sha256_hex("{ me { id } }") } } });
    let (_, _, refused) = post(&world.server.base_url, None, &forged, Some(&token)).await;
    let refused: Value = serde_json::from_str(&refused).unwrap();
    assert_eq!(refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{refused}");
    let after = json!({ "extensions": forged["extensions"] });
    let (_, _, after) = post(&world.server.base_url, None, &after, Some(&token)).await;
    assert_eq!(
        serde_json::from_str::<Value>(&after).unwrap()["errors"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_FOUND"
    );
}

#[tokio::test]
async fn with_trusted_documents_only_every_instance_runs_the_front_end_s_operations_and_nothing_else() {
    let world = World::with_fixture().await;
    let dir = std::env::temp_dir().join(format!("jixiao-documents-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let count = "query Count { declarationSummary(fiscalYear: 2023) { projectCount } }";
    let login = "mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { token } }";
    // The manifest as the GraphQL Code Generator writes it: id → text (its ids are whatever the
    // build chose; here the sha256 of one, and a name for the other).
    // One id with the persisted-documents prefix: it is kept without it, so both spellings ask for it.
    let manifest = json!({ format!("sha256:{}", sha256_hex(count)): count, "login-v1": login });
    let file = dir.join("persisted-documents.json");
    std::fs::write(&file, manifest.to_string()).unwrap();
    let out = jixiao(&world.db.url, &["documents", "add", file.to_str().unwrap()], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains('2'), "{}", String::from_utf8_lossy(&out.stdout));
    // Loading it again adds nothing; a manifest with one bad document adds none of its others.
    let again = jixiao(&world.db.url, &["documents", "add", file.to_str().unwrap()], None).await;
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    let bad = dir.join("bad.json");
    std::fs::write(&bad, json!({ "fresh": "{ me { id } }", "broken": "{ me {" }).to_string()).unwrap();
    let refused = jixiao(&world.db.url, &["documents", "add", bad.to_str().unwrap()], None).await;
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("broken"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let changed = dir.join("changed.json");
    std::fs::write(&changed, json!({ "login-v1": "{ me { username } }" }).to_string()).unwrap();
    let refused = jixiao(&world.db.url, &["documents", "add", changed.to_str().unwrap()], None).await;
    assert!(!refused.status.success(), "a document never changes under its id");

    let only = [("JIXIAO_TRUSTED_DOCUMENTS_ONLY", "true")];
    let (one, two) = (Server::start_with(&world.db.url, &only).await, Server::start_with(&world.db.url, &only).await);
    for base in [&one.base_url, &two.base_url] {
        jixiao_tests::server::until_listening(base).await;
        let by_id = |id: &str, variables: Value| json!({ "variables": variables, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": id } } });
        let (_, _, logged_in) =
            post(base, None, &by_id("login-v1", json!({ "u": "submitter", "p": jixiao_tests::PASSWORD })), None).await;
        let logged_in: Value = serde_json::from_str(&logged_in).unwrap();
        let token = logged_in["data"]["login"]["token"].as_str().unwrap_or_else(|| panic!("{logged_in}")).to_string();
        let (_, _, counted) = post(base, None, &by_id(&sha256_hex(count), json!({})), Some(&token)).await;
        assert_eq!(serde_json::from_str::<Value>(&counted).unwrap()["data"]["declarationSummary"]["projectCount"], 5);
        // `documentId` (the persisted-documents convention), by GET.
        let get = reqwest::Client::new()
            .get(format!("{base}/graphql"))
            .query(&[("documentId", format!("sha256:{}", sha256_hex(count)))])
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(get.json::<Value>().await.unwrap()["data"]["declarationSummary"]["projectCount"], 5);
        // The trusted text itself passes (its sha256 is its id); any other text does not, with
        // or without a hash of its own.
        let (_, _, by_text) = post(base, None, &json!({ "query": count }), Some(&token)).await;
        assert_eq!(serde_json::from_str::<Value>(&by_text).unwrap()["data"]["declarationSummary"]["projectCount"], 5);
        let other = "{ me { username } }";
        for body in [
            json!({ "query": other }),
            json!({ "query": other, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": sha256_hex(other) } } }),
            json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": sha256_hex(other) } } }),
        ] {
            let (_, _, refused) = post(base, None, &body, Some(&token)).await;
            let refused: Value = serde_json::from_str(&refused).unwrap();
            assert_eq!(refused["errors"][0]["extensions"]["code"], "TRUSTED_DOCUMENT_REQUIRED", "{body}: {refused}");
            assert!(refused["data"].is_null(), "nothing ran: {refused}");
        }
        // Introspection follows its own setting (on by default): GraphiQL's explorer still works.
        let (_, _, schema) = post(base, None, &json!({ "query": "{ __schema { queryType { name } } }" }), None).await;
        assert_eq!(serde_json::from_str::<Value>(&schema).unwrap()["data"]["__schema"]["queryType"]["name"], "Query");
        let (_, _, sneaky) =
            post(base, None, &json!({ "query": "{ __typename me { username } }" }), Some(&token)).await;
        assert_eq!(
            serde_json::from_str::<Value>(&sneaky).unwrap()["errors"][0]["extensions"]["code"],
            "TRUSTED_DOCUMENT_REQUIRED"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
