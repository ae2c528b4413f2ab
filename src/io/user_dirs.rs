//! The user's own folders: where a file the user makes (an exported image) goes by default
//! when it cannot go beside the project. Written here rather than taken from the `dirs` crate:
//! the one folder needed is read from the file the XDG spec names (`user-dirs.dirs`, where a
//! Chinese desktop calls Documents `文档`), and the crate is not among the locked dependencies.

use std::path::{Path, PathBuf};

/// The user's Documents folder if it exists, else the home folder.
pub fn documents_or_home() -> Option<PathBuf> {
    let home = home_dir()?;
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".config"));
    let from_xdg = std::fs::read_to_string(config.join("user-dirs.dirs"))
        .ok()
        .and_then(|text| documents_in_user_dirs(&text, &home));
    from_xdg
        .into_iter()
        .chain([home.join("Documents")])
        .find(|d| d.is_dir())
        .or(Some(home))
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
        .filter(|h| h.is_absolute())
}

/// `XDG_DOCUMENTS_DIR="$HOME/文档"` in a `user-dirs.dirs` file, as a path.
pub fn documents_in_user_dirs(text: &str, home: &Path) -> Option<PathBuf> {
    let value = text.lines().find_map(|line| {
        line.trim()
            .strip_prefix("XDG_DOCUMENTS_DIR=")
            .map(|v| v.trim().trim_matches('"'))
    })?;
    match value.strip_prefix("$HOME") {
        Some(rest) => Some(home.join(rest.trim_start_matches('/'))),
        None if Path::new(value).is_absolute() => Some(PathBuf::from(value)),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documents_folder_is_read_from_user_dirs_in_any_language() {
        let home = Path::new("/home/planner");
        let text = "# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/桌面\"\nXDG_DOCUMENTS_DIR=\"$HOME/文档\"\n";
        assert_eq!(
            documents_in_user_dirs(text, home),
            Some(PathBuf::from("/home/planner/文档"))
        );
        assert_eq!(
            documents_in_user_dirs("XDG_DOCUMENTS_DIR=\"/data/docs\"", home),
            Some(PathBuf::from("/data/docs"))
        );
        assert_eq!(
            documents_in_user_dirs("XDG_MUSIC_DIR=\"$HOME/x\"", home),
            None
        );
    }
}
