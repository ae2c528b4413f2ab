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

    #[error("{path} is not a valid style at line {line}, column {column}: {message}")]
    Style {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error(
        "no folder {0} with the plan layers was found; set ONEMAP_DATA to the folder that holds layers/ and assets/"
    )]
    DataDirNotFound(String),
}

impl IoError {
    pub(crate) fn read(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Read {
            path: path.to_owned(),
            source,
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
