//! The basemap's items: land, built-up areas and lakes, rivers, boundaries, place and water
//! names, in the style's basemap layers. Towns carry the zoom they appear from.

use geo::{Geometry, InteriorPoint};

use crate::model::Basemap;
use crate::model::style::{LabelPaint, LayerStyle, Paint, Style};

use super::scene::{Item, ItemKey, Label, LabelPlacement, item_from_geometry, merc};

fn basemap_style<'a>(style: &'a Style, id: &str) -> Option<&'a LayerStyle> {
    style.layer(id)
}

pub(super) fn add_basemap(items: &mut Vec<Item>, map: &Basemap, style: &Style) {
    if let Some(s) = basemap_style(style, "basemap.land") {
        let paint = s.paint.clone();
        items.push(item_from_geometry(
            ItemKey::Basemap("land".into()),
            "basemap",
            s,
            paint,
            &Geometry::MultiPolygon(map.land.clone()),
        ));
        // On the land and before the lakes, so that the lake shores stay drawn over them.
        add_built_up(items, map, style);
        // Lakes are holes in the land; they are drawn as sea over it only to give them a shore line.
        for (i, lake) in map.lakes.iter().enumerate() {
            let mut paint = s.paint.clone();
            paint.fill = Some(style.background);
            let mut item = item_from_geometry(
                ItemKey::Basemap(format!("lake.{i}")),
                "basemap",
                s,
                paint,
                &Geometry::Polygon(lake.shape.clone()),
            );
            if !lake.name_zh.is_empty() {
                item.label = lake.shape.interior_point().map(|p| {
                    Box::new(Label {
                        name_zh: lake.name_zh.clone(),
                        name_en: lake.name_en.clone(),
                        anchor: merc(p.0),
                        paint: water_label_paint(style),
                        placement: LabelPlacement::Centred,
                    })
                });
            }
            items.push(item);
        }
    }
    if let Some(s) = basemap_style(style, "basemap.rivers") {
        for (i, w) in map.waterways.iter().enumerate() {
            let paint = s.paint_where("canal", if w.canal { "true" } else { "false" });
            items.push(item_from_geometry(
                ItemKey::Basemap(format!("waterway.{i}")),
                "basemap",
                s,
                paint,
                &Geometry::MultiLineString(w.lines.clone()),
            ));
        }
    }
    if let Some(s) = basemap_style(style, "basemap.boundaries") {
        for (i, a) in map.admin_lines.iter().enumerate() {
            let paint = s.paint_where("admin_level", &a.admin_level.to_string());
            let mut item = item_from_geometry(
                ItemKey::Basemap(format!("boundary.{i}")),
                "basemap",
                s,
                paint,
                &Geometry::MultiLineString(a.lines.clone()),
            );
            // Province borders go over city borders where they coincide.
            item.draw_order = s.draw_order;
            items.push(item);
        }
    }
    if let Some(s) = basemap_style(style, "basemap.places") {
        for (i, p) in map.places.iter().enumerate() {
            let paint = s.paint_where("kind", p.kind.as_str());
            let mut item = item_from_geometry(
                ItemKey::Basemap(format!("place.{i}")),
                "basemap",
                s,
                paint.clone(),
                &Geometry::Point(p.position),
            );
            item.label = paint.label.map(|lp| {
                Box::new(Label {
                    name_zh: p.name_zh.clone(),
                    name_en: p.name_en.clone(),
                    anchor: merc(p.position.0),
                    paint: lp,
                    placement: LabelPlacement::BesidePoint,
                })
            });
            item.min_zoom = p.min_zoom;
            items.push(item);
        }
        for (i, w) in map.water_labels.iter().enumerate() {
            let mut item = item_from_geometry(
                ItemKey::Basemap(format!("water_label.{i}")),
                "basemap",
                s,
                Paint::default(),
                &Geometry::Point(w.position),
            );
            item.points = Box::default();
            item.label = Some(Box::new(Label {
                name_zh: w.name_zh.clone(),
                name_en: w.name_en.clone(),
                anchor: merc(w.position.0),
                paint: water_label_paint(style),
                placement: LabelPlacement::Centred,
            }));
            items.push(item);
        }
    }
}

/// Built-up areas: one item each (so that a view draws only those in it, and small ones only
/// from their zoom on), a fill without an outline, lighter than anything of the plan's, under
/// the rest of the basemap.
fn add_built_up(items: &mut Vec<Item>, map: &Basemap, style: &Style) {
    let Some(s) = basemap_style(style, "basemap.built_up") else {
        return;
    };
    for (i, area) in map.built_up.iter().enumerate() {
        let mut item = item_from_geometry(
            ItemKey::Basemap(format!("built_up.{i}")),
            "basemap",
            s,
            s.paint.clone(),
            &Geometry::Polygon(area.shape.clone()),
        );
        item.min_zoom = area.min_zoom;
        items.push(item);
    }
}

/// Water names (lakes, rivers, seas): the `kind: water` variant of the basemap's place names.
fn water_label_paint(style: &Style) -> LabelPaint {
    style
        .layer("basemap.places")
        .and_then(|s| s.paint_where("kind", "water").label)
        .unwrap_or(LabelPaint {
            size_px: 12.0,
            color: crate::model::style::Rgba(40, 100, 170, 255),
            priority: 7,
        })
}
