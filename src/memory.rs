//! The process's memory settings, made by the binary at start and by the examples that
//! measure the app's memory, so that those measure what users get.
//!
//! (Giving freed memory back at once, mimalloc's `mi_collect(true)`, was tried on the
//! 1M-vertex import: after the dialog's read and the import it did not lower the peak; after
//! every run of the map canvas's worker it lowered it by 15-20 MB but made the picture come
//! 0.15-0.2 s later. mimalloc keeps freed pages for its purge delay, one second.)

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
