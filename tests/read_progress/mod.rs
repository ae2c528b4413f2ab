//! A read through `onemap::io::formats::read` with the import dialog's `Progress`, watched from
//! another thread as the progress window watches it: every value of `bytes_read` seen, and
//! Cancel pressed when asked.

use std::path::Path;
use std::sync::atomic::Ordering;

use onemap::io::error::IoError;
use onemap::io::formats::{Dataset, Progress, ReadOptions, read};

/// What the watcher saw of a read.
pub struct Watched {
    pub result: Result<Dataset, IoError>,
    /// `bytes_read` as the watcher saw it, in order (repeats left out).
    pub seen: Vec<u64>,
    /// `bytes_read` once the read returned.
    pub last: u64,
    /// When Cancel was pressed, `bytes_read` just after.
    pub cancelled_at: Option<u64>,
}

/// When the watcher presses Cancel.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Cancel {
    Never,
    Before,
    /// As soon as the bar has moved (the read is under way).
    WhenMoving,
}

pub fn watch(path: &Path, cancel: Cancel) -> Watched {
    let progress = Progress::default();
    if cancel == Cancel::Before {
        progress.cancel.store(true, Ordering::SeqCst);
    }
    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let options = ReadOptions {
                progress: Some(&progress),
                ..ReadOptions::default()
            };
            read(path, &options)
        });
        let mut seen = vec![0];
        let mut cancelled_at = None;
        while !reader.is_finished() {
            let now = progress.bytes_read.load(Ordering::SeqCst);
            if seen.last() != Some(&now) {
                seen.push(now);
            }
            if cancel == Cancel::WhenMoving && now > 0 && cancelled_at.is_none() {
                progress.cancel.store(true, Ordering::SeqCst);
                cancelled_at = Some(progress.bytes_read.load(Ordering::SeqCst));
            }
            std::thread::yield_now();
        }
        let result = reader.join().unwrap();
        let last = progress.bytes_read.load(Ordering::SeqCst);
        Watched {
            result,
            seen,
            last,
            cancelled_at,
        }
    })
}

/// The bar never went back and ended full (`size` bytes: the import dialog's total).
pub fn assert_moved_to_the_end(watched: &Watched, size: u64) {
    assert!(
        watched.seen.windows(2).all(|w| w[0] <= w[1]),
        "the bar went back: {:?}",
        watched.seen
    );
    assert!(
        watched.seen.iter().all(|&b| b <= size),
        "{:?}",
        watched.seen
    );
    assert_eq!(watched.last, size, "the bar ends full");
}

/// The read was cancelled, with the error the import dialog recognises, and nothing read.
pub fn assert_cancelled(watched: &Watched) {
    match &watched.result {
        Err(IoError::Cancelled { .. }) => {}
        Err(e) => panic!("not the cancel error: {e}"),
        Ok(_) => panic!("a cancelled read returned its tables"),
    }
}
