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
