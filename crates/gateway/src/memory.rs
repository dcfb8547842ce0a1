//! Memory that a burst takes is given back after it.
//!
//! Each password check takes argon2id's 19 MiB. glibc's malloc raises its mmap threshold to the
//! size of the largest block freed (up to 32 MiB), so after the first check those blocks come
//! from the per-thread heaps and stay with the process when freed: a burst of logins once left
//! the server at 2.3 GiB. A fixed threshold keeps large blocks in mmap, returned when freed.

/// Blocks of at least this size are mapped and unmapped on their own.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD_BYTES: libc::c_int = 256 * 1024;

/// Call once, before any thread starts.
pub fn return_large_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator settings; it is called before any other thread runs.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES);
    }
}
