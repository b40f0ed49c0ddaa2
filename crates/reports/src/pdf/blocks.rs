//! A document's blocks (crate::document) laid out for the page's width: each becomes
//! groups of pieces, a piece being lines that stay on one page and a group pieces that move
//! to a new page together when the rest of this one is too short (pdf.rs places them).
//! Laid out once, when the writer is made, so that both passes place the very same pieces.

use super::text::Fonts;
use super::{LEADING, Mark, Weight};
use crate::document::{Block, Signature};
use crate::format;
use crate::table::Cell;

const TEXT_SIZE: f32 = 9.0;
const HEADING_SIZE: f32 = 11.0;
/// Space above each block.
const BLOCK_GAP: f32 = 8.0;
/// Between a field's label and its value, a total's label and its amount, two signatures.
const COLUMN_GAP: f32 = 10.0;
/// A field's labels take at most this share of the width.
const LABEL_SHARE: f32 = 0.35;
/// The room left to sign in, above the signature line, in lines.
const SIGNING_ROOM: f32 = 1.5;

/// Lines that stay on one page: their height and their marks, `y` from the piece's top.
pub(super) struct Piece {
    pub height: f32,
    pub marks: Vec<Mark>,
}

/// Pieces kept on one page when a fresh page holds them: a party's fields, the totals, the
/// signatures, a heading with what follows it. A paragraph is a group a line, so that it
/// may run onto the next page.
pub(super) type Group = Vec<Piece>;

fn line_height(size: f32) -> f32 {
    size * LEADING
}

/// Lays `blocks` out between `left` and `left + width`.
pub(super) fn lay_out(blocks: &[Block], fonts: &Fonts, left: f32, width: f32, decimal_comma: bool) -> Vec<Group> {
    // One label column for all the fields, so that two parties' details line up.
    let widest = blocks
        .iter()
        .filter_map(|b| if let Block::Fields(fields) = b { Some(fields) } else { None })
        .flatten()
        .map(|(label, _)| fonts.regular.width(label, TEXT_SIZE))
        .fold(0.0, f32::max);
    let label_width = widest.min(width * LABEL_SHARE);
    let mut groups = Vec::new();
    let mut pending_heading: Option<Group> = None;
    for block in blocks {
        let mut block_groups = match block {
            Block::Heading(text) => vec![heading(text, fonts, left, width)],
            Block::Paragraph(text) => paragraph(text, fonts, left, width),
            Block::Fields(fields) => vec![self::fields(fields, fonts, left, width, label_width)],
            Block::Totals(totals) => vec![self::totals(totals, fonts, left, width, decimal_comma)],
            Block::Signatures(signatures) => vec![vec![self::signatures(signatures, fonts, left, width)]],
        };
        // The gap above the block goes with its first piece (an empty block takes none).
        if let Some(first) = block_groups.first_mut().and_then(|g| g.first_mut()) {
            first.height += BLOCK_GAP;
            for mark in &mut first.marks {
                let (Mark::Text { y, .. } | Mark::Rule { y, .. }) = mark;
                *y += BLOCK_GAP;
            }
        }
        // A heading is not left at the foot of a page: it goes with the next block's first
        // group.
        if let Some(heading) = pending_heading.take() {
            match block_groups.first_mut() {
                Some(first) => drop(first.splice(0..0, heading)),
                None => block_groups.push(heading),
            }
        }
        if matches!(block, Block::Heading(_)) {
            pending_heading = block_groups.pop();
        }
        groups.append(&mut block_groups);
    }
    groups.extend(pending_heading);
    groups
}

fn text(x: f32, top: f32, size: f32, weight: Weight, text: String) -> Mark {
    Mark::Text { x, y: top + size, size, weight, text }
}

fn heading(s: &str, fonts: &Fonts, left: f32, width: f32) -> Group {
    let mut piece = Piece { height: 0.0, marks: Vec::new() };
    for line in fonts.bold.wrap(s, HEADING_SIZE, width) {
        let x = left + (width - fonts.bold.width(&line, HEADING_SIZE)) / 2.0;
        piece.marks.push(text(x, piece.height, HEADING_SIZE, Weight::Bold, line));
        piece.height += line_height(HEADING_SIZE);
    }
    vec![piece]
}

fn paragraph(s: &str, fonts: &Fonts, left: f32, width: f32) -> Vec<Group> {
    fonts
        .regular
        .wrap(s, TEXT_SIZE, width)
        .into_iter()
        .map(|line| {
            let marks = vec![text(left, 0.0, TEXT_SIZE, Weight::Regular, line)];
            vec![Piece { height: line_height(TEXT_SIZE), marks }]
        })
        .collect()
}

/// Lines set one under another from `top`; returns the marks and the height.
fn column(lines: &[String], x: f32, top: f32, weight: Weight) -> (Vec<Mark>, f32) {
    let marks = lines
        .iter()
        .enumerate()
        .map(|(i, l)| text(x, top + i as f32 * line_height(TEXT_SIZE), TEXT_SIZE, weight, l.clone()))
        .collect();
    (marks, lines.len() as f32 * line_height(TEXT_SIZE))
}

/// A piece a field: the label in the left column, the value wrapped in the right.
fn fields(fields: &[(String, String)], fonts: &Fonts, left: f32, width: f32, label_width: f32) -> Group {
    let value_x = left + label_width + COLUMN_GAP;
    let value_width = width - label_width - COLUMN_GAP;
    fields
        .iter()
        .map(|(label, value)| {
            let (mut marks, label_height) =
                column(&fonts.regular.wrap(label, TEXT_SIZE, label_width), left, 0.0, Weight::Regular);
            let (value_marks, value_height) =
                column(&fonts.regular.wrap(value, TEXT_SIZE, value_width), value_x, 0.0, Weight::Regular);
            marks.extend(value_marks);
            Piece { height: label_height.max(value_height), marks }
        })
        .collect()
}

fn cell_text(cell: &Cell, decimal_comma: bool) -> String {
    match cell {
        Cell::Text(s) => s.clone(),
        Cell::Money(tiyn) => format::money(*tiyn, decimal_comma),
        Cell::DateTime(t) => format::date_time(t),
    }
}

/// One group: a piece a total, the amounts bold and flush right, the labels flush right
/// against them.
fn totals(totals: &[(String, Cell)], fonts: &Fonts, left: f32, width: f32, decimal_comma: bool) -> Group {
    let amounts: Vec<String> = totals.iter().map(|(_, c)| cell_text(c, decimal_comma)).collect();
    let amount_width = amounts.iter().map(|a| fonts.bold.width(a, TEXT_SIZE)).fold(0.0, f32::max).min(width / 2.0);
    let right = left + width;
    let label_right = right - amount_width - COLUMN_GAP;
    let label_width = label_right - left;
    totals
        .iter()
        .zip(amounts)
        .map(|((label, _), amount)| {
            let mut marks = Vec::new();
            let mut height: f32 = 0.0;
            for (i, line) in fonts.regular.wrap(label, TEXT_SIZE, label_width).into_iter().enumerate() {
                let x = label_right - fonts.regular.width(&line, TEXT_SIZE);
                marks.push(text(x, i as f32 * line_height(TEXT_SIZE), TEXT_SIZE, Weight::Regular, line));
                height = height.max((i + 1) as f32 * line_height(TEXT_SIZE));
            }
            for (i, line) in fonts.bold.wrap(&amount, TEXT_SIZE, width / 2.0).into_iter().enumerate() {
                let x = right - fonts.bold.width(&line, TEXT_SIZE);
                marks.push(text(x, i as f32 * line_height(TEXT_SIZE), TEXT_SIZE, Weight::Bold, line));
                height = height.max((i + 1) as f32 * line_height(TEXT_SIZE));
            }
            Piece { height, marks }
        })
        .collect()
}

/// One piece: the signatures in columns of equal width.
fn signatures(signatures: &[Signature], fonts: &Fonts, left: f32, width: f32) -> Piece {
    let n = signatures.len().max(1) as f32;
    let column_width = (width - (n - 1.0) * COLUMN_GAP) / n;
    let mut piece = Piece { height: 0.0, marks: Vec::new() };
    for (i, s) in signatures.iter().enumerate() {
        let x = left + i as f32 * (column_width + COLUMN_GAP);
        let (marks, mut y) = column(&fonts.bold.wrap(&s.title, TEXT_SIZE, column_width), x, 0.0, Weight::Bold);
        piece.marks.extend(marks);
        let wrapped = |lines: &mut dyn Iterator<Item = &String>| -> Vec<String> {
            lines.flat_map(|l| fonts.regular.wrap(l, TEXT_SIZE, column_width)).collect()
        };
        let (marks, height) = column(&wrapped(&mut s.lines.iter()), x, y, Weight::Regular);
        piece.marks.extend(marks);
        y += height + SIGNING_ROOM * line_height(TEXT_SIZE);
        let (marks, height) =
            column(&wrapped(&mut std::iter::once(&s.signature_line()).chain(&s.seal)), x, y, Weight::Regular);
        piece.marks.extend(marks);
        piece.height = piece.height.max(y + height);
    }
    piece
}
