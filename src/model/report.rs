//! The review report: what changed between two versions, with deltas and findings, and the
//! reviewers' comments, as Markdown.

use std::fmt::Write as _;

use super::diff::{Change, ChangeKind};
use super::review::{Anchor, CommentStatus, Review};

/// The report's Markdown. `map_png` is the change map's file name, beside the report.
pub fn markdown(
    old_name: &str,
    new_name: &str,
    changes: &[Change],
    review: Option<&Review>,
    map_png: Option<&str>,
    date: &str,
) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Review report: {old_name} → {new_name}\n");
    let _ = writeln!(md, "Written by OneMap on {date}.\n");
    let _ = writeln!(md, "## Summary\n");
    let count = |k: ChangeKind| changes.iter().filter(|c| c.kind == k).count();
    let _ = writeln!(
        md,
        "| added | removed | geometry changed | attributes changed | both | other |"
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
        let _ = writeln!(
            md,
            "![Change map: green added, red removed, amber changed (old in red)]({png})\n"
        );
    }
    let _ = writeln!(md, "## Changes\n");
    if changes.is_empty() {
        let _ = writeln!(md, "The two versions are the same.\n");
    } else {
        let _ = writeln!(
            md,
            "| # | change | what | name | details | Δlength km | Δarea km² | moved up to m | findings |"
        );
        let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|");
        for (i, c) in changes.iter().enumerate() {
            let details: Vec<String> = c
                .attributes
                .iter()
                .map(|a| format!("{}: {} → {}", a.field, a.before, a.after))
                .collect();
            let g = c.geometry;
            let num = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:+.2}"));
            let mut findings: Vec<String> = c
                .findings_introduced
                .iter()
                .map(|f| format!("new: {f}"))
                .collect();
            findings.extend(c.findings_resolved.iter().map(|f| format!("cleared: {f}")));
            let _ = writeln!(
                md,
                "| {} | {} | {:?} | {} | {} | {} | {} | {} | {} |",
                i + 1,
                c.kind.as_str(),
                c.subject,
                cell(&c.name),
                cell(&details.join("; ")),
                num(g.and_then(|g| g.length_km)),
                num(g.and_then(|g| g.area_km2)),
                g.map_or(String::new(), |g| format!("{:.0}", g.max_displacement_m)),
                cell(&findings.join("; "))
            );
        }
        md.push('\n');
    }
    let _ = writeln!(md, "## Comments\n");
    match review.filter(|r| !r.comments.is_empty()) {
        None => {
            let _ = writeln!(md, "No comments.");
        }
        Some(r) => {
            for c in &r.comments {
                let on = match &c.anchor {
                    Anchor::Placement(id) => format!("placement `{}`", id.0),
                    Anchor::Location(x, y) => format!("{x:.4}°E {y:.4}°N"),
                };
                let status = match c.status {
                    CommentStatus::Open => "open",
                    CommentStatus::Resolved => "resolved",
                };
                let _ = writeln!(
                    md,
                    "- **{}** ({status}) on {on}, {} at {}: {}",
                    c.id, c.author, c.time, c.text
                );
                for reply in &c.replies {
                    let _ = writeln!(md, "  - {} at {}: {}", reply.author, reply.time, reply.text);
                }
            }
        }
    }
    md
}

/// Text for a table cell: no pipes or line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
