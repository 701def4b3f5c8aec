//! The ledger as an Excel workbook, the form offices pass around and print: one sheet 整改台账
//! with a title row (campaign, unit, filters, instant), the header frozen and repeated on every
//! printed page, widths that fit the Chinese columns, rows as tall as their wrapped text, real
//! dates, a filter on the header, and page numbers in the footer; A4 landscape, fit to the
//! page's width. Rows go to a temporary file as they are written (rust_xlsxwriter's
//! constant-memory mode), so a large ledger is not held in memory.

use std::io::Write;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::{yes_no, Row, HEADER};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::labels::Labelled;

/// Column widths in Excel's units (the width of a digit of the default 11 pt font), by column
/// of [`HEADER`]: wide for the texts, narrow for names, flags and counts, the dates just wide
/// enough. Their sum (191.5) decides how much the page is scaled to fit A4's width (about 70 %
/// in LibreOffice): narrower columns print larger text on more, taller rows.
pub const WIDTHS: [f64; 20] = [
    5.0, 8.0, 7.0, 17.0, 6.0, 14.0, 6.0, 17.0, 14.0, 9.0, 9.0, 7.5, 7.5, 11.0, 11.0, 5.0, 13.0, 7.5, 5.0, 11.0,
];

/// Points per line of 11 pt text, with room for the taller CJK fonts (a Chinese font's line
/// is about 1.4 of its size), and the space above and below the text in a cell.
pub const LINE_POINTS: f64 = 16.0;
const PADDING_POINTS: f64 = 4.0;
/// Excel's limit for one row; a taller text is cut at it.
const MAX_ROW_POINTS: f64 = 409.0;
/// Lines of the title row, in 14 pt bold.
const TITLE_POINTS: f64 = 2.0 * 20.0 + 6.0;

/// The name of the sheet.
pub const SHEET: &str = "整改台账";
/// The first row of the ledger's lines: after the title and the header.
const FIRST_ROW: u32 = 2;

fn failed(e: XlsxError) -> DomainError {
    DomainError::Internal(format!("the spreadsheet could not be written: {e}"))
}

/// A workbook being filled, row by row.
pub struct Sheet {
    workbook: Workbook,
    formats: Formats,
    next_row: u32,
}

/// The formats of the ledger's cells.
struct Formats {
    wrapped: Format,
    number: Format,
    date: Format,
    alert: Format,
}

impl Sheet {
    /// A workbook with its page set up and the title and header written.
    pub fn new(title: &str) -> DomainResult<Self> {
        let mut workbook = Workbook::new();
        let border = |f: Format| f.set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        let ws = workbook.add_worksheet_with_constant_memory().map_err(failed)?;
        set_up_page(ws)?;
        let heading = Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        ws.set_row_height(0, TITLE_POINTS).map_err(failed)?;
        ws.merge_range(0, 0, 0, (HEADER.len() - 1) as u16, title, &heading)
            .map_err(failed)?;
        let header = border(Format::new())
            .set_bold()
            .set_background_color(Color::RGB(0xD9E1F2))
            .set_align(FormatAlign::Center)
            .set_text_wrap();
        ws.set_row_height(1, row_points(HEADER.iter().copied()))
            .map_err(failed)?;
        for (col, name) in HEADER.iter().enumerate() {
            ws.write_string_with_format(1, col as u16, *name, &header)
                .map_err(failed)?;
        }
        let formats = Formats {
            wrapped: border(Format::new()).set_text_wrap(),
            number: border(Format::new()).set_align(FormatAlign::Center),
            date: border(Format::new()).set_num_format("yyyy-mm-dd"),
            alert: border(Format::new()).set_font_color(Color::RGB(0xC00000)).set_bold(),
        };
        Ok(Self {
            workbook,
            formats,
            next_row: FIRST_ROW,
        })
    }

    /// Appends rows after those already written, each as tall as its longest wrapped text.
    pub fn append(&mut self, rows: &[Row]) -> DomainResult<()> {
        let ws = self.workbook.worksheet_from_index(0).map_err(failed)?;
        for r in rows {
            let row = self.next_row;
            let fields = r.fields();
            // Before the cells: in constant-memory mode a row is written out once left.
            ws.set_row_height(row, row_points(fields.iter().map(String::as_str)))
                .map_err(failed)?;
            for (col, value) in fields.iter().enumerate() {
                self.formats.write_cell(ws, row, col as u16, value, r)?;
            }
            self.next_row += 1;
        }
        Ok(())
    }

    /// Rows written so far, the title and header not counted.
    pub fn rows(&self) -> u32 {
        self.next_row - FIRST_ROW
    }

    /// Writes the closing line (合计：整改措施 N 项) under the table, puts the filter on the
    /// header and writes the finished file.
    pub fn finish<W: Write + Send>(mut self, out: W) -> DomainResult<()> {
        let last = self.next_row - 1;
        let total = format!("合计：整改措施 {} 项", self.rows());
        let ws = self.workbook.worksheet_from_index(0).map_err(failed)?;
        // A last row of its own height: rust_xlsxwriter 0.102 in constant-memory mode writes
        // the sheet's last row a second time when its height was set, which Excel refuses.
        ws.write_string(self.next_row, 0, total).map_err(failed)?;
        ws.autofilter(1, 0, last, (HEADER.len() - 1) as u16).map_err(failed)?;
        self.workbook.save_to_writer(out).map_err(failed)
    }
}

impl Formats {
    /// One cell of `r`: 序号 and 延期次数 as numbers, the dates as dates, 是否逾期 "是" in red,
    /// the rest as wrapped text.
    fn write_cell(&self, ws: &mut Worksheet, row: u32, col: u16, text: &str, r: &Row) -> DomainResult<()> {
        match HEADER[usize::from(col)] {
            "序号" => ws.write_number_with_format(row, col, r.number as f64, &self.number),
            "延期次数" => ws.write_number_with_format(row, col, f64::from(r.extensions), &self.number),
            "整改时限" => ws.write_datetime_with_format(row, col, excel_date(r.deadline)?, &self.date),
            "原定时限" => ws.write_datetime_with_format(row, col, excel_date(r.original_deadline)?, &self.date),
            "销号日期" => match r.closed_on {
                Some(d) => ws.write_datetime_with_format(row, col, excel_date(d)?, &self.date),
                None => ws.write_blank(row, col, &self.wrapped),
            },
            "是否逾期" if r.overdue => ws.write_string_with_format(row, col, yes_no(true), &self.alert),
            "状态" => ws.write_string_with_format(row, col, r.status.label(), &self.wrapped),
            _ => ws.write_string_with_format(row, col, text, &self.wrapped),
        }
        .map_err(failed)?;
        Ok(())
    }
}

/// Widths, the frozen title and header, and the printed page: A4 landscape, one page wide,
/// the header row on every page, 第 N 页 / 共 M 页 in the footer.
fn set_up_page(ws: &mut Worksheet) -> DomainResult<()> {
    ws.set_name(SHEET).map_err(failed)?;
    for (col, width) in WIDTHS.iter().enumerate() {
        ws.set_column_width(col as u16, *width).map_err(failed)?;
    }
    ws.set_freeze_panes(FIRST_ROW, 0).map_err(failed)?;
    ws.set_repeat_rows(1, 1).map_err(failed)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.4, 0.4, 0.5, 0.6, 0.3, 0.3)
        .set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// The height in points of a row whose cells, by column, hold `texts`: enough lines for the
/// cell that wraps to the most.
fn row_points<'a>(texts: impl Iterator<Item = &'a str>) -> f64 {
    let lines = texts
        .zip(WIDTHS)
        .map(|(text, width)| lines_of(text, width))
        .max()
        .unwrap_or(1);
    whole_pixels(f64::from(lines) * LINE_POINTS + PADDING_POINTS).min(MAX_ROW_POINTS)
}

/// `points` rounded up to whole pixels (¾ point), as the workbook stores a height: rounding
/// down would take a little of the last line.
fn whole_pixels(points: f64) -> f64 {
    (points / 0.75).ceil() * 0.75
}

/// How many lines `text` takes in a wrapped cell `width` units wide.
pub fn lines_of(text: &str, width: f64) -> u32 {
    // Less the cell's inner margins.
    let room = width - 0.8;
    text.split('\n')
        .map(|line| wrapped_lines(line, room))
        .sum::<u32>()
        .max(1)
}

/// Lines of one paragraph wrapped greedily, as a spreadsheet does: a Latin word moves to the
/// next line whole (when it fits one), a Chinese character alone, and closing punctuation
/// (，。、） …) never starts a line, so it moves with the character before it.
fn wrapped_lines(line: &str, room: f64) -> u32 {
    let mut lines = 1;
    let mut used = 0.0;
    for token in tokens(line) {
        let w: f64 = token.chars().map(char_units).sum();
        if used > 0.0 && used + w > room {
            lines += 1;
            used = 0.0;
        }
        used += w;
        while used > room && room > 0.0 {
            lines += 1;
            used -= room;
        }
    }
    lines
}

/// The units of `line` that wrapping does not split: Latin words with their trailing space,
/// single wide characters, each with the closing punctuation that follows it.
fn tokens(line: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    let mut in_word = false;
    for c in line.chars() {
        let glued = CLOSING.contains(c) || (c.is_ascii() && !c.is_ascii_whitespace() && in_word);
        match tokens.last_mut() {
            Some(last) if glued || (c.is_ascii_whitespace() && in_word) => last.push(c),
            _ => tokens.push(c.to_string()),
        }
        in_word = c.is_ascii() && !c.is_ascii_whitespace();
    }
    tokens
}

/// Punctuation that may not begin a line of Chinese text.
const CLOSING: &str = "，。、；：？！）》」』”’%,.;:?!)]";

/// The width of a character in column units: about 2.1 for a Chinese character or a
/// full-width sign at 11 pt, 1.1 for a Latin letter or digit.
fn char_units(c: char) -> f64 {
    if u32::from(c) >= 0x1100 {
        2.1
    } else {
        1.1
    }
}

fn excel_date(d: NaiveDate) -> DomainResult<ExcelDateTime> {
    let (Ok(year), Ok(month), Ok(day)) = (u16::try_from(d.year()), u8::try_from(d.month()), u8::try_from(d.day()))
    else {
        return Err(DomainError::Internal(format!("{d} is not a spreadsheet date")));
    };
    ExcelDateTime::from_ymd(year, month, day).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_text_is_counted_in_lines_as_a_spreadsheet_wraps_it() {
        // 10 Chinese characters take 21 units: one line at 22, two at 18.
        assert_eq!(lines_of("部分村组饮水工程年久", 22.0), 1);
        assert_eq!(lines_of("部分村组饮水工程年久", 18.0), 2);
        // A line break starts a line; an empty cell still takes one.
        assert_eq!(lines_of("一\n二\n三", 22.0), 3);
        assert_eq!(lines_of("", 5.0), 1);
        // A comma does not begin a line: 八 goes down with it, though 八 alone would fit.
        assert_eq!(lines_of("一二三四五六七八，", 20.0), 1);
        assert_eq!(lines_of("一二三四五六七八，", 18.0), 2);
        // A Latin word moves whole to the next line.
        assert_eq!(lines_of("aaaa bbbbbb", 8.0), 2);
        // A row is as tall as its tallest cell, up to Excel's limit.
        assert_eq!(
            row_points(["一", "二"].into_iter()),
            20.25,
            "20 points, in whole pixels"
        );
        assert_eq!(
            row_points(["一", "二", "三", "部分村组饮水工程年久失修"].into_iter()),
            2.0 * LINE_POINTS + PADDING_POINTS
        );
        let long = "群众反映".repeat(20);
        assert_eq!(row_points([long.as_str()].into_iter()), MAX_ROW_POINTS);
    }
}
