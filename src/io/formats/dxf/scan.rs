//! A first pass over a DXF's group codes, before the `dxf` crate parses it, for what the crate
//! does not tell: the code page and version in the header (needed to decode the text while it
//! is parsed), how many entities of each type the ENTITIES section and each block hold (the
//! crate silently drops the types it does not model, HATCH among them, and these must be
//! reported), the bytes of the text (to guess its encoding when nothing declares it) and
//! whether the file ends with its EOF marker (a truncated file must not pass as a drawing).
//!
//! Both DXF encodings are read: ASCII (a code line, then a value line) and binary (the
//! sentinel `AutoCAD Binary DXF`, then codes of one byte, or two from R13, and typed values).

use std::collections::BTreeMap;
use std::ops::Range;

use crate::io::error::IoError;
use crate::io::formats::progress::Stage;

/// The start of a binary DXF.
pub(super) const BINARY_SENTINEL: &[u8] = b"AutoCAD Binary DXF\r\n\x1a\0";

/// Entity types the crate attaches to the entity before them (a POLYLINE's vertices, an
/// INSERT's attributes): they are not entities of their own in a count.
const SUB_ENTITIES: [&[u8]; 3] = [b"VERTEX", b"SEQEND", b"ATTRIB"];

/// The ENTITIES section is cut into pieces of about this many bytes for the crate.
const CHUNK_BYTES: usize = 1 << 20;
/// Groups between two progress reports of the first pass.
const GROUPS_PER_REPORT: usize = 1 << 16;

/// Entity counts by type name.
pub(super) type TypeCounts = BTreeMap<String, usize>;

/// What the first pass found.
#[derive(Debug, Default)]
pub(super) struct Prescan {
    pub binary: bool,
    /// `$ACADVER`: AC1009 is R12, AC1015 R2000, AC1021 R2007 (the first in UTF-8), …
    pub version: Option<String>,
    /// `$DWGCODEPAGE`: ANSI_936 is GBK.
    pub code_page: Option<String>,
    /// Top-level entities of the ENTITIES section, by type.
    pub entities: TypeCounts,
    /// Entities of each block definition, by block name (raw bytes) and type.
    pub blocks: BTreeMap<Vec<u8>, TypeCounts>,
    /// Every string value holding a byte above 0x7F, each followed by a newline.
    pub non_ascii_text: Vec<u8>,
    /// Whether the last group is `0/EOF`.
    pub ends_with_eof: bool,
    /// Whether the group codes could be followed to the end (else the crate will say why not).
    pub complete: bool,
    /// The first value of a numeric group code that is not a number (ASCII): its line, code
    /// and text. The crate would drop the entity it is in without a word.
    pub bad_number: Option<(usize, i32, String)>,
    /// The bytes between an ASCII drawing's `2/ENTITIES` and the `0/ENDSEC` that closes it,
    /// when it has one ENTITIES section.
    pub entities_body: Option<Range<usize>>,
    /// That body in pieces of about [`CHUNK_BYTES`], each starting with a top-level entity, in
    /// order: the crate parses them one after the other (see `super::chunks`).
    pub entity_chunks: Vec<Range<usize>>,
}

impl Prescan {
    /// The version number of `$ACADVER` (1009 for "AC1009"), if it has that form.
    pub fn version_number(&self) -> Option<u32> {
        self.version
            .as_deref()?
            .trim()
            .strip_prefix("AC")?
            .parse()
            .ok()
    }
}

/// One group: its code and its value's bytes (in a binary DXF, strings only), and the line
/// its value is on (ASCII); in an ASCII DXF, where its code line starts in the file and where
/// its value line ends (after the line break).
struct Group<'a> {
    code: i32,
    text: &'a [u8],
    line: usize,
    start: usize,
    end: usize,
}

/// Follows the groups of `bytes` (a whole DXF file), moving the bar across `stage` (positions
/// are bytes of the file); `Err(Cancelled)` when Cancel is pressed.
pub(super) fn prescan(bytes: &[u8], stage: &Stage) -> Result<Prescan, IoError> {
    let binary = bytes.starts_with(BINARY_SENTINEL);
    let mut state = State::default();
    let mut scan = Prescan {
        binary,
        ..Prescan::default()
    };
    let complete = if binary {
        let rest = &bytes[BINARY_SENTINEL.len()..];
        let mut groups = BinaryGroups::new(rest);
        let mut n = 0usize;
        while let Some(group) = groups.next() {
            state.take(&group, &mut scan);
            n += 1;
            if n.is_multiple_of(GROUPS_PER_REPORT) {
                stage.at((bytes.len() - groups.rest.len()) as u64)?;
            }
        }
        groups.complete
    } else {
        let mut groups = AsciiGroups::new(bytes);
        for (n, group) in groups.by_ref().enumerate() {
            if scan.bad_number.is_none() && !is_number(&group) {
                let text = String::from_utf8_lossy(trim(group.text)).into_owned();
                scan.bad_number = Some((group.line, group.code, text));
            }
            state.take(&group, &mut scan);
            if n.is_multiple_of(GROUPS_PER_REPORT) {
                stage.at(group.end as u64)?;
            }
        }
        groups.complete
    };
    scan.complete = complete;
    scan.ends_with_eof = state.last_was_eof;
    if state.entities_sections != 1 {
        scan.entities_body = None;
        scan.entity_chunks.clear();
    }
    stage.at(bytes.len() as u64)?;
    Ok(scan)
}

/// Where the first pass is in the file.
#[derive(Default)]
struct State {
    section: Vec<u8>,
    expect_section_name: bool,
    header_variable: Vec<u8>,
    block: Option<Vec<u8>>,
    block_name_pending: bool,
    last_was_eof: bool,
    /// ENTITIES sections seen, and (ASCII) where the open one's body and current chunk start.
    entities_sections: usize,
    body_start: usize,
    chunk_start: usize,
}

impl State {
    fn take(&mut self, group: &Group, scan: &mut Prescan) {
        let text = trim(group.text);
        if group.text.iter().any(|b| !b.is_ascii()) {
            scan.non_ascii_text.extend_from_slice(group.text);
            scan.non_ascii_text.push(b'\n');
        }
        self.last_was_eof = group.code == 0 && text == b"EOF";
        match group.code {
            0 => {
                self.chunk_at(text, group, scan);
                self.entity_start(text, scan);
            }
            2 if self.expect_section_name => {
                self.section = text.to_vec();
                self.expect_section_name = false;
                if self.section == b"ENTITIES" {
                    self.entities_sections += 1;
                    self.body_start = group.end;
                    self.chunk_start = group.end;
                }
            }
            2 if self.block_name_pending => {
                self.block = Some(text.to_vec());
                scan.blocks.entry(text.to_vec()).or_default();
                self.block_name_pending = false;
            }
            9 if self.section == b"HEADER" => self.header_variable = text.to_vec(),
            1 if self.header_variable == b"$ACADVER" => {
                scan.version = Some(String::from_utf8_lossy(text).into_owned());
            }
            3 if self.header_variable == b"$DWGCODEPAGE" => {
                scan.code_page = Some(String::from_utf8_lossy(text).into_owned());
            }
            _ => {}
        }
    }

    /// In an ASCII drawing's ENTITIES section, a `0` group ends a chunk when the chunk is large
    /// enough and the group starts a top-level entity (not a VERTEX of a POLYLINE, …); ENDSEC
    /// ends the last chunk and the body.
    fn chunk_at(&mut self, name: &[u8], group: &Group, scan: &mut Prescan) {
        if scan.binary || self.section != b"ENTITIES" {
            return;
        }
        let ends_chunk = match name {
            b"ENDSEC" => true,
            _ if SUB_ENTITIES.contains(&name) => false,
            _ => group.start.saturating_sub(self.chunk_start) >= CHUNK_BYTES,
        };
        if ends_chunk && group.start > self.chunk_start {
            scan.entity_chunks.push(self.chunk_start..group.start);
            self.chunk_start = group.start;
        }
        if name == b"ENDSEC" {
            scan.entities_body = Some(self.body_start..group.start);
        }
    }

    fn entity_start(&mut self, name: &[u8], scan: &mut Prescan) {
        self.header_variable.clear();
        match name {
            b"SECTION" => self.expect_section_name = true,
            b"ENDSEC" => self.section.clear(),
            b"BLOCK" if self.section == b"BLOCKS" => self.block_name_pending = true,
            b"ENDBLK" => self.block = None,
            _ if SUB_ENTITIES.contains(&name) => {}
            _ => {
                let counts = match (self.section.as_slice(), &self.block) {
                    (b"ENTITIES", _) => &mut scan.entities,
                    (b"BLOCKS", Some(block)) => scan.blocks.entry(block.clone()).or_default(),
                    _ => return,
                };
                *counts
                    .entry(String::from_utf8_lossy(name).into_owned())
                    .or_insert(0) += 1;
            }
        }
    }
}

fn trim(bytes: &[u8]) -> &[u8] {
    bytes.trim_ascii()
}

/// Whether an ASCII group's value fits its code: a number where the code is numeric. (An
/// integer code written as "1.0" is let through, as the crate reads it.)
fn is_number(group: &Group) -> bool {
    match stored(group.code) {
        Some(Stored::Bytes(_) | Stored::Boolean) => std::str::from_utf8(trim(group.text))
            .is_ok_and(|v| v.parse::<f64>().is_ok_and(f64::is_finite)),
        _ => true,
    }
}

/// The groups of an ASCII DXF: a code line, then a value line.
struct AsciiGroups<'a> {
    lines: std::slice::Split<'a, u8, fn(&u8) -> bool>,
    line: usize,
    /// Where the next line starts in the file.
    offset: usize,
    complete: bool,
}

impl<'a> AsciiGroups<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let newline: fn(&u8) -> bool = |b| *b == b'\n';
        Self {
            lines: without_bom.split(newline),
            line: 0,
            offset: bytes.len() - without_bom.len(),
            complete: false,
        }
    }

    /// The next line, and where it starts.
    fn next_line(&mut self) -> Option<(&'a [u8], usize)> {
        let line = self.lines.next()?;
        let start = self.offset;
        self.offset = self.offset.saturating_add(line.len() + 1);
        self.line += 1;
        Some((line, start))
    }
}

impl<'a> Iterator for AsciiGroups<'a> {
    type Item = Group<'a>;

    fn next(&mut self) -> Option<Group<'a>> {
        let (code_line, start) = loop {
            match self.next_line() {
                None => {
                    self.line += 1;
                    self.complete = true;
                    return None;
                }
                Some((line, _)) if trim(line).is_empty() => continue,
                Some(found) => break found,
            }
        };
        let code = std::str::from_utf8(trim(code_line)).ok()?.parse().ok()?;
        let (value, _) = self.next_line()?;
        let value = value.strip_suffix(b"\r").unwrap_or(value);
        Some(Group {
            code,
            text: value,
            line: self.line,
            start,
            end: self.offset,
        })
    }
}

/// The groups of a binary DXF (after its sentinel).
struct BinaryGroups<'a> {
    rest: &'a [u8],
    two_byte_codes: bool,
    complete: bool,
}

/// How a binary value is stored, by its group code (as the `dxf` crate reads it).
enum Stored {
    Text,
    Bytes(usize),
    Boolean,
    Chunk,
}

fn stored(code: i32) -> Option<Stored> {
    Some(match code {
        0..=9
        | 100..=102
        | 105
        | 300..=309
        | 320..=369
        | 390..=399
        | 410..=419
        | 430..=439
        | 470..=481
        | 999
        | 1000..=1009 => Stored::Text,
        10..=59 | 110..=149 | 210..=239 | 460..=469 | 1010..=1059 => Stored::Bytes(8),
        60..=79 | 170..=179 | 270..=289 | 370..=389 | 400..=409 | 1060..=1070 => Stored::Bytes(2),
        90..=99 | 420..=429 | 440..=459 | 1071 => Stored::Bytes(4),
        160..=169 => Stored::Bytes(8),
        290..=299 => Stored::Boolean,
        310..=319 => Stored::Chunk,
        _ => return None,
    })
}

impl<'a> BinaryGroups<'a> {
    fn new(rest: &'a [u8]) -> Self {
        // From R13 a code takes two bytes: the first group (0/SECTION) then starts with 00 00.
        let two_byte_codes = rest.starts_with(&[0, 0]);
        Self {
            rest,
            two_byte_codes,
            complete: false,
        }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.rest.split_at_checked(n)?;
        self.rest = tail;
        Some(head)
    }

    fn code(&mut self) -> Option<i32> {
        if self.two_byte_codes {
            let b = self.take(2)?;
            return Some(i32::from(i16::from_le_bytes([b[0], b[1]])));
        }
        let first = self.take(1)?[0];
        if first == 255 {
            let b = self.take(2)?;
            return Some(i32::from(i16::from_le_bytes([b[0], b[1]])));
        }
        Some(i32::from(first))
    }
}

impl<'a> Iterator for BinaryGroups<'a> {
    type Item = Group<'a>;

    fn next(&mut self) -> Option<Group<'a>> {
        if self.rest.is_empty() {
            self.complete = true;
            return None;
        }
        let code = self.code()?;
        let text: &[u8] = match stored(code)? {
            Stored::Text => {
                let end = self.rest.iter().position(|&b| b == 0)?;
                let text = self.take(end)?;
                self.take(1)?;
                text
            }
            Stored::Bytes(n) => {
                self.take(n)?;
                &[]
            }
            Stored::Boolean => {
                self.take(if self.two_byte_codes { 1 } else { 2 })?;
                &[]
            }
            Stored::Chunk => {
                let n = usize::from(self.take(1)?[0]);
                self.take(n)?;
                &[]
            }
        };
        Some(Group {
            code,
            text,
            line: 0,
            start: 0,
            end: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::formats::progress::Meter;

    fn prescan(bytes: &[u8]) -> Prescan {
        let meter = Meter::new(None, std::path::Path::new("t.dxf"), 1);
        super::prescan(bytes, &meter.stage(0, 1, 1)).unwrap()
    }

    fn ascii(groups: &[(i32, &str)]) -> Vec<u8> {
        groups
            .iter()
            .flat_map(|(c, v)| format!("{c:>3}\r\n{v}\r\n").into_bytes())
            .collect()
    }

    #[test]
    fn header_counts_and_eof_are_found_in_ascii() {
        let bytes = ascii(&[
            (0, "SECTION"),
            (2, "HEADER"),
            (9, "$ACADVER"),
            (1, "AC1015"),
            (9, "$DWGCODEPAGE"),
            (3, "ANSI_936"),
            (0, "ENDSEC"),
            (0, "SECTION"),
            (2, "BLOCKS"),
            (0, "BLOCK"),
            (2, "TREE"),
            (0, "HATCH"),
            (0, "LINE"),
            (0, "ENDBLK"),
            (0, "ENDSEC"),
            (0, "SECTION"),
            (2, "ENTITIES"),
            (0, "HATCH"),
            (0, "POLYLINE"),
            (0, "VERTEX"),
            (0, "SEQEND"),
            (0, "HATCH"),
            (0, "TEXT"),
            (1, "é"),
            (0, "ENDSEC"),
            (0, "EOF"),
        ]);
        let scan = prescan(&bytes);
        assert!(!scan.binary && scan.complete && scan.ends_with_eof);
        assert_eq!(scan.version_number(), Some(1015));
        assert_eq!(scan.code_page.as_deref(), Some("ANSI_936"));
        let entities: Vec<_> = scan
            .entities
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        assert_eq!(entities, vec![("HATCH", 2), ("POLYLINE", 1), ("TEXT", 1)]);
        assert_eq!(scan.blocks[&b"TREE".to_vec()].len(), 2);
        assert_eq!(scan.non_ascii_text, "é\n".as_bytes());
        assert_eq!(scan.bad_number, None);
        let cut = &bytes[..bytes.len() - 12];
        assert!(!prescan(cut).ends_with_eof);
        let bad = ascii(&[
            (0, "LINE"),
            (10, "1.5"),
            (20, "1,5"),
            (70, "1.0"),
            (0, "EOF"),
        ]);
        assert_eq!(prescan(&bad).bad_number, Some((6, 20, "1,5".to_owned())));
    }

    #[test]
    fn binary_groups_are_followed_with_one_or_two_byte_codes() {
        // R12: one-byte codes; booleans take two bytes.
        let mut r12 = BINARY_SENTINEL.to_vec();
        r12.extend_from_slice(b"\0SECTION\0\x02ENTITIES\0\0LINE\0\x0a");
        r12.extend_from_slice(&1.5f64.to_le_bytes());
        r12.extend_from_slice(b"\x46\x01\x00\0ENDSEC\0\0EOF\0");
        let scan = prescan(&r12);
        assert!(
            scan.binary && scan.complete && scan.ends_with_eof,
            "{scan:?}"
        );
        assert_eq!(scan.entities.get("LINE"), Some(&1));
        // R13 and later: two-byte codes.
        let mut r2000 = BINARY_SENTINEL.to_vec();
        r2000.extend_from_slice(b"\0\0SECTION\0\x02\0ENTITIES\0\0\0HATCH\0\x22\x01\x01");
        r2000.extend_from_slice(b"\0\0ENDSEC\0\0\0EOF\0");
        let scan = prescan(&r2000);
        assert!(scan.complete && scan.ends_with_eof, "{scan:?}");
        assert_eq!(scan.entities.get("HATCH"), Some(&1));
        // Cut inside a value: the pass stops without a panic and says it is incomplete.
        let cut = prescan(&r2000[..r2000.len() - 9]);
        assert!(!cut.complete && !cut.ends_with_eof);
    }

    #[test]
    fn the_entities_section_is_cut_at_top_level_entities() {
        let mut groups = vec![(0, "SECTION"), (2, "ENTITIES")];
        for _ in 0..30_000 {
            groups.extend([(0, "POLYLINE"), (8, "道路"), (0, "VERTEX"), (10, "1.5")]);
            groups.extend([(0, "VERTEX"), (10, "2.5"), (0, "SEQEND")]);
        }
        groups.extend([(0, "ENDSEC"), (0, "EOF")]);
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(ascii(&groups));
        let scan = prescan(&bytes);
        let body = scan.entities_body.clone().unwrap();
        assert!(bytes[..body.start].ends_with(b"ENTITIES\r\n"));
        assert!(bytes[body.end..].starts_with(b"  0\r\nENDSEC"));
        assert!(scan.entity_chunks.len() > 1, "{:?}", scan.entity_chunks);
        let mut at = body.start;
        for chunk in &scan.entity_chunks {
            assert_eq!(chunk.start, at);
            assert!(bytes[chunk.clone()].starts_with(b"  0\r\nPOLYLINE\r\n"));
            at = chunk.end;
        }
        assert_eq!(at, body.end);
        // Two ENTITIES sections: not cut (the crate reads the file whole).
        let mut twice = ascii(&[(0, "SECTION"), (2, "ENTITIES"), (0, "LINE"), (0, "ENDSEC")]);
        twice.extend(ascii(&[
            (0, "SECTION"),
            (2, "ENTITIES"),
            (0, "ENDSEC"),
            (0, "EOF"),
        ]));
        let scan = prescan(&twice);
        assert!(scan.entities_body.is_none() && scan.entity_chunks.is_empty());
    }
}
