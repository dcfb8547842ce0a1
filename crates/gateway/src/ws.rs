//! GraphQL subscriptions over WebSocket: `GET /graphql` with an upgrade, speaking
//! graphql-transport-ws (what async-graphql, Apollo and urql clients speak; the older
//! subscriptions-transport-ws too). The token comes in the `connection_init` payload
//! (`{ "token": "…" }` or `{ "Authorization": "Bearer …" }`) and is checked as a request's
//! header is, and must come within 10 s (4408). The connection is closed (4403) the moment its
//! token expires or its user is disabled, changes role, department or password: checked on every
//! change of that user (any instance) and once a second. A client that does not read what is sent
//! for `SEND_TIMEOUT` is closed too.
//!
//! A subscription whose events are the same for a whole visibility class joins that class's
//! feed (`ws_feeds.rs`) instead of running on its own; the others run in async-graphql's
//! WebSocket as before. Either way the client sees the same protocol.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::Data;
use async_graphql::futures_util::{SinkExt, StreamExt, future};
use async_graphql::http::{ClientMessage, WebSocket as GraphQLWebSocket, WebSocketProtocols, WsMessage};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use tokio::sync::broadcast::error::RecvError;

use crate::auth::JwtKeys;
use crate::auth::Session;
use crate::error::ApiError;
use crate::graphql::access::{Access, RequestAuth};
use crate::graphql::guard;
use crate::graphql::schema::JixiaoSchema;
use crate::lang::say;
use crate::metrics::Metrics;
use crate::ws_feeds::{self, Feeds, Joining};
use crate::ws_slots::{self, ConnectionSlots, UserSlots};
use jixiao_domain::Actor;
use jixiao_store::{Store, User};

/// A client that has not taken a message after this is closed (1008).
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How often a connection's token and user are checked besides on each change of the user.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// A connection that has not sent an accepted `connection_init` by then is closed (4408), as
/// graphql-transport-ws asks: an unauthenticated socket holds nothing open for long.
const INIT_WITHIN: Duration = Duration::from_secs(10);

/// The bearer token of an init payload.
fn token_of(payload: &serde_json::Value) -> Option<String> {
    let field = |name: &str| payload.get(name).and_then(|v| v.as_str()).map(str::trim);
    match (field("token"), field("Authorization").or(field("authorization"))) {
        (Some(token), _) if !token.is_empty() => Some(format!("Bearer {token}")),
        (_, Some(header)) if header.starts_with("Bearer ") => Some(header.to_string()),
        _ => None,
    }
}

fn refused(zh: &str, en: &str) -> async_graphql::Error {
    async_graphql::Error::new(say(zh, en))
}

/// What a connection needs of the service.
#[derive(Clone)]
pub struct SocketState {
    pub schema: JixiaoSchema,
    pub store: Store,
    pub keys: JwtKeys,
    pub metrics: Arc<Metrics>,
    /// The request guard's limits, applied to every subscription as to every request.
    pub max_fields: u64,
    pub introspection: bool,
    /// Open subscriptions per user on this instance (`ws_slots.rs`).
    pub user_slots: UserSlots,
    /// Documents sent by id, and whether only trusted ones run (`persisted.rs`).
    pub persisted: Arc<crate::graphql::persisted::PersistedDocuments>,
    /// Subscriptions served once per selection and class (`ws_feeds.rs`).
    pub feeds: Feeds,
}

/// What the input tells the connection about subscriptions served by feeds.
enum FeedCommand {
    Join {
        id: String,
        request: Box<async_graphql::Request>,
    },
    /// `complete`: whether the client is told (a Stop) or not (a new subscription takes the id).
    Leave {
        id: String,
        complete: bool,
    },
}

/// A connection's subscriptions served by feeds, each the task that forwards its feed's items;
/// all stop with the connection.
#[derive(Default)]
struct Members(std::collections::HashMap<String, tokio::task::AbortHandle>);

impl Members {
    fn leave(&mut self, id: &str) -> bool {
        self.0.remove(id).inspect(|task| task.abort()).is_some()
    }

    /// Whether `task` forwards for a member still here (one that left, or whose id a new
    /// subscription took, may have queued messages that must not follow its `complete`).
    fn has(&self, task: tokio::task::Id) -> bool {
        self.0.values().any(|t| t.id() == task)
    }
}

impl Drop for Members {
    fn drop(&mut self) {
        for task in self.0.values() {
            task.abort();
        }
    }
}

/// The ids this connection's feeds serve (the input, which reads Stop, and the connection, which
/// ends them, both keep it).
type SharedIds = Arc<Mutex<std::collections::HashSet<String>>>;

/// A subscription the guard refused: its id and why, to be answered with an `error` message.
type Refusal = (String, ApiError);

/// Serves one upgraded connection until either side ends it (run inside `lang::scoped`, so that
/// its messages are in the client's language).
pub async fn serve(socket: WebSocket, state: SocketState, protocol: WebSocketProtocols) {
    let (mut sink, source) = socket.split();
    // Every subscription passes the request guard before async-graphql parses it (its text
    // could nest deep enough to overflow the stack); a refused one is answered here.
    // Bounded: a client that sends refused subscriptions faster than the answers go out loses
    // answers, not memory.
    let (refuse, mut refusals) = tokio::sync::mpsc::channel::<Refusal>(64);
    let (max_fields, introspection) = (state.max_fields, state.introspection);
    // The bearer the connection was opened with and who it named, once `connection_init` has
    // been accepted: the connection holds while the same bearer still names the same actor.
    let opened: Arc<Mutex<Option<(String, Actor, User)>>> = Arc::default();
    let slots = Arc::new(ConnectionSlots::new(state.user_slots.clone()));
    let (input_opened, input_slots) = (opened.clone(), slots.clone());
    let (persisted, store) = (state.persisted.clone(), state.store.clone());
    // Subscriptions for feeds go to the connection, not to async-graphql; bounded by the
    // connection's slots (each Join took one), so the channel's bound only paces the input.
    let (to_feeds, mut feed_commands) = tokio::sync::mpsc::channel::<FeedCommand>(64);
    let shared_ids: SharedIds = Arc::default();
    let input_shared = shared_ids.clone();
    let input = source.take_while(|m| future::ready(m.is_ok())).filter_map(move |m| {
        let (input_opened, input_slots, refuse) = (input_opened.clone(), input_slots.clone(), refuse.clone());
        let (persisted, store) = (persisted.clone(), store.clone());
        let (to_feeds, input_shared) = (to_feeds.clone(), input_shared.clone());
        Box::pin(async move {
            let message = match m {
                Ok(Message::Text(text)) => Some(ClientMessage::from_bytes(text.as_bytes())),
                Ok(Message::Binary(bytes)) => Some(ClientMessage::from_bytes(bytes.as_ref())),
                _ => None,
            };
            let message = match message {
                Some(Ok(ClientMessage::Start { id, mut payload })) => {
                    let user =
                        input_opened.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|(_, a, _)| a.user_id);
                    // A new subscription under the id of one a feed serves replaces it.
                    if input_shared.lock().unwrap_or_else(|e| e.into_inner()).remove(&id) {
                        let _ = to_feeds.send(FeedCommand::Leave { id: id.clone(), complete: false }).await;
                    }
                    // Before the handshake there is no user: async-graphql closes such a connection.
                    let slot = user.map_or(Ok(()), |user| input_slots.take(user, &id));
                    // A subscription may be sent by id too, and with trusted documents only it must be
                    // one (`persisted.rs`), as a request over HTTP.
                    let checked = match slot {
                        Ok(()) => match persisted.resolve(&store, &mut payload).await {
                            Ok(trusted) => guard::check(&mut payload, max_fields, introspection)
                                .and_then(|()| persisted.admit(&mut payload, trusted, introspection)),
                            Err(why) => Err(why),
                        },
                        Err(why) => Err(why),
                    };
                    match checked {
                        Ok(()) if user.is_some() && ws_feeds::shareable(&mut payload) => {
                            input_shared.lock().unwrap_or_else(|e| e.into_inner()).insert(id.clone());
                            let _ = to_feeds.send(FeedCommand::Join { id, request: Box::new(payload) }).await;
                            None
                        }
                        Ok(()) => Some(Ok(ClientMessage::Start { id, payload })),
                        Err(why) => {
                            input_slots.give_back(&id);
                            let _ = refuse.try_send((id, why));
                            None
                        }
                    }
                }
                Some(Ok(ClientMessage::Stop { id })) => {
                    input_slots.give_back(&id);
                    if input_shared.lock().unwrap_or_else(|e| e.into_inner()).remove(&id) {
                        let _ = to_feeds.send(FeedCommand::Leave { id, complete: true }).await;
                        return None;
                    }
                    Some(Ok(ClientMessage::Stop { id }))
                }
                other => other,
            };
            message
        })
    });
    let init = {
        let (state, opened) = (state.clone(), opened.clone());
        move |payload: serde_json::Value| async move {
            let Some(header) = token_of(&payload) else {
                return Err(refused(
                    "请在 connection_init 的 payload 中附带令牌：{ \"token\": \"…\" }",
                    "send the token in the connection_init payload: { \"token\": \"…\" }",
                ));
            };
            match Session::from_header(&state.store, &state.keys, Some(&header)).await {
                Ok(Session::User { actor, user }) => {
                    *opened.lock().unwrap_or_else(|e| e.into_inner()) = Some((header, actor, user.clone()));
                    let mut data = Data::default();
                    data.insert(RequestAuth::Granted(Access::new(user, state.store.scope(actor))));
                    data.insert(state.metrics.clone());
                    Ok(data)
                }
                Ok(_) => Err(refused(
                    "登录凭证无效（已过期、被篡改，或其用户已停用）：请重新登录",
                    "the token is not valid (expired, altered, or its user was disabled): log in again",
                )),
                Err(_) => Err(refused("暂时无法验证令牌，请稍后重试", "the token cannot be checked now: try again")),
            }
        }
    };
    let mut graphql = GraphQLWebSocket::from_message_stream(state.schema.for_subscriptions(), input, protocol)
        .on_connection_init(init);
    let mut changes = state.store.user_changes();
    let mut tick = tokio::time::interval(CHECK_EVERY);
    let connected = tokio::time::Instant::now();
    // What this connection's feeds send, already in the protocol's words.
    let (from_feeds, mut fed) = tokio::sync::mpsc::channel::<(tokio::task::Id, String)>(64);
    let mut members = Members::default();
    loop {
        let check = tokio::select! {
            Some(command) = feed_commands.recv() => {
                match command {
                    FeedCommand::Join { id, request } => {
                        let member = opened.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|(_, a, u)| (*a, u.clone()));
                        if let Some((actor, user)) = member {
                            let joining = Joining {
                                schema: &state.schema,
                                store: &state.store,
                                metrics: &state.metrics,
                                actor,
                                user,
                                lang: crate::lang::current(),
                            };
                            members.leave(&id);
                            let task = state.feeds.join(joining, *request, id.clone(), protocol, from_feeds.clone()).await;
                            members.0.insert(id, task.abort_handle());
                        }
                        false
                    }
                    FeedCommand::Leave { id, complete } => {
                        if members.leave(&id) && complete && !deliver(&mut sink, ws_feeds::complete(&id)).await {
                            return;
                        }
                        false
                    }
                }
            }
            Some((task, text)) = fed.recv() => {
                if !members.has(task) {
                    continue;
                }
                if let Some(id) = ws_slots::ended_id(&text) {
                    slots.give_back(&id);
                    members.0.remove(&id);
                    shared_ids.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
                }
                if !deliver(&mut sink, text).await {
                    return;
                }
                false
            }
            message = graphql.next() => {
                let outgoing = match message {
                    Some(WsMessage::Text(text)) => {
                        if let Some(id) = ws_slots::ended_id(&text) {
                            slots.give_back(&id);
                        }
                        text
                    }
                    Some(WsMessage::Close(code, reason)) => {
                        let _ = sink.send(Message::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
                        return;
                    }
                    None => return,
                };
                if !deliver(&mut sink, outgoing).await {
                    return;
                }
                false
            }
            Some((id, why)) = refusals.recv() => {
                let error = serde_json::json!({
                    "id": id,
                    "type": "error",
                    "payload": [{ "message": why.message(), "extensions": { "code": why.code() } }],
                });
                if sink.send(Message::Text(error.to_string().into())).await.is_err() {
                    return;
                }
                false
            }
            change = changes.recv() => match change {
                Ok(user_id) => opened.lock().unwrap_or_else(|e| e.into_inner()).as_ref().is_some_and(|(_, a, _)| a.user_id == user_id),
                // Fallen behind: a change of this user may be among what was missed.
                Err(RecvError::Lagged(_)) => true,
                Err(RecvError::Closed) => return,
            },
            _ = tick.tick() => true,
        };
        let current = opened.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|(h, a, _)| (h.clone(), *a));
        if current.is_none() && connected.elapsed() >= INIT_WITHIN {
            let reason =
                say("连接建立后未及时完成 connection_init，连接已关闭", "connection_init did not come in time");
            let _ = sink.send(Message::Close(Some(CloseFrame { code: 4408, reason: reason.into() }))).await;
            return;
        }
        if let (true, Some((header, actor))) = (check, current) {
            // A database that cannot answer now is not a reason to close (the next check is in
            // a second); an invalid token, or a user who is now someone else (role, department), is.
            let holds = match Session::from_header(&state.store, &state.keys, Some(&header)).await {
                Ok(Session::User { actor: now, .. }) => now == actor,
                Ok(_) => false,
                Err(_) => true,
            };
            if !holds {
                let reason = say(
                    "登录凭证已失效（已过期，或用户已停用、角色或密码已变更）：请重新登录后再订阅",
                    "the token is no longer valid (expired, or the user was disabled or changed): log in and subscribe again",
                );
                let frame = CloseFrame { code: 4403, reason: reason.into() };
                let _ = sink.send(Message::Close(Some(frame))).await;
                return;
            }
        }
    }
}

/// Sends `text` to the client; false when the connection is over (it failed, or the client did
/// not take it within `SEND_TIMEOUT` and was closed).
async fn deliver(sink: &mut async_graphql::futures_util::stream::SplitSink<WebSocket, Message>, text: String) -> bool {
    match tokio::time::timeout(SEND_TIMEOUT, sink.send(Message::Text(text.into()))).await {
        Ok(Ok(())) => true,
        Ok(Err(_)) => false,
        Err(_) => {
            let reason =
                say("客户端长时间未接收消息，连接已关闭", "the client stopped reading; the connection was closed");
            let _ = sink.send(Message::Close(Some(CloseFrame { code: 1008, reason: reason.into() }))).await;
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::token_of;
    use serde_json::json;

    #[test]
    fn the_token_comes_in_the_init_payload_either_way() {
        assert_eq!(token_of(&json!({ "token": "abc" })).as_deref(), Some("Bearer abc"));
        assert_eq!(token_of(&json!({ "Authorization": "Bearer abc" })).as_deref(), Some("Bearer abc"));
        assert_eq!(token_of(&json!({ "authorization": "Bearer abc" })).as_deref(), Some("Bearer abc"));
        assert_eq!(token_of(&json!({ "token": "" })), None);
        assert_eq!(token_of(&json!({ "Authorization": "Basic abc" })), None);
        assert_eq!(token_of(&json!(null)), None);
    }
}
