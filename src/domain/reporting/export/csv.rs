//! The ledger as CSV (RFC 4180), for spreadsheet programs: UTF-8 with a byte-order mark, so
//! they read the Chinese, and cells that would run as formulas defused.

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180); a leading
/// `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets do not run it as a formula.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

pub fn csv_line(fields: &[String]) -> String {
    let mut line = fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// The byte-order mark and the header line.
pub fn head() -> String {
    let header: Vec<String> = super::HEADER.iter().map(|h| (*h).to_owned()).collect();
    format!("\u{feff}{}", csv_line(&header))
}

/// Rows as CSV lines.
pub fn lines(rows: &[super::Row]) -> String {
    rows.iter().map(|r| csv_line(&r.fields())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("县水利局"), "县水利局");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("说\"明\""), "\"说\"\"明\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_line(&["1".to_owned(), "x\ny".to_owned()]), "1,\"x\ny\"\r\n");
    }
}
