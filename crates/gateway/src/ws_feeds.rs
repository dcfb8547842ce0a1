//! Subscriptions resolved once per distinct selection and visibility class, not once per
//! subscriber. A hundred approvers following `projectEvents { projectId action }` see the same
//! events with the same fields: one *feed* runs that subscription, and each event is resolved
//! and serialized once, then sent to every subscriber of the feed with their own id.
//!
//! A feed runs as its class (`jixiao_domain::VisibilityClass`), not as any of its subscribers: an
//! actor of the class's role and department who is nobody (user id 0), so it sees exactly what
//! every member may see (the users rule's "yourself" is no one) and nothing personal. What it
//! would need a person for is not shared: `todoEvents` (each caller's own list) and
//! `assignedToMe` (each approver's own departments) run per subscriber, as before (`ws.rs`).
//! Every member is still checked on every change of its user (and once a second): a member
//! whose role or department changes is closed, as any subscriber is.
//!
//! A feed starts with its first member and ends when its last one leaves. A member that falls
//! `buffer` events behind the feed is told (SLOW_SUBSCRIBER) and its subscription ends, as a
//! subscriber's does; a feed that falls behind the instance's events tells all its members.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use async_graphql::futures_util::StreamExt;
use async_graphql::http::WebSocketProtocols;
use async_graphql::parser::types::Selection;
use jixiao_domain::Actor;
use jixiao_store::{Store, User};
use tokio::sync::{broadcast, mpsc, oneshot};

use crate::graphql::access::{Access, RequestAuth};
use crate::graphql::event_stream::FeedStarted;
use crate::graphql::guard;
use crate::graphql::schema::JixiaoSchema;
use crate::kept_answers::AnswerKey;
use crate::metrics::{Metrics, OpenSubscription};

/// The subscriptions whose events are the same for a whole class.
const SHARED_FIELDS: [&str; 3] = ["projectEvents", "monitoringEvents", "departmentGoalsEvents"];

/// How long a new feed may take to start hearing events before its first member is told.
const START_WITHIN: Duration = Duration::from_secs(10);

/// What a feed sends its members.
#[derive(Clone)]
enum Item {
    /// A serialized GraphQL response (an event, or the error that ends the feed).
    Next(Arc<str>),
    Complete,
}

struct Feed {
    items: broadcast::Sender<Item>,
    task: tokio::task::AbortHandle,
}

impl Drop for Feed {
    /// The last member left: nobody is listening.
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The feeds of this instance, by selection and class; each holds up to `buffer` items for a
/// member that has not sent them yet (JIXIAO_EVENT_BUFFER, as a subscriber's events).
#[derive(Clone)]
pub struct Feeds {
    feeds: Arc<Mutex<HashMap<Vec<u8>, Weak<Feed>>>>,
    buffer: usize,
}

/// Whether `request` (checked by the guard) is a subscription a feed may serve: every root field
/// is one whose events are the class's, and nothing asks for the caller's own departments.
pub fn shareable(request: &mut async_graphql::Request) -> bool {
    let variables = serde_json::to_string(&request.variables).unwrap_or_default();
    if request.query.contains("assignedToMe") || variables.contains("assignedToMe") {
        return false;
    }
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else { return false };
    let Some(operation) = guard::operation(document, name.as_deref()) else { return false };
    let items = &operation.node.selection_set.node.items;
    !items.is_empty()
        && items.iter().all(|item| match &item.node {
            Selection::Field(field) => SHARED_FIELDS.contains(&field.node.name.node.as_str()),
            _ => false,
        })
}

/// What a member needs to join: the service's parts and the member's own.
pub struct Joining<'a> {
    pub schema: &'a JixiaoSchema,
    pub store: &'a Store,
    pub metrics: &'a Arc<Metrics>,
    pub actor: Actor,
    pub user: User,
    pub lang: jixiao_domain::Lang,
}

impl Feeds {
    pub fn new(buffer: usize) -> Feeds {
        Feeds { feeds: Arc::default(), buffer: buffer.max(16) }
    }

    /// Subscribes `id` of a connection to the feed of `request` for the member's class,
    /// starting the feed if there is none; the member's messages (already in the protocol's
    /// words) go to `out`, each with the id of the task that forwards them, which is returned
    /// (abort it when the member leaves; what it queued before is then not sent, `ws.rs`).
    pub async fn join(
        &self,
        joining: Joining<'_>,
        request: async_graphql::Request,
        id: String,
        protocol: WebSocketProtocols,
        out: mpsc::Sender<(tokio::task::Id, String)>,
    ) -> tokio::task::JoinHandle<()> {
        let class = joining.actor.visibility_class();
        let key = AnswerKey::new(class, joining.lang, joining.store.clock().today(), &request).into_bytes();
        let (feed, mut items, started) = self.feed(key, &joining, request);
        let metrics = joining.metrics.clone();
        let lang = joining.lang;
        tokio::spawn(crate::lang::scoped(lang, async move {
            let me = tokio::task::id();
            // A new feed is counted once it hears events; one whose resolver failed (a bad
            // argument) has already sent its error, which follows.
            if let Some(started) = started
                && tokio::time::timeout(START_WITHIN, started).await.is_err()
            {
                let _ = out.send((me, complete(&id))).await;
                return;
            }
            let open = OpenSubscription::new(metrics);
            loop {
                let message = match items.recv().await {
                    Ok(Item::Next(payload)) => {
                        open.0.subscription_events_sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        next(protocol, &id, &payload)
                    }
                    Ok(Item::Complete) | Err(broadcast::error::RecvError::Closed) => break,
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        let _ = out.send((me, next(protocol, &id, &slow(missed)))).await;
                        break;
                    }
                };
                if out.send((me, message)).await.is_err() {
                    return;
                }
            }
            drop(feed);
            let _ = out.send((me, complete(&id))).await;
        }))
    }

    /// The running feed of `key`, or a new one; its items from now on; and, for a new one, what
    /// says when it hears events.
    fn feed(
        &self,
        key: Vec<u8>,
        joining: &Joining<'_>,
        request: async_graphql::Request,
    ) -> (Arc<Feed>, broadcast::Receiver<Item>, Option<oneshot::Receiver<()>>) {
        let mut feeds = self.feeds.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(feed) = feeds.get(&key).and_then(Weak::upgrade)
            && !feed.task.is_finished()
        {
            let items = feed.items.subscribe();
            return (feed, items, None);
        }
        feeds.retain(|_, feed| feed.strong_count() > 0);
        let (items, first) = broadcast::channel(self.buffer);
        let (tx, rx) = oneshot::channel();
        // The class, as nobody in it: what every member may see.
        let class = Actor { user_id: 0, ..joining.actor };
        let request = request
            .data(RequestAuth::Granted(Access::new(joining.user.clone(), joining.store.scope(class))))
            .data(joining.metrics.clone())
            .data(FeedStarted::new(tx));
        let executor = joining.schema.for_subscriptions();
        let sender = items.clone();
        let task = tokio::spawn(crate::lang::scoped(joining.lang, async move {
            let mut stream = executor.execute_stream(request);
            while let Some(response) = stream.next().await {
                let text = serde_json::to_string(&response).unwrap_or_else(|_| "{\"data\":null}".into());
                // No member: the feed is being dropped.
                if sender.send(Item::Next(text.into())).is_err() {
                    return;
                }
            }
            let _ = sender.send(Item::Complete);
        }));
        let feed = Arc::new(Feed { items, task: task.abort_handle() });
        feeds.insert(key, Arc::downgrade(&feed));
        (feed, first, Some(rx))
    }

    /// Feeds running now (`/metrics`).
    pub fn running(&self) -> usize {
        self.feeds.lock().unwrap_or_else(|e| e.into_inner()).values().filter(|f| f.strong_count() > 0).count()
    }
}

/// An event for subscription `id`, in the protocol's words (as async-graphql writes them).
fn next(protocol: WebSocketProtocols, id: &str, payload: &str) -> String {
    let kind = match protocol {
        WebSocketProtocols::SubscriptionsTransportWS => "data",
        WebSocketProtocols::GraphQLWS => "next",
    };
    let id = serde_json::to_string(id).unwrap_or_default();
    format!("{{\"type\":\"{kind}\",\"id\":{id},\"payload\":{payload}}}")
}

/// The end of subscription `id` (its type first, as async-graphql writes it and as
/// `ws_slots::ended_id` reads it).
pub fn complete(id: &str) -> String {
    let id = serde_json::to_string(id).unwrap_or_default();
    format!("{{\"type\":\"complete\",\"id\":{id}}}")
}

/// The SLOW_SUBSCRIBER answer of a member that fell `missed` items behind its feed.
fn slow(missed: u64) -> String {
    let message = crate::lang::say(
        format!("订阅处理过慢，已落后 {missed} 条事件：订阅已结束，请重新查询后再订阅"),
        format!("this subscription fell {missed} events behind and was ended: query again, then subscribe again"),
    );
    serde_json::json!({ "data": null, "errors": [{ "message": message, "extensions": { "code": "SLOW_SUBSCRIBER" } }] })
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str, variables: serde_json::Value) -> async_graphql::Request {
        let mut r = async_graphql::Request::new(query);
        r.variables = async_graphql::Variables::from_json(variables);
        r
    }

    #[test]
    fn only_what_is_the_class_s_is_shared() {
        let shared = |q: &str, v: serde_json::Value| shareable(&mut request(q, v));
        assert!(shared("subscription { projectEvents { projectId action } }", serde_json::json!({})));
        assert!(shared(
            "subscription S($r: ID) { monitoringEvents(filter: { roundId: $r }) { action } }",
            serde_json::json!({})
        ));
        assert!(shared("subscription { departmentGoalsEvents { __typename } }", serde_json::json!({})));
        assert!(!shared("subscription { todoEvents { action } }", serde_json::json!({})));
        assert!(!shared(
            "subscription { projectEvents(filter: { assignedToMe: true }) { action } }",
            serde_json::json!({})
        ));
        assert!(!shared(
            "subscription($f: ProjectEventFilter) { projectEvents(filter: $f) { action } }",
            serde_json::json!({ "f": { "assignedToMe": true } })
        ));
        assert!(!shared("subscription { ... on Subscription { projectEvents { action } } }", serde_json::json!({})));
        assert!(!shared("subscription { projectEvents { action } todoEvents { action } }", serde_json::json!({})));
    }

    #[test]
    fn each_member_gets_the_feed_s_answer_under_its_own_id() {
        let payload = "{\"data\":{\"projectEvents\":{\"action\":\"SUBMITTED\"}}}";
        let sent = next(WebSocketProtocols::GraphQLWS, "a\"1", payload);
        let v: serde_json::Value = serde_json::from_str(&sent).unwrap();
        assert_eq!(v["type"], "next");
        assert_eq!(v["id"], "a\"1");
        assert_eq!(v["payload"]["data"]["projectEvents"]["action"], "SUBMITTED");
        let legacy: serde_json::Value =
            serde_json::from_str(&next(WebSocketProtocols::SubscriptionsTransportWS, "2", payload)).unwrap();
        assert_eq!(legacy["type"], "data");
        let told: serde_json::Value = serde_json::from_str(&slow(3)).unwrap();
        assert_eq!(told["errors"][0]["extensions"]["code"], "SLOW_SUBSCRIBER");
    }
}
