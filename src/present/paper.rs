//! Sheets of paper: the ISO 216 sizes an export can be laid out on, their orientation, and the
//! scale a map is printed at (`--paper`, `--portrait`, `--scale` of `onemap export`).

use super::export::ExportError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    A4,
    A3,
    A2,
    A1,
    A0,
}

impl Paper {
    pub const ALL: [Self; 5] = [Self::A4, Self::A3, Self::A2, Self::A1, Self::A0];

    /// Landscape width and height in millimetres (ISO 216).
    pub fn mm(self) -> (f32, f32) {
        match self {
            Self::A4 => (297.0, 210.0),
            Self::A3 => (420.0, 297.0),
            Self::A2 => (594.0, 420.0),
            Self::A1 => (841.0, 594.0),
            Self::A0 => (1189.0, 841.0),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::A4 => "A4",
            Self::A3 => "A3",
            Self::A2 => "A2",
            Self::A1 => "A1",
            Self::A0 => "A0",
        }
    }
}

/// A sheet of paper the print layout is laid out on, and the scale to print the map at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sheet {
    pub paper: Paper,
    pub portrait: bool,
    /// The scale's denominator (250000 for 1:250 000); without one, the scene's view decides.
    pub scale: Option<u32>,
}

impl Sheet {
    /// Width and height in millimetres, as oriented.
    pub fn mm(self) -> (f32, f32) {
        let (w, h) = self.paper.mm();
        if self.portrait { (h, w) } else { (w, h) }
    }
}

/// Reads a scale written `1:250000` (or `1:250 000`, `1:250,000`, `250000`): its denominator.
pub fn parse_scale(text: &str) -> Result<u32, String> {
    let digits: String = text
        .trim()
        .trim_start_matches("1:")
        .chars()
        .filter(|c| !matches!(c, ' ' | ',' | '_' | '\u{a0}'))
        .collect();
    let n: u32 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a scale; write it as 1:250000"))?;
    if !(1_000..=50_000_000).contains(&n) {
        return Err(ExportError::Scale(n).to_string());
    }
    Ok(n)
}
