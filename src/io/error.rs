//! Errors of reading data files. Messages are lowercase, say what went wrong, and name the file.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum IoError {
    #[error("could not read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path} is not valid JSON at line {line}, column {column}: {message}")]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{path} is not a GeoJSON FeatureCollection: {message}")]
    NotACollection { path: PathBuf, message: String },

    #[error("{path}: feature {index}{id}: {message}")]
    BadFeature {
        path: PathBuf,
        index: usize,
        /// ` (id)` when the feature has an id, else empty.
        id: String,
        message: String,
    },

    #[error("{path} is {size} bytes; {what} are limited to {limit} bytes, so it was not opened")]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
        /// What kind of file has this limit: "project files", …
        what: &'static str,
    },

    /// A directory, FIFO, socket or device where a file was expected: refused before it is
    /// opened, since reading a FIFO waits forever.
    #[error("{path} {what}")]
    NotAFile { path: PathBuf, what: &'static str },

    #[error("{path} is not UTF-8 text (is it a project file?)")]
    NotUtf8 { path: PathBuf },

    #[error("{path} is not a valid {what} at line {line}, column {column}: {message}")]
    Ron {
        path: PathBuf,
        /// What the file should have been: "OneMap project", "style", …
        what: &'static str,
        line: usize,
        column: usize,
        message: String,
    },

    /// A file that does not even begin like the kind asked for: a text file renamed, another
    /// program's file.
    #[error("{path} is not a {what} file")]
    WrongKind {
        path: PathBuf,
        /// What the file should have been: "OneMap project", …
        what: &'static str,
    },

    #[error("{path} was written by a newer OneMap (v{found}); this one reads up to v{supported}")]
    NewerVersion {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    #[error("{path} has an unknown format version {found}")]
    UnknownVersion { path: PathBuf, found: u32 },

    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },

    #[error("could not write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Entries of a GeoJSON file that were not read, where every one must be: one line each,
    /// as `onemap validate` prints them.
    #[error("{}", list_problems(path, problems))]
    Features {
        path: PathBuf,
        problems: Vec<super::geojson_reader::Problem>,
    },

    #[error(
        "{path}: coordinate ({x}, {y}) is outside ±180/±90; the file is probably in a projected coordinate system and must be reprojected to WGS84 (EPSG:4326) first"
    )]
    Projected { path: PathBuf, x: f64, y: f64 },

    #[error("reading {path} was cancelled")]
    Cancelled { path: PathBuf },

    #[error(
        "no folder {0} with the plan layers was found; set ONEMAP_DATA to the folder that holds layers/ and assets/"
    )]
    DataDirNotFound(String),
}

/// One line per problem, at most a hundred (a file can have thousands; `onemap validate`
/// lists them all).
fn list_problems(path: &std::path::Path, problems: &[super::geojson_reader::Problem]) -> String {
    const SHOWN: usize = 100;
    let path = path.display();
    let mut text: Vec<String> = problems
        .iter()
        .take(SHOWN)
        .map(|p| format!("{path}: {p}"))
        .collect();
    if problems.len() > SHOWN {
        text.push(format!("{path}: and {} more", problems.len() - SHOWN));
    }
    text.join("\n")
}

impl IoError {
    pub(crate) fn read(path: &std::path::Path, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::InvalidData {
            return Self::NotUtf8 {
                path: path.to_owned(),
            };
        }
        Self::Read {
            path: path.to_owned(),
            source,
        }
    }

    pub(crate) fn ron(
        path: &std::path::Path,
        what: &'static str,
        e: &ron::error::SpannedError,
    ) -> Self {
        Self::Ron {
            path: path.to_owned(),
            what,
            line: e.span.start.line,
            column: e.span.start.col,
            message: super::ron_words::plain_message(&e.code),
        }
    }

    pub(crate) fn write(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Write {
            path: path.to_owned(),
            source,
        }
    }

    pub(crate) fn invalid(path: &std::path::Path, message: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.to_owned(),
            message: message.into(),
        }
    }

    pub(crate) fn json(path: &std::path::Path, e: &serde_json::Error) -> Self {
        Self::Json {
            path: path.to_owned(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        }
    }
}
