//! What a DXF reader did not take, counted by entity type and reason, as the lines of
//! `DataTable::skipped` ("12 HATCH entities skipped: OneMap does not read this entity type").

use std::collections::BTreeMap;

use super::scan::TypeCounts;

/// The entity types the `dxf` crate models (its EntitiesSpec.xml): any other type it drops.
const PARSED_TYPES: &[&str] = &[
    "3DFACE",
    "3DSOLID",
    "ACAD_PROXY_ENTITY",
    "ARC",
    "ARCALIGNEDTEXT",
    "ATTDEF",
    "ATTRIB",
    "BODY",
    "CIRCLE",
    "DIMENSION",
    "ELLIPSE",
    "HELIX",
    "IMAGE",
    "INSERT",
    "LEADER",
    "LIGHT",
    "LINE",
    "LWPOLYLINE",
    "MLINE",
    "MTEXT",
    "OLEFRAME",
    "OLE2FRAME",
    "POINT",
    "POLYLINE",
    "RAY",
    "REGION",
    "RTEXT",
    "SECTION",
    "SHAPE",
    "SOLID",
    "SPLINE",
    "TEXT",
    "TOLERANCE",
    "TRACE",
    "DGNUNDERLAY",
    "DWFUNDERLAY",
    "PDFUNDERLAY",
    "WIPEOUT",
    "XLINE",
];

/// Why an entity gave no feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Skip {
    /// A type OneMap does not read (HATCH, SPLINE, DIMENSION, …).
    Unsupported,
    /// The same, inside a block placed by an INSERT.
    UnsupportedInBlock,
    /// A type the parser models but could not make sense of (a DIMENSION without its
    /// subclass markers, …).
    Unparsed,
    /// Drawn on a layout sheet (paper space), in sheet units, not on the map.
    PaperSpace,
    /// Hidden in the drawing (its visibility flag).
    Invisible,
    /// A TEXT, MTEXT or ATTRIB with no characters.
    EmptyText,
    /// A polyline with fewer than two vertices, a zero-radius circle, …
    Degenerate,
    /// A polygon or polyface mesh (3D surfaces).
    Mesh,
    /// A coordinate that is not a finite number.
    NotFinite,
    /// An INSERT of a block the drawing does not define.
    MissingBlock,
    /// An INSERT nested more deeply than blocks are followed (a block inserting itself).
    TooDeep,
}

impl Skip {
    fn words(self) -> &'static str {
        match self {
            Self::Unsupported => "skipped: OneMap does not read this entity type",
            Self::UnsupportedInBlock => {
                "inside blocks skipped: OneMap does not read this entity type"
            }
            Self::Unparsed => "skipped: the DXF parser could not make sense of them",
            Self::PaperSpace => "in paper space (layout sheets, not the map) skipped",
            Self::Invisible => "marked invisible skipped",
            Self::EmptyText => "without text skipped",
            Self::Degenerate => "too small to draw (fewer than 2 vertices, zero size) skipped",
            Self::Mesh => "that are 3D meshes skipped",
            Self::NotFinite => "with coordinates that are not finite numbers skipped",
            Self::MissingBlock => "of a block the drawing does not define skipped",
            Self::TooDeep => "nested more than 32 blocks deep (a block inserting itself?) skipped",
        }
    }
}

/// The counts of what was read and what was skipped.
#[derive(Debug, Default)]
pub(super) struct Report {
    skipped: BTreeMap<(Skip, String), usize>,
    /// Top-level entities the crate handed over, by type: the rest of the first pass's count
    /// of a type is what the crate dropped without a word.
    handed_over: TypeCounts,
}

impl Report {
    pub fn skip(&mut self, reason: Skip, entity_type: &str, count: usize) {
        if count > 0 {
            *self
                .skipped
                .entry((reason, entity_type.to_owned()))
                .or_insert(0) += count;
        }
    }

    /// A top-level entity of the ENTITIES section as the crate gave it.
    pub fn handed_over(&mut self, entity_type: &str) {
        *self.handed_over.entry(entity_type.to_owned()).or_insert(0) += 1;
    }

    /// The entities the first pass counted in the ENTITIES section that the crate did not hand
    /// over: types it does not model (unsupported), or entities it could not parse.
    pub fn add_dropped(&mut self, counted: &TypeCounts) {
        for (entity_type, &count) in counted {
            let handed = self.handed_over.get(entity_type).copied().unwrap_or(0);
            let reason = if PARSED_TYPES.contains(&entity_type.as_str()) {
                Skip::Unparsed
            } else {
                Skip::Unsupported
            };
            self.skip(reason, entity_type, count.saturating_sub(handed));
        }
    }

    /// One line per reason and type, "12 HATCH entities skipped: …".
    pub fn lines(&self) -> Vec<String> {
        self.skipped
            .iter()
            .map(|((reason, entity_type), count)| {
                let noun = if *count == 1 { "entity" } else { "entities" };
                format!("{count} {entity_type} {noun} {}", reason.words())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_entities_are_the_first_pass_count_less_what_was_handed_over() {
        let mut report = Report::default();
        report.handed_over("LINE");
        report.handed_over("SPLINE");
        report.skip(Skip::Unsupported, "SPLINE", 1);
        report.skip(Skip::PaperSpace, "LINE", 0);
        let counted: TypeCounts = [("LINE", 1), ("SPLINE", 1), ("HATCH", 12), ("DIMENSION", 2)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        report.add_dropped(&counted);
        assert_eq!(
            report.lines(),
            vec![
                "12 HATCH entities skipped: OneMap does not read this entity type",
                "1 SPLINE entity skipped: OneMap does not read this entity type",
                "2 DIMENSION entities skipped: the DXF parser could not make sense of them",
            ]
        );
    }
}
