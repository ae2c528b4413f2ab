//! The bundled CJK font. The app does not rely on system fonts: labels must look the same on
//! every machine, in tests and in exports.

use std::sync::Arc;

/// Noto Sans SC, subset to GB2312 plus every character of the shipped data (assets/fonts).
pub static NOTO_SANS_SC: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Regular-subset.ttf");

/// Makes Noto Sans SC the first proportional font (so Latin and Chinese match) and a fallback
/// for monospace text.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "noto_sans_sc".to_owned(),
        Arc::new(egui::FontData::from_static(NOTO_SANS_SC)),
    );
    fonts
        .families
        .entry(egui::FontFamily::Proportional)
        .or_default()
        .insert(0, "noto_sans_sc".to_owned());
    fonts
        .families
        .entry(egui::FontFamily::Monospace)
        .or_default()
        .push("noto_sans_sc".to_owned());
    ctx.set_fonts(fonts);
}
