//! The PDF read back by poppler (`pdftotext -layout`, `pdffonts`): what a reader copies
//! or searches must be what was written.

use cabinet_reports::{Cell, LocalDateTime, PdfTableWriter, TableHead};
use std::process::Command;

const TITLE: &str = "Детализация / Шот-фактура — Қазақстан ӘҒҚҢӨҰҮҺІ ₸";

fn head() -> TableHead {
    TableHead {
        sheet: "Детализация".into(),
        title: TITLE.into(),
        as_of: "Данные на 22.11.2026 12:00".into(),
        header: vec!["Строка".into(), "Описание".into(), "Сумма".into(), "Дата и время".into()],
        widths: vec![10.0, 50.0, 16.0, 20.0],
    }
}

fn id(i: usize) -> String {
    format!("Ж{i:04}")
}

/// Every seventh description is long enough to wrap onto several lines and ends in a word
/// of its own, to show that wrapping loses nothing.
fn description(i: usize) -> String {
    if i.is_multiple_of(7) {
        format!(
            "Исходящий звонок на номер 7701054{i:04} в роуминге, Қазақстан: Әлеуметтік Ғимарат Қала Ңң Өскемен Ұлытау Үшарал Һһ Іле, тариф «Бизнес Безлимит» конец{i}"
        )
    } else {
        format!("Пополнение баланса Қазақстан ӘҒҚҢӨҰҮҺІ әғқңөұүһі {i}")
    }
}

fn at(i: usize) -> LocalDateTime {
    LocalDateTime { year: 2026, month: 11, day: (i % 28 + 1) as u8, hour: 9, minute: 5, second: (i % 60) as u8 }
}

fn money(i: usize) -> i64 {
    match i {
        1 => 123_450,
        2 => -5,
        3 => 100_000_000,
        _ => i as i64 * 1_001,
    }
}

/// Writes `rows` rows to a temporary file and returns it with its text as poppler reads it.
fn write(rows: usize, decimal_comma: bool, long: Option<&str>) -> (tempfile::NamedTempFile, String) {
    let mut w = PdfTableWriter::new(head(), decimal_comma).unwrap();
    for i in 0..rows {
        w.row(&[Cell::Text(id(i)), Cell::Text(description(i)), Cell::Money(money(i)), Cell::DateTime(at(i))]).unwrap();
    }
    if let Some(long) = long {
        w.row(&[Cell::Text("длинная".into()), Cell::Text(long.into())]).unwrap();
    }
    let file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    w.finish(std::fs::File::create(file.path()).unwrap()).unwrap();
    let out = Command::new("pdftotext").arg("-layout").arg(file.path()).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    (file, String::from_utf8(out.stdout).unwrap())
}

/// pdftotext ends every page with a form feed.
fn pages(text: &str) -> Vec<&str> {
    let pages: Vec<&str> = text.split('\x0c').collect();
    assert_eq!(pages.last(), Some(&""), "the text ends with a form feed");
    pages[..pages.len() - 1].to_vec()
}

/// Whitespace-insensitive: `-layout` pads with spaces and may render a no-break space as
/// a space, but no digit group or sign may go missing or move.
fn squeeze(s: &str) -> String {
    s.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[test]
fn a_300_row_table_reads_back_page_by_page() {
    let (_file, text) = write(300, true, None);
    let pages = pages(&text);
    let n = pages.len();
    assert!(n >= 3, "300 rows take several pages, not {n}");

    let first = squeeze(pages[0]);
    assert!(first.contains(TITLE), "the title on page 1:\n{}", pages[0]);
    assert!(first.contains("Данные на 22.11.2026 12:00"));
    for (p, page) in pages.iter().enumerate() {
        let page = squeeze(page);
        assert!(page.contains("Строка Описание Сумма Дата и время"), "the header on page {}:\n{page}", p + 1);
        assert!(page.ends_with(&format!("{} / {n}", p + 1)), "the footer of page {}:\n{page}", p + 1);
        if p > 0 {
            assert!(!page.contains(TITLE), "the title only on page 1");
        }
    }
    assert_eq!(squeeze(&text).matches("Строка Описание Сумма").count(), n, "one header a page");

    let all = squeeze(&text);
    for i in 0..300 {
        assert_eq!(all.matches(&id(i)).count(), 1, "row {i} once");
        // A long description's last word, after its wrapped lines.
        if i.is_multiple_of(7) {
            assert!(all.contains(&format!("конец{i} ")), "row {i} wrapped in full");
        }
    }
    for letter in "ӘҒҚҢӨҰҮҺІәғқңөұүһі".chars() {
        assert!(text.contains(letter), "{letter}");
    }
    // Rows are in order across pages.
    let positions: Vec<usize> = (0..300).map(|i| all.find(&id(i)).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]));

    assert!(all.contains("1 234,50 ₸"), "ru money");
    assert!(all.contains("-0,05 ₸"));
    assert!(all.contains("1 000 000,00 ₸"));
    assert!(all.contains("2 992,99 ₸"), "row 299: 299 × 1 001 tiyn");
    assert!(!all.contains("1,234.50"));
    assert!(all.contains("22.11.2026 09:05:21"), "row 21: day 22, second 21");
    assert!(text.contains("₸"));
}

#[test]
fn english_amounts_use_a_decimal_point() {
    let (_file, text) = write(5, false, None);
    let all = squeeze(&text);
    assert!(all.contains("1,234.50 ₸"), "{all}");
    assert!(all.contains("-0.05 ₸"));
    assert!(all.contains("1,000,000.00 ₸"));
    assert!(!all.contains("1 234,50"));
    assert_eq!(pages(&text).len(), 1);
    assert!(all.ends_with("1 / 1"));
}

#[test]
fn amounts_line_up_on_the_right() {
    let (_file, text) = write(5, false, None);
    // `-layout` places text by position: right-aligned amounts end in the same column.
    let ends: Vec<usize> = text
        .lines()
        .filter(|l| l.contains('₸') && !l.contains("Қазақстан ӘҒҚҢӨҰҮҺІ ₸ ") && l.contains("Ж"))
        .map(|l| l.chars().position(|c| c == '₸').unwrap())
        .collect();
    assert_eq!(ends.len(), 5, "{text}");
    assert!(ends.iter().all(|e| e.abs_diff(ends[0]) <= 1), "{ends:?}\n{text}");
    // So does the amounts' header, give or take the character grid -layout maps bold and
    // regular text to (left-aligned, it would end some fifteen columns earlier).
    let header = text.lines().find(|l| l.contains("Сумма")).unwrap();
    let end = header.chars().collect::<String>().find("Сумма").map(|b| header[..b].chars().count() + 4).unwrap();
    assert!(end.abs_diff(ends[0]) <= 3, "header ends at {end}, amounts at {}\n{text}", ends[0]);
}

#[test]
fn a_wide_table_turns_the_page() {
    let page_size = |widths: Vec<f64>| {
        let mut head = head();
        head.header.extend(["Ещё".to_string(), "И ещё".to_string()]);
        head.widths = widths;
        let file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
        PdfTableWriter::new(head, true).unwrap().finish(std::fs::File::create(file.path()).unwrap()).unwrap();
        let info = Command::new("pdfinfo").arg(file.path()).output().expect("pdfinfo runs");
        let info = String::from_utf8(info.stdout).unwrap();
        info.lines().find(|l| l.starts_with("Page size:")).unwrap().to_string()
    };
    assert!(page_size(vec![10.0, 30.0, 16.0, 20.0, 10.0, 10.0]).contains("595.276 x 841.89"), "portrait");
    assert!(page_size(vec![10.0, 60.0, 16.0, 20.0, 30.0, 30.0]).contains("841.89 x 595.276"), "landscape");
}

#[test]
fn a_row_longer_than_a_page_continues_on_the_next() {
    let words: Vec<String> = (0..1500).map(|i| format!("слово{i}")).collect();
    let (_file, text) = write(3, true, Some(&words.join(" ")));
    let pages = pages(&text);
    assert!(pages.len() >= 2, "{}", pages.len());
    let all = squeeze(&text);
    for w in &words {
        assert!(all.contains(&format!("{w} ")), "{w} lost");
    }
    for (p, page) in pages.iter().enumerate() {
        assert!(squeeze(page).contains("Строка Описание Сумма"), "the header on page {}", p + 1);
    }
}

#[test]
fn the_fonts_are_embedded() {
    let (file, _) = write(3, true, None);
    let out = Command::new("pdffonts").arg(file.path()).output().expect("pdffonts runs");
    assert!(out.status.success());
    let list = String::from_utf8(out.stdout).unwrap();
    for face in ["NotoSans-Regular", "NotoSans-Bold"] {
        let line = list.lines().find(|l| l.contains(face)).unwrap_or_else(|| panic!("{face} in\n{list}"));
        // name type… encoding emb sub uni object ID: "emb" is fifth from the end.
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            cols[cols.len() - 5..cols.len() - 2],
            ["yes", "yes", "yes"],
            "embedded, subset, unicode map: {line}"
        );
    }
}

#[test]
fn a_row_wider_than_the_table_is_refused() {
    let mut w = PdfTableWriter::new(head(), true).unwrap();
    let cell = || Cell::Text("x".into());
    assert!(w.row(&[cell(), cell(), cell(), cell(), cell()]).is_err());
    assert!(w.row(&[cell()]).is_ok(), "missing cells are blank");
}

#[test]
fn a_writer_can_move_to_a_blocking_thread() {
    // The portal builds documents off its async workers.
    fn send<T: Send>(_: &T) {}
    send(&PdfTableWriter::new(head(), true).unwrap());
}

/// The file as a reader's tools take it: qpdf finds its structure and streams sound,
/// pdfinfo counts the pages the footers number and shows the title, and pdftotext in
/// reading order (what copy-paste gives) has the Cyrillic, Kazakh letters, Latin, digits
/// and ₸ back.
#[test]
fn the_file_is_sound_and_its_text_copies_out() {
    let (file, text) = write(200, true, Some("Roaming Kazakhstan: «Бизнес» 7701054 — 12 345,67 ₸"));
    let n = pages(&text).len();
    assert!(n >= 2, "{n}");

    let check = Command::new("qpdf").arg("--check").arg(file.path()).output().expect("qpdf runs");
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "qpdf --check:\n{report}{}", String::from_utf8_lossy(&check.stderr));
    assert!(report.contains("No syntax or stream encoding errors found"), "{report}");

    let info = Command::new("pdfinfo").arg(file.path()).output().expect("pdfinfo runs");
    assert!(info.status.success());
    let info = String::from_utf8(info.stdout).unwrap();
    let field = |name: &str| {
        info.lines().find_map(|l| l.strip_prefix(name)).map(str::trim).unwrap_or_else(|| panic!("{name} in\n{info}"))
    };
    assert_eq!(field("Pages:"), n.to_string());
    assert_eq!(field("Title:"), TITLE);
    assert!(squeeze(&text).ends_with(&format!("{n} / {n}")));

    let raw = Command::new("pdftotext").arg(file.path()).arg("-").output().expect("pdftotext runs");
    assert!(raw.status.success());
    let raw = squeeze(&String::from_utf8(raw.stdout).unwrap());
    for expected in [
        TITLE,
        "Строка Описание Сумма Дата и время",
        "Пополнение баланса Қазақстан ӘҒҚҢӨҰҮҺІ әғқңөұүһі 1",
        "Roaming Kazakhstan: «Бизнес» 7701054 — 12 345,67 ₸",
        "Ж0199",
        "1 234,50 ₸",
    ] {
        assert!(raw.contains(expected), "{expected:?} in\n{raw}");
    }
}
