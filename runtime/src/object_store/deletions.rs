//! The results of `delete_stream`: the inner store's deletions, with the
//! refusals the guard set aside.

use core::pin::Pin;
use core::task::{Context, Poll};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use ::object_store::path::Path;
use ::object_store::{Error, Result};
use futures_util::stream::{BoxStream, Stream, StreamExt};

pub(super) fn push(queue: &Mutex<VecDeque<Error>>, error: Error) {
    queue
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push_back(error);
}

fn pop(queue: &Mutex<VecDeque<Error>>) -> Option<Error> {
    queue
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .pop_front()
}

/// The results of `delete_stream`: the inner store's, with the refusals set
/// aside by the filter in front of it.
pub(super) struct Deletions {
    pub(super) deleted: BoxStream<'static, Result<Path>>,
    pub(super) refused: Arc<Mutex<VecDeque<Error>>>,
    pub(super) finished: bool,
}

impl Stream for Deletions {
    type Item = Result<Path>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(error) = pop(&self.refused) {
            return Poll::Ready(Some(Err(error)));
        }
        if !self.finished {
            match self.deleted.poll_next_unpin(cx) {
                Poll::Ready(Some(item)) => return Poll::Ready(Some(item)),
                Poll::Ready(None) => self.finished = true,
                // Polling the inner stream may have pulled refused keys
                // through the filter: yield those now. Otherwise the inner
                // stream wakes this task when it has more.
                Poll::Pending => {
                    return pop(&self.refused)
                        .map_or(Poll::Pending, |error| Poll::Ready(Some(Err(error))));
                }
            }
        }
        // The inner stream has ended, so the filter has seen every key.
        Poll::Ready(pop(&self.refused).map(Err))
    }
}
