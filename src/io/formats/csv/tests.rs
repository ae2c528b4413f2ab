use super::*;

#[test]
fn the_delimiter_is_the_one_that_splits_rows_alike() {
    assert_eq!(delimiter("a,b,c\n1,2,3\n"), b',');
    assert_eq!(delimiter("名称;经度;纬度\n苏州;120,58;31,30\n"), b';');
    assert_eq!(delimiter("a\tb\n1\t2\n"), b'\t');
    assert_eq!(delimiter("a|b\n1|2\n"), b'|');
    // Commas inside quotes do not count.
    assert_eq!(delimiter("\"a,b\";c\n\"1,5\";2\n"), b';');
    assert_eq!(delimiter("one column\nvalue\n"), b',');
}

#[test]
fn header_names_are_unique_and_never_empty() {
    let names = header_names(["名称", "", " x ", "名称", "名称"].into_iter());
    assert_eq!(names, vec!["名称", "field_2", "x", "名称_2", "名称_3"]);
}

#[test]
fn the_encoding_is_the_boms_the_choice_or_the_guess() {
    let path = Path::new("t.csv");
    let (gbk, _, _) = encoding_rs::GBK.encode("名称,x\n苏州,1\n");
    let (text, enc) = decode(path, &gbk, None).unwrap();
    assert_eq!(
        (text.as_str(), display_name(enc.encoding), enc.source),
        ("名称,x\n苏州,1\n", "GBK", EncodingSource::Guessed)
    );
    let bom = [b"\xEF\xBB\xBF".as_slice(), "名称\n".as_bytes()].concat();
    let (text, enc) = decode(path, &bom, Some(encoding_rs::GBK)).unwrap();
    assert_eq!(
        (text.as_str(), enc.source),
        ("名称\n", EncodingSource::Declared)
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("名\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let (text, enc) = decode(path, &utf16, None).unwrap();
    assert_eq!(
        (text.as_str(), enc.encoding),
        ("名\n", encoding_rs::UTF_16LE)
    );
    let (text, enc) = decode(path, "名称".as_bytes(), Some(encoding_rs::UTF_8)).unwrap();
    assert_eq!(
        (text.as_str(), enc.source),
        ("名称", EncodingSource::Chosen)
    );
    let broken = decode(path, b"a,b\n\xff\xfe\xff,1\n", Some(encoding_rs::UTF_8)).unwrap_err();
    assert!(
        broken.to_string().contains("not valid UTF-8 text (line 2)"),
        "{broken}"
    );
    let neither = decode(path, b"a,b\n\x81\xff,1\n", None).unwrap_err();
    assert!(
        neither.to_string().contains("neither UTF-8 nor GBK"),
        "{neither}"
    );
}
