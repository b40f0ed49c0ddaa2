//! A document's blocks (crate::document) as rows of the sheet: a heading centred across the
//! table's columns, a paragraph's lines in column A, a field's label in A and its value in
//! B, a total's label beside its amount (a number, under the rows' amounts), signatures
//! side by side as lines of text. A blank row between blocks.

use super::{Formats, XlsxError, write_cell};
use crate::document::Block;
use rust_xlsxwriter::{Format, FormatAlign, Worksheet};

/// How many rows `blocks` take, the blank ones between them included.
pub(super) fn rows(blocks: &[Block]) -> u32 {
    let own: usize = blocks
        .iter()
        .map(|b| match b {
            Block::Heading(_) => 1,
            Block::Paragraph(text) => text.split('\n').count(),
            Block::Fields(fields) => fields.len(),
            Block::Totals(totals) => totals.len(),
            Block::Signatures(signatures) => signatures.iter().map(|s| s.text_lines().len()).max().unwrap_or(0),
        })
        .sum();
    (own + blocks.len().saturating_sub(1)) as u32
}

/// Writes `blocks` from `row` down in a table of `columns` columns; a total's amount goes
/// in `money_column` (the rows' amounts), or the last column. Returns the next free row.
pub(super) fn write(
    sheet: &mut Worksheet,
    blocks: &[Block],
    mut row: u32,
    columns: usize,
    money_column: Option<u16>,
    formats: &Formats,
) -> Result<u32, XlsxError> {
    let last_column = columns.saturating_sub(1) as u16;
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            row += 1;
        }
        match block {
            Block::Heading(text) => {
                let centred = Format::new().set_bold().set_align(FormatAlign::CenterAcross);
                sheet.write_string_with_format(row, 0, text, &centred)?;
                for c in 1..=last_column {
                    sheet.write_blank(row, c, &centred)?;
                }
                row += 1;
            }
            Block::Paragraph(text) => {
                for line in text.split('\n') {
                    sheet.write_string(row, 0, line)?;
                    row += 1;
                }
            }
            Block::Fields(fields) => {
                for (label, value) in fields {
                    sheet.write_string(row, 0, label)?;
                    sheet.write_string(row, 1, value)?;
                    row += 1;
                }
            }
            Block::Totals(totals) => {
                // The label just left of the amount; a table of one column moves the amount
                // to the second, so that the label has a cell.
                let amount_column = money_column.unwrap_or(last_column).max(1);
                let label = Format::new().set_bold().set_align(FormatAlign::Right);
                for (text, amount) in totals {
                    sheet.write_string_with_format(row, amount_column - 1, text, &label)?;
                    write_cell(sheet, row, amount_column, amount, &formats.total, formats)?;
                    row += 1;
                }
            }
            Block::Signatures(signatures) => {
                // Side by side, spread over the table's width.
                let step = (columns / signatures.len().max(1)).max(1) as u16;
                let columns: Vec<Vec<String>> = signatures.iter().map(|s| s.text_lines()).collect();
                let height = columns.iter().map(Vec::len).max().unwrap_or(0);
                for line in 0..height {
                    for (k, lines) in columns.iter().enumerate() {
                        let Some(text) = lines.get(line) else { continue };
                        let c = k as u16 * step;
                        // The title (the first line) bold, as in the PDF.
                        if line == 0 {
                            sheet.write_string_with_format(row, c, text, &formats.bold)?;
                        } else {
                            sheet.write_string(row, c, text)?;
                        }
                    }
                    row += 1;
                }
            }
        }
    }
    Ok(row)
}
