//! Shapefiles: `.shp` with its `.shx` index and `.dbf` table beside it (and `.prj`, `.cpg`), or
//! one or more of them in a `.zip`. Each Shapefile is one table.
//!
//! **Reading.** The `.shx` says where each record of the `.shp` is; both are checked against
//! the `.shp`'s size before anything is read, so a truncated file is refused at once, naming
//! the record that is cut off. Records are read one at a time from the `.shp` (`shp`), their
//! content decoded by the `shapefile` crate; the DBF (`dbf`) is ours. The DBF must hold one
//! record per shape. The `.prj` is passed on as WKT for the CRS layer to understand.
//!
//! **Text encoding** of the DBF, in this order: the caller's choice; the `.cpg`; the DBF's
//! language-driver byte when it names a code page; else a guess from the field names and text
//! values (GBK or UTF-8, `formats::encoding::guess`). GDAL writes GBK Shapefiles with a `.cpg`
//! and no language driver, so one whose `.cpg` was lost is guessed.
//!
//! **Writing** (`write`): one table, one geometry family, UTF-8 with a `.cpg` by default or GBK
//! for old ArcGIS; every file is written to a temporary beside its target and renamed only
//! when all are complete.

mod archive;
mod dbf;
mod dbf_write;
mod rings;
mod shp;
mod shp_write;
mod write;

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use encoding_rs::Encoding;

use super::{
    DataFeature, DataTable, DeclaredCrs, EncodingSource, Progress, ReadOptions, TextEncoding,
    encoding, field_names,
};
use crate::io::error::IoError;
use crate::model::attributes::FieldLayout;

pub use write::write;

/// How many records are read between two progress reports and looks at the Cancel flag.
const PROGRESS_EVERY: usize = 512;

/// The text encoding guess looks at no more than this many bytes of text.
const GUESS_SAMPLE: usize = 1 << 20;

pub fn read(path: &Path, options: &ReadOptions) -> Result<Vec<DataTable>, IoError> {
    if archive::is_zip(path) {
        return archive::read(path, options);
    }
    let shp_len = crate::io::open::regular_file_size(path, u64::MAX, "data files")?;
    let shx_name = sidecar(path, "shx")?;
    let dbf_name = sidecar(path, "dbf")?;
    let shx = read_sidecar(&shx_name)?;
    let dbf = read_sidecar(&dbf_name)?;
    let prj = optional_sidecar(path, "prj")?;
    let cpg = optional_sidecar(path, "cpg")?;
    let file = File::open(path).map_err(|e| IoError::read(path, e))?;
    let parts = Parts {
        name: super::geojson::table_name(path),
        shp: BufReader::with_capacity(1 << 18, file),
        shp_len,
        shp_name: path.to_owned(),
        shx: &shx,
        shx_name,
        dbf: &dbf,
        dbf_name,
        prj: prj.map(|(_, bytes)| bytes),
        cpg,
    };
    let progress = Reporter::new(options.progress, 0, shp_len, shp_len);
    Ok(vec![read_table(parts, options, &progress)?])
}

/// The parts of one Shapefile, with the names their errors give.
pub(super) struct Parts<'a, R> {
    pub name: String,
    pub shp: R,
    pub shp_len: u64,
    pub shp_name: PathBuf,
    pub shx: &'a [u8],
    pub shx_name: PathBuf,
    pub dbf: &'a [u8],
    pub dbf_name: PathBuf,
    pub prj: Option<Vec<u8>>,
    pub cpg: Option<(PathBuf, Vec<u8>)>,
}

/// Reads one Shapefile from its three parts in memory (the `.shp`, `.shx` and `.dbf` bytes),
/// as a file or an archive would be read. Errors name `name.shp`, `name.shx`, `name.dbf`.
/// For tests and the fuzz target.
pub fn read_parts(
    name: &str,
    shp: &[u8],
    shx: &[u8],
    dbf: &[u8],
    options: &ReadOptions,
) -> Result<DataTable, IoError> {
    let parts = Parts {
        name: name.to_owned(),
        shp: Cursor::new(shp),
        shp_len: shp.len() as u64,
        shp_name: PathBuf::from(format!("{name}.shp")),
        shx,
        shx_name: PathBuf::from(format!("{name}.shx")),
        dbf,
        dbf_name: PathBuf::from(format!("{name}.dbf")),
        prj: None,
        cpg: None,
    };
    let progress = Reporter::new(options.progress, 0, shp.len() as u64, shp.len() as u64);
    read_table(parts, options, &progress)
}

/// The file beside `shp` with extension `ext` (in either case), which must be there.
fn sidecar(shp: &Path, ext: &str) -> Result<PathBuf, IoError> {
    find_sidecar(shp, ext).ok_or_else(|| {
        IoError::invalid(
            shp,
            format!(
                "has no .{ext} beside it ({} is missing); a Shapefile needs its .shp, .shx and .dbf together",
                shp.with_extension(ext).display()
            ),
        )
    })
}

fn find_sidecar(shp: &Path, ext: &str) -> Option<PathBuf> {
    let exact = [ext.to_owned(), ext.to_ascii_uppercase()]
        .into_iter()
        .map(|e| shp.with_extension(e))
        .find(|p| p.exists());
    if exact.is_some() {
        return exact;
    }
    // Mixed case (`Roads.Dbf`): look through the folder.
    let stem = shp.file_stem()?;
    let folder = shp.parent().filter(|p| !p.as_os_str().is_empty());
    std::fs::read_dir(folder.unwrap_or(Path::new(".")))
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_stem() == Some(stem)
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| e.eq_ignore_ascii_case(ext))
        })
}

fn read_sidecar(path: &Path) -> Result<Vec<u8>, IoError> {
    crate::io::open::regular_file_size(path, u64::MAX, "data files")?;
    std::fs::read(path).map_err(|e| IoError::read(path, e))
}

fn optional_sidecar(shp: &Path, ext: &str) -> Result<Option<(PathBuf, Vec<u8>)>, IoError> {
    find_sidecar(shp, ext)
        .map(|p| read_sidecar(&p).map(|bytes| (p, bytes)))
        .transpose()
}

/// Reports how far the reading is, in bytes of the file the caller opened, and says whether
/// Cancel was pressed.
pub(super) struct Reporter<'p> {
    progress: Option<&'p Progress>,
    /// Where this Shapefile's part of the progress starts and how long it is, in bytes of the
    /// opened file; and the `.shp` length that is mapped onto it.
    base: u64,
    span: u64,
    shp_len: u64,
}

impl<'p> Reporter<'p> {
    pub fn new(progress: Option<&'p Progress>, base: u64, span: u64, shp_len: u64) -> Self {
        Self {
            progress,
            base,
            span,
            shp_len,
        }
    }

    /// Reports that the `.shp` has been read up to `position`; false when cancelled.
    fn at(&self, position: u64) -> bool {
        let Some(progress) = self.progress else {
            return true;
        };
        let done = u128::from(self.span) * u128::from(position) / u128::from(self.shp_len.max(1));
        let done = self.base + u64::try_from(done).unwrap_or(self.span).min(self.span);
        progress.bytes_read.store(done, Ordering::Relaxed);
        !progress.cancel.load(Ordering::Relaxed)
    }
}

/// Reads one Shapefile.
pub(super) fn read_table<R: Read + Seek>(
    parts: Parts<'_, R>,
    options: &ReadOptions,
    progress: &Reporter<'_>,
) -> Result<DataTable, IoError> {
    let mut shp = parts.shp;
    let mut header = [0u8; shp::HEADER_LEN as usize];
    let header_len =
        read_up_to(&mut shp, &mut header).map_err(|e| IoError::read(&parts.shp_name, e))?;
    shp::check_header(&parts.shp_name, &header[..header_len], parts.shp_len)?;
    let index = shp::parse_index(&parts.shx_name, parts.shx, &parts.shp_name, parts.shp_len)?;
    let table = dbf::parse(&parts.dbf_name, parts.dbf)?;
    if table.records != index.len() {
        return Err(IoError::invalid(
            &parts.dbf_name,
            format!(
                "has {} records but {} has {} shapes; the two files do not belong together, or one of them was cut short",
                table.records,
                parts.shp_name.display(),
                index.len()
            ),
        ));
    }
    // The DBF's text (its encoding guessed, its values decoded) on a thread of its own while
    // the shapes are read here: the two are independent, and decoding took a third of the
    // 1M-vertex layer's read (50,000 records of four fields) on the one core.
    let stop = AtomicBool::new(false);
    let decode = || decode_records(&table, options, parts.cpg.as_ref(), &stop);
    let (geometries, decoded) = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("onemap dbf".into())
            .spawn_scoped(scope, decode);
        let geometries = read_geometries((shp, parts.shp_len), &parts.shp_name, &index, progress);
        if geometries.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        let decoded = match spawned.map(|h| h.join()) {
            Ok(Ok(decoded)) => decoded,
            // As if it had panicked here.
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => decode(),
        };
        (geometries, decoded)
    });
    let geometries = geometries?;
    let Decoded {
        text_encoding,
        mut skipped,
        fields,
        attributes,
        unreadable,
    } = decoded;
    let mut deleted = 0usize;
    let mut features = Vec::with_capacity(geometries.len());
    for (geometry, attributes) in geometries.into_iter().zip(attributes) {
        match attributes {
            Some(attributes) => features.push(DataFeature {
                geometry,
                attributes,
            }),
            None => deleted += 1,
        }
    }
    progress.at(parts.shp_len);
    let dbf_file = file_name(&parts.dbf_name);
    skipped.extend(unreadable.report(&fields, &dbf_file));
    if deleted > 0 {
        skipped.push(format!(
            "{deleted} record{} marked as deleted in {dbf_file} {} left out",
            if deleted == 1 { "" } else { "s" },
            if deleted == 1 { "was" } else { "were" },
        ));
    }
    Ok(DataTable {
        name: parts.name,
        fields,
        features,
        crs: declared_crs(parts.prj.as_deref()),
        encoding: Some(text_encoding),
        skipped,
    })
}

/// Every shape of the `.shp`, in the index's order; progress by the record's offset.
fn read_geometries<R: Read + Seek>(
    (shp, shp_len): (R, u64),
    shp_name: &Path,
    index: &[shp::Entry],
    progress: &Reporter<'_>,
) -> Result<Vec<Option<geo::Geometry<f64>>>, IoError> {
    let mut records = shp::Records::new(shp, shp_len);
    let mut geometries = Vec::with_capacity(index.len());
    for (i, entry) in index.iter().enumerate() {
        if i % PROGRESS_EVERY == 0 && !progress.at(entry.offset) {
            return Err(IoError::Cancelled {
                path: shp_name.to_owned(),
            });
        }
        geometries.push(records.read(shp_name, i + 1, *entry)?);
    }
    Ok(geometries)
}

/// The DBF's records as attributes (`None` for one marked deleted), in its encoding.
struct Decoded {
    text_encoding: TextEncoding,
    /// Notes on what was not read as the file says (an unknown `.cpg`).
    skipped: Vec<String>,
    fields: Vec<super::Field>,
    attributes: Vec<Option<crate::model::attributes::Attributes>>,
    unreadable: dbf::Unreadable,
}

/// Decodes every record of `table` (until `stop` is set: the shapes could not be read).
fn decode_records(
    table: &dbf::Table<'_>,
    options: &ReadOptions<'_>,
    cpg: Option<&(PathBuf, Vec<u8>)>,
    stop: &AtomicBool,
) -> Decoded {
    let mut skipped = Vec::new();
    let text_encoding = choose_encoding(options, cpg, table, &mut skipped);
    let fields = table.decoded_fields(text_encoding.encoding);
    let layout = FieldLayout::new(&field_names(&fields));
    let mut unreadable = dbf::Unreadable::default();
    let mut attributes = Vec::with_capacity(table.records);
    for i in 0..table.records {
        if i % PROGRESS_EVERY == 0 && stop.load(Ordering::Relaxed) {
            break;
        }
        let record = table.record(i).unwrap_or_default();
        attributes.push(dbf::attributes(
            table,
            record,
            &fields,
            &layout,
            text_encoding.encoding,
            &mut unreadable,
        ));
    }
    Decoded {
        text_encoding,
        skipped,
        fields,
        attributes,
        unreadable,
    }
}

/// Reads as much of `buffer` as the source has.
fn read_up_to(source: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match source.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The `.prj`'s WKT as it is: what it means is the CRS layer's to decide.
fn declared_crs(prj: Option<&[u8]>) -> DeclaredCrs {
    let Some(bytes) = prj else {
        return DeclaredCrs::Unknown;
    };
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        DeclaredCrs::Unknown
    } else {
        DeclaredCrs::Wkt(text.to_owned())
    }
}

/// The DBF's text encoding: chosen, from the `.cpg`, from the language driver, or guessed.
fn choose_encoding(
    options: &ReadOptions,
    cpg: Option<&(PathBuf, Vec<u8>)>,
    table: &dbf::Table<'_>,
    skipped: &mut Vec<String>,
) -> TextEncoding {
    let with = |encoding: &'static Encoding, source| TextEncoding { encoding, source };
    if let Some(chosen) = options.encoding {
        return with(chosen, EncodingSource::Chosen);
    }
    if let Some((cpg_path, bytes)) = cpg {
        let label = String::from_utf8_lossy(bytes);
        match encoding::from_label(&label) {
            Some(e) => return with(e, EncodingSource::Declared),
            None if !label.trim().is_empty() => skipped.push(format!(
                "{} names an encoding OneMap does not know ({}); the encoding was guessed instead",
                file_name(cpg_path),
                label.trim()
            )),
            None => {}
        }
    }
    if let Some(e) = dbf::language_driver_encoding(table.language_driver) {
        return with(e, EncodingSource::Declared);
    }
    with(
        encoding::guess(&table.text_sample(GUESS_SAMPLE)),
        EncodingSource::Guessed,
    )
}
