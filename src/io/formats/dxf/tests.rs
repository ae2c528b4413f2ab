use super::*;

fn scan_of(version: Option<&str>, code_page: Option<&str>, text: &str, binary: bool) -> Prescan {
    Prescan {
        binary,
        version: version.map(str::to_owned),
        code_page: code_page.map(str::to_owned),
        non_ascii_text: text.as_bytes().to_vec(),
        ..Prescan::default()
    }
}

fn gbk_scan(code_page: Option<&str>) -> Prescan {
    let (gbk, _, _) = encoding_rs::GBK.encode("苏州\n");
    Prescan {
        code_page: code_page.map(str::to_owned),
        non_ascii_text: gbk.into_owned(),
        ..Prescan::default()
    }
}

#[test]
fn the_encoding_comes_from_the_version_the_code_page_or_the_bytes() {
    let pick = |scan: &Prescan| {
        let e = choose_encoding(scan, None);
        (display_name(e.encoding), e.source)
    };
    use EncodingSource::{Declared, Guessed};
    // R2007 and later: UTF-8 by definition.
    let r2018 = scan_of(Some("AC1032"), Some("ANSI_936"), "", false);
    assert_eq!(pick(&r2018), ("UTF-8", Declared));
    // Declared GBK, whatever the bytes.
    assert_eq!(
        pick(&scan_of(Some("AC1009"), Some("ANSI_936"), "", false)),
        ("GBK", Declared)
    );
    // ANSI_1252 (what GDAL and many converters write) is checked against the bytes.
    assert_eq!(
        pick(&scan_of(Some("AC1018"), Some("ANSI_1252"), "道路\n", false)),
        ("UTF-8", Guessed)
    );
    assert_eq!(pick(&gbk_scan(Some("ANSI_1252"))), ("GBK", Guessed));
    assert_eq!(pick(&gbk_scan(None)), ("GBK", Guessed));
    assert_eq!(
        pick(&scan_of(None, Some("ANSI_1252"), "", false)),
        ("windows-1252", Declared)
    );
    // Latin-1 text that is neither UTF-8 nor GBK stays in the declared code page.
    let latin = Prescan {
        code_page: Some("ANSI_1252".into()),
        non_ascii_text: b"Caf\xe9\n".to_vec(),
        ..Prescan::default()
    };
    assert_eq!(pick(&latin), ("windows-1252", Declared));
    // The user's choice wins, except where the crate decodes UTF-8 regardless.
    let chosen = choose_encoding(&gbk_scan(Some("ANSI_936")), Some(encoding_rs::BIG5));
    assert_eq!(
        (chosen.encoding, chosen.source),
        (encoding_rs::BIG5, EncodingSource::Chosen)
    );
    let chosen = choose_encoding(&r2018, Some(encoding_rs::GBK));
    assert_eq!(chosen.source, Declared);
}

#[test]
fn plainly_wrong_files_are_refused_with_a_reason() {
    let path = Path::new("drawing.dxf");
    let message = |bytes: &[u8]| match check_is_dxf(path, bytes) {
        Ok(()) => String::new(),
        Err(e) => e.to_string(),
    };
    assert!(message(b"  \n").contains("is empty"));
    assert!(message(b"AC1027\0\0\0\x01").contains("DWG"));
    assert!(message(b"name,x,y\n").contains("is not a DXF"));
    assert_eq!(message(b"\xEF\xBB\xBF  0\r\nSECTION\r\n"), "");
    assert_eq!(message(b"999\nmade by hand\n  0\nSECTION\n"), "");
    assert_eq!(message(BINARY_SENTINEL), "");
}
