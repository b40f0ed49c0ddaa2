//! Documents (a table with blocks of text around it) as PDFs, read back by poppler
//! (`pdftotext`, `pdfinfo`) and checked by `qpdf --check`: what a bookkeeper would look for
//! in a reconciliation statement must be there, on the page where it belongs.

use cabinet_reports::{Block, Cell, Frame, LocalDateTime, PdfTableWriter, Signature, TableHead};
use std::path::Path;
use std::process::Command;

/// The words of one language's statement.
struct Words {
    title: &'static str,
    heading: &'static str,
    header: [&'static str; 4],
    supplier: [(&'static str, &'static str); 4],
    buyer: [(&'static str, &'static str); 4],
    totals: [&'static str; 3],
    signature_titles: [&'static str; 2],
    position: &'static str,
    seal: &'static str,
    closing: &'static str,
}

const RU: Words = Words {
    title: "Акт сверки ТОО «Алматы Логистик»",
    heading: "АКТ СВЕРКИ ВЗАИМОРАСЧЁТОВ",
    header: ["Дата", "Документ", "Дебет", "Кредит"],
    supplier: [
        ("Поставщик:", "ТОО «Оператор Связи»"),
        ("БИН:", "010140000123"),
        ("Адрес:", "г. Алматы, ул. Тимирязева, 2Г"),
        ("ИИК:", "KZ12 3456 7890 1234 5678 в АО «Народный Банк Казахстана»"),
    ],
    buyer: [
        ("Покупатель:", "ТОО «Алматы Логистик»"),
        ("БИН:", "150540009876"),
        ("Адрес:", "г. Алматы, пр. Абая, 150"),
        ("ИИК:", "KZ98 7654 3210 9876 5432 в АО «Kaspi Bank»"),
    ],
    totals: ["Обороты за период", "Итого задолженность", "в т.ч. НДС 12%"],
    signature_titles: ["От Поставщика:", "От Покупателя:"],
    position: "Главный бухгалтер",
    seal: "М.П.",
    closing: "Сальдо на 30.11.2026 в пользу ТОО «Оператор Связи».",
};

const KK: Words = Words {
    title: "Салыстыру актісі «Алматы Логистик» ЖШС",
    heading: "ӨЗАРА ЕСЕП АЙЫРЫСУЛАРДЫ САЛЫСТЫРУ АКТІСІ",
    header: ["Күні", "Құжат", "Дебет", "Кредит"],
    supplier: [
        ("Жеткізуші:", "«Байланыс Операторы» ЖШС"),
        ("БСН:", "010140000123"),
        ("Мекенжайы:", "Алматы қ., Тимирязев көшесі, 2Г"),
        ("ЖСК:", "KZ12 3456 7890 1234 5678, «Қазақстан Халық Банкі» АҚ"),
    ],
    buyer: [
        ("Сатып алушы:", "«Алматы Логистик» ЖШС"),
        ("БСН:", "150540009876"),
        ("Мекенжайы:", "Алматы қ., Абай даңғылы, 150, Өскемен Ұлытау Үшарал Һһ Іле Ғғ Әә Ңң"),
        ("ЖСК:", "KZ98 7654 3210 9876 5432, «Kaspi Bank» АҚ"),
    ],
    totals: ["Кезеңдегі айналым", "Барлық берешек", "оның ішінде ҚҚС 12%"],
    signature_titles: ["Жеткізуші атынан:", "Сатып алушы атынан:"],
    position: "Бас бухгалтер",
    seal: "М.О.",
    closing: "30.11.2026 жылғы сальдо «Байланыс Операторы» ЖШС пайдасына.",
};

const SIGNATORIES: [&str; 2] = ["Иванов И. И.", "Сәрсенбаева Ғ. Қ."];
const TOTALS: [i64; 3] = [123_456_789, 98_765_432, 10_582_010];

fn head(w: &Words) -> TableHead {
    TableHead {
        sheet: "Акт".into(),
        title: w.title.into(),
        as_of: "30.11.2026".into(),
        header: w.header.iter().map(|h| h.to_string()).collect(),
        widths: vec![20.0, 40.0, 16.0, 16.0],
    }
}

fn signatures(w: &Words) -> Block {
    Block::Signatures(
        (0..2)
            .map(|i| Signature {
                title: w.signature_titles[i].into(),
                lines: vec![w.position.into()],
                name: SIGNATORIES[i].into(),
                seal: Some(w.seal.into()),
            })
            .collect(),
    )
}

fn totals(w: &Words) -> Block {
    Block::Totals(w.totals.iter().zip(TOTALS).map(|(l, a)| (l.to_string(), Cell::Money(a))).collect())
}

fn frame(w: &Words) -> Frame {
    let fields = |f: &[(&str, &str); 4]| Block::Fields(f.iter().map(|(l, v)| (l.to_string(), v.to_string())).collect());
    Frame {
        before: vec![Block::Heading(w.heading.into()), fields(&w.supplier), fields(&w.buyer)],
        after: vec![totals(w), Block::Paragraph(w.closing.into()), signatures(w)],
    }
}

/// A row's document: a number no other text holds, so that a page's rows can be told.
fn doc(i: usize) -> String {
    format!("Счёт-фактура №СФ{i:04}")
}

fn write(head: TableHead, frame: Frame, rows: usize) -> Vec<u8> {
    let mut w = PdfTableWriter::document(head, frame, true).unwrap();
    for i in 0..rows {
        let at = LocalDateTime { year: 2026, month: 11, day: (i % 28 + 1) as u8, hour: 10, minute: 0, second: 0 };
        let (debit, credit) = if i % 2 == 0 { (i as i64 * 10_000 + 5, 0) } else { (0, i as i64 * 7_000) };
        w.row(&[Cell::DateTime(at), Cell::Text(doc(i)), Cell::Money(debit), Cell::Money(credit)]).unwrap();
    }
    let mut out = Vec::new();
    w.finish(&mut out).unwrap();
    out
}

/// Whitespace-insensitive: `-layout` pads with spaces and may render a no-break space as
/// a space.
fn squeeze(s: &str) -> String {
    s.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

fn pdftotext(path: &Path, page: Option<usize>) -> String {
    let mut command = Command::new("pdftotext");
    command.arg("-layout");
    if let Some(p) = page {
        command.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let out = command.arg(path).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn pdfinfo_pages(path: &Path) -> usize {
    let info = Command::new("pdfinfo").arg(path).output().expect("pdfinfo runs");
    assert!(info.status.success());
    let info = String::from_utf8(info.stdout).unwrap();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

fn saved(bytes: &[u8]) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    file
}

/// The text of each page, read one page at a time.
fn page_texts(path: &Path) -> Vec<String> {
    (1..=pdfinfo_pages(path)).map(|p| pdftotext(path, Some(p))).collect()
}

/// The pages (from 1) whose text holds `needle`.
fn pages_with(pages: &[String], needle: &str) -> Vec<usize> {
    pages.iter().enumerate().filter(|(_, t)| squeeze(t).contains(needle)).map(|(p, _)| p + 1).collect()
}

fn statement_reads_back(w: &Words, kazakh: bool) {
    let file = saved(&write(head(w), frame(w), 300));
    let check = Command::new("qpdf").arg("--check").arg(file.path()).output().expect("qpdf runs");
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "qpdf --check:\n{report}{}", String::from_utf8_lossy(&check.stderr));
    assert!(report.contains("No syntax or stream encoding errors found"), "{report}");

    let pages = page_texts(file.path());
    let n = pages.len();
    assert!(n >= 4, "300 rows and the blocks take several pages, not {n}");

    // The heading and both parties' details on the first page, above the table's header.
    let first = squeeze(&pages[0]);
    let header = w.header.join(" ");
    for expected in
        [w.title, w.heading].into_iter().chain(w.supplier.iter().chain(&w.buyer).flat_map(|(l, v)| [*l, *v]))
    {
        let at = first.find(expected).unwrap_or_else(|| panic!("{expected:?} on page 1:\n{}", pages[0]));
        assert!(at < first.find(&header).unwrap(), "{expected:?} above the header:\n{}", pages[0]);
    }
    // A label and its value on one line.
    assert!(first.contains(&format!("{} {}", w.supplier[1].0, w.supplier[1].1)), "{first}");
    // Both parties' values in one column: the BINs start at the same x (`-bbox` gives each
    // word's box).
    let boxes = Command::new("pdftotext").args(["-bbox", "-f", "1", "-l", "1"]).arg(file.path()).arg("-").output();
    let boxes = String::from_utf8(boxes.expect("pdftotext runs").stdout).unwrap();
    let x_min = |word: &str| -> f32 {
        let line = boxes.lines().find(|l| l.contains(&format!(">{word}</word>"))).unwrap_or_else(|| panic!("{word}"));
        let x = line.split("xMin=\"").nth(1).unwrap();
        x[..x.find('"').unwrap()].parse().unwrap()
    };
    let (supplier, buyer) = (x_min(w.supplier[1].1), x_min(w.buyer[1].1));
    assert!((supplier - buyer).abs() < 0.5, "the BINs at x {supplier} and {buyer}");

    // Every row once, in order; the header on top of each page that has rows, and only there.
    let all: String = pages.iter().map(|p| squeeze(p)).collect::<Vec<_>>().join(" ");
    let positions: Vec<usize> = (0..300)
        .map(|i| {
            assert_eq!(all.matches(&doc(i)).count(), 1, "row {i} once");
            all.find(&doc(i)).unwrap()
        })
        .collect();
    assert!(positions.windows(2).all(|p| p[0] < p[1]), "rows in order");
    for (p, page) in pages.iter().enumerate() {
        let page = squeeze(page);
        let has_rows = page.contains("№СФ");
        assert_eq!(page.contains(&header), has_rows, "the header on page {} only with rows:\n{page}", p + 1);
        assert_eq!(page.matches(&header).count(), usize::from(has_rows), "one header on page {}", p + 1);
        assert!(page.ends_with(&format!("{} / {n}", p + 1)), "the footer of page {}:\n{page}", p + 1);
        if p > 0 {
            assert!(!page.contains(w.heading), "the heading only on page 1");
        }
    }

    // The totals after the last row, on one page, each label with its amount.
    let last_row = pages_with(&pages, &doc(299));
    assert_eq!(last_row.len(), 1);
    let totals_pages: Vec<usize> = w.totals.iter().flat_map(|t| pages_with(&pages, t)).collect();
    assert_eq!(totals_pages.len(), 3, "each total once: {totals_pages:?}");
    assert!(totals_pages.iter().all(|p| *p == totals_pages[0] && *p >= last_row[0]), "{totals_pages:?}");
    let totals_text = squeeze(&pages[totals_pages[0] - 1]);
    for (label, amount) in w.totals.iter().zip(["1 234 567,89 ₸", "987 654,32 ₸", "105 820,10 ₸"]) {
        assert!(totals_text.contains(&format!("{label} {amount}")), "{label} {amount} in\n{totals_text}");
    }
    assert!(all.find(w.totals[0]).unwrap() > positions[299], "the totals after the last row");
    assert!(all.contains(w.closing), "{}", w.closing);

    // The signatures whole on the last page: side by side, so a line of text holds both.
    let last = squeeze(&pages[n - 1]);
    for expected in [
        format!("{} {}", w.signature_titles[0], w.signature_titles[1]),
        format!("{} {}", w.position, w.position),
        format!("______________ / {} / ______________ / {} /", SIGNATORIES[0], SIGNATORIES[1]),
        format!("{} {}", w.seal, w.seal),
    ] {
        assert!(last.contains(&expected), "{expected:?} on the last page:\n{}", pages[n - 1]);
    }
    // Its first line and its last on that page and no other.
    assert_eq!(pages_with(&pages, w.signature_titles[0]), [n]);
    assert_eq!(pages_with(&pages, w.seal), [n]);
    assert!(all.find(w.signature_titles[0]).unwrap() > all.find(w.totals[2]).unwrap());

    if kazakh {
        let text: String = pages.concat();
        for letter in "ӘҒҚҢӨҰҮҺІәғқңөұүһі".chars() {
            assert!(text.contains(letter), "{letter} in the text");
        }
    }
    assert!(all.contains('₸'));
}

#[test]
fn a_russian_reconciliation_statement_reads_back() {
    statement_reads_back(&RU, false);
}

#[test]
fn a_kazakh_reconciliation_statement_reads_back() {
    statement_reads_back(&KK, true);
}

/// The page count the file's page tree gives.
fn page_count(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    let at = text.find("/Count ").expect("a page tree") + "/Count ".len();
    text[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

/// The fewest rows (more than one) under which the blocks `after` no longer fit on the
/// table's last page: the document has one page more than the table alone.
fn spill_point(after: &[Block]) -> usize {
    let frame = |after: &[Block]| Frame { before: frame(&RU).before, after: after.to_vec() };
    for rows in 1..200 {
        let table = page_count(&write(head(&RU), frame(&[]), rows));
        let document = page_count(&write(head(&RU), frame(after), rows));
        assert!(document == table || document == table + 1, "{rows} rows: {table} pages, {document} with the blocks");
        if rows > 1 && document == table + 1 {
            return rows;
        }
    }
    panic!("the blocks spill over within 200 rows");
}

/// Rows are added one at a time until the blocks after them no longer fit under the last:
/// with one row fewer they share its page; with that row, they go whole onto a page of
/// their own (no header, no rows), and the page count and every footer say so.
#[test]
fn blocks_that_overflow_the_last_page_go_onto_a_new_one() {
    let w = &RU;
    let after = frame(w).after;
    let rows = spill_point(&after);
    let with_blocks = |rows| write(head(w), Frame { before: frame(w).before, after: after.clone() }, rows);

    // One row fewer: the signatures under the last row, on its page.
    let file = saved(&with_blocks(rows - 1));
    let pages = page_texts(file.path());
    let n = pages.len();
    assert_eq!(pages_with(&pages, &doc(rows - 2)), [n]);
    assert_eq!(pages_with(&pages, w.seal), [n]);

    // That row: the last page has the signatures whole, and no row; the footers count it.
    let file = saved(&with_blocks(rows));
    let pages = page_texts(file.path());
    let n = pages.len();
    assert_eq!(n, pdfinfo_pages(file.path()));
    assert_eq!(pages_with(&pages, &doc(rows - 1)), [n - 1]);
    let last = squeeze(&pages[n - 1]);
    assert!(!last.contains("№СФ") && !last.contains(&w.header.join(" ")), "only blocks on the last page:\n{last}");
    assert_eq!(pages_with(&pages, w.signature_titles[0]), [n]);
    assert_eq!(pages_with(&pages, w.seal), [n]);
    for (p, page) in pages.iter().enumerate() {
        assert!(squeeze(page).ends_with(&format!("{} / {n}", p + 1)), "the footer of page {}", p + 1);
    }
}

/// Blocks that go whole onto the new page when they no longer fit under the last row: the
/// totals, a party's details, a heading with the line after it; not their last line alone.
#[test]
fn blocks_kept_together_move_together() {
    let w = &RU;
    let bank = [
        ("Банк:", "АО «Банк ЦентрКредит»"),
        ("БИК:", "KCJBKZKX"),
        ("КБе:", "17"),
        ("Назначение:", "Оплата услуг связи"),
    ];
    let fields = Block::Fields(bank.iter().map(|(l, v)| (l.to_string(), v.to_string())).collect());
    let heading = [Block::Heading("ПОДПИСИ СТОРОН".into()), Block::Paragraph(w.closing.into())];
    let cases: [(Vec<Block>, Vec<String>); 3] = [
        (vec![totals(w)], w.totals.map(String::from).to_vec()),
        // A label and its value on one line.
        (vec![fields], bank.iter().map(|(l, v)| format!("{l} {v}")).collect()),
        (heading.to_vec(), vec!["ПОДПИСИ СТОРОН".into(), w.closing.into()]),
    ];
    for (after, lines) in cases {
        let rows = spill_point(&after);
        let file = saved(&write(head(w), Frame { before: frame(w).before, after }, rows));
        let pages = page_texts(file.path());
        let n = pages.len();
        assert_eq!(pages_with(&pages, &doc(rows - 1)), [n - 1]);
        for line in &lines {
            assert_eq!(pages_with(&pages, line), [n], "{line:?} on the last page, as {:?}", lines[0]);
        }
        assert!(squeeze(&pages[n - 1]).ends_with(&format!("{n} / {n}")));
    }
    let file =
        saved(&write(head(w), Frame { before: frame(w).before, after: vec![totals(w)] }, spill_point(&[totals(w)])));
    assert!(squeeze(&page_texts(file.path()).concat()).contains("Итого задолженность 987 654,32 ₸"));
}

/// Blocks above the table longer than the first page run onto the next, without the
/// table's header; the header comes under their last line, then the rows.
#[test]
fn blocks_above_the_table_may_fill_pages() {
    // Some 60 lines fill a page: 80 leave room on the second for the header and the rows.
    let lines: Vec<String> = (0..80).map(|i| format!("Условие договора пункт {i}.")).collect();
    let frame = Frame {
        before: vec![Block::Heading(RU.heading.into()), Block::Paragraph(lines.join("\n"))],
        after: Vec::new(),
    };
    let file = saved(&write(head(&RU), frame, 10));
    let pages = page_texts(file.path());
    let n = pages.len();
    assert!(n >= 2, "{n}");
    let header = RU.header.join(" ");
    assert_eq!(pages_with(&pages, &header), [n], "the header once, on the page the blocks end on");
    assert_eq!(pages_with(&pages, "пункт 79."), [n]);
    assert_eq!(pages_with(&pages, "пункт 0."), [1]);
    assert_eq!(pages_with(&pages, RU.title), [1]);
    let last = squeeze(&pages[n - 1]);
    assert!(last.find("пункт 79.").unwrap() < last.find(&header).unwrap());
    assert!(last.find(&header).unwrap() < last.find(&doc(0)).unwrap());
    for (p, page) in pages.iter().enumerate() {
        assert!(squeeze(page).ends_with(&format!("{} / {n}", p + 1)), "the footer of page {}", p + 1);
    }
}

/// A signature block taller than a page could never be kept on one: an error, not a
/// block drawn over the footer.
#[test]
fn a_block_taller_than_a_page_is_refused() {
    let signature = Signature {
        title: "От Поставщика:".into(),
        lines: (0..200).map(|i| format!("строка {i}")).collect(),
        name: "Иванов И. И.".into(),
        seal: None,
    };
    let frame = Frame { before: Vec::new(), after: vec![Block::Signatures(vec![signature])] };
    assert!(PdfTableWriter::document(head(&RU), frame, true).is_err());
}
