//! How the app says that a feature is our sketch (`status: indicative`), not the official plan:
//! the words, in one place, so that the map, the legend, the slide, the inspector and the
//! checks say it alike.

use super::feature::{PlanFeature, Status};
use super::lang::{LabelLanguage, UiLanguage};

/// The notice on every slide and export while an indicative feature is in view (Chinese).
pub const NOTICE_ZH: &str = "示意：线位为 OneMap 草绘，非规划官方图";
/// The notice's English half.
pub const NOTICE_EN: &str = "Indicative: sketched by OneMap, not the official plan map";

/// The notice on one line, for the editor's map.
pub fn notice_one_line() -> String {
    format!("{NOTICE_ZH} · {NOTICE_EN}")
}

/// What the inspector and the placement form say of an indicative feature, in the interface
/// language.
pub fn indicative_status(lang: UiLanguage) -> &'static str {
    lang.pick(
        "示意（非官方图）：OneMap 草绘，不是规划官方图",
        "Indicative: our sketch, not the official plan map",
    )
}

/// What they say of a sourced one.
pub fn sourced_status(lang: UiLanguage) -> &'static str {
    lang.pick(
        "依据规划：出自所引来源",
        "Sourced: stated in the cited source",
    )
}

/// The View option that hides every sketch, in the UI's language.
pub fn hide_option_text(language: LabelLanguage) -> String {
    words(
        language,
        "只显示依据规划的要素（隐藏示意）",
        "Sourced features only (hide indicative)",
    )
}

/// The same option as a toolbar toggle.
pub fn hide_toggle_text(language: LabelLanguage) -> String {
    words(language, "隐藏示意", "Hide indicative")
}

/// Whether a feature is our sketch.
pub fn is_indicative(f: &PlanFeature) -> bool {
    f.status() == Some(Status::Indicative)
}

/// Chinese, English or both (Chinese first), as the UI words go.
fn words(language: LabelLanguage, zh: &str, en: &str) -> String {
    match language {
        LabelLanguage::Chinese => zh.to_owned(),
        LabelLanguage::English => en.to_owned(),
        LabelLanguage::Both => format!("{zh} {en}"),
    }
}

/// A map label, with the mark "（示意）" / "(indicative)" on each name when the feature is
/// indicative. A missing name stays missing, so that the language fallback still works.
pub fn map_label(language: LabelLanguage, zh: &str, en: &str, indicative: bool) -> String {
    if !indicative {
        return language.label(zh, en);
    }
    let mark = |name: &str, m: &str| {
        if name.is_empty() {
            String::new()
        } else {
            format!("{name}{m}")
        }
    };
    language.label(&mark(zh, "（示意）"), &mark(en, " (indicative)"))
}

/// Which kinds a set of features holds. Features without a status (sketch layers, plain
/// GeoJSON) count as neither.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Kinds {
    pub sourced: bool,
    pub indicative: bool,
}

impl Kinds {
    pub fn of<'a>(features: impl IntoIterator<Item = &'a PlanFeature>) -> Self {
        let mut kinds = Self::default();
        for f in features {
            match f.status() {
                Some(Status::Sourced) => kinds.sourced = true,
                Some(Status::Indicative) => kinds.indicative = true,
                None => {}
            }
        }
        kinds
    }

    /// The legend rows of an entry called `name`: the text, and whether its swatch is drawn
    /// as a sketch. Both kinds: two rows, "依据规划 sourced" and "示意 indicative"; only
    /// sketches: one row that says "示意"; otherwise the name alone.
    pub fn legend_rows(self, name: &str, language: LabelLanguage) -> Vec<(String, bool)> {
        let sourced = || format!("{name} · {}", words(language, "依据规划", "sourced"));
        let sketched = || format!("{name} · {}", words(language, "示意", "indicative"));
        match (self.sourced, self.indicative) {
            (true, true) => vec![(sourced(), false), (sketched(), true)],
            (false, true) => vec![(sketched(), true)],
            _ => vec![(name.to_owned(), false)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(status: &str) -> PlanFeature {
        let mut properties = std::collections::BTreeMap::new();
        properties.insert("status".to_owned(), status.into());
        PlanFeature {
            id: super::super::FeatureId("f".into()),
            layer: "l".into(),
            geometry: geo::Geometry::Point(geo::Point::new(0.0, 0.0)),
            properties,
        }
    }

    #[test]
    fn a_layer_with_both_kinds_gets_two_rows_and_a_sketched_one_says_so() {
        let both = [feature("sourced"), feature("indicative")];
        let kinds = Kinds::of(&both);
        assert_eq!(
            kinds.legend_rows("五级城市体系", LabelLanguage::Chinese),
            vec![
                ("五级城市体系 · 依据规划".to_owned(), false),
                ("五级城市体系 · 示意".to_owned(), true)
            ]
        );
        assert_eq!(
            Kinds::of(&both[1..]).legend_rows("Corridors", LabelLanguage::English),
            vec![("Corridors · indicative".to_owned(), true)]
        );
        assert_eq!(
            Kinds::of(&both[1..]).legend_rows("走廊 Corridors", LabelLanguage::Both),
            vec![("走廊 Corridors · 示意 indicative".to_owned(), true)]
        );
        assert_eq!(
            Kinds::of(&both[..1]).legend_rows("九市", LabelLanguage::Chinese),
            vec![("九市".to_owned(), false)]
        );
        assert_eq!(
            Kinds::of(&[feature("")]).legend_rows("GeoJSON", LabelLanguage::Chinese),
            vec![("GeoJSON".to_owned(), false)],
            "no status: no claim either way"
        );
        assert!(is_indicative(&both[1]) && !is_indicative(&both[0]));
    }

    #[test]
    fn labels_carry_the_mark_in_every_language_and_keep_the_fallback() {
        let l = |lang, zh, en, ind| map_label(lang, zh, en, ind);
        assert_eq!(
            l(LabelLanguage::Chinese, "沪宁走廊", "x", true),
            "沪宁走廊（示意）"
        );
        assert_eq!(
            l(LabelLanguage::English, "沪宁走廊", "Huning", true),
            "Huning (indicative)"
        );
        assert_eq!(
            l(LabelLanguage::Both, "沪宁走廊", "Huning", true),
            "沪宁走廊（示意）\nHuning (indicative)"
        );
        assert_eq!(
            l(LabelLanguage::English, "沪宁走廊", "", true),
            "沪宁走廊（示意）"
        );
        assert_eq!(l(LabelLanguage::Chinese, "苏州", "Suzhou", false), "苏州");
    }
}
