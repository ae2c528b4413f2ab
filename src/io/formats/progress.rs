//! The progress bar and Cancel of a reader that cannot count records up front (DXF, KML): how
//! far it got, as bytes of the file, and a stop when Cancel is pressed.
//!
//! The bar is `bytes_read` against the file's size (the import dialog's total). A reader that
//! goes over a file in stages (read the bytes, a first pass, the parse) gives each stage a share
//! of that total with [`Meter::stage`], so that the bar moves across the whole read and not only
//! while the disk is read. What a [`Meter`] reports never goes back.

use std::cell::Cell;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::Ordering;

use super::Progress;
use crate::io::error::IoError;

/// Reports a read's progress and says when to stop; without a `Progress`, does nothing.
pub(crate) struct Meter<'a> {
    progress: Option<&'a Progress>,
    path: &'a Path,
    total: u64,
    reported: Cell<u64>,
}

impl<'a> Meter<'a> {
    /// A meter of a read of `total` bytes (the file's size) of the file at `path`.
    pub fn new(progress: Option<&'a Progress>, path: &'a Path, total: u64) -> Self {
        Self {
            progress,
            path,
            total,
            reported: Cell::new(0),
        }
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// Whether Cancel was pressed.
    pub fn cancelled(&self) -> bool {
        self.progress
            .is_some_and(|p| p.cancel.load(Ordering::Relaxed))
    }

    /// The error a cancelled read returns (the one the import dialog recognises).
    pub fn cancel_error(&self) -> IoError {
        IoError::Cancelled {
            path: self.path.to_owned(),
        }
    }

    /// Reports `done` bytes of the total (never less than what was reported before, never more
    /// than the total); `Err(Cancelled)` when Cancel was pressed.
    pub fn at(&self, done: u64) -> Result<(), IoError> {
        let Some(progress) = self.progress else {
            return Ok(());
        };
        let done = done.min(self.total);
        if done > self.reported.get() {
            self.reported.set(done);
            progress.bytes_read.store(done, Ordering::Relaxed);
        }
        if self.cancelled() {
            return Err(self.cancel_error());
        }
        Ok(())
    }

    /// The read is over: the bar is full.
    pub fn done(&self) -> Result<(), IoError> {
        self.at(self.total)
    }

    /// A stage of the read whose positions `0..=len` move the bar from `from` to `to` bytes.
    pub fn stage(&self, from: u64, to: u64, len: u64) -> Stage<'_, 'a> {
        Stage {
            meter: self,
            from,
            span: to.saturating_sub(from),
            len: len.max(1),
        }
    }

    /// An error of an I/O step: the cancel error when it was Cancel that stopped it (a
    /// [`CountingReader`] fails with an I/O error then), else `other`.
    pub fn or_cancelled(&self, other: IoError) -> IoError {
        if self.cancelled() {
            self.cancel_error()
        } else {
            other
        }
    }
}

/// A part of a read, see [`Meter::stage`].
#[derive(Clone, Copy)]
pub(crate) struct Stage<'m, 'a> {
    meter: &'m Meter<'a>,
    from: u64,
    span: u64,
    len: u64,
}

impl Stage<'_, '_> {
    /// Reports position `pos` of the stage; `Err(Cancelled)` when Cancel was pressed.
    pub fn at(&self, pos: u64) -> Result<(), IoError> {
        let pos = u128::from(pos.min(self.len));
        let share = pos * u128::from(self.span) / u128::from(self.len);
        let share = u64::try_from(share).unwrap_or(self.span);
        self.meter.at(self.from.saturating_add(share))
    }

    /// The same share of the bar, for positions `0..=len`.
    pub fn with_len(&self, len: u64) -> Self {
        Self {
            len: len.max(1),
            ..*self
        }
    }

    /// See [`Meter::or_cancelled`].
    pub fn or_cancelled(&self, other: IoError) -> IoError {
        self.meter.or_cancelled(other)
    }
}

/// A reader that reports the bytes it reads as a stage's positions, and fails with an I/O
/// error as soon as Cancel is pressed (map it with [`Meter::or_cancelled`]).
pub(crate) struct CountingReader<'s, 'm, 'a, R> {
    inner: R,
    stage: &'s Stage<'m, 'a>,
    read: u64,
}

impl<'s, 'm, 'a, R: Read> CountingReader<'s, 'm, 'a, R> {
    pub fn new(inner: R, stage: &'s Stage<'m, 'a>) -> Self {
        Self {
            inner,
            stage,
            read: 0,
        }
    }
}

impl<R: Read> Read for CountingReader<'_, '_, '_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.stage.at(self.read).is_err() {
            return Err(std::io::Error::other("cancelled"));
        }
        let n = self.inner.read(buf)?;
        self.read = self.read.saturating_add(n as u64);
        Ok(n)
    }
}

/// Reads a whole file into memory through a [`CountingReader`]: the bar moves across `stage`
/// as the disk is read (a large drawing on a network drive takes seconds).
pub(crate) fn read_file(path: &Path, stage: &Stage) -> Result<Vec<u8>, IoError> {
    let file = std::fs::File::open(path).map_err(|e| IoError::read(path, e))?;
    let capacity = file
        .metadata()
        .ok()
        .and_then(|m| usize::try_from(m.len()).ok())
        .unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity.saturating_add(1));
    CountingReader::new(file, stage)
        .read_to_end(&mut bytes)
        .map_err(|e| stage.or_cancelled(IoError::read(path, e)))?;
    stage.at(u64::MAX)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_share_the_bar_and_it_never_goes_back() {
        let progress = Progress::default();
        let path = Path::new("x.dxf");
        let meter = Meter::new(Some(&progress), path, 1000);
        let first = meter.stage(0, 100, 50);
        first.at(25).unwrap();
        assert_eq!(progress.bytes_read.load(Ordering::Relaxed), 50);
        first.at(10).unwrap();
        assert_eq!(progress.bytes_read.load(Ordering::Relaxed), 50);
        let second = meter.stage(100, 1000, u64::MAX);
        second.at(u64::MAX / 2).unwrap();
        assert_eq!(progress.bytes_read.load(Ordering::Relaxed), 549);
        meter.done().unwrap();
        assert_eq!(progress.bytes_read.load(Ordering::Relaxed), 1000);
    }

    #[test]
    fn a_counting_reader_reports_and_stops_on_cancel() {
        let progress = Progress::default();
        let path = Path::new("x.kml");
        let meter = Meter::new(Some(&progress), path, 10_000);
        let stage = meter.stage(0, 10_000, 10_000);
        let data = vec![7u8; 10_000];
        let mut reader = CountingReader::new(&data[..], &stage);
        let mut buf = [0u8; 4096];
        assert_eq!(reader.read(&mut buf).unwrap(), 4096);
        assert_eq!(reader.read(&mut buf).unwrap(), 4096);
        assert_eq!(progress.bytes_read.load(Ordering::Relaxed), 4096);
        progress.cancel.store(true, Ordering::Relaxed);
        assert!(reader.read(&mut buf).is_err());
        let error = meter.or_cancelled(IoError::invalid(path, "other"));
        assert!(matches!(error, IoError::Cancelled { .. }), "{error:?}");
    }

    #[test]
    fn without_progress_nothing_is_reported_or_cancelled() {
        let meter = Meter::new(None, Path::new("x"), 10);
        assert!(meter.stage(0, 10, 10).at(5).is_ok());
        assert!(!meter.cancelled());
    }
}
