//! Memory freed in bulk, given back to the system at once. mimalloc (the binary's allocator)
//! keeps freed pages for a second before it gives them back, to reuse them cheaply; after an
//! import the dialog's read, the reader's buffers and a worker thread's pages are freed
//! together, and kept, they added to the app's peak while the new layer's picture was drawn.

/// Gives back to the system the memory mimalloc holds freed (every thread's), now rather than
/// after its purge delay. Cheap when little is freed; does nothing for memory not
/// allocated by mimalloc (a build with another global allocator).
pub fn return_freed_memory() {
    // SAFETY: mi_collect takes a plain flag and works on the allocator's own state, from any
    // thread; it frees nothing that is in use.
    unsafe { libmimalloc_sys::mi_collect(true) };
}

/// mimalloc asks the kernel for transparent huge pages. When none are free (right after
/// another large process exits, say) the kernel zeroes and compacts memory on the spot, and a
/// half-second export spends most of its time there. Small pages cost a little on every run
/// instead, never that much on one. (Huge pages also count whole in the resident memory:
/// a measurement of the app's memory does this too, as the binary does at start.)
pub fn disable_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}
