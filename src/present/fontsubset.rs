//! The bundled font cut down to the characters a document uses, for an SVG's @font-face: the
//! whole font is 2.4 MB, a map's few hundred characters a few tens of kilobytes.
//!
//! `skera` (googlefonts' Rust port of HarfBuzz's subsetter) makes a font any browser or editor
//! still accepts: it keeps `cmap`, `OS/2` and the layout tables of the kept glyphs. (krilla's
//! `subsetter` makes PDF-only fonts without them.)

use read_fonts::collections::IntSet;
use read_fonts::types::{NameId, Tag};

/// The bundled font with only the glyphs of `chars` (and what they need: .notdef, their
/// composite parts and layout alternates).
pub fn subset_font(chars: impl IntoIterator<Item = char>) -> Result<Vec<u8>, String> {
    let font = read_fonts::FontRef::new(crate::doc::NOTO_SANS_SC)
        .map_err(|e| format!("the bundled font cannot be read: {e}"))?;
    let unicodes: IntSet<u32> = chars.into_iter().map(u32::from).collect();
    // HarfBuzz's defaults (hb-subset-input.cc): name ids 0 to 6 in English, every script,
    // the default layout features; tables a web font has no use for are dropped.
    let mut name_ids = IntSet::<NameId>::empty();
    name_ids.insert_range(NameId::from(0)..=NameId::from(6));
    let mut name_languages = IntSet::<u16>::empty();
    name_languages.insert(0x0409);
    let mut scripts = IntSet::<Tag>::empty();
    scripts.invert();
    let features: IntSet<Tag> = skera::DEFAULT_LAYOUT_FEATURES.iter().copied().collect();
    let drop: IntSet<Tag> = [
        skera::MORX,
        skera::MORT,
        skera::KERX,
        skera::KERN,
        skera::JSTF,
        skera::DSIG,
        skera::LTSH,
        skera::PCLT,
    ]
    .into_iter()
    .collect();
    let plan = skera::Plan::new(
        &IntSet::empty(),
        &unicodes,
        &font,
        skera::SubsetFlags::default(),
        &drop,
        &scripts,
        &features,
        &name_ids,
        &name_languages,
    );
    skera::subset_font(&font, &plan).map_err(|e| format!("the font could not be subset: {e}"))
}

#[cfg(test)]
mod tests {
    use read_fonts::TableProvider as _;

    #[test]
    fn a_subset_keeps_the_characters_asked_for_and_is_much_smaller() {
        let sub = super::subset_font("上海大都市圈 Map 0123".chars()).unwrap();
        assert!(
            sub.len() * 20 < crate::doc::NOTO_SANS_SC.len(),
            "{} bytes",
            sub.len()
        );
        let font = read_fonts::FontRef::new(&sub).unwrap();
        let cmap = font.cmap().unwrap();
        for c in "上海大都市圈Map0123".chars() {
            assert!(cmap.map_codepoint(c).is_some(), "{c} is in the subset");
        }
        assert!(cmap.map_codepoint('京').is_none(), "京 was not asked for");
        assert!(font.os2().is_ok(), "OS/2 is kept (browsers need it)");
    }
}
