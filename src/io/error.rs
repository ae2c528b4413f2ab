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

/// Chinese for the kinds of file that errors name (`what`); the rest are shown as named.
const KINDS_ZH: &[(&str, &str)] = &[
    ("OneMap project", "OneMap 项目"),
    ("project files", "项目文件"),
    ("plan edition file", "规划版本文件"),
    ("style", "样式文件"),
    ("review file", "审阅文件"),
    ("recovery journal", "恢复日志"),
    ("data files", "数据文件"),
    ("preferences", "偏好设置文件"),
    (
        "GeoJSON files (ONEMAP_MAX_GEOJSON_MB sets the limit in MiB)",
        "GeoJSON 文件（以 ONEMAP_MAX_GEOJSON_MB 设定上限，单位 MiB）",
    ),
];

/// The kind of file in Chinese, with a space before a Latin word ("不是 OneMap 项目文件").
fn kind_zh(what: &str) -> String {
    let zh = KINDS_ZH
        .iter()
        .find(|(en, _)| *en == what)
        .map_or(what, |(_, zh)| zh);
    if zh.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        format!(" {zh}")
    } else {
        zh.to_owned()
    }
}

/// Why the system could not read or write a file, in Chinese for the common reasons.
fn os_reason_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件或文件夹不存在".into(),
        K::PermissionDenied => "没有权限".into(),
        K::AlreadyExists => "文件已存在".into(),
        K::IsADirectory => "这是一个文件夹".into(),
        K::StorageFull => "磁盘已满".into(),
        K::ReadOnlyFilesystem => "文件系统为只读".into(),
        _ => format!("系统错误：{e}"),
    }
}

impl IoError {
    /// The error in the interface language: English as [`std::fmt::Display`] says it (the
    /// command line's words), Chinese for the app's Chinese interface. Details quoted from the
    /// file or another library (a parser's message) are kept as they are.
    pub fn in_language(&self, lang: crate::model::UiLanguage) -> String {
        match lang {
            crate::model::UiLanguage::English => self.to_string(),
            crate::model::UiLanguage::Chinese => self.chinese(),
        }
    }

    fn chinese(&self) -> String {
        match self {
            Self::Read { path, source } => {
                format!("无法读取 {}：{}", path.display(), os_reason_zh(source))
            }
            Self::Json {
                path,
                line,
                column,
                message,
            } => format!(
                "{} 不是有效的 JSON：第 {line} 行第 {column} 列有误（{message}）",
                path.display()
            ),
            Self::NotACollection { path, message } => format!(
                "{} 不是 GeoJSON 要素集合（FeatureCollection）：{message}",
                path.display()
            ),
            Self::BadFeature {
                path,
                index,
                id,
                message,
            } => format!("{}：第 {index} 个要素{id}：{message}", path.display()),
            Self::TooLarge {
                path,
                size,
                limit,
                what,
            } => format!(
                "{} 有 {size} 字节；{}限于 {limit} 字节，因此没有打开",
                path.display(),
                kind_zh(what).trim_start()
            ),
            Self::NotAFile { path, what } => {
                let what = match *what {
                    "is a directory" => "是一个文件夹，不是文件",
                    _ => "不是普通文件（是 FIFO、套接字或设备？）",
                };
                format!("{} {what}", path.display())
            }
            Self::NotUtf8 { path } => {
                format!("{} 不是 UTF-8 文本（是项目文件吗？）", path.display())
            }
            Self::Ron {
                path,
                what,
                line,
                column,
                message,
            } => format!(
                "{} 不是有效的{}：第 {line} 行第 {column} 列有误（{message}）",
                path.display(),
                kind_zh(what)
            ),
            Self::WrongKind { path, what } => {
                format!("{} 不是{}文件", path.display(), kind_zh(what))
            }
            Self::NewerVersion {
                path,
                found,
                supported,
            } => format!(
                "{} 由较新版本的 OneMap 写出（格式 v{found}）；本版本最高只能读取 v{supported}",
                path.display()
            ),
            Self::UnknownVersion { path, found } => {
                format!("{} 的格式版本 {found} 无法识别", path.display())
            }
            Self::Invalid { path, message } => format!("{}：{message}", path.display()),
            Self::Write { path, source } => {
                format!("无法写入 {}：{}", path.display(), os_reason_zh(source))
            }
            Self::Features { .. } => format!("部分要素无法读取：\n{self}"),
            Self::Projected { path, x, y } => format!(
                "{}：坐标 ({x}, {y}) 超出 ±180/±90；该文件可能使用投影坐标系，须先转换为 WGS84（EPSG:4326）",
                path.display()
            ),
            Self::Cancelled { path } => format!("已取消读取 {}", path.display()),
            Self::DataDirNotFound(dir) => format!(
                "没有找到存放规划图层的文件夹 {dir}；请把 ONEMAP_DATA 设为包含 layers/ 和 assets/ 的文件夹"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UiLanguage;

    #[test]
    fn common_errors_say_what_happened_in_chinese_and_keep_the_english_as_before() {
        let path = std::path::PathBuf::from("/tmp/plan.onemap");
        let missing = IoError::read(&path, std::io::Error::from(std::io::ErrorKind::NotFound));
        assert_eq!(
            missing.in_language(UiLanguage::Chinese),
            "无法读取 /tmp/plan.onemap：文件或文件夹不存在"
        );
        assert_eq!(
            missing.in_language(UiLanguage::English),
            missing.to_string()
        );
        let wrong = IoError::WrongKind {
            path: path.clone(),
            what: "OneMap project",
        };
        assert_eq!(
            wrong.in_language(UiLanguage::Chinese),
            "/tmp/plan.onemap 不是 OneMap 项目文件"
        );
        let newer = IoError::NewerVersion {
            path,
            found: 9,
            supported: 2,
        };
        assert!(
            newer
                .in_language(UiLanguage::Chinese)
                .contains("较新版本的 OneMap")
        );
    }
}
