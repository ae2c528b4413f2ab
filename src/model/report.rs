//! The review report: what changed between two versions, with deltas and findings, and the
//! reviewers' comments, as Markdown.

use std::fmt::Write as _;

use super::diff::{Change, ChangeKind};
use super::diff_words::{change_name, details, subject_words};
use super::lang::UiLanguage;
use super::review::{Anchor, CommentStatus, Review};

/// The report's Markdown, in the interface language. `map_png` is the change map's file name,
/// beside the report.
pub fn markdown(
    old_name: &str,
    new_name: &str,
    changes: &[Change],
    review: Option<&Review>,
    map_png: Option<&str>,
    date: &str,
    lang: UiLanguage,
) -> String {
    let zh = lang == UiLanguage::Chinese;
    let mut md = String::new();
    let title = lang.pick("审阅报告", "Review report");
    let _ = writeln!(md, "# {title}: {old_name} → {new_name}\n");
    if zh {
        let _ = writeln!(md, "由 OneMap 于 {date} 写出。\n");
    } else {
        let _ = writeln!(md, "Written by OneMap on {date}.\n");
    }
    let _ = writeln!(md, "## {}\n", lang.pick("概要", "Summary"));
    let count = |k: ChangeKind| changes.iter().filter(|c| c.kind == k).count();
    let _ = writeln!(
        md,
        "{}",
        lang.pick(
            "| 新增 | 删除 | 几何修改 | 属性修改 | 几何与属性 | 其他 |",
            "| added | removed | geometry changed | attributes changed | both | other |"
        )
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|");
    let _ = writeln!(
        md,
        "| {} | {} | {} | {} | {} | {} |\n",
        count(ChangeKind::Added),
        count(ChangeKind::Removed),
        count(ChangeKind::GeometryChanged),
        count(ChangeKind::AttributesChanged),
        count(ChangeKind::GeometryAndAttributesChanged),
        count(ChangeKind::Changed)
    );
    if let Some(png) = map_png {
        let alt = lang.pick(
            "变化图：绿色为新增，红色为删除，琥珀色为修改（旧的为红色）",
            "Change map: green added, red removed, amber changed (old in red)",
        );
        let _ = writeln!(md, "![{alt}]({png})\n");
    }
    let _ = writeln!(md, "## {}\n", lang.pick("变化", "Changes"));
    if changes.is_empty() {
        let same = lang.pick("两个版本相同。", "The two versions are the same.");
        let _ = writeln!(md, "{same}\n");
    } else {
        let _ = writeln!(
            md,
            "{}",
            lang.pick(
                "| # | 变化 | 对象 | 名称 | 详情 | 长度变化 km | 面积变化 km² | 最大位移 m | 检查发现 |",
                "| # | change | what | name | details | Δlength km | Δarea km² | moved up to m | findings |"
            )
        );
        let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|");
        for (i, c) in changes.iter().enumerate() {
            // The deltas have columns of their own: the details are the attributes.
            let attributes = Change {
                geometry: None,
                findings_introduced: Vec::new(),
                findings_resolved: Vec::new(),
                ..c.clone()
            };
            let details = details(&attributes, lang);
            let g = c.geometry;
            let num = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:+.2}"));
            let (new, cleared) = (lang.pick("新增", "new"), lang.pick("已消除", "cleared"));
            let mut findings: Vec<String> = c
                .findings_introduced
                .iter()
                .map(|f| format!("{new}: {f}"))
                .collect();
            findings.extend(
                c.findings_resolved
                    .iter()
                    .map(|f| format!("{cleared}: {f}")),
            );
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                i + 1,
                c.kind.title(lang),
                match lang {
                    UiLanguage::Chinese => cell(&subject_words(&c.subject, lang)),
                    UiLanguage::English => format!("{:?}", c.subject),
                },
                cell(&change_name(c, lang)),
                cell(&details.join("; ")),
                num(g.and_then(|g| g.length_km)),
                num(g.and_then(|g| g.area_km2)),
                g.map_or(String::new(), |g| format!("{:.0}", g.max_displacement_m)),
                cell(&findings.join("; "))
            );
        }
        md.push('\n');
    }
    comments(&mut md, review, lang);
    md
}

fn comments(md: &mut String, review: Option<&Review>, lang: UiLanguage) {
    let _ = writeln!(md, "## {}\n", lang.pick("评论", "Comments"));
    let Some(r) = review.filter(|r| !r.comments.is_empty()) else {
        let _ = writeln!(md, "{}", lang.pick("没有评论。", "No comments."));
        return;
    };
    for c in &r.comments {
        let status = match c.status {
            CommentStatus::Open => lang.pick("未处理", "open"),
            CommentStatus::Resolved => lang.pick("已解决", "resolved"),
        };
        let _ = match (lang, &c.anchor) {
            (UiLanguage::Chinese, anchor) => {
                let on = match anchor {
                    Anchor::Placement(id) => format!("项目布局 `{}`", id.0),
                    Anchor::Location(x, y) => format!("{x:.4}°E {y:.4}°N"),
                };
                writeln!(
                    md,
                    "- **{}**（{status}）关于{on}，{} 于 {}：{}",
                    c.id, c.author, c.time, c.text
                )
            }
            (UiLanguage::English, anchor) => {
                let on = match anchor {
                    Anchor::Placement(id) => format!("placement `{}`", id.0),
                    Anchor::Location(x, y) => format!("{x:.4}°E {y:.4}°N"),
                };
                writeln!(
                    md,
                    "- **{}** ({status}) on {on}, {} at {}: {}",
                    c.id, c.author, c.time, c.text
                )
            }
        };
        for reply in &c.replies {
            let _ = match lang {
                UiLanguage::Chinese => {
                    writeln!(md, "  - {} 于 {}：{}", reply.author, reply.time, reply.text)
                }
                UiLanguage::English => {
                    writeln!(md, "  - {} at {}: {}", reply.author, reply.time, reply.text)
                }
            };
        }
    }
}

/// Text for a table cell: no pipes or line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
