//! Writing files so that a crash never leaves a half-written file: the bytes go to a temporary
//! file beside the target, are flushed to disk, and only then renamed over the target. Renaming
//! is atomic, so the target is always either the old file or the new one.
//!
//! The temporary files come from `tempfile` (unique names, so two saves to one file at once do
//! not collide, and removed when dropped, so every error path cleans up). They are named
//! `.NAME.XXXXXX.saving`, so that one left by a crash says what it is. The previous version kept
//! as `NAME.bak` is made the same way: a hard link to the old file (or, where the file system
//! has none, a copy flushed to disk) under a temporary name, renamed over the old `.bak`. The
//! folder is flushed after the renames, so that they survive a power cut too.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::error::IoError;

/// Bytes written and flushed to a temporary file, not yet in place. Dropping it removes the
/// temporary file.
#[derive(Debug)]
pub struct PendingWrite {
    temp: NamedTempFile,
    target: PathBuf,
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The previous version of a saved file.
pub fn backup_path(target: &Path) -> PathBuf {
    with_suffix(target, ".bak")
}

/// The folder a target is in (`.` for a bare file name).
fn folder(target: &Path) -> &Path {
    target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A builder of temporary files named after `target`: `.NAME.XXXXXX.saving`.
fn temp_builder(target: &Path) -> (tempfile::Builder<'static, 'static>, OsString) {
    let mut prefix = OsString::from(".");
    prefix.push(target.file_name().unwrap_or_default());
    prefix.push(".");
    let mut builder = tempfile::Builder::new();
    builder.suffix(".saving");
    (builder, prefix)
}

/// Step one: writes `bytes` to a new temporary file beside `target` and flushes it to disk.
pub fn write_temp(target: &Path, bytes: &[u8]) -> Result<PendingWrite, IoError> {
    let dir = folder(target);
    let (mut builder, prefix) = temp_builder(target);
    let mut temp = builder
        .prefix(&prefix)
        .tempfile_in(dir)
        .map_err(|e| IoError::write(target, e))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| IoError::write(temp.path(), e))?;
    Ok(PendingWrite {
        temp,
        target: target.to_owned(),
    })
}

impl PendingWrite {
    /// Step one for a writer that needs a file name rather than bytes (SQLite writes a
    /// GeoPackage through its own handle): an empty temporary file beside `target`. Write to
    /// [`PendingWrite::path`], close the writer, then [`PendingWrite::sync`] and commit.
    pub fn empty_beside(target: &Path) -> Result<Self, IoError> {
        write_temp(target, &[])
    }

    /// The temporary file's path.
    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// Flushes to disk what was written to the temporary file through another handle.
    pub fn sync(&self) -> Result<(), IoError> {
        self.temp
            .as_file()
            .sync_all()
            .map_err(|e| IoError::write(self.temp.path(), e))
    }

    /// Step two: keeps the old target as `TARGET.bak` (when asked and when there is one), then
    /// renames the temporary file over the target.
    pub fn commit(self, keep_backup: bool) -> Result<(), IoError> {
        let target = self.target;
        if keep_backup && target.exists() {
            keep_as_backup(&target)?;
        }
        self.temp
            .persist(&target)
            .map_err(|e| IoError::write(&target, e.error))?;
        // Before this format, the temporary file was always `TARGET.saving`; one left by a
        // crash of an older OneMap is stale now.
        let _ = fs::remove_file(with_suffix(&target, ".saving"));
        sync_folder(folder(&target));
        Ok(())
    }
}

/// Makes `target.bak` the current `target`, atomically: the old `.bak` stays whole until the
/// new one is complete. The target itself must exist until the new version replaces it.
fn keep_as_backup(target: &Path) -> Result<(), IoError> {
    let bak = backup_path(target);
    let (mut builder, prefix) = temp_builder(&bak);
    builder.prefix(&prefix);
    let dir = folder(target);
    let write_error = |e: std::io::Error| IoError::write(&bak, e);
    // A hard link costs nothing and is the old file itself, already on disk.
    if let Ok(link) = builder.make_in(dir, |temp| fs::hard_link(target, temp)) {
        let temp = link.path().to_owned();
        link.persist(&bak).map_err(|e| write_error(e.error))?;
        // Renaming a link over another link to the same file does nothing and succeeds
        // (POSIX): the `.bak` already was this file (a save that failed after this step, or
        // another save at the same time), and the temporary name is left to remove. Whether
        // the temporary name is still there is what tells: comparing it with the `.bak`
        // afterwards races with another save renaming its own link over the `.bak`.
        if fs::symlink_metadata(&temp).is_ok() {
            let _ = fs::remove_file(&temp);
        }
        return Ok(());
    }
    let mut copy = builder.tempfile_in(dir).map_err(write_error)?;
    let mut old = File::open(target).map_err(|e| IoError::read(target, e))?;
    std::io::copy(&mut old, &mut copy)
        .and_then(|_| copy.as_file().sync_all())
        .map_err(write_error)?;
    copy.persist(&bak)
        .map(drop)
        .map_err(|e| write_error(e.error))
}

/// Flushes a folder's entries (the renames in it). Not every platform can open a folder; a
/// failure here loses nothing that was not already at risk.
fn sync_folder(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes `bytes` to `target` atomically.
pub fn atomic_write(target: &Path, bytes: &[u8], keep_backup: bool) -> Result<(), IoError> {
    write_temp(target, bytes)?.commit(keep_backup)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("onemap-atomic-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_crash_between_the_temp_write_and_the_rename_leaves_the_old_file_intact() {
        let dir = temp_dir("crash");
        let target = dir.join("plan.onemap");
        fs::write(&target, b"old").unwrap();
        let pending = write_temp(&target, b"new, half-way").unwrap();
        // The process dies here: the pending write is never committed, nor cleaned up.
        std::mem::forget(pending);
        assert_eq!(fs::read(&target).unwrap(), b"old");
        let left = names(&dir);
        assert_eq!(left.len(), 2);
        assert!(
            left[0].starts_with(".plan.onemap.") && left[0].ends_with(".saving"),
            "a leftover says what it is: {left:?}"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn saving_keeps_the_previous_file_as_bak() {
        let dir = temp_dir("bak");
        let target = dir.join("plan.onemap");
        fs::write(
            with_suffix(&target, ".saving"),
            b"stale, from an older OneMap",
        )
        .unwrap();
        atomic_write(&target, b"first", true).unwrap();
        assert!(
            !backup_path(&target).exists(),
            "nothing to back up the first time"
        );
        atomic_write(&target, b"second", true).unwrap();
        atomic_write(&target, b"third", true).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"third");
        assert_eq!(fs::read(backup_path(&target)).unwrap(), b"second");
        assert_eq!(
            names(&dir),
            ["plan.onemap", "plan.onemap.bak"],
            "no temporary file is left"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_write_removes_its_temporary_file() {
        let dir = temp_dir("fail");
        // A target that is a non-empty folder cannot be replaced by a file.
        let target = dir.join("taken");
        fs::create_dir_all(target.join("inside")).unwrap();
        assert!(atomic_write(&target, b"bytes", true).is_err());
        assert_eq!(names(&dir), ["taken"]);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn two_saves_to_one_file_at_once_both_succeed() {
        let dir = temp_dir("race");
        let target = dir.join("plan.onemap");
        let contents: Vec<Vec<u8>> = (0..8)
            .map(|i| format!("version {i}").into_bytes())
            .collect();
        std::thread::scope(|scope| {
            let writers: Vec<_> = contents
                .iter()
                .map(|bytes| {
                    let target = &target;
                    scope.spawn(move || {
                        (0..20)
                            .map(|_| atomic_write(target, bytes, true))
                            .collect::<Result<Vec<()>, _>>()
                    })
                })
                .collect();
            for w in writers {
                w.join().unwrap().unwrap();
            }
        });
        assert!(contents.contains(&fs::read(&target).unwrap()));
        assert!(contents.contains(&fs::read(backup_path(&target)).unwrap()));
        assert_eq!(names(&dir), ["plan.onemap", "plan.onemap.bak"]);
        let _ = fs::remove_dir_all(&dir);
    }
}
