//! Detection over many images at once, in parallel on rayon's thread pool.
//!
//! Calibration collects tens to hundreds of views of one board; their detections are
//! independent, so a batch spreads them over the pool's threads. Each thread owns one
//! [`Workspace`] for the whole batch (a slot per pool thread, picked by
//! `rayon::current_thread_index`), so after each thread's first image a batch allocates only
//! the detections it returns. The slots live in a [`BatchWorkspace`] that the caller may keep
//! and reuse across batches, as with [`Workspace`] for single images.
//!
//! Results come back in input order. A call made from outside any rayon pool runs on the
//! global pool; one made inside a pool (say, under `ThreadPool::install`) runs on that pool,
//! which is how a caller sets the thread count. A slot is locked by the thread using it; two
//! threads would only share one if the pool were larger than the slot table, and then they
//! take turns rather than race.

use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::error::DetectError;
use crate::image::ImageView;

use super::{Detection, Detector, Workspace};

#[cfg(test)]
#[path = "batch_tests.rs"]
mod tests;

/// One [`Workspace`] per thread of a rayon pool, for [`Detector::detect_batch_with`].
#[derive(Debug, Default)]
pub struct BatchWorkspace {
    slots: Vec<Mutex<Workspace>>,
}

impl BatchWorkspace {
    /// An empty batch workspace; one slot per pool thread is added on first use.
    pub fn new() -> Self {
        Self::default()
    }

    /// Workspaces currently held, one per thread of the largest pool used so far.
    pub fn n_workspaces(&self) -> usize {
        self.slots.len()
    }

    /// Grows the slot table to `n_threads` workspaces.
    fn ensure(&mut self, n_threads: usize) {
        let n = n_threads.max(1);
        if self.slots.len() < n {
            self.slots.resize_with(n, || Mutex::new(Workspace::new()));
        }
    }
}

impl Detector {
    /// Detects the board in every image, in parallel, with a fresh workspace per pool thread;
    /// the results are in input order.
    pub fn detect_batch(&self, images: &[ImageView<'_>]) -> Vec<Result<Detection, DetectError>> {
        self.detect_batch_with(&mut BatchWorkspace::new(), images)
    }

    /// Detects the board in every image, in parallel, reusing the caller's per-thread
    /// workspaces; the results are in input order.
    pub fn detect_batch_with(
        &self,
        batch: &mut BatchWorkspace,
        images: &[ImageView<'_>],
    ) -> Vec<Result<Detection, DetectError>> {
        batch.ensure(rayon::current_num_threads());
        let slots = &batch.slots;
        images
            .par_iter()
            .map(|image| {
                // Outside a pool the index is absent and the global pool's first slot serves.
                let slot = rayon::current_thread_index().unwrap_or(0) % slots.len();
                // A poisoned lock means a detection panicked mid-call; the workspace is only
                // scratch memory, fully reset by the next call, so it is safe to go on with.
                let mut ws = slots[slot].lock().unwrap_or_else(PoisonError::into_inner);
                self.detect_with(&mut ws, image).cloned()
            })
            .collect()
    }
}
