//! A folder of tiles laid out `{z}/{x}/{y}.png` (or `.jpg`, `.jpeg`), as tile downloaders and
//! `gdal2tiles --xyz` write them. An `ATTRIBUTION.txt` beside them, if any, is their
//! attribution.

use std::path::{Path, PathBuf};

use super::{TileError, TileId, TileSource};

const EXTENSIONS: [&str; 4] = ["png", "jpg", "jpeg", "webp"];

pub struct FolderTiles {
    root: PathBuf,
    extension: &'static str,
    zooms: (u8, u8),
    attribution: String,
}

fn numbered(dir: &Path) -> Vec<(u32, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_str()?.parse::<u32>().ok()?;
            e.path().is_dir().then(|| (n, e.path()))
        })
        .collect()
}

impl FolderTiles {
    pub fn open(root: &Path) -> Result<Self, TileError> {
        let mut zooms: Vec<(u32, PathBuf)> = numbered(root)
            .into_iter()
            .filter(|(z, _)| *z <= 30)
            .collect();
        zooms.sort();
        // The extension of the first tile found, in the lowest zoom that has one.
        let extension = zooms.iter().find_map(|(_, zdir)| {
            numbered(zdir).iter().find_map(|(_, xdir)| {
                std::fs::read_dir(xdir).ok()?.flatten().find_map(|f| {
                    let name = f.file_name();
                    let (stem, ext) = name.to_str()?.rsplit_once('.')?;
                    stem.parse::<u32>().ok()?;
                    let ext = ext.to_ascii_lowercase();
                    EXTENSIONS.into_iter().find(|e| *e == ext)
                })
            })
        });
        let Some(extension) = extension else {
            return Err(TileError::source(
                root.display().to_string(),
                "has no tiles: expected {z}/{x}/{y}.png, .jpg or .webp in it",
            ));
        };
        let lo = zooms.first().map_or(0, |z| z.0) as u8;
        let hi = zooms.last().map_or(0, |z| z.0) as u8;
        let attribution = std::fs::read_to_string(root.join("ATTRIBUTION.txt"))
            .map(|t| t.lines().next().unwrap_or_default().trim().to_owned())
            .unwrap_or_default();
        Ok(Self {
            root: root.to_owned(),
            extension,
            zooms: (lo, hi),
            attribution,
        })
    }
}

impl TileSource for FolderTiles {
    fn read(&self, id: TileId) -> Result<Option<Vec<u8>>, TileError> {
        let f = self
            .root
            .join(id.z.to_string())
            .join(id.x.to_string())
            .join(format!("{}.{}", id.y, self.extension));
        match std::fs::read(&f) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(TileError::source(f.display().to_string(), e.to_string())),
        }
    }

    fn zooms(&self) -> (u8, u8) {
        self.zooms
    }

    fn attribution(&self) -> String {
        self.attribution.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_are_found_by_their_path_and_an_empty_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = FolderTiles::open(dir.path()).err().unwrap().to_string();
        assert!(e.contains("has no tiles"), "{e}");
        std::fs::create_dir_all(dir.path().join("5/26")).unwrap();
        std::fs::write(dir.path().join("5/26/13.jpg"), [1, 2]).unwrap();
        std::fs::create_dir_all(dir.path().join("7")).unwrap();
        let f = FolderTiles::open(dir.path()).unwrap();
        assert_eq!(f.zooms(), (5, 7));
        assert_eq!(
            f.read(TileId { z: 5, x: 26, y: 13 }).unwrap(),
            Some(vec![1, 2])
        );
        assert_eq!(f.read(TileId { z: 5, x: 26, y: 14 }).unwrap(), None);
    }
}
