//! The export benchmark: N usage-like rows (the columns of the usage details report, made as
//! `cabinet-web`'s `pages/usage.rs` makes them: a date cell, five texts and a money cell)
//! written to temporary files through `TableWriter` (XLSX), the bare rust_xlsxwriter
//! constant-memory writer on the same cells (the baseline XLSX is judged against),
//! `CsvWriter` and `PdfTableWriter`. Each format runs in a child process of this binary, so
//! that the peak resident memory it reports (`VmHWM`) is that format's alone.
//!
//!   cargo run --release -p cabinet-reports --example export_bench [ROWS…] [--only FORMAT…]
//!
//! `--only pdf-document xlsx-document` measures the same rows as documents: a frame of
//! blocks (a heading, two parties' details, totals, signatures) around the table.
//!
//! ROWS default to 100000 1000000. Goals (issue 10): XLSX at ≥ 0.7× the baseline's rows/s,
//! CSV ≥ 1,000,000 rows/s, peak RSS ≤ 64 MiB for each format, and flat: the peak at the
//! largest count at most 8 MiB above the peak at the smallest.
//!
//! A program rather than a `cargo bench` target: it is run for its printed figures, not
//! under a harness, and re-executes itself per format; `clippy --all-targets` keeps it
//! building.

use cabinet_reports::{
    Block, Cell, CsvWriter, Frame, LocalDateTime, PdfTableWriter, Signature, TableHead, TableWriter,
};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

// The portal's allocator (crates/cabinet/src/main.rs), so that the peaks are the portal's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FORMATS: [&str; 4] = ["xlsx-bare", "xlsx", "csv", "pdf"];
const PEAK_GOAL_MIB: f64 = 64.0;
const FLAT_SLACK_MIB: f64 = 8.0;

fn head() -> TableHead {
    let columns = [
        ("Дата и время", 20.0),
        ("Тип", 34.0),
        ("Другая сторона", 16.0),
        ("Количество", 18.0),
        ("Из пакета", 18.0),
        ("Сумма", 14.0),
    ];
    TableHead {
        sheet: "Детализация".into(),
        title: "Детализация номера 77010542001 за 01.11.2026 – 30.11.2026".into(),
        as_of: "Данные на 02.12.2026 12:00".into(),
        header: columns.iter().map(|(h, _)| h.to_string()).collect(),
        widths: columns.iter().map(|(_, w)| *w).collect(),
    }
}

/// An act's blocks around the table, as a statement of a month's usage would have them.
fn frame() -> Frame {
    let party = |name: &str, bin: &str| {
        Block::Fields(vec![
            ("Сторона:".into(), name.into()),
            ("БИН:".into(), bin.into()),
            ("Адрес:".into(), "г. Алматы, пр. Абая, 150".into()),
            ("ИИК:".into(), "KZ12 3456 7890 1234 5678 в АО «Народный Банк Казахстана»".into()),
        ])
    };
    let signature = |title: &str, name: &str| Signature {
        title: title.into(),
        lines: vec!["Директор".into()],
        name: name.into(),
        seal: Some("М.П.".into()),
    };
    Frame {
        before: vec![
            Block::Heading("АКТ ВЫПОЛНЕННЫХ РАБОТ (ОКАЗАННЫХ УСЛУГ)".into()),
            party("ТОО «Оператор Связи»", "010140000123"),
            party("ТОО «Алматы Логистик»", "150540009876"),
        ],
        after: vec![
            Block::Totals(vec![
                ("Итого".into(), Cell::Money(123_456_789)),
                ("в т.ч. НДС 12%".into(), Cell::Money(13_227_513)),
            ]),
            Block::Signatures(vec![
                signature("Исполнитель:", "Иванов И. И."),
                signature("Заказчик:", "Сәрсенбаева Ғ. Қ."),
            ]),
        ],
    }
}

/// Row `i` of a month of one number's usage: calls, messages and data sessions, with the
/// texts `pages/usage.rs` shows for them in Russian. Made as it is written, as the store's
/// rows would come, so that the figures are the writer's and not a table held in memory.
fn row(i: u64) -> Vec<Cell> {
    // A few bits of a mixed `i`, for variety that is the same on every run.
    let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20;
    let second = i * 2_592_000 / 1_000_000;
    let at = LocalDateTime {
        year: 2026,
        month: 11,
        day: (second / 86_400 % 30 + 1) as u8,
        hour: (second / 3600 % 24) as u8,
        minute: (second / 60 % 60) as u8,
        second: (second % 60) as u8,
    };
    let other = format!("+7701{:07}", h % 10_000_000);
    let (kind, other, quantity, from_allowance, charge) = match h % 10 {
        0..=4 => {
            let s = (h >> 8) % 900 + 5;
            let q = format!("{}:{:02}", s / 60, s % 60);
            let (free, charge) =
                if h.is_multiple_of(3) { ("0:00".to_string(), (s as i64 + 59) / 60 * 1_500) } else { (q.clone(), 0) };
            ("Исходящий звонок", other, q, free, charge)
        }
        5..=6 => ("Входящий звонок", other, format!("{}:{:02}", (h >> 8) % 20, (h >> 12) % 60), "0:00".into(), 0),
        7 => (
            "Исходящее SMS",
            other,
            "1".into(),
            if h.is_multiple_of(4) { "0" } else { "1" }.into(),
            if h.is_multiple_of(4) { 1_000 } else { 0 },
        ),
        _ => {
            let kb = (h >> 8) % 500_000;
            let mb = format!("{},{:02} МБ", kb / 1024, kb * 100 / 1024 % 100);
            ("Мобильный интернет", "Интернет-сессия".into(), mb.clone(), mb, 0)
        }
    };
    vec![
        Cell::DateTime(at),
        Cell::Text(kind.into()),
        Cell::Text(other),
        Cell::Text(quantity),
        Cell::Text(from_allowance),
        Cell::Money(charge),
    ]
}

/// The baseline: rust_xlsxwriter's constant-memory worksheet written directly, with the
/// formats `TableWriter` uses, without its sheet roll-over (the counts here fit one sheet).
fn bare_xlsx(rows: u64, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let head = head();
    let mut book = Workbook::new();
    let money = Format::new().set_num_format("#,##0.00");
    let date_time = Format::new().set_num_format("dd.mm.yyyy hh:mm:ss");
    let bold = Format::new().set_bold();
    let header = Format::new().set_bold().set_border_bottom(FormatBorder::Thin);
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name(&head.sheet)?;
    for (c, w) in head.widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.write_string_with_format(0, 0, &head.title, &bold)?;
    sheet.write_string(1, 0, &head.as_of)?;
    for (c, h) in head.header.iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, h, &header)?;
    }
    for i in 0..rows {
        let r = 4 + i as u32;
        for (c, cell) in row(i).iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => sheet.write_string(r, c, s)?,
                Cell::Money(tiyn) => sheet.write_number_with_format(r, c, *tiyn as f64 / 100.0, &money)?,
                Cell::DateTime(t) => {
                    let at = ExcelDateTime::from_ymd(t.year, t.month, t.day)?.and_hms(
                        u16::from(t.hour),
                        t.minute,
                        t.second,
                    )?;
                    sheet.write_datetime_with_format(r, c, &at, &date_time)?
                }
            };
        }
    }
    book.save_to_writer(BufWriter::new(File::create(path)?))?;
    Ok(())
}

/// Writes `rows` rows in `format` to `path`.
fn write(format: &str, rows: u64, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    match format {
        "xlsx-bare" => bare_xlsx(rows, path)?,
        "xlsx" | "xlsx-document" => {
            let frame = if format == "xlsx" { Frame::default() } else { frame() };
            let mut w = TableWriter::document(head(), frame)?;
            for i in 0..rows {
                w.row(&row(i))?;
            }
            w.finish(BufWriter::new(File::create(path)?))?;
        }
        "csv" => {
            let mut w = CsvWriter::new(&head(), File::create(path)?)?;
            for i in 0..rows {
                w.row(&row(i))?;
            }
            w.finish()?.sync_all()?;
        }
        "pdf" | "pdf-document" => {
            let frame = if format == "pdf" { Frame::default() } else { frame() };
            let mut w = PdfTableWriter::document(head(), frame, true)?;
            for i in 0..rows {
                w.row(&row(i))?;
            }
            w.finish(BufWriter::new(File::create(path)?))?;
        }
        // The process alone: what every format's peak includes.
        "none" => {}
        other => return Err(format!("unknown format {other}").into()),
    }
    Ok(())
}

/// This process's peak resident set so far, in KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The child: writes one format and prints `seconds peak_kib`.
fn child(format: &str, rows: u64, path: &Path) {
    let started = Instant::now();
    if let Err(e) = write(format, rows, path) {
        eprintln!("{format}: {e}");
        std::process::exit(1);
    }
    println!("{} {}", started.elapsed().as_secs_f64(), peak_kib());
}

struct Run {
    seconds: f64,
    peak_mib: f64,
    bytes: u64,
}

fn run(format: &str, rows: u64, dir: &Path) -> Run {
    let extension = if format.starts_with("xlsx") { "xlsx" } else { format.trim_end_matches("-document") };
    let path: PathBuf = dir.join(format!("{format}-{rows}.{extension}"));
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let out = Command::new(exe)
        .args(["--child", format, &rows.to_string()])
        .arg(&path)
        .output()
        .expect("the benchmark re-runs itself");
    if !out.status.success() {
        panic!("{format} at {rows} rows failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut figures = text.split_whitespace().map(|f| f.parse::<f64>().expect("a figure"));
    let (seconds, peak) = (figures.next().expect("seconds"), figures.next().expect("peak"));
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(&path);
    Run { seconds, peak_mib: peak / 1024.0, bytes }
}

fn verdict(met: bool) -> &'static str {
    if met { "goal met" } else { "GOAL MISSED" }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        let rows = args[2].parse().expect("a row count");
        return child(&args[1], rows, Path::new(&args[3]));
    }
    let only = args.iter().position(|a| a == "--only");
    let formats: Vec<&str> = match only {
        Some(p) => args[p + 1..].iter().map(String::as_str).collect(),
        None => FORMATS.to_vec(),
    };
    let mut counts: Vec<u64> = args[..only.unwrap_or(args.len())]
        .iter()
        .map(|a| a.replace(['_', ','], "").parse().expect("a row count"))
        .collect();
    if counts.is_empty() {
        counts = vec![100_000, 1_000_000];
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let idle = run("none", 0, dir.path());
    println!(
        "export benchmark: {} ({} build)",
        head().header.join(" | "),
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    println!("the process alone peaks at {:.1} MiB", idle.peak_mib);
    println!("{:<13} {:>9} {:>9} {:>11} {:>10} {:>10}", "format", "rows", "seconds", "rows/s", "file MiB", "peak MiB");

    // (format, rows) → run
    let mut runs: Vec<(&str, u64, Run)> = Vec::new();
    for &rows in &counts {
        for &format in &formats {
            let r = run(format, rows, dir.path());
            println!(
                "{format:<13} {rows:>9} {:>9.2} {:>11.0} {:>10.1} {:>10.1}",
                r.seconds,
                rows as f64 / r.seconds,
                r.bytes as f64 / 1_048_576.0,
                r.peak_mib
            );
            runs.push((format, rows, r));
        }
    }

    println!();
    let rate = |format: &str, rows: u64| {
        runs.iter().find(|(f, n, _)| *f == format && *n == rows).map(|(_, n, r)| *n as f64 / r.seconds)
    };
    for &rows in &counts {
        if let (Some(x), Some(bare)) = (rate("xlsx", rows), rate("xlsx-bare", rows)) {
            let ratio = x / bare;
            println!("{rows:>9} rows: XLSX at {ratio:.2}× the bare writer (goal ≥ 0.70×): {}", verdict(ratio >= 0.7));
        }
        if let Some(csv) = rate("csv", rows) {
            println!("{rows:>9} rows: CSV at {csv:.0} rows/s (goal ≥ 1,000,000): {}", verdict(csv >= 1_000_000.0));
        }
    }
    for &format in &formats {
        let peaks: Vec<(u64, f64)> =
            runs.iter().filter(|(f, _, _)| *f == format).map(|(_, n, r)| (*n, r.peak_mib)).collect();
        let max = peaks.iter().map(|p| p.1).fold(0.0, f64::max);
        println!("{format:<13} peak RSS {max:.1} MiB (goal ≤ {PEAK_GOAL_MIB} MiB): {}", verdict(max <= PEAK_GOAL_MIB));
        if let (Some(first), Some(last)) = (peaks.first(), peaks.last())
            && peaks.len() > 1
        {
            let growth = last.1 - first.1;
            println!(
                "{format:<13} peak RSS from {} to {} rows: {:+.1} MiB (flat: ≤ {FLAT_SLACK_MIB} MiB): {}",
                first.0,
                last.0,
                growth,
                verdict(growth <= FLAT_SLACK_MIB)
            );
        }
    }
}
