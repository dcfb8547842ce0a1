//! The stream every event subscription is made of: the instance's events (store `events.rs`)
//! that a subscription keeps, counted as a subscriber's or a feed's (`ws_feeds.rs`), ended with
//! SLOW_SUBSCRIBER when it falls more than the buffer behind. `subscription.rs` and each
//! feature's own subscriptions (`department_goals/events.rs`) build on it.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use async_graphql::futures_util::Stream;
use async_graphql::futures_util::stream;
use async_graphql::{Context, ErrorExtensions, Result};
use jixiao_store::events::Event;
use tokio::sync::broadcast::error::RecvError;

use crate::graphql::access::Access;
use crate::lang::say;
use crate::metrics::{Metrics, OpenSubscription as Open};

fn slow(missed: u64) -> async_graphql::Error {
    async_graphql::Error::new(say(
        format!("订阅处理过慢，已落后 {missed} 条事件：订阅已结束，请重新查询后再订阅"),
        format!("this subscription fell {missed} events behind and was ended: query again, then subscribe again"),
    ))
    .extend_with(|_, e| e.set("code", "SLOW_SUBSCRIBER"))
}

/// Tells a subscription resolver that it runs for a feed (`ws_feeds.rs`):
/// it is not counted as a subscription (its members are), and says when it hears events.
pub struct FeedStarted(std::sync::Mutex<Option<tokio::sync::oneshot::Sender<()>>>);

impl FeedStarted {
    pub fn new(started: tokio::sync::oneshot::Sender<()>) -> FeedStarted {
        FeedStarted(std::sync::Mutex::new(Some(started)))
    }

    /// The feed now hears every event (its members may be counted as subscribed).
    pub fn started(&self) {
        if let Some(tx) = self.0.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = tx.send(());
        }
    }
}

/// Who an event stream counts for: a subscriber (counted as open, its events as sent), or a
/// feed that serves many (`ws_feeds.rs`: its members are counted instead).
pub enum Counting<'a> {
    Subscriber(Arc<Metrics>),
    Feed(&'a FeedStarted),
}

impl<'a> Counting<'a> {
    pub fn of(ctx: &Context<'a>) -> Result<Counting<'a>> {
        Ok(match ctx.data_opt::<FeedStarted>() {
            Some(feed) => Counting::Feed(feed),
            None => Counting::Subscriber(ctx.data::<Arc<Metrics>>()?.clone()),
        })
    }
}

/// The events of `access`'s instance that `keep` turns into an item, until the subscriber falls
/// behind or `keep` fails (the error is sent, and the subscription ends). Before each item the
/// connection's loaders forget what they read, so that its fields are read as they are now.
pub(crate) fn events<'a, T: Send + 'a, Kept: Future<Output = Result<Option<T>>> + Send + 'a>(
    access: &'a Access,
    counting: Counting<'a>,
    keep: impl Fn(Arc<Event>) -> Kept + Send + 'a,
) -> impl Stream<Item = Result<T>> + 'a {
    let receiver = access.scope.events();
    let open = match counting {
        Counting::Subscriber(metrics) => Some(Open::new(metrics)),
        Counting::Feed(feed) => {
            feed.started();
            None
        }
    };
    stream::unfold(Some((receiver, open, keep)), move |state| async move {
        let (mut receiver, open, keep) = state?;
        loop {
            match receiver.recv().await {
                Ok(event) => match keep(event).await {
                    Ok(Some(item)) => {
                        access.forget_everything();
                        if let Some(open) = &open {
                            open.0.subscription_events_sent.fetch_add(1, Ordering::Relaxed);
                        }
                        return Some((Ok(item), Some((receiver, open, keep))));
                    }
                    Ok(None) => {}
                    Err(e) => return Some((Err(e), None)),
                },
                Err(RecvError::Lagged(missed)) => return Some((Err(slow(missed)), None)),
                Err(RecvError::Closed) => return None,
            }
        }
    })
}
