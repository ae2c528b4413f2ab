//! A change between two versions in the interface language, as the compare panel and the
//! review report show it. `onemap diff` keeps its own English words ([`Change::line`]).

use super::diff::{AttributeChange, Change, ChangeKind, Subject};
use super::lang::UiLanguage;

impl ChangeKind {
    /// The kind of change in the interface language.
    pub fn title(self, lang: UiLanguage) -> &'static str {
        match lang {
            UiLanguage::English => self.as_str(),
            UiLanguage::Chinese => match self {
                Self::Added => "新增",
                Self::Removed => "删除",
                Self::GeometryChanged => "几何修改",
                Self::AttributesChanged => "属性修改",
                Self::GeometryAndAttributesChanged => "几何与属性修改",
                Self::Changed => "修改",
            },
        }
    }
}

/// Chinese for the names of the fields and settings that a diff compares (English: as named).
const FIELDS_ZH: &[(&str, &str)] = &[
    ("name_zh", "中文名称"),
    ("name_en", "英文名称"),
    ("action", "行动"),
    ("section", "板块"),
    ("lead_city", "牵头城市"),
    ("participants", "参与城市"),
    ("status", "状态"),
    ("horizon", "期限"),
    ("description", "说明"),
    ("source", "来源"),
    ("indicative", "示意"),
    ("comments", "评论数"),
    ("view", "显示"),
    ("draw order", "绘制顺序"),
    ("style", "样式"),
    ("order", "顺序"),
    ("scene order", "场景顺序"),
    ("title", "标题"),
    ("author", "作者"),
    ("edition", "规划版本"),
    ("map view", "地图视图"),
    ("tiers", "城市层级"),
    ("label language", "地图标注语言"),
    ("hide indicative", "隐藏示意"),
    ("legend", "图例"),
    ("notes", "地图注记"),
    ("sketch", "草绘"),
];

/// Chinese for phrases of values, replaced before single words.
const PHRASES_ZH: &[(&str, &str)] = &[
    ("baseline (reverted)", "基准（已还原）"),
    ("under construction", "在建"),
    ("top left", "左上角"),
    ("top right", "右上角"),
    ("bottom left", "左下角"),
    ("bottom right", "右下角"),
];

/// Chinese for the words that values are made of (the rest are the data's own).
const VALUES_ZH: &[(&str, &str)] = &[
    ("true", "是"),
    ("false", "否"),
    ("None", "无"),
    ("baseline", "基准"),
    ("reverted", "已还原"),
    ("added", "新增"),
    ("modified", "修改"),
    ("removed", "删除"),
    ("collapsed", "已收起"),
    ("LayerSettings", "图层"),
    ("visible", "显示"),
    ("opacity", "不透明度"),
    ("MapView", "视图"),
    ("center", "中心"),
    ("zoom", "缩放"),
    ("Chinese", "中文"),
    ("Both", "中文 + English"),
    ("proposed", "提议"),
    ("planned", "已规划"),
    ("completed", "已建成"),
];

fn lookup<'a>(table: &[(&str, &'a str)], word: &'a str) -> &'a str {
    table
        .iter()
        .find(|(en, _)| *en == word)
        .map_or(word, |(_, zh)| zh)
}

/// A field's or setting's name in the interface language.
pub fn field_title(field: &str, lang: UiLanguage) -> &str {
    match lang {
        UiLanguage::English => field,
        UiLanguage::Chinese => lookup(FIELDS_ZH, field),
    }
}

/// A value as a diff writes it (`Some("section.taihu")`, `[true, false]`, "top left"), with
/// its words in the interface language: ids and names stay as they are.
pub fn value_words(value: &str, lang: UiLanguage) -> String {
    if lang == UiLanguage::English {
        return value.to_owned();
    }
    let mut phrased = value.to_owned();
    for (en, zh) in PHRASES_ZH {
        phrased = phrased.replace(en, zh);
    }
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(lookup(VALUES_ZH, word));
        word.clear();
    };
    let mut chars = phrased.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            // `Some(x)` is just x.
            if word == "Some" && chars.peek() == Some(&'(') {
                word.clear();
                chars.next();
                let inner: String = chars.by_ref().collect();
                let inner = inner.strip_suffix(')').unwrap_or(&inner);
                out.push_str(&value_words(inner.trim_matches('"'), lang));
                return out;
            }
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// What a change is about, in the interface language: its kind and id.
pub fn subject_words(subject: &Subject, lang: UiLanguage) -> String {
    let (kind, id) = super::diff::subject_parts(subject);
    let kind = match lang {
        UiLanguage::English => kind,
        UiLanguage::Chinese => match subject {
            Subject::Placement(_) => "项目布局",
            Subject::Layer(_) => "图层",
            Subject::Group(_) => "图层组",
            Subject::Scene(_) => "场景",
            Subject::SketchLayer(_) => "草图图层",
            Subject::Acknowledgement(_) => "确认",
            Subject::PlanFeature(_) => "规划要素",
            Subject::Setting(_) => "设置",
        },
    };
    format!("{kind} {id}")
}

/// The name a change shows: a setting's in the interface language, a placement's in it when
/// it has one, anything else's as it is.
pub fn change_name(change: &Change, lang: UiLanguage) -> String {
    match &change.subject {
        Subject::Setting(name) => field_title(name, lang).to_owned(),
        _ if lang == UiLanguage::English && !change.name_en.is_empty() => change.name_en.clone(),
        _ => change.name.clone(),
    }
}

fn attribute_words(a: &AttributeChange, lang: UiLanguage) -> String {
    format!(
        "{}: {} → {}",
        field_title(&a.field, lang),
        value_words(&a.before, lang),
        value_words(&a.after, lang)
    )
}

/// The details of a change in the interface language: attributes before and after, the
/// geometry's deltas, the findings it brought and cleared (by id).
pub fn details(change: &Change, lang: UiLanguage) -> Vec<String> {
    let zh = lang == UiLanguage::Chinese;
    let mut out: Vec<String> = change
        .attributes
        .iter()
        .map(|a| attribute_words(a, lang))
        .collect();
    if let Some(g) = change.geometry {
        if let Some(l) = g.length_km {
            out.push(format!("{} {l:+.2} km", lang.pick("长度变化", "Δlength")));
        }
        if let Some(a) = g.area_km2 {
            out.push(format!("{} {a:+.2} km²", lang.pick("面积变化", "Δarea")));
        }
        let m = g.max_displacement_m;
        out.push(if zh {
            format!("最大位移 {m:.0} m")
        } else {
            format!("moved up to {m:.0} m")
        });
    }
    for f in &change.findings_introduced {
        out.push(format!("{} {f}", lang.pick("新增检查发现", "new finding")));
    }
    for f in &change.findings_resolved {
        out.push(format!(
            "{} {f}",
            lang.pick("已消除检查发现", "cleared finding")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_data_and_say_their_words_in_chinese() {
        let zh = UiLanguage::Chinese;
        assert_eq!(value_words("[true, true, false]", zh), "[是, 是, 否]");
        assert_eq!(value_words("Some(\"section.taihu\")", zh), "section.taihu");
        assert_eq!(value_words("None", zh), "无");
        assert_eq!(value_words("top left, collapsed", zh), "左上角, 已收起");
        assert_eq!(value_words("under construction", zh), "在建");
        assert_eq!(
            value_words("Some(LayerSettings { visible: false, opacity: 0.5 })", zh),
            "图层 { 显示: 否, 不透明度: 0.5 }"
        );
        assert_eq!(value_words("青草沙水源地保护", zh), "青草沙水源地保护");
        assert_eq!(
            value_words("Some(\"x\")", UiLanguage::English),
            "Some(\"x\")"
        );
    }
}
