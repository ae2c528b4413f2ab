//! PDF export (issue 19), read back with poppler-utils as a reader of the file would: the text
//! is real (pdftotext finds it), the font is one embedded subset (pdffonts), the pages and the
//! paper are right (pdfinfo), page 1 looks like the PNG of the same scene (pdftoppm), and the
//! print layout's scale bar is true on paper. Bad --paper, --scale or scene: exit 2, no file.
//! Needs poppler-utils, which `.ci/run` installs. In CI its absence is a failure.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{onemap, root};

use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    common::scratch_dir("pdf", name)
}

fn default_project() -> String {
    root()
        .join("assets/projects/sma-2022.onemap")
        .display()
        .to_string()
}

/// Whether poppler-utils is installed; outside CI a missing poppler skips the test.
fn poppler() -> bool {
    common::oracle_installed("pdfinfo", "-v", "poppler-utils")
}

/// Runs a poppler tool; its standard output.
fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn export(args: &[&str]) {
    let project = default_project();
    let mut all = vec!["export", project.as_str()];
    all.extend_from_slice(args);
    let (code, out, err) = onemap(&all);
    assert_eq!(code, 0, "{out}{err}");
}

/// `Page size: 1190.55 x 841.89 pts (A3)` → (1190.55, 841.89); and the page count.
fn page_size_and_count(pdf: &Path) -> ((f64, f64), usize) {
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    let value = |key: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(key))
            .unwrap()
            .trim()
            .to_owned()
    };
    let size = value("Page size:");
    let mut numbers = size
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok());
    let w = numbers.next().unwrap();
    let h = numbers.next().unwrap();
    ((w, h), value("Pages:").parse().unwrap())
}

/// The font lines of `pdffonts` (after its two header lines).
fn fonts(pdf: &Path) -> Vec<String> {
    run("pdffonts", &[pdf.to_str().unwrap()])
        .lines()
        .skip(2)
        .map(str::to_owned)
        .collect()
}

fn assert_one_embedded_subset_font(pdf: &Path) {
    let fonts = fonts(pdf);
    assert_eq!(fonts.len(), 1, "one font: {fonts:#?}");
    let cols: Vec<&str> = fonts[0].split_whitespace().collect();
    // name type encoding emb sub uni object ID: `ABCDEF+NotoSansSC-Regular CID TrueType Identity-H yes yes yes 7 0`
    assert!(
        cols[0].contains('+'),
        "a subset is named XXXXXX+name: {cols:?}"
    );
    let n = cols.len();
    assert_eq!(
        &cols[n - 5..n - 2],
        &["yes", "yes", "yes"],
        "embedded, subset, with a ToUnicode map: {cols:?}"
    );
}

/// A3 landscape in PDF points.
const A3: (f64, f64) = (420.0 / 25.4 * 72.0, 297.0 / 25.4 * 72.0);

#[test]
fn a_pdf_of_a_scene_has_real_text_in_chinese_and_english_and_one_subset_font() {
    if !poppler() {
        return;
    }
    let dir = scratch("scene");
    let pdf = dir.join("corridors.pdf");
    export(&[
        "--out",
        pdf.to_str().unwrap(),
        "--scene",
        "corridors",
        "--paper",
        "a3",
    ]);
    let ((w, h), pages) = page_size_and_count(&pdf);
    assert_eq!(pages, 1);
    assert!(
        (w - A3.0).abs() < 0.5 && (h - A3.1).abs() < 0.5,
        "A3 landscape: {w} × {h} pt"
    );
    let text = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    for wanted in [
        "上海大都市圈一张图（2022）",
        "七条区域发展廊道",
        "图例",
        "区域发展走廊",
        "审图号",
        "GSHHG",
        "Basemap",
        "sketched by OneMap",
    ] {
        assert!(text.contains(wanted), "pdftotext finds {wanted}:\n{text}");
    }
    assert_one_embedded_subset_font(&pdf);
    // Vector: a page of paths and glyphs, no page-sized picture. 2.4 MB is the whole font.
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size < 1_500_000, "{size} bytes");
}

#[test]
fn the_map_book_has_a_cover_and_a_page_per_scene_in_presentation_order() {
    if !poppler() {
        return;
    }
    let dir = scratch("book");
    let pdf = dir.join("book.pdf");
    export(&[
        "--out",
        pdf.to_str().unwrap(),
        "--all-scenes",
        "--paper",
        "a4",
    ]);
    let project = onemap::io::load_project(Path::new(&default_project())).unwrap();
    let scenes = project.scenes.len();
    let ((w, h), pages) = page_size_and_count(&pdf);
    assert_eq!(pages, scenes + 1, "a cover and {scenes} scenes");
    assert!(
        (w - 841.89).abs() < 0.5 && (h - 595.28).abs() < 0.5,
        "A4 landscape: {w} × {h} pt"
    );
    let cover = run(
        "pdftotext",
        &["-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"],
    );
    assert!(cover.contains(&project.meta.title_zh), "{cover}");
    assert!(cover.contains(&project.meta.author), "{cover}");
    assert!(
        cover.contains("上海大都市圈空间协同规划"),
        "the plan edition: {cover}"
    );
    // The scenes, listed in order; the notice that the map shows our sketches.
    let mut from = 0;
    for s in &project.scenes {
        let at = cover[from..]
            .find(&s.title_zh)
            .unwrap_or_else(|| panic!("{} listed after the one before:\n{cover}", s.title_zh));
        from += at;
    }
    assert!(cover.contains("示意"), "the indicative notice: {cover}");
    // Page n + 1 is scene n.
    for (i, s) in project.scenes.iter().enumerate() {
        let page = (i + 2).to_string();
        let text = run(
            "pdftotext",
            &["-f", &page, "-l", &page, pdf.to_str().unwrap(), "-"],
        );
        assert!(
            text.contains(&s.title_zh),
            "page {page} is {}:\n{text}",
            s.title_zh
        );
    }
    assert_one_embedded_subset_font(&pdf);
}

/// Pixels whose channels differ by more than `tolerance`.
fn differing(a: &[u8], b: &[u8], tolerance: u8) -> usize {
    a.chunks_exact(4)
        .zip(b.chunks_exact(4))
        .filter(|(p, q)| {
            p.iter()
                .zip(q.iter())
                .any(|(x, y)| x.abs_diff(*y) > tolerance)
        })
        .count()
}

fn read_png_rgba(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    (info.width, info.height, rgba)
}

#[test]
fn page_one_rendered_by_pdftoppm_matches_the_png_of_the_same_scene() {
    if !poppler() {
        return;
    }
    let dir = scratch("compare");
    let (pdf, png) = (dir.join("cities.pdf"), dir.join("cities.png"));
    // The same size as the screen-and-export comparison (tests/ui.rs): 1400 × 900 px, one
    // pixel a point, which pdftoppm gives at 96 dpi.
    for out in [&pdf, &png] {
        export(&[
            "--out",
            out.to_str().unwrap(),
            "--scene",
            "cities",
            "--width",
            "1400",
            "--height",
            "900",
        ]);
    }
    let prefix = dir.join("page");
    run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "96",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let (w, h, page) = read_png_rgba(&dir.join("page.png"));
    let (pw, ph, exported) = read_png_rgba(&png);
    assert_eq!((w, h), (pw, ph), "the same pixel size");
    let pixels = (w * h) as usize;
    let (loose, strict) = (
        differing(&page, &exported, 64),
        differing(&page, &exported, 8),
    );
    eprintln!(
        "pdftoppm page 1 vs the PNG: {loose} of {pixels} pixels differ by > 64 ({:.3} %), {strict} by > 8 ({:.3} %)",
        loose as f64 / pixels as f64 * 100.0,
        strict as f64 / pixels as f64 * 100.0
    );
    // NOT the screen-and-export comparison's bounds (no pixel off by more than 64, at most
    // 0.001 % by more than 8): there both sides are egui's own triangles, here poppler draws
    // the glyphs with FreeType and strokes with its own anti-aliasing, so the edges of text and
    // of thin lines differ (measured: 2.5 % of pixels by > 64, 7.1 % by > 8). What this bounds
    // is that the page shows the same map in the same place: a shift of a pixel or a missing
    // layer would exceed it.
    assert!(
        loose as f64 <= pixels as f64 * 3.0 / 100.0,
        "{loose} pixels ({:.3} %) differ by more than 64 of 255",
        loose as f64 / pixels as f64 * 100.0
    );
    assert!(
        strict as f64 <= pixels as f64 * 8.0 / 100.0,
        "{strict} pixels ({:.3} %) differ by more than 8 of 255",
        strict as f64 / pixels as f64 * 100.0
    );
}

/// Words of `pdftotext -bbox`: (text, x_min, y_min, x_max, y_max) in PDF points.
fn words(pdf: &Path) -> Vec<(String, f64, f64, f64, f64)> {
    let html = run("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    html.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix("<word ")?;
            let (attrs, tail) = rest.split_once('>')?;
            let text = tail.strip_suffix("</word>")?.to_owned();
            let attr = |name: &str| -> f64 {
                let from = attrs.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                let to = from + attrs[from..].find('"').unwrap();
                attrs[from..to].parse().unwrap()
            };
            Some((text, attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax")))
        })
        .collect()
}

#[test]
fn at_a_fixed_scale_the_scale_bar_measures_true_on_the_paper() {
    if !poppler() {
        return;
    }
    let dir = scratch("scale");
    let pdf = dir.join("taihu.pdf");
    export(&[
        "--out",
        pdf.to_str().unwrap(),
        "--scene",
        "zone-taihu",
        "--paper",
        "a3",
        "--scale",
        "1:250000",
    ]);
    let ((w, h), _) = page_size_and_count(&pdf);
    assert!((w - A3.0).abs() < 0.5 && (h - A3.1).abs() < 0.5);
    let words = words(&pdf);
    assert!(
        words.iter().any(|w| w.0 == "1:250"),
        "the title block states the scale (1:250 000)"
    );
    // The bar's unit, and the numbers on its line: 0, the middle and the end, each centred on
    // its tick.
    let unit = words
        .iter()
        .rfind(|w| w.0 == "km")
        .expect("the scale bar's unit");
    let centre_y = (unit.2 + unit.4) / 2.0;
    let mut ticks: Vec<(f64, f64)> = words
        .iter()
        .filter(|w| w.3 < unit.1 && (w.2 + w.4) / 2.0 > centre_y - 12.0 && w.4 < centre_y + 2.0)
        .filter_map(|w| w.0.parse::<f64>().ok().map(|v| (v, (w.1 + w.3) / 2.0)))
        .collect();
    ticks.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (first, last) = (ticks.first().unwrap(), ticks.last().unwrap());
    assert_eq!(first.0, 0.0, "the bar starts at 0: {ticks:?}");
    let measured_mm = (last.1 - first.1) / 72.0 * 25.4;
    let expected_mm = last.0 * 1_000_000.0 / 250_000.0;
    let error = (measured_mm - expected_mm).abs() / expected_mm;
    eprintln!(
        "the {} km bar measures {measured_mm:.2} mm on A3; 1:250 000 wants {expected_mm:.2} mm ({:.3} % off)",
        last.0,
        error * 100.0
    );
    assert!(error < 0.005, "{:.3} % off", error * 100.0);
}

#[test]
fn an_a3_svg_of_the_default_project_embeds_a_font_subset_well_under_a_megabyte() {
    let dir = scratch("svg");
    let svg = dir.join("a3.svg");
    export(&["--out", svg.to_str().unwrap(), "--paper", "a3"]);
    let size = std::fs::metadata(&svg).unwrap().len();
    eprintln!("A3 SVG of the default project: {size} bytes");
    assert!(size < 1_000_000, "{size} bytes");
    let text = std::fs::read_to_string(&svg).unwrap();
    let from = text.find("base64,").unwrap() + "base64,".len();
    let to = from + text[from..].find(')').unwrap();
    use base64::Engine as _;
    let font = base64::engine::general_purpose::STANDARD
        .decode(&text[from..to])
        .unwrap();
    let face = ttf_parser::Face::parse(&font, 0).expect("the embedded font parses");
    let whole = ttf_parser::Face::parse(onemap::doc::NOTO_SANS_SC, 0).unwrap();
    assert!(
        face.number_of_glyphs() * 10 < whole.number_of_glyphs(),
        "{} of {} glyphs",
        face.number_of_glyphs(),
        whole.number_of_glyphs()
    );
    for c in "上海大都市圈图例".chars() {
        assert!(face.glyph_index(c).is_some(), "{c} is in the subset");
    }
}

#[test]
fn a_bad_paper_scale_or_scene_is_exit_2_with_a_clear_error_and_no_file() {
    let dir = scratch("bad");
    let out = dir.join("map.pdf");
    let project = default_project();
    let o = out.to_str().unwrap();
    let cases: [(&[&str], &str); 6] = [
        (&["--paper", "a5"], "a5"),
        (&["--paper", "a3", "--scale", "1:abc"], "1:abc"),
        (&["--paper", "a3", "--scale", "1:10"], "1:10"),
        (&["--scale", "1:250000"], "--paper"),
        (&["--scene", "no-such-scene"], "no-such-scene"),
        (&["--scene", "cities", "--all-scenes"], "--all-scenes"),
    ];
    for (args, named) in cases {
        let mut all = vec!["export", &project[..], "--out", o];
        all.extend_from_slice(args);
        let (code, stdout, err) = onemap(&all);
        assert_eq!(code, 2, "{args:?}: {stdout}{err}");
        assert!(
            err.contains(named),
            "{args:?}: the error names {named}: {err}"
        );
        assert!(!out.exists(), "{args:?}: nothing is written");
    }
    let png = dir.join("book.png");
    let (code, _, err) = onemap(&[
        "export",
        &project,
        "--out",
        png.to_str().unwrap(),
        "--all-scenes",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains(".pdf"), "{err}");
    assert!(!png.exists());
}
