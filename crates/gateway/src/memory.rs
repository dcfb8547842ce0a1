//! The server's allocator, and memory that a burst takes given back after it.
//!
//! Small blocks come from mimalloc: serving a page allocates and frees thousands of small,
//! short-lived blocks (the answer's values, decoded rows), and glibc's malloc and free were a
//! quarter of the server's CPU on the list screen (BENCHMARKS.md, step 8).
//!
//! Large blocks come from the system allocator, mapped and unmapped on their own. Each password
//! check takes argon2id's 19 MiB; glibc's malloc raises its mmap threshold to the size of the
//! largest block freed (up to 32 MiB), so after the first check those blocks came from the
//! per-thread heaps and stayed with the process when freed: a burst of logins once left the
//! server at 2.3 GiB. A fixed threshold keeps them in mmap, returned when freed. mimalloc keeps
//! freed memory for reuse instead, which left 63 MiB behind after the same burst
//! (`hardening.rs`'s login flood), so such blocks never go to it.

use std::alloc::{GlobalAlloc, Layout, System};

use mimalloc::MiMalloc;

/// Blocks of at least this size come from the system and are mapped and unmapped on their own.
const LARGE_BYTES: usize = 256 * 1024;

/// Small blocks from mimalloc, large ones from the system (see the module's comment).
pub struct Allocator;

fn is_large(size: usize) -> bool {
    size >= LARGE_BYTES
}

// SAFETY: every block is freed (or resized) by the allocator that gave it, chosen by its size,
// which the caller passes back unchanged in `layout`; a resize across the threshold moves the
// block from one allocator to the other by copying.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { if is_large(layout.size()) { System.alloc(layout) } else { MiMalloc.alloc(layout) } }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { if is_large(layout.size()) { System.alloc_zeroed(layout) } else { MiMalloc.alloc_zeroed(layout) } }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { if is_large(layout.size()) { System.dealloc(ptr, layout) } else { MiMalloc.dealloc(ptr, layout) } }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe {
            match (is_large(layout.size()), is_large(new_size)) {
                (true, true) => System.realloc(ptr, layout, new_size),
                (false, false) => MiMalloc.realloc(ptr, layout, new_size),
                _ => {
                    let moved = Layout::from_size_align_unchecked(new_size, layout.align());
                    let new = self.alloc(moved);
                    if !new.is_null() {
                        std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                    new
                }
            }
        }
    }
}

/// Call once, before any thread starts.
pub fn return_large_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator settings; it is called before any other thread runs.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE_BYTES as libc::c_int);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks grown and shrunk across the threshold keep their bytes.
    #[test]
    fn resizing_across_the_threshold_keeps_the_contents() {
        let a = Allocator;
        unsafe {
            let small = Layout::from_size_align(1000, 16).unwrap();
            let p = a.alloc(small);
            for i in 0..1000 {
                *p.add(i) = (i % 251) as u8;
            }
            let big = a.realloc(p, small, LARGE_BYTES * 2);
            assert!((0..1000).all(|i| *big.add(i) == (i % 251) as u8));
            let large = Layout::from_size_align(LARGE_BYTES * 2, 16).unwrap();
            let back = a.realloc(big, large, 500);
            assert!((0..500).all(|i| *back.add(i) == (i % 251) as u8));
            a.dealloc(back, Layout::from_size_align(500, 16).unwrap());
        }
    }
}
