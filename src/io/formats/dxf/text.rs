//! The text of a drawing as a planner reads it: layer names and labels decoded in the drawing's
//! code page, AutoCAD's escapes (`\U+XXXX`, `\M+nXXXX`, `%%d`) resolved and MTEXT's formatting
//! codes (`\P`, `{\fSimSun;…}`, `\H2x;`, …) taken out, so that a label field holds the words shown
//! on the drawing and nothing else.

use encoding_rs::Encoding;

/// How the strings the `dxf` crate hands over must be turned into text.
#[derive(Clone, Copy, Debug)]
pub(super) struct TextDecoder {
    /// A binary DXF's strings come from the crate one byte per `char` (Latin-1); they are turned
    /// back into bytes and decoded in `encoding`. An ASCII DXF's strings were already decoded.
    pub binary: bool,
    pub encoding: &'static Encoding,
}

impl TextDecoder {
    /// A string of the drawing (layer name, TEXT value) as text.
    pub fn text(&self, raw: &str) -> String {
        let decoded = if self.binary {
            let bytes: Vec<u8> = raw.chars().map(latin1_byte).collect();
            self.encoding
                .decode_without_bom_handling(&bytes)
                .0
                .into_owned()
        } else {
            raw.to_owned()
        };
        unescape_unicode(&decoded)
    }

    /// A name the first pass read as bytes (a block's), as the crate spells it: a binary DXF's
    /// bytes one `char` each, an ASCII DXF's decoded; trimmed.
    pub fn raw_key(&self, raw: &[u8]) -> String {
        let key = if self.binary {
            raw.iter().map(|&b| char::from(b)).collect()
        } else {
            self.encoding
                .decode_without_bom_handling(raw)
                .0
                .into_owned()
        };
        key.trim().to_owned()
    }

    /// A TEXT or ATTRIB value: decoded, with `%%` control codes resolved.
    pub fn single_line(&self, raw: &str) -> String {
        percent_codes(&self.text(raw))
    }

    /// An MTEXT value: decoded, formatting codes taken out, paragraphs as line breaks.
    pub fn multi_line(&self, raw: &str) -> String {
        percent_codes(&strip_mtext(&self.text(raw)))
    }
}

/// A char the crate made from one byte of a binary DXF (always U+0000..U+00FF), as that byte.
fn latin1_byte(c: char) -> u8 {
    u8::try_from(u32::from(c)).unwrap_or(b'?')
}

/// `\U+XXXX` (a Unicode character outside the drawing's code page) and `\M+nXXXX` (a
/// double-byte character of an Asian code page, n = 1 Shift-JIS, 2 Big5, 3 Korean, 4 Johab,
/// 5 GB2312) as the characters they stand for; anything malformed is kept as it is.
pub(super) fn unescape_unicode(text: &str) -> String {
    if !text.contains("\\U+") && !text.contains("\\M+") && !text.contains("\\u+") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some((c, used)) = unicode_escape(tail).or_else(|| multibyte_escape(tail)) {
            out.push(c);
            rest = &tail[used..];
        } else {
            out.push('\\');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// `\U+4E0A` → ('上', 7).
fn unicode_escape(tail: &str) -> Option<(char, usize)> {
    let hex = tail
        .strip_prefix("\\U+")
        .or_else(|| tail.strip_prefix("\\u+"))?;
    let digits = hex.get(..4)?;
    let code = u32::from_str_radix(digits, 16).ok()?;
    Some((char::from_u32(code)?, 7))
}

/// `\M+5C9CF` → the GB2312 character of bytes C9 CF.
fn multibyte_escape(tail: &str) -> Option<(char, usize)> {
    let rest = tail.strip_prefix("\\M+")?;
    let page = rest.get(..1)?;
    let bytes = u16::from_str_radix(rest.get(1..5)?, 16).ok()?;
    let encoding = match page {
        "1" => encoding_rs::SHIFT_JIS,
        "2" => encoding_rs::BIG5,
        "3" | "4" => encoding_rs::EUC_KR,
        "5" => encoding_rs::GBK,
        _ => return None,
    };
    let pair = bytes.to_be_bytes();
    let (text, had_errors) = encoding.decode_without_bom_handling(&pair);
    let mut chars = text.chars();
    match (chars.next(), chars.next(), had_errors) {
        (Some(c), None, false) => Some((c, 8)),
        _ => None,
    }
}

/// AutoCAD's `%%` control codes: `%%d` °, `%%p` ±, `%%c` φ, `%%%` %, `%%nnn` the character of
/// that code; `%%u` and `%%o` (underline, overline on/off) draw nothing.
pub(super) fn percent_codes(text: &str) -> String {
    if !text.contains("%%") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("%%") {
        out.push_str(&rest[..at]);
        let code = &rest[at + 2..];
        let mut chars = code.chars();
        let (replacement, used) = match chars.next().map(|c| c.to_ascii_lowercase()) {
            Some('d') => (Some('°'), 1),
            Some('p') => (Some('±'), 1),
            Some('c') => (Some('φ'), 1),
            Some('%') => (Some('%'), 1),
            Some('u' | 'o' | 'k') => (None, 1),
            Some(c) if c.is_ascii_digit() => {
                let digits: String = code
                    .chars()
                    .take(3)
                    .take_while(char::is_ascii_digit)
                    .collect();
                let c = digits.parse::<u32>().ok().and_then(char::from_u32);
                (c, digits.len())
            }
            _ => {
                out.push_str("%%");
                rest = code;
                continue;
            }
        };
        out.extend(replacement);
        rest = &code[used..];
    }
    out.push_str(rest);
    out
}

/// MTEXT with its formatting codes taken out: `\P` is a line break, `\~` a space, `\\ \{ \}`
/// the characters themselves, `{ }` groups vanish, `\S1^2;` stacked text becomes `1/2`, and
/// codes with an argument up to `;` (`\f \F \H \W \Q \T \A \C \c \p`) or without one
/// (`\L \l \O \o \K \k \N \X`) are dropped.
pub(super) fn strip_mtext(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' | '}' => {}
            '\\' => match chars.next() {
                Some('P' | 'N' | 'X') => out.push('\n'),
                Some('~') => out.push(' '),
                Some(c @ ('\\' | '{' | '}')) => out.push(c),
                Some('L' | 'l' | 'O' | 'o' | 'K' | 'k') => {}
                Some('S') => {
                    for c in chars.by_ref() {
                        match c {
                            ';' => break,
                            '^' | '#' => out.push('/'),
                            c => out.push(c),
                        }
                    }
                }
                Some('f' | 'F' | 'H' | 'W' | 'Q' | 'T' | 'A' | 'C' | 'c' | 'p') => {
                    for c in chars.by_ref() {
                        if c == ';' {
                            break;
                        }
                    }
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mtext_formatting_is_taken_out() {
        let raw = r"{\fSimSun|b0|i0|c134|p2;上海}\P大都市圈\~{\H1.5x;规划}\P\L上海\lPlan";
        assert_eq!(strip_mtext(raw), "上海\n大都市圈 规划\n上海Plan");
        assert_eq!(
            strip_mtext(r"a\\b \{c\} \S1^2; \C1;red"),
            r"a\b {c} 1/2 red"
        );
        assert_eq!(strip_mtext(r"\pxqc;居中\P"), "居中\n");
        assert_eq!(strip_mtext("trailing \\"), "trailing \\");
    }

    #[test]
    fn percent_and_unicode_escapes_are_resolved() {
        assert_eq!(
            percent_codes("坡度 12.5%%d %%p0.5 %%c200 100%%%"),
            "坡度 12.5° ±0.5 φ200 100%"
        );
        assert_eq!(percent_codes("%%u下划线%%u %%065 50%"), "下划线 A 50%");
        assert_eq!(percent_codes("odd %%"), "odd %%");
        assert_eq!(unescape_unicode(r"\U+4E0A\U+6D77 路"), "上海 路");
        assert_eq!(unescape_unicode(r"\M+5C9CF\M+5BAA3"), "上海");
        assert_eq!(
            unescape_unicode(r"C:\Users \U+12 \M+9"),
            r"C:\Users \U+12 \M+9"
        );
    }

    #[test]
    fn binary_strings_are_decoded_in_the_drawing_encoding() {
        let (gbk, _, _) = encoding_rs::GBK.encode("苏州");
        let latin1: String = gbk.iter().map(|&b| char::from(b)).collect();
        let decoder = TextDecoder {
            binary: true,
            encoding: encoding_rs::GBK,
        };
        assert_eq!(decoder.text(&latin1), "苏州");
        let ascii = TextDecoder {
            binary: false,
            encoding: encoding_rs::GBK,
        };
        assert_eq!(ascii.single_line("苏州 %%d"), "苏州 °");
    }
}
