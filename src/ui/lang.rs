//! The interface language, kept in the egui context like its style: the app sets it once a
//! frame from the user's preference, and every panel reads it where it writes a word, without
//! passing it down through every function.

use egui::{Context, Id};

use crate::model::UiLanguage;

fn key() -> Id {
    Id::unique("onemap-ui-language")
}

/// Makes `language` the interface language from this frame on.
pub fn set_ui_language(ctx: &Context, language: UiLanguage) {
    ctx.data_mut(|d| d.insert_temp(key(), language));
}

/// The interface language (Chinese until the app says otherwise).
pub fn ui_language(ctx: &Context) -> UiLanguage {
    ctx.data(|d| d.get_temp(key())).unwrap_or_default()
}

/// The text in the interface language.
pub fn tr<'a>(ctx: &Context, zh: &'a str, en: &'a str) -> &'a str {
    ui_language(ctx).pick(zh, en)
}

/// A name of the data in `lang`, or in the other language when it has none in this one.
pub fn name<'a>(lang: UiLanguage, zh: &'a str, en: &'a str) -> &'a str {
    match lang.pick(zh, en) {
        "" => lang.pick(en, zh),
        chosen => chosen,
    }
}
