//! Which text encoding legacy bytes are in, when nothing in the file says so.
//!
//! Chinese GIS and CAD data without a declared code page is, in practice, either UTF-8 or GBK
//! (GB18030 is its superset, and what `encoding_rs` decodes GBK labels as). UTF-8 is checked
//! first because it is self-validating: GBK text of more than a few characters is almost never
//! valid UTF-8, while the reverse is common (every UTF-8 byte sequence of Chinese text is also
//! byte-valid GBK). Pure ASCII is reported as UTF-8.

use encoding_rs::{Encoding, GB18030, UTF_8};

/// The guessed encoding of `bytes`: UTF-8 when they are valid UTF-8, GBK (as GB18030) when they
/// decode as that without errors, and otherwise UTF-8 (the decoder then shows U+FFFD where the
/// bytes are broken, and the user can choose another encoding).
pub fn guess(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let (_, had_errors) = GB18030.decode_without_bom_handling(bytes);
    if had_errors { UTF_8 } else { GB18030 }
}

/// The encoding a label names (`.cpg` contents, a user's choice): "UTF-8", "GBK", "936",
/// "CP936", "GB2312", "GB18030", "ANSI_936" and every WHATWG label.
pub fn from_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim();
    let upper = label.to_ascii_uppercase();
    let windows = upper
        .strip_prefix("ANSI_")
        .or_else(|| upper.strip_prefix("CP"))
        .unwrap_or(&upper);
    match windows {
        "936" => return Some(encoding_rs::GBK),
        "65001" => return Some(UTF_8),
        _ => {}
    }
    if let Ok(number) = windows.parse::<u16>() {
        return Encoding::for_label(format!("windows-{number}").as_bytes());
    }
    Encoding::for_label(label.as_bytes())
}

/// The short name shown to users and written in reports: "UTF-8", "GBK", …
pub fn display_name(encoding: &'static Encoding) -> &'static str {
    if encoding == GB18030 || encoding == encoding_rs::GBK {
        "GBK"
    } else {
        encoding.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_gbk_and_ascii_are_told_apart() {
        let text = "上海大都市圈 苏州 无锡";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(guess(text.as_bytes()), UTF_8);
        assert_eq!(guess(&gbk), GB18030);
        assert_eq!(guess(b"Shanghai"), UTF_8);
        let (back, _, _) = guess(&gbk).decode(&gbk);
        assert_eq!(back, text);
    }

    #[test]
    fn labels_of_cpg_files_are_understood() {
        assert_eq!(from_label("936"), Some(encoding_rs::GBK));
        assert_eq!(from_label(" ANSI_936\n"), Some(encoding_rs::GBK));
        assert_eq!(from_label("UTF-8"), Some(UTF_8));
        assert_eq!(from_label("utf8"), Some(UTF_8));
        assert_eq!(from_label("GB2312"), Some(encoding_rs::GBK));
        assert_eq!(from_label("1252"), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(from_label("nonsense"), None);
        assert_eq!(display_name(GB18030), "GBK");
    }
}
