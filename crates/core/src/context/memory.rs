//! Gives the system back what the allocator keeps after a large piece of work freed it.
//! glibc's allocator returns freed memory only from the top of each arena, so after a fetch of
//! every account and card (each window's bodies parsed, merged, then dropped) ~90 MiB of free
//! pages stayed resident behind the finished set (`npm run bench`, the dense user's 96,598 rows).

/// Asks glibc to return the free pages of every arena (`malloc_trim(0)`); true when it gave any
/// back. Call it after a large piece of work, off the async threads: it walks every arena.
/// Elsewhere (musl, macOS, Windows) it does nothing: those allocators return memory themselves.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[expect(unsafe_code, reason = "glibc's malloc_trim, which takes no pointers")]
pub(crate) fn release_free_memory() -> bool {
    // SAFETY: malloc_trim takes no pointers and is MT-safe (glibc locks each arena it walks).
    unsafe { libc::malloc_trim(0) == 1 }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(crate) fn release_free_memory() -> bool {
    false
}
