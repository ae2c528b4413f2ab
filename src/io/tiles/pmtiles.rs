//! PMTiles v3 (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md): a 127-byte
//! header, directories of varint-encoded entries keyed by a Hilbert-curve tile id, and the
//! tiles. Read synchronously with seeks; directories compressed with gzip or not at all.
//! [`write_pmtiles`] writes the simplest valid archive (one root directory), for fixtures and
//! for turning our own renderings into a basemap.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{TileError, TileId, TileSource};

const HEADER_LEN: usize = 127;
/// Leaf directories nest at most this deep (the spec's writers use one level).
const MAX_DEPTH: usize = 4;

/// One directory entry: a run of tiles, or (run length 0) a leaf directory.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Entry {
    tile_id: u64,
    offset: u64,
    length: u64,
    run_length: u32,
}

#[derive(Debug)]
struct Header {
    root: (u64, u64),
    metadata: (u64, u64),
    leaves_offset: u64,
    data_offset: u64,
    internal_compression: u8,
    tile_compression: u8,
    tile_type: u8,
    min_zoom: u8,
    max_zoom: u8,
}

pub struct PmTiles {
    path: PathBuf,
    file: Mutex<std::fs::File>,
    header: Header,
    root: Vec<Entry>,
    leaves: Mutex<HashMap<u64, Vec<Entry>>>,
    attribution: String,
}

/// The tile id of the spec: tiles of lower zooms first, then along a Hilbert curve.
pub fn tile_id(id: TileId) -> u64 {
    let z = u32::from(id.z);
    let mut acc: u64 = ((1u64 << (2 * z)) - 1) / 3;
    let (mut x, mut y) = (u64::from(id.x), u64::from(id.y));
    let mut s: u64 = if z == 0 { 0 } else { 1 << (z - 1) };
    while s > 0 {
        let rx = u64::from(x & s > 0);
        let ry = u64::from(y & s > 0);
        acc += s * s * ((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = s.wrapping_sub(1).wrapping_sub(x);
                y = s.wrapping_sub(1).wrapping_sub(y);
            }
            std::mem::swap(&mut x, &mut y);
        }
        s >>= 1;
    }
    acc
}

impl PmTiles {
    pub fn open(path: &Path) -> Result<Self, TileError> {
        let shown = path.display().to_string();
        let bad = |m: &str| TileError::source(shown.clone(), m.to_owned());
        let mut file = std::fs::File::open(path)
            .map_err(|e| TileError::source(shown.clone(), e.to_string()))?;
        let mut head = [0u8; HEADER_LEN];
        file.read_exact(&mut head)
            .map_err(|_| bad("too short to be a PMTiles archive (no 127-byte header)"))?;
        if &head[0..7] != b"PMTiles" {
            return Err(bad("not a PMTiles archive (no PMTiles signature)"));
        }
        if head[7] != 3 {
            return Err(bad(&format!(
                "PMTiles version {} is not read (only version 3)",
                head[7]
            )));
        }
        let u = |i: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&head[8 + i * 8..16 + i * 8]);
            u64::from_le_bytes(b)
        };
        let header = Header {
            root: (u(0), u(1)),
            metadata: (u(2), u(3)),
            leaves_offset: u(4),
            data_offset: u(6),
            internal_compression: head[97],
            tile_compression: head[98],
            tile_type: head[99],
            min_zoom: head[100],
            max_zoom: head[101],
        };
        match (header.tile_type, header.tile_compression) {
            (_, 0..=2) if header.tile_type == 1 => {}
            (1, c) => {
                return Err(bad(&format!(
                    "its vector tiles are compressed with method {c} (brotli or zstd); \
                     only gzip is read"
                )));
            }
            (_, 0 | 1) => {}
            _ => return Err(bad("its tiles are compressed; raster tiles should not be")),
        }
        let len = file
            .metadata()
            .map_err(|e| TileError::source(shown.clone(), e.to_string()))?
            .len();
        let end = |(o, l): (u64, u64)| o.checked_add(l).is_none_or(|e| e > len);
        if end(header.root) || end(header.metadata) {
            return Err(bad(
                "truncated: its directory lies past the end of the file",
            ));
        }
        let mut tiles = Self {
            path: path.to_owned(),
            file: Mutex::new(file),
            root: Vec::new(),
            leaves: Mutex::new(HashMap::new()),
            attribution: String::new(),
            header,
        };
        let root = tiles.read_dir(tiles.header.root)?;
        tiles.root = root;
        let meta = tiles.read_block(tiles.header.metadata)?;
        let meta = tiles.decompress(&meta)?;
        tiles.attribution = serde_json::from_slice::<serde_json::Value>(&meta)
            .ok()
            .and_then(|v| v.get("attribution")?.as_str().map(str::to_owned))
            .unwrap_or_default();
        Ok(tiles)
    }

    /// Whether it holds vector tiles (MVT).
    pub fn is_vector(&self) -> bool {
        self.header.tile_type == 1
    }

    fn error(&self, message: impl Into<String>) -> TileError {
        TileError::source(self.path.display().to_string(), message)
    }

    fn read_block(&self, (offset, length): (u64, u64)) -> Result<Vec<u8>, TileError> {
        if length > 64 << 20 {
            return Err(self.error(format!("a block of {length} bytes is implausibly large")));
        }
        let mut file = self
            .file
            .lock()
            .map_err(|_| self.error("reader poisoned"))?;
        let mut buf = vec![0u8; length as usize];
        file.seek(SeekFrom::Start(offset))
            .and_then(|_| file.read_exact(&mut buf))
            .map_err(|_| self.error("truncated: a block lies past the end of the file"))?;
        Ok(buf)
    }

    fn decompress(&self, bytes: &[u8]) -> Result<Vec<u8>, TileError> {
        match self.header.internal_compression {
            0 | 1 => Ok(bytes.to_vec()),
            2 => {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(bytes)
                    .take(256 << 20)
                    .read_to_end(&mut out)
                    .map_err(|e| self.error(format!("a directory does not unzip: {e}")))?;
                Ok(out)
            }
            c => Err(self.error(format!(
                "directories compressed with method {c} (brotli or zstd) are not read; gzip is"
            ))),
        }
    }

    fn read_dir(&self, block: (u64, u64)) -> Result<Vec<Entry>, TileError> {
        let bytes = self.decompress(&self.read_block(block)?)?;
        parse_directory(&bytes).ok_or_else(|| self.error("a directory is damaged"))
    }

    /// The entry holding `id` in a directory, by binary search.
    fn find(entries: &[Entry], id: u64) -> Option<Entry> {
        let i = entries
            .partition_point(|e| e.tile_id <= id)
            .checked_sub(1)?;
        let e = entries[i];
        (e.run_length == 0 || id < e.tile_id + u64::from(e.run_length)).then_some(e)
    }
}

impl TileSource for PmTiles {
    fn read(&self, id: TileId) -> Result<Option<Vec<u8>>, TileError> {
        let key = tile_id(id);
        let mut entry = Self::find(&self.root, key);
        for _ in 0..MAX_DEPTH {
            let Some(e) = entry else { return Ok(None) };
            if e.run_length > 0 {
                return self
                    .read_block((self.header.data_offset + e.offset, e.length))
                    .map(Some);
            }
            let offset = self.header.leaves_offset + e.offset;
            let cached = self
                .leaves
                .lock()
                .ok()
                .and_then(|l| l.get(&offset).map(|d| Self::find(d, key)));
            entry = match cached {
                Some(found) => found,
                None => {
                    let leaf = self.read_dir((offset, e.length))?;
                    let found = Self::find(&leaf, key);
                    if let Ok(mut l) = self.leaves.lock() {
                        l.insert(offset, leaf);
                    }
                    found
                }
            };
        }
        Err(self.error("its leaf directories nest too deep"))
    }

    fn zooms(&self) -> (u8, u8) {
        (self.header.min_zoom, self.header.max_zoom)
    }

    fn attribution(&self) -> String {
        self.attribution.clone()
    }
}

fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

fn parse_directory(bytes: &[u8]) -> Option<Vec<Entry>> {
    let mut at = 0;
    let n = usize::try_from(varint(bytes, &mut at)?).ok()?;
    if n > bytes.len() {
        return None;
    }
    let mut entries = vec![
        Entry {
            tile_id: 0,
            offset: 0,
            length: 0,
            run_length: 0
        };
        n
    ];
    let mut last = 0u64;
    for e in &mut entries {
        last = last.checked_add(varint(bytes, &mut at)?)?;
        e.tile_id = last;
    }
    for e in &mut entries {
        e.run_length = u32::try_from(varint(bytes, &mut at)?).ok()?;
    }
    for e in &mut entries {
        e.length = varint(bytes, &mut at)?;
    }
    for i in 0..n {
        let v = varint(bytes, &mut at)?;
        entries[i].offset = if v == 0 && i > 0 {
            entries[i - 1].offset + entries[i - 1].length
        } else {
            v.checked_sub(1)?
        };
    }
    Some(entries)
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Writes a PMTiles v3 archive (`tile_type` 1 MVT, 2 PNG, 3 JPEG, 4 WebP) with one
/// uncompressed root directory and `metadata` (JSON) as given. Vector tiles are declared
/// gzip-compressed (the readers unzip what starts as gzip and take the rest as it is).
pub fn write_pmtiles(
    out: &Path,
    tiles: &[(TileId, Vec<u8>)],
    tile_type: u8,
    metadata: &str,
) -> Result<(), super::super::IoError> {
    let mut sorted: Vec<(u64, &[u8])> = tiles
        .iter()
        .map(|(id, b)| (tile_id(*id), b.as_slice()))
        .collect();
    sorted.sort_by_key(|t| t.0);
    let mut dir = Vec::new();
    put_varint(&mut dir, sorted.len() as u64);
    let mut last = 0;
    for (id, _) in &sorted {
        put_varint(&mut dir, id - last);
        last = *id;
    }
    for _ in &sorted {
        put_varint(&mut dir, 1);
    }
    for (_, b) in &sorted {
        put_varint(&mut dir, b.len() as u64);
    }
    let mut data = Vec::new();
    for (_, b) in &sorted {
        put_varint(&mut dir, data.len() as u64 + 1);
        data.extend_from_slice(b);
    }
    let zooms = tiles.iter().map(|(t, _)| t.z);
    let (min_z, max_z) = (zooms.clone().min().unwrap_or(0), zooms.max().unwrap_or(0));
    let root_off = HEADER_LEN as u64;
    let meta_off = root_off + dir.len() as u64;
    let data_off = meta_off + metadata.len() as u64;
    let mut head = Vec::with_capacity(HEADER_LEN);
    head.extend_from_slice(b"PMTiles");
    head.push(3);
    let n = sorted.len() as u64;
    let fields = [
        root_off,
        dir.len() as u64,
        meta_off,
        metadata.len() as u64,
        data_off,
        0,
        data_off,
        data.len() as u64,
        n,
        n,
        n,
    ];
    for v in fields {
        head.extend_from_slice(&v.to_le_bytes());
    }
    let tile_compression = if tile_type == 1 { 2 } else { 1 };
    head.extend_from_slice(&[0, 1, tile_compression, tile_type, min_z, max_z]);
    for v in [-1_800_000_000i32, -850_000_000, 1_800_000_000, 850_000_000] {
        head.extend_from_slice(&v.to_le_bytes());
    }
    head.push(min_z);
    head.extend_from_slice(&[0u8; 8]);
    let mut bytes = head;
    bytes.extend_from_slice(&dir);
    bytes.extend_from_slice(metadata.as_bytes());
    bytes.extend_from_slice(&data);
    super::super::atomic::atomic_write(out, &bytes, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spec's own examples (the reference implementations' tests).
    #[test]
    fn tile_ids_follow_the_spec() {
        let t = |z, x, y| tile_id(TileId { z, x, y });
        assert_eq!(t(0, 0, 0), 0);
        assert_eq!(t(1, 0, 0), 1);
        assert_eq!(t(1, 0, 1), 2);
        assert_eq!(t(1, 1, 1), 3);
        assert_eq!(t(1, 1, 0), 4);
        assert_eq!(t(2, 0, 0), 5);
        assert_eq!(t(3, 0, 0), 21);
        assert_eq!(t(3, 7, 0), 84);
    }

    #[test]
    fn an_archive_round_trips_and_a_missing_tile_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("t.pmtiles");
        let tiles: Vec<(TileId, Vec<u8>)> = (0..4)
            .map(|i| (TileId { z: 2, x: i, y: 1 }, vec![i as u8; 10 + i as usize]))
            .collect();
        write_pmtiles(&f, &tiles, 2, r#"{"attribution":"ours"}"#).unwrap();
        let p = PmTiles::open(&f).unwrap();
        assert_eq!(p.zooms(), (2, 2));
        assert_eq!(p.attribution(), "ours");
        for (id, bytes) in &tiles {
            assert_eq!(p.read(*id).unwrap().as_ref(), Some(bytes));
        }
        assert_eq!(p.read(TileId { z: 2, x: 0, y: 0 }).unwrap(), None);
    }

    #[test]
    fn a_truncated_archive_is_refused_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("cut.pmtiles");
        let tiles = vec![(TileId { z: 0, x: 0, y: 0 }, vec![1u8; 100])];
        write_pmtiles(&f, &tiles, 2, "{}").unwrap();
        let bytes = std::fs::read(&f).unwrap();
        std::fs::write(&f, &bytes[..130]).unwrap();
        let e = PmTiles::open(&f).err().unwrap().to_string();
        assert!(e.contains("cut.pmtiles") && e.contains("truncated"), "{e}");
        std::fs::write(&f, &bytes[..60]).unwrap();
        let e = PmTiles::open(&f).err().unwrap().to_string();
        assert!(e.contains("cut.pmtiles") && e.contains("too short"), "{e}");
    }
}
