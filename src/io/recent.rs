//! The list of recently opened projects, kept in the user's config folder.

use std::path::{Path, PathBuf};

use super::atomic::atomic_write;

pub const MAX_RECENT: usize = 10;

/// `$ONEMAP_CONFIG_DIR/recent.ron`, else `$XDG_CONFIG_HOME/onemap/recent.ron`, else
/// `~/.config/onemap/recent.ron`.
pub fn default_recent_file() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("ONEMAP_CONFIG_DIR") {
        return Some(PathBuf::from(d).join("recent.ron"));
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(config.join("onemap/recent.ron"))
}

/// The list, most recent first. A missing or unreadable list is an empty one: it only
/// remembers convenience, never work.
pub fn read_recent(file: &Path) -> Vec<PathBuf> {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|t| ron::from_str(&t).ok())
        .unwrap_or_default()
}

/// Puts `opened` first and saves the list.
pub fn remember(file: &Path, list: &mut Vec<PathBuf>, opened: &Path) {
    list.retain(|p| p != opened);
    list.insert(0, opened.to_owned());
    list.truncate(MAX_RECENT);
    if let Some(dir) = file.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(text) = ron::to_string(list)
        && let Err(e) = atomic_write(file, text.as_bytes(), false)
    {
        log::warn!("could not save the recent files list: {e}");
    }
}
