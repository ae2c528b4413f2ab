//! A parsed drawing as features: every model-space entity of the ENTITIES section, with the
//! blocks its INSERTs place drawn in (nested blocks too), each feature with its CAD layer.
//!
//! An entity inside a block on layer "0" is drawn on the layer of the INSERT that places it,
//! as CAD draws it. A block can place blocks, so a small file can stand for a huge drawing:
//! the memory the features take (and the placements, which cost time) is estimated as they
//! are made, and the drawing is refused past a budget.

use std::collections::BTreeMap;

use dxf::entities::{Entity, EntityType, Insert};
use dxf::{Block, Drawing};
use serde_json::{Map, Value};

use super::geometry::Affine;
use super::report::{Report, Skip};
use super::scan::{Prescan, TypeCounts};
use super::shapes::{Shape, label, shape, type_name};
use super::text::TextDecoder;
use crate::io::formats::DataFeature;

/// Blocks placed inside blocks are followed this deep.
const MAX_DEPTH: usize = 32;

/// The estimated bytes of a feature besides its vertices (its attribute map and strings).
const FEATURE_BYTES: usize = 600;
/// The bytes of a vertex.
const VERTEX_BYTES: usize = 16;
/// What a block placement is charged: it costs time even when it draws nothing.
const PLACEMENT_BYTES: usize = 64;

/// The budget of a drawing of `file_bytes`: 40 times its size, and at least 512 MiB. Features
/// take 2 to 3 times the size of the DXF text they come from; only blocks multiply them.
pub(super) fn budget(file_bytes: usize) -> usize {
    file_bytes.saturating_mul(40).max(512 << 20)
}

/// Why the conversion stopped.
#[derive(Debug)]
pub(super) enum Stop {
    TooLarge,
}

pub(super) struct Converter<'a> {
    decoder: TextDecoder,
    blocks: BTreeMap<&'a str, &'a Block>,
    /// Per block (crate name): the entities the crate dropped from it, by type.
    dropped_in_block: BTreeMap<&'a str, TypeCounts>,
    /// Layer names as read → as shown.
    layers: BTreeMap<String, String>,
    /// What is left of the budget, in estimated bytes.
    budget: usize,
    pub features: Vec<DataFeature>,
    pub report: Report,
}

/// Where a block's entities go: the placement, the layer that layer "0" stands for, and the
/// outermost block's name (the `block` field).
#[derive(Clone, Copy)]
struct Placement<'a> {
    place: Affine,
    layer: &'a str,
    block: Option<&'a str>,
    depth: usize,
}

impl<'a> Converter<'a> {
    pub fn new(drawing: &'a Drawing, scan: &Prescan, decoder: TextDecoder, budget: usize) -> Self {
        let blocks: BTreeMap<&str, &Block> =
            drawing.blocks().map(|b| (b.name.as_str(), b)).collect();
        let counted: BTreeMap<String, &TypeCounts> = scan
            .blocks
            .iter()
            .map(|(raw, counts)| (decoder.raw_key(raw), counts))
            .collect();
        let dropped_in_block = blocks
            .iter()
            .map(|(&name, block)| (name, dropped_from_block(block, &counted)))
            .collect();
        Self {
            decoder,
            blocks,
            dropped_in_block,
            layers: BTreeMap::new(),
            budget,
            features: Vec::new(),
            report: Report::default(),
        }
    }

    /// Converts top-level entities: those of the drawing, or of a piece of its ENTITIES section
    /// parsed on its own (they need not live as long as the drawing's blocks).
    pub fn run<'e>(&mut self, entities: impl IntoIterator<Item = &'e Entity>) -> Result<(), Stop>
    where
        'a: 'e,
    {
        for entity in entities {
            let name = type_name(&entity.specific);
            self.report.handed_over(name);
            if entity.common.is_in_paper_space {
                self.report.skip(Skip::PaperSpace, name, 1);
                continue;
            }
            let top = Placement {
                place: Affine::IDENTITY,
                layer: "0",
                block: None,
                depth: 0,
            };
            self.entity(entity, top)?;
        }
        Ok(())
    }

    fn entity<'e>(&mut self, entity: &'e Entity, at: Placement<'e>) -> Result<(), Stop>
    where
        'a: 'e,
    {
        let name = type_name(&entity.specific);
        if !entity.common.is_visible {
            self.report.skip(Skip::Invisible, name, 1);
            return Ok(());
        }
        let layer = match entity.common.layer.as_str() {
            "0" if at.depth > 0 => at.layer,
            layer => layer,
        };
        if let EntityType::Insert(insert) = &entity.specific {
            return self.insert(insert, layer, at);
        }
        let shape = shape(&entity.specific, &at.place, &self.decoder);
        self.emit(shape, name, layer, at.block)
    }

    fn emit(
        &mut self,
        shape: Shape,
        name: &str,
        layer: &str,
        block: Option<&str>,
    ) -> Result<(), Stop> {
        let (geometry, text) = match shape {
            Shape::Geometry(g) => (g, None),
            Shape::Label(at, text) => (geo::Geometry::Point(at.into()), Some(text)),
            Shape::Skipped(reason) => {
                self.report.skip(reason, name, 1);
                return Ok(());
            }
        };
        let vertices = geo::CoordsIter::coords_count(&geometry);
        self.charge(FEATURE_BYTES.saturating_add(vertices.saturating_mul(VERTEX_BYTES)))?;
        let mut attributes = Map::new();
        attributes.insert("layer".into(), Value::String(self.layer_name(layer)));
        attributes.insert("entity".into(), Value::String(name.to_owned()));
        if let Some(text) = text {
            attributes.insert("text".into(), Value::String(text));
        }
        if let Some(block) = block {
            attributes.insert("block".into(), Value::String(self.decoder.text(block)));
        }
        self.features.push(DataFeature {
            geometry: Some(geometry),
            attributes: attributes.into(),
        });
        Ok(())
    }

    fn layer_name(&mut self, raw: &str) -> String {
        if let Some(name) = self.layers.get(raw) {
            return name.clone();
        }
        let name = self.decoder.text(raw);
        self.layers.insert(raw.to_owned(), name.clone());
        name
    }

    fn charge(&mut self, bytes: usize) -> Result<(), Stop> {
        self.budget = self.budget.checked_sub(bytes).ok_or(Stop::TooLarge)?;
        Ok(())
    }

    /// Draws the block an INSERT places (each copy of a MINSERT's array), then the INSERT's
    /// attributes (ATTRIB texts) where they stand.
    fn insert<'e>(
        &mut self,
        insert: &'e Insert,
        layer: &'e str,
        at: Placement<'e>,
    ) -> Result<(), Stop>
    where
        'a: 'e,
    {
        let Some(&block) = self.blocks.get(insert.name.as_str()) else {
            self.report.skip(Skip::MissingBlock, "INSERT", 1);
            return Ok(());
        };
        if at.depth >= MAX_DEPTH {
            self.report.skip(Skip::TooDeep, "INSERT", 1);
            return Ok(());
        }
        let ocs = at.place.then_after(&Affine::ocs([
            insert.extrusion_direction.x,
            insert.extrusion_direction.y,
            insert.extrusion_direction.z,
        ]));
        let columns = usize::try_from(insert.column_count).unwrap_or(1).max(1);
        let rows = usize::try_from(insert.row_count).unwrap_or(1).max(1);
        for row in 0..rows {
            for column in 0..columns {
                self.charge(PLACEMENT_BYTES)?;
                let place = ocs
                    .then_after(&Affine::translate(insert.location.x, insert.location.y))
                    .then_after(&Affine::rotate_degrees(insert.rotation))
                    .then_after(&Affine::translate(
                        column as f64 * insert.column_spacing,
                        row as f64 * insert.row_spacing,
                    ))
                    .then_after(&Affine::scale(insert.x_scale_factor, insert.y_scale_factor))
                    .then_after(&Affine::translate(-block.base_point.x, -block.base_point.y));
                let inner = Placement {
                    place,
                    layer,
                    block: at.block.or(Some(block.name.as_str())),
                    depth: at.depth + 1,
                };
                for entity in &block.entities {
                    self.entity(entity, inner)?;
                }
                if let Some(dropped) = self.dropped_in_block.get(block.name.as_str()) {
                    for (entity_type, &count) in dropped {
                        self.report
                            .skip(Skip::UnsupportedInBlock, entity_type, count);
                    }
                }
            }
        }
        self.attributes(insert, layer, at)
    }

    fn attributes(&mut self, insert: &Insert, layer: &str, at: Placement) -> Result<(), Stop> {
        for attribute in insert.attributes() {
            if attribute.is_invisible() {
                self.report.skip(Skip::Invisible, "ATTRIB", 1);
                continue;
            }
            let n = &attribute.normal;
            let ocs = at.place.then_after(&Affine::ocs([n.x, n.y, n.z]));
            let anchor = &attribute.location;
            let text = self.decoder.single_line(&attribute.value);
            let shape = label(ocs.apply(anchor.x, anchor.y), text);
            // The crate keeps an ATTRIB's fields but not its own layer: the INSERT's is used.
            self.emit(shape, "ATTRIB", layer, at.block)?;
        }
        Ok(())
    }
}

/// The entities of a block the crate dropped, by type: the first pass's count for the block
/// less what the crate kept.
fn dropped_from_block(block: &Block, counted: &BTreeMap<String, &TypeCounts>) -> TypeCounts {
    let Some(counted) = counted.get(block.name.trim()) else {
        return TypeCounts::new();
    };
    let mut kept = TypeCounts::new();
    for entity in &block.entities {
        *kept
            .entry(type_name(&entity.specific).to_owned())
            .or_insert(0) += 1;
    }
    counted
        .iter()
        .filter_map(|(entity_type, &count)| {
            let dropped = count.saturating_sub(kept.get(entity_type).copied().unwrap_or(0));
            (dropped > 0).then(|| (entity_type.clone(), dropped))
        })
        .collect()
}
