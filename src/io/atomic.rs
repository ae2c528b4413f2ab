//! Writing files so that a crash never leaves a half-written file: the bytes go to a temporary
//! file beside the target, are flushed to disk, and only then renamed over the target. Renaming
//! is atomic, so the target is always either the old file or the new one.

use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::error::IoError;

/// Bytes written and flushed to a temporary file, not yet in place.
#[derive(Debug)]
pub struct PendingWrite {
    temp: PathBuf,
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

/// Step one: writes `bytes` to `TARGET.saving` and flushes it to disk.
pub fn write_temp(target: &Path, bytes: &[u8]) -> Result<PendingWrite, IoError> {
    let temp = with_suffix(target, ".saving");
    let mut file = File::create(&temp).map_err(|e| IoError::write(&temp, e))?;
    file.write_all(bytes)
        .map_err(|e| IoError::write(&temp, e))?;
    file.sync_all().map_err(|e| IoError::write(&temp, e))?;
    Ok(PendingWrite {
        temp,
        target: target.to_owned(),
    })
}

impl PendingWrite {
    /// Step two: keeps the old target as `TARGET.bak` (when asked and when there is one), then
    /// renames the temporary file over the target.
    pub fn commit(self, keep_backup: bool) -> Result<(), IoError> {
        if keep_backup && self.target.exists() {
            // A copy, not a rename: the target must exist until the atomic rename replaces it.
            let bak = backup_path(&self.target);
            fs::copy(&self.target, &bak).map_err(|e| IoError::write(&bak, e))?;
        }
        fs::rename(&self.temp, &self.target).map_err(|e| IoError::write(&self.target, e))?;
        // Make the rename itself durable. Not every platform can open a directory; that is fine.
        if let Some(dir) = self.target.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = File::open(dir)
        {
            let _ = d.sync_all();
        }
        Ok(())
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

    #[test]
    fn a_crash_between_the_temp_write_and_the_rename_leaves_the_old_file_intact() {
        let dir = temp_dir("crash");
        let target = dir.join("plan.onemap");
        fs::write(&target, b"old").unwrap();
        let pending = write_temp(&target, b"new, half-way").unwrap();
        // The process dies here: the pending write is never committed.
        std::mem::forget(pending);
        assert_eq!(fs::read(&target).unwrap(), b"old");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn saving_keeps_the_previous_file_as_bak() {
        let dir = temp_dir("bak");
        let target = dir.join("plan.onemap");
        atomic_write(&target, b"first", true).unwrap();
        assert!(
            !backup_path(&target).exists(),
            "nothing to back up the first time"
        );
        atomic_write(&target, b"second", true).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"second");
        assert_eq!(fs::read(backup_path(&target)).unwrap(), b"first");
        assert!(!dir.join("plan.onemap.saving").exists());
        let _ = fs::remove_dir_all(&dir);
    }
}
