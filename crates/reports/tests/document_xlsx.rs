//! A document (a table with blocks of text around it) as an XLSX workbook, read back by
//! calamine and, for the frozen header, from the sheet's XML: the blocks are rows above and
//! below the table, and every amount, the totals' included, is a number.

use cabinet_reports::{Block, Cell, Frame, LocalDateTime, Signature, TableHead, TableWriter};
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;
use std::process::Command;

fn head() -> TableHead {
    TableHead {
        sheet: "Акт сверки".into(),
        title: "Акт сверки ТОО «Алматы Логистик»".into(),
        as_of: "30.11.2026".into(),
        header: vec!["Дата".into(), "Документ".into(), "Дебет".into(), "Кредит".into()],
        widths: vec![20.0, 40.0, 16.0, 16.0],
    }
}

fn frame() -> Frame {
    let signature = |title: &str, name: &str| Signature {
        title: title.into(),
        lines: vec!["Бас бухгалтер".into()],
        name: name.into(),
        seal: Some("М.О.".into()),
    };
    Frame {
        before: vec![
            Block::Heading("ӨЗАРА ЕСЕП АЙЫРЫСУЛАРДЫ САЛЫСТЫРУ АКТІСІ".into()),
            Block::Fields(vec![
                ("Жеткізуші:".into(), "«Байланыс Операторы» ЖШС".into()),
                ("БСН:".into(), "010140000123".into()),
            ]),
            Block::Paragraph("Кезең: 01.11.2026 – 30.11.2026\nВалюта: ₸".into()),
        ],
        after: vec![
            Block::Totals(vec![
                ("Барлығы".into(), Cell::Money(123_456_789)),
                ("оның ішінде ҚҚС 12%".into(), Cell::Money(-1_322_751)),
            ]),
            Block::Signatures(vec![
                signature("Жеткізуші атынан:", "Иванов И. И."),
                signature("Сатып алушы атынан:", "Сәрсенбаева Ғ. Қ."),
            ]),
        ],
    }
}

const ROWS: u32 = 300;

fn write() -> Vec<u8> {
    let mut w = TableWriter::document(head(), frame()).unwrap();
    for i in 0..ROWS {
        let at = LocalDateTime { year: 2026, month: 11, day: (i % 28 + 1) as u8, hour: 10, minute: 0, second: 0 };
        w.row(&[
            Cell::DateTime(at),
            Cell::Text(format!("Шот-фактура №{i:04}")),
            Cell::Money(i64::from(i) * 10_001),
            Cell::Money(-i64::from(i)),
        ])
        .unwrap();
    }
    let mut out = Vec::new();
    w.finish(&mut out).unwrap();
    out
}

#[test]
fn the_blocks_are_rows_around_the_table_and_amounts_stay_numbers() {
    let bytes = write();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(book.sheet_names(), ["Акт сверки"]);
    let range = book.worksheet_range("Акт сверки").unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let text = |s: &str| Data::String(s.into());

    // Title, as-of, a blank row, then the blocks, a blank row between them.
    assert_eq!(cell(0, 0), text("Акт сверки ТОО «Алматы Логистик»"));
    assert_eq!(cell(1, 0), text("30.11.2026"));
    assert_eq!(cell(3, 0), text("ӨЗАРА ЕСЕП АЙЫРЫСУЛАРДЫ САЛЫСТЫРУ АКТІСІ"));
    assert_eq!((cell(5, 0), cell(5, 1)), (text("Жеткізуші:"), text("«Байланыс Операторы» ЖШС")));
    assert_eq!((cell(6, 0), cell(6, 1)), (text("БСН:"), text("010140000123")));
    assert_eq!(cell(8, 0), text("Кезең: 01.11.2026 – 30.11.2026"));
    assert_eq!(cell(9, 0), text("Валюта: ₸"));
    // A blank row, then the header: row 12 as Excel counts.
    assert_eq!(cell(10, 0), Data::Empty);
    let header: Vec<Data> = (0..4).map(|c| cell(11, c)).collect();
    assert_eq!(header, ["Дата", "Документ", "Дебет", "Кредит"].map(text));

    // The rows under it, amounts as numbers of tenge with two decimals.
    assert_eq!(cell(12, 1), text("Шот-фактура №0000"));
    assert_eq!(cell(13, 2), Data::Float(100.01));
    assert_eq!(cell(13, 3), Data::Float(-0.01));
    let last = 12 + ROWS - 1;
    assert_eq!(cell(last, 1), text("Шот-фактура №0299"));
    assert_eq!(cell(last, 2), Data::Float(29_902.99));
    assert!(matches!(cell(last, 0), Data::DateTime(_)), "{:?}", cell(last, 0));

    // A blank row, the totals: the label beside the amount, under the rows' first amounts.
    assert_eq!(cell(last + 1, 1), Data::Empty);
    assert_eq!((cell(last + 2, 1), cell(last + 2, 2)), (text("Барлығы"), Data::Float(1_234_567.89)));
    assert_eq!((cell(last + 3, 1), cell(last + 3, 2)), (text("оның ішінде ҚҚС 12%"), Data::Float(-13_227.51)));

    // A blank row, the signatures side by side: columns A and C of four.
    let s = last + 5;
    assert_eq!(cell(s - 1, 0), Data::Empty);
    for (c, title, name) in [(0, "Жеткізуші атынан:", "Иванов И. И."), (2, "Сатып алушы атынан:", "Сәрсенбаева Ғ. Қ.")]
    {
        assert_eq!(cell(s, c), text(title));
        assert_eq!(cell(s + 1, c), text("Бас бухгалтер"));
        assert_eq!(cell(s + 2, c), text(&format!("______________ / {name} /")));
        assert_eq!(cell(s + 3, c), text("М.О."));
    }
    assert_eq!(range.end(), Some((s + 3, 3)), "nothing after the signatures");

    // The amounts' number format is the same in the rows and the totals: two decimals.
    let file = tempfile::Builder::new().suffix(".xlsx").tempfile().unwrap();
    std::fs::write(file.path(), &bytes).unwrap();
    let unzip = |part: &str| {
        let out = Command::new("unzip").arg("-p").arg(file.path()).arg(part).output().expect("unzip runs");
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let sheet = unzip("xl/worksheets/sheet1.xml");
    let styles = unzip("xl/styles.xml");
    let style_of = |r: u32, c: char| {
        let at = sheet.find(&format!("r=\"{c}{}\"", r + 1)).unwrap_or_else(|| panic!("{c}{}", r + 1));
        let rest = &sheet[at..sheet[at..].find('>').unwrap() + at];
        let s = rest.split("s=\"").nth(1).expect("a styled cell");
        s[..s.find('"').unwrap()].parse::<usize>().unwrap()
    };
    let cell_xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let xfs: Vec<&str> = cell_xfs.split("<xf ").skip(1).collect();
    let num_fmt = |xf: usize| {
        let id = xfs[xf].split("numFmtId=\"").nth(1).unwrap();
        id[..id.find('"').unwrap()].to_string()
    };
    let money_format = num_fmt(style_of(13, 'C'));
    assert!(styles.contains(&format!("numFmtId=\"{money_format}\" formatCode=\"#,##0.00\"")), "{styles}");
    assert_eq!(num_fmt(style_of(last + 2, 'C')), money_format, "a total's amount as the rows'");

    // The header stays in sight: the pane is frozen below it.
    assert!(
        sheet.contains(r#"<pane ySplit="12" topLeftCell="A13" activePane="bottomLeft" state="frozen"/>"#),
        "{}",
        &sheet[..sheet.find("<sheetData").unwrap()]
    );
}

/// A bare table (`new`) keeps its header on the fourth row, now frozen below it.
#[test]
fn a_bare_table_keeps_its_layout() {
    let mut w = TableWriter::new(head()).unwrap();
    w.row(&[Cell::Text("a".into()), Cell::Text("b".into()), Cell::Money(1)]).unwrap();
    let mut bytes = Vec::new();
    w.finish(&mut bytes).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("Акт сверки").unwrap();
    assert_eq!(range.get_value((3, 0)), Some(&Data::String("Дата".into())));
    assert_eq!(range.get_value((4, 2)), Some(&Data::Float(0.01)));
    assert_eq!(range.end(), Some((4, 3)));
}
