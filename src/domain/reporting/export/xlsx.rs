//! The ledger as an Excel workbook, the form offices pass around: one sheet 整改台账 with the
//! header row frozen and repeated on every printed page, widths that fit the Chinese columns,
//! real dates, and a filter on the header. Rows go to a temporary file as they are written
//! (rust_xlsxwriter's constant-memory mode), so a large ledger is not held in memory.

use std::io::Write;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use super::{status_label, yes_no, Row, HEADER};
use crate::domain::error::{DomainError, DomainResult};

/// Column widths in characters, by column of [`HEADER`]: wide for the texts, narrow for flags.
const WIDTHS: [f64; 15] = [
    6.0, 14.0, 40.0, 12.0, 40.0, 18.0, 24.0, 10.0, 10.0, 12.0, 12.0, 30.0, 10.0, 9.0, 12.0,
];

/// The name of the sheet.
pub const SHEET: &str = "整改台账";

fn failed(e: XlsxError) -> DomainError {
    DomainError::Internal(format!("the spreadsheet could not be written: {e}"))
}

/// A workbook being filled, row by row.
pub struct Sheet {
    workbook: Workbook,
    text: Format,
    wrapped: Format,
    date: Format,
    alert: Format,
    next_row: u32,
}

impl Sheet {
    /// A workbook with the header written.
    pub fn new() -> DomainResult<Self> {
        let mut workbook = Workbook::new();
        let border = |f: Format| f.set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        let header = border(Format::new())
            .set_bold()
            .set_background_color(Color::RGB(0xD9E1F2))
            .set_align(FormatAlign::Center)
            .set_text_wrap();
        let ws = workbook.add_worksheet_with_constant_memory().map_err(failed)?;
        ws.set_name(SHEET).map_err(failed)?;
        for (col, width) in WIDTHS.iter().enumerate() {
            ws.set_column_width(col as u16, *width).map_err(failed)?;
        }
        ws.set_freeze_panes(1, 0).map_err(failed)?;
        ws.set_repeat_rows(0, 0).map_err(failed)?;
        ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
        ws.set_row_height(0, 24).map_err(failed)?;
        for (col, title) in HEADER.iter().enumerate() {
            ws.write_string_with_format(0, col as u16, *title, &header)
                .map_err(failed)?;
        }
        Ok(Self {
            workbook,
            text: border(Format::new()),
            wrapped: border(Format::new()).set_text_wrap(),
            date: border(Format::new()).set_num_format("yyyy-mm-dd"),
            alert: border(Format::new()).set_font_color(Color::RGB(0xC00000)).set_bold(),
            next_row: 1,
        })
    }

    /// Appends rows after those already written.
    pub fn append(&mut self, rows: &[Row]) -> DomainResult<()> {
        let ws = self.workbook.worksheet_from_index(0).map_err(failed)?;
        for r in rows {
            let row = self.next_row;
            let texts: [(u16, &str, bool); 9] = [
                (1, &r.problem_code, false),
                (2, &r.problem_text, true),
                (3, r.source, false),
                (4, &r.measure, true),
                (5, &r.lead_unit, true),
                (6, &r.cooperating, true),
                (7, &r.leader, false),
                (8, &r.person, false),
                (11, &r.progress, true),
            ];
            ws.write_number_with_format(row, 0, r.number as f64, &self.text)
                .map_err(failed)?;
            for (col, value, wrap) in texts {
                let format = if wrap { &self.wrapped } else { &self.text };
                ws.write_string_with_format(row, col, value, format).map_err(failed)?;
            }
            ws.write_datetime_with_format(row, 9, excel_date(r.deadline)?, &self.date)
                .map_err(failed)?;
            ws.write_datetime_with_format(row, 10, excel_date(r.original_deadline)?, &self.date)
                .map_err(failed)?;
            ws.write_string_with_format(row, 12, status_label(r.status), &self.text)
                .map_err(failed)?;
            let flag = if r.overdue { &self.alert } else { &self.text };
            ws.write_string_with_format(row, 13, yes_no(r.overdue), flag)
                .map_err(failed)?;
            match r.closed_on {
                Some(d) => ws.write_datetime_with_format(row, 14, excel_date(d)?, &self.date),
                None => ws.write_blank(row, 14, &self.text),
            }
            .map_err(failed)?;
            self.next_row += 1;
        }
        Ok(())
    }

    /// Rows written so far, the header not counted.
    pub fn rows(&self) -> u32 {
        self.next_row - 1
    }

    /// Puts the filter on the header and writes the finished file.
    pub fn finish<W: Write + Send>(mut self, out: W) -> DomainResult<()> {
        let last = self.next_row - 1;
        let ws = self.workbook.worksheet_from_index(0).map_err(failed)?;
        ws.autofilter(0, 0, last, (HEADER.len() - 1) as u16).map_err(failed)?;
        self.workbook.save_to_writer(out).map_err(failed)
    }
}

fn excel_date(d: NaiveDate) -> DomainResult<ExcelDateTime> {
    let (Ok(year), Ok(month), Ok(day)) = (u16::try_from(d.year()), u8::try_from(d.month()), u8::try_from(d.day()))
    else {
        return Err(DomainError::Internal(format!("{d} is not a spreadsheet date")));
    };
    ExcelDateTime::from_ymd(year, month, day).map_err(failed)
}
