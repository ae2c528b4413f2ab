//! Shapefiles in a `.zip`, as they are mailed around: every `.shp` in the archive (in any
//! folder) with the `.shx`, `.dbf`, `.prj` and `.cpg` of the same name is one table. Names in
//! the archive are matched as bytes (Chinese Windows writes them in GBK without saying so) and
//! decoded only for the table's name.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Write as _};
use std::path::{Path, PathBuf};

use zip::ZipArchive;

use super::{Parts, Reporter, read_table};
use crate::io::error::IoError;
use crate::io::formats::{DataTable, ReadOptions, encoding};

/// Archives whose members add up to more than this (uncompressed) are refused.
const MAX_UNCOMPRESSED: u64 = 2 << 30;

pub(super) fn is_zip(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// The members of one Shapefile in the archive, by index.
#[derive(Default)]
struct Members {
    /// The `.shp`'s name in the archive, without its extension.
    stem: Vec<u8>,
    shp: Option<usize>,
    shx: Option<usize>,
    dbf: Option<usize>,
    prj: Option<usize>,
    cpg: Option<usize>,
}

pub(super) fn read(path: &Path, options: &ReadOptions) -> Result<Vec<DataTable>, IoError> {
    let zip_len = crate::io::open::regular_file_size(path, u64::MAX, "data files")?;
    let file = File::open(path).map_err(|e| IoError::read(path, e))?;
    let mut archive = ZipArchive::new(BufReader::new(file))
        .map_err(|e| IoError::invalid(path, format!("is not a readable ZIP archive: {e}")))?;
    let shapefiles = group(path, &archive)?;
    let chosen: Vec<&Members> = shapefiles
        .iter()
        .filter(|m| {
            options
                .table
                .as_ref()
                .is_none_or(|t| *t == table_name(&m.stem))
        })
        .collect();
    if chosen.is_empty() {
        let names: Vec<String> = shapefiles.iter().map(|m| table_name(&m.stem)).collect();
        return Err(IoError::invalid(
            path,
            format!(
                "has no Shapefile named {}; it holds {}",
                options.table.as_deref().unwrap_or_default(),
                names.join(", ")
            ),
        ));
    }
    let shp_sizes: Vec<u64> = chosen.iter().map(|m| entry_size(&archive, m.shp)).collect();
    let total: u64 = shp_sizes.iter().sum();
    let mut done = 0u64;
    let mut tables = Vec::with_capacity(chosen.len());
    for (members, shp_size) in chosen.into_iter().zip(shp_sizes) {
        let share = |bytes: u64| {
            u64::try_from(u128::from(zip_len) * u128::from(bytes) / u128::from(total.max(1)))
                .unwrap_or(zip_len)
        };
        let progress = Reporter::new(options.progress, share(done), share(shp_size), shp_size);
        tables.push(read_members(
            path,
            &mut archive,
            members,
            options,
            &progress,
        )?);
        done += shp_size;
    }
    Ok(tables)
}

fn entry_size<R: Read + std::io::Seek>(archive: &ZipArchive<R>, index: Option<usize>) -> u64 {
    index
        .and_then(|i| archive.by_index_data(i).ok())
        .map_or(0, |e| e.size())
}

/// The archive's Shapefiles, in the order of their `.shp` members, each with its parts.
fn group<R: Read + std::io::Seek>(
    path: &Path,
    archive: &ZipArchive<R>,
) -> Result<Vec<Members>, IoError> {
    let mut by_stem: BTreeMap<Vec<u8>, Members> = BTreeMap::new();
    let mut order: Vec<Vec<u8>> = Vec::new();
    let mut uncompressed = 0u64;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_data(i) else {
            continue;
        };
        uncompressed = uncompressed.saturating_add(entry.size());
        let name = entry.name_raw();
        if entry.is_dir() || is_resource_fork(name) {
            continue;
        }
        let Some(dot) = name.iter().rposition(|&b| b == b'.') else {
            continue;
        };
        let (stem, ext) = (&name[..dot], name[dot + 1..].to_ascii_lowercase());
        let key = stem.to_ascii_lowercase();
        let members = by_stem.entry(key.clone()).or_default();
        let slot = match ext.as_slice() {
            b"shp" => {
                members.stem = stem.to_vec();
                order.push(key);
                &mut members.shp
            }
            b"shx" => &mut members.shx,
            b"dbf" => &mut members.dbf,
            b"prj" => &mut members.prj,
            b"cpg" => &mut members.cpg,
            _ => continue,
        };
        *slot = Some(i);
    }
    if uncompressed > MAX_UNCOMPRESSED {
        return Err(IoError::invalid(
            path,
            format!(
                "unpacks to {uncompressed} bytes; OneMap reads archives of up to {MAX_UNCOMPRESSED} bytes unpacked"
            ),
        ));
    }
    let shapefiles: Vec<Members> = order
        .into_iter()
        .filter_map(|key| by_stem.remove(&key))
        .collect();
    if shapefiles.is_empty() {
        return Err(IoError::invalid(
            path,
            "holds no Shapefile: there is no .shp file in the archive",
        ));
    }
    Ok(shapefiles)
}

/// macOS's zip puts `__MACOSX/._name.shp` resource forks beside the real files.
fn is_resource_fork(name: &[u8]) -> bool {
    let base = name.rsplit(|&b| b == b'/').next().unwrap_or(name);
    name.starts_with(b"__MACOSX/") || base.starts_with(b"._")
}

/// A name from the archive as text: UTF-8, or else GBK when it reads as that.
fn decode_name(raw: &[u8]) -> String {
    let (text, _) = encoding::guess(raw).decode_without_bom_handling(raw);
    text.into_owned()
}

fn table_name(stem: &[u8]) -> String {
    let base = stem.rsplit(|&b| b == b'/').next().unwrap_or(stem);
    decode_name(base)
}

/// How a member is named in errors: the archive's path with the member's name after it.
fn member_path(path: &Path, stem: &[u8], ext: &str) -> PathBuf {
    path.join(format!("{}.{ext}", decode_name(stem)))
}

fn read_members<R: Read + std::io::Seek>(
    path: &Path,
    archive: &mut ZipArchive<R>,
    members: &Members,
    options: &ReadOptions,
    progress: &Reporter<'_>,
) -> Result<DataTable, IoError> {
    let named = |ext: &str| member_path(path, &members.stem, ext);
    let required = |index: Option<usize>, ext: &str| {
        index.ok_or_else(|| {
            IoError::invalid(
                &named("shp"),
                format!(
                    "has no .{ext} beside it in the archive ({} is missing); a Shapefile needs its .shp, .shx and .dbf together",
                    named(ext).display()
                ),
            )
        })
    };
    let shx_index = required(members.shx, "shx")?;
    let dbf_index = required(members.dbf, "dbf")?;
    let shp = unpack(archive, required(members.shp, "shp")?, &named("shp"))?;
    let shx = unpack(archive, shx_index, &named("shx"))?;
    let dbf = unpack(archive, dbf_index, &named("dbf"))?;
    let prj = members
        .prj
        .map(|i| unpack(archive, i, &named("prj")))
        .transpose()?;
    let cpg = members
        .cpg
        .map(|i| unpack(archive, i, &named("cpg")).map(|bytes| (named("cpg"), bytes)))
        .transpose()?;
    let parts = Parts {
        name: table_name(&members.stem),
        shp_len: shp.len() as u64,
        shp: Cursor::new(shp),
        shp_name: named("shp"),
        shx: &shx,
        shx_name: named("shx"),
        dbf: &dbf,
        dbf_name: named("dbf"),
        prj,
        cpg,
    };
    read_table(parts, options, progress)
}

/// A member's bytes, uncompressed.
fn unpack<R: Read + std::io::Seek>(
    archive: &mut ZipArchive<R>,
    index: usize,
    name: &Path,
) -> Result<Vec<u8>, IoError> {
    let unreadable = |e: String| IoError::invalid(name, format!("cannot be unpacked: {e}"));
    let mut entry = archive
        .by_index(index)
        .map_err(|e| unreadable(e.to_string()))?;
    let declared = entry.size();
    let mut bytes = Vec::with_capacity(usize::try_from(declared.min(1 << 26)).unwrap_or(0));
    // The declared size is checked by the archive's own checks (CRC and length); the limit here
    // only stops an entry that lies about its size from filling the memory first.
    (&mut entry)
        .take(MAX_UNCOMPRESSED)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(e.to_string()))?;
    Ok(bytes)
}

/// A ZIP archive of the named files, deflated.
pub(super) fn pack(path: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, IoError> {
    let error =
        |e: zip::result::ZipError| IoError::invalid(path, format!("could not be packed: {e}"));
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(
            files
                .iter()
                .any(|(_, b)| b.len() as u64 >= u64::from(u32::MAX)),
        );
    for (name, bytes) in files {
        writer.start_file(name.as_str(), options).map_err(error)?;
        writer
            .write_all(bytes)
            .map_err(|e| IoError::write(path, e))?;
    }
    Ok(writer.finish().map_err(error)?.into_inner())
}
