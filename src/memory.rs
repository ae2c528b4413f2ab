//! The process's memory settings, made by the binary at start and by the examples that
//! measure the app's memory, so that those measure what users get.
//!
//! (Giving freed memory back at once, mimalloc's `mi_collect(true)`, was tried on the
//! 1M-vertex import: after the dialog's read and the import it did not lower the peak; after
//! every run of the map canvas's worker it lowered it by 15-20 MB but made the picture come
//! 0.15-0.2 s later; the purge delay, [`set_allocator_options`], does that everywhere.)

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

/// How long mimalloc keeps memory freed by the program before it gives it back to the
/// kernel, in milliseconds (its default is 1000). Measured with the 1M-vertex layer
/// (`examples/import_large`, release, loaded 2-core machine; medians): what its import adds to
/// the app at its peak is 85 MiB at 0 (2.7 times the Shapefile: the bar is 3), about
/// 94 at 20 (3.0), 104 at 100 and 123 at the default (4.0). The cost of 0: pages freed while
/// the map's picture is drawn are given back and faulted in again (4.5 times the page
/// faults): the picture of the layer came 0.4 s later (0.94 -> 1.36 s) and the dialog's read
/// 0.07 s later, and a frame of the layer took up to twice as long (`frame_large`, whole layer,
/// 0.9 -> 1.7 ms, under the 8 ms bar). The app alone holds less too (57 -> 44 MiB).
///
/// 1 rather than 0: at 0 the map canvas's worker gave 64 KiB pages back and took them again
/// some 8,000 times for one picture of that layer (strace), as each run of features freed
/// its small allocations and the next made them again; kept for a millisecond they are used
/// again. Five runs each, alternated (2026-11-30, `examples/import_large`): the import adds
/// 82-86 MiB at its peak (at 0: 82-83), and the picture shows 0.35-0.41 s after the click on
/// Import (at 0: 0.37-0.51 s). (mimalloc's arenas purge after this delay times
/// `arena_purge_mult`, which is 1 in the version linked.)
pub const PURGE_DELAY_MS: i64 = 1;

/// Sets mimalloc's options (the global allocator of the binary and of the examples that
/// measure it; where mimalloc is linked but not the allocator, this changes nothing). Call
/// it early in `main`; it may be called at any time.
///
/// The purge delay: an import of a large file frees much on the way (the reader's buffers,
/// the map canvas's meshes while the picture is drawn); kept for a second, those pages count
/// in the app's memory at its peak (see [`PURGE_DELAY_MS`]).
pub fn set_allocator_options() {
    // SAFETY: `mi_option_set` takes plain integers and may be called at any time; the option
    // is read by mimalloc when it next purges.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS as std::ffi::c_long) };
}

/// The allocator's option now, for the tests.
#[allow(clippy::useless_conversion)] // `c_long` is 32 bits on Windows.
pub fn purge_delay_ms() -> i64 {
    // SAFETY: reads an option; plain integers.
    i64::from(unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) })
}

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (v2 and v3: options that went keep
/// their numbers as `deprecated_` ones). The `mimalloc` crate does not expose options, and
/// `libmimalloc-sys`'s `extended` feature lists this one under no name.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

// Linked in from the `mimalloc` crate's C library (`extern crate` below makes it part of every
// binary that uses this module, tests included).
extern crate mimalloc as _;

unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_option_set_is_the_purge_delay() {
        // mimalloc's default purge delay is a second; no other option of its defaults to that.
        assert_eq!(
            super::purge_delay_ms(),
            1000,
            "not the purge delay, or already set"
        );
        super::set_allocator_options();
        assert_eq!(super::purge_delay_ms(), super::PURGE_DELAY_MS);
    }
}
