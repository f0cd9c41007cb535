//! Counting heap allocations and reading resident memory, shared by the measuring binaries
//! (`annulus-probe`, `annulus-peer`, `annulus-soak`).
//!
//! [`CountingAlloc`] wraps the system allocator and keeps four process-wide counters: the
//! allocations made (`alloc`, `alloc_zeroed` and `realloc` each count as one, of the size asked
//! for), the bytes they asked for, the bytes live now, and the most bytes live at once since the
//! last [`CountingAlloc::reset_peak`]. A binary opts in with
//!
//! ```ignore
//! #[global_allocator]
//! static GLOBAL: annulus_benches::CountingAlloc = annulus_benches::CountingAlloc;
//! ```
//!
//! Without that line the counters stay at zero; [`CountingAlloc::is_active`] tells the two apart.
//! The counters are never reset (only the peak is re-based), so spans measured by difference
//! cannot disturb one another. They are global: a span sees every thread's allocations, so
//! measure only while other threads are idle.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::AllocCount;

/// Allocations counted since the process started.
static ALLOC_COUNT: AtomicU64 = AtomicU64::new(0);
/// Bytes those allocations asked for.
static ALLOC_BYTES: AtomicU64 = AtomicU64::new(0);
/// Bytes allocated and not yet freed.
static LIVE_BYTES: AtomicU64 = AtomicU64::new(0);
/// The most bytes live at once since the last [`CountingAlloc::reset_peak`].
static PEAK_LIVE_BYTES: AtomicU64 = AtomicU64::new(0);

/// The system allocator, counting every allocation, the bytes asked for, and the live and peak
/// live bytes; see the module doc for how to install it.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountingAlloc;

impl CountingAlloc {
    /// Records one allocation of `size` bytes that replaces `freed` live bytes (a `realloc`).
    fn record(size: usize, freed: usize) {
        // Relaxed: the counters are read on the measuring thread after the measured call
        // returns, and no other memory is published through them.
        ALLOC_COUNT.fetch_add(1, Ordering::Relaxed);
        ALLOC_BYTES.fetch_add(size as u64, Ordering::Relaxed);
        let before = LIVE_BYTES.fetch_add(size as u64, Ordering::Relaxed);
        let live = (before + size as u64).saturating_sub(freed as u64);
        if freed > 0 {
            LIVE_BYTES.fetch_sub(freed as u64, Ordering::Relaxed);
        }
        PEAK_LIVE_BYTES.fetch_max(live, Ordering::Relaxed);
    }

    /// The allocation counters now.
    pub fn read() -> AllocCount {
        AllocCount {
            count: ALLOC_COUNT.load(Ordering::Relaxed),
            bytes: ALLOC_BYTES.load(Ordering::Relaxed),
        }
    }

    /// Bytes allocated and not yet freed.
    pub fn live_bytes() -> u64 {
        LIVE_BYTES.load(Ordering::Relaxed)
    }

    /// The most bytes live at once since the last [`CountingAlloc::reset_peak`] (or since the
    /// process started).
    pub fn peak_live_bytes() -> u64 {
        PEAK_LIVE_BYTES.load(Ordering::Relaxed)
    }

    /// Re-bases the peak on the bytes live now, so that [`CountingAlloc::peak_live_bytes`]
    /// afterwards reports the high-water mark of the span that follows.
    pub fn reset_peak() {
        PEAK_LIVE_BYTES.store(LIVE_BYTES.load(Ordering::Relaxed), Ordering::Relaxed);
    }

    /// Whether this allocator is the process's global allocator: a small allocation moves the
    /// counters only then.
    pub fn is_active() -> bool {
        let before = Self::read().count;
        let probe = std::hint::black_box(Box::new(0u64));
        drop(probe);
        Self::read().count != before
    }
}

// SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the bookkeeping is relaxed atomic arithmetic that neither allocates nor
// touches the memory handed out.
#[allow(unsafe_code, reason = "a global allocator can only be implemented unsafely")]
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::record(layout.size(), 0);
        // SAFETY: the caller's guarantees on `layout` pass through unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::record(layout.size(), 0);
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: `ptr` came from `System` through this allocator, with this `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Self::record(new_size, layout.size());
        // SAFETY: `ptr` came from `System` through this allocator with `layout`; the caller
        // guarantees `new_size` is valid for it.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Runs `f` and returns the allocations it made, with its result: the difference of the
/// counters around it.
pub fn count_allocs<T>(f: impl FnOnce() -> T) -> (AllocCount, T) {
    let before = CountingAlloc::read();
    let out = f();
    let after = CountingAlloc::read();
    let delta = AllocCount { count: after.count - before.count, bytes: after.bytes - before.bytes };
    (delta, out)
}

/// Peak resident set size of this process in KiB: `VmHWM` of `/proc/self/status`, on Linux;
/// `None` elsewhere.
pub fn peak_rss_kib() -> Option<u64> {
    status_kib("VmHWM:")
}

/// Resident set size of this process now, in KiB: `VmRSS` of `/proc/self/status`, on Linux;
/// `None` elsewhere. Reading it allocates (the file's text), so call it outside a counted span.
pub fn rss_kib() -> Option<u64> {
    status_kib("VmRSS:")
}

/// The value in KiB of the `/proc/self/status` line starting with `key`.
fn status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
