//! Why tiles are missing, as the status bar says it (on hover of "Tile problem"), in the
//! interface language. The readers' errors are English sentences; the reasons a user meets
//! (a server's answer, a timeout, a damaged tile or file, the cache while offline) are said in
//! Chinese too, with the file or tile they are about. A reason not known here keeps its
//! English words in Chinese, rather than hiding them.

use crate::io::tiles::TileError;
use crate::model::UiLanguage;

/// What happened, with the error that says why.
#[derive(Clone, Debug)]
pub enum TileNote {
    /// The source could not be opened: the built-in basemap is drawn.
    Unusable(TileError),
    /// The basemap picked could not be opened: the basemap was not changed.
    NotChanged(TileError),
    /// `count` tiles failed since the source was opened; the last one's error.
    Failed { count: usize, last: TileError },
}

impl TileNote {
    pub fn text(&self, lang: UiLanguage) -> String {
        match (self, lang) {
            (Self::Unusable(e), UiLanguage::Chinese) => format!("{}；改用内置底图", in_chinese(e)),
            (Self::Unusable(e), _) => format!("{e}; the built-in basemap is drawn"),
            (Self::NotChanged(e), UiLanguage::Chinese) => format!("{}；底图未更改", in_chinese(e)),
            (Self::NotChanged(e), _) => format!("{e}; the basemap was not changed"),
            (Self::Failed { count, last }, UiLanguage::Chinese) => {
                format!("{count} 个瓦片无法绘制，最近一个：{}", in_chinese(last))
            }
            (Self::Failed { count, last }, _) => {
                format!("{count} tile(s) could not be drawn, the last: {last}")
            }
        }
    }
}

/// The error in Chinese: what it is about (a file, a URL, a tile), and why.
fn in_chinese(e: &TileError) -> String {
    match e {
        TileError::Source { path, message } => format!("{path}：{}", reason(message)),
        TileError::Tile { z, x, y, message } => format!("瓦片 {z}/{x}/{y}：{}", reason(message)),
        TileError::NotCached { z, x, y } => {
            format!("瓦片 {z}/{x}/{y} 不在缓存中，且仅用缓存（离线）")
        }
    }
}

/// The readers' reasons (their own English sentences, in io::tiles) in Chinese.
fn reason(message: &str) -> String {
    if let Some((_, rest)) = message.split_once("answered HTTP ") {
        let status: String = rest.chars().take_while(char::is_ascii_digit).collect();
        return format!("服务器返回 HTTP {status}");
    }
    const PHRASES: [(&str, &str); 17] = [
        ("did not answer within", "服务器未在时限内响应"),
        ("not a readable image", "不是可读的图像"),
        ("not a readable vector tile", "不是可读的矢量瓦片（MVT）"),
        (
            "vector tile that does not unzip",
            "不是可读的矢量瓦片（MVT）",
        ),
        (
            "where an image",
            "应为图像（PNG、JPEG、WebP），却是矢量瓦片（MVT）",
        ),
        ("the tile is empty", "瓦片为空"),
        ("no such file or folder", "文件或文件夹不存在"),
        ("truncated", "文件不完整（被截断）"),
        ("no `tiles` table", "没有 tiles 表，不是 MBTiles 文件"),
        ("has no tiles", "其中没有瓦片"),
        (
            "not a tile basemap",
            "不是瓦片底图：应为 .pmtiles、.mbtiles 文件或 {z}/{x}/{y} 文件夹",
        ),
        ("GCJ-02", "GCJ-02 瓦片被拒绝：与 WGS84 规划图层错开数百米"),
        ("needs your own key", "天地图需要您自己的密钥"),
        ("style file", "样式文件不可用"),
        ("not a PMTiles archive", "不是 PMTiles 文件"),
        ("not an SQLite file", "不是 SQLite 文件"),
        ("compressed", "瓦片的压缩方式无法读取"),
    ];
    PHRASES
        .iter()
        .find(|(en, _)| message.contains(en))
        .map_or_else(
            || format!("无法读取（{message}）"),
            |(_, zh)| (*zh).to_owned(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_said_in_chinese_with_what_they_are_about() {
        let http = TileError::Tile {
            z: 3,
            x: 1,
            y: 2,
            message: "127.0.0.1:80 answered HTTP 404".into(),
        };
        let note = TileNote::Failed {
            count: 2,
            last: http,
        };
        assert_eq!(
            note.text(UiLanguage::Chinese),
            "2 个瓦片无法绘制，最近一个：瓦片 3/1/2：服务器返回 HTTP 404"
        );
        assert!(note.text(UiLanguage::English).contains("HTTP 404"));
        let gone = TileNote::NotChanged(TileError::Source {
            path: "/maps/gone.pmtiles".into(),
            message: "no such file or folder".into(),
        });
        assert_eq!(
            gone.text(UiLanguage::Chinese),
            "/maps/gone.pmtiles：文件或文件夹不存在；底图未更改"
        );
    }
}
