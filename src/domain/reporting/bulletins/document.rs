//! A bulletin's text as blocks — headings, paragraphs, tables — written out as Markdown and as a
//! printable HTML page from the same blocks, each with its own escaping.

/// One block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    /// The line under the title: the issue number (第N期), once it is assigned.
    pub issue: Option<String>,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            issue: None,
            blocks: Vec::new(),
        }
    }

    pub fn heading(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Heading(text.into()));
    }

    pub fn paragraph(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Paragraph(text.into()));
    }

    pub fn table(&mut self, header: &[&str], rows: Vec<Vec<String>>) {
        self.blocks.push(Block::Table {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows,
        });
    }

    pub fn markdown(&self) -> String {
        let mut out = format!("# {}\n", md_text(&self.title));
        if let Some(issue) = &self.issue {
            out.push_str(&format!("\n{}\n", md_text(issue)));
        }
        for block in &self.blocks {
            out.push('\n');
            match block {
                Block::Heading(text) => out.push_str(&format!("## {}\n", md_text(text))),
                Block::Paragraph(text) => out.push_str(&format!("{}\n", md_text(text))),
                Block::Table { header, rows } => {
                    let line = |cells: &[String]| {
                        format!(
                            "| {} |\n",
                            cells.iter().map(|c| md_text(c)).collect::<Vec<_>>().join(" | ")
                        )
                    };
                    out.push_str(&line(header));
                    out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
                    for row in rows {
                        out.push_str(&line(row));
                    }
                }
            }
        }
        out
    }

    /// A whole page (UTF-8, A4 print styles) that prints as the bulletin.
    pub fn html(&self) -> String {
        let mut body = String::new();
        if let Some(issue) = &self.issue {
            body.push_str(&format!("<p class=\"issue\">{}</p>\n", html_text(issue)));
        }
        body.push_str(&format!("<h1>{}</h1>\n", html_text(&self.title)));
        for block in &self.blocks {
            match block {
                Block::Heading(text) => body.push_str(&format!("<h2>{}</h2>\n", html_text(text))),
                Block::Paragraph(text) => body.push_str(&format!("<p>{}</p>\n", html_text(text))),
                Block::Table { header, rows } => {
                    body.push_str("<table>\n<thead><tr>");
                    for h in header {
                        body.push_str(&format!("<th>{}</th>", html_text(h)));
                    }
                    body.push_str("</tr></thead>\n<tbody>\n");
                    for row in rows {
                        body.push_str("<tr>");
                        for cell in row {
                            body.push_str(&format!("<td>{}</td>", html_text(cell)));
                        }
                        body.push_str("</tr>\n");
                    }
                    body.push_str("</tbody>\n</table>\n");
                }
            }
        }
        format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
            html_text(&self.title)
        )
    }
}

const STYLE: &str = "
@page { size: A4; margin: 25mm 20mm; }
body { font-family: 'FangSong', 'STFangsong', 'Songti SC', 'SimSun', serif; font-size: 16px; line-height: 1.7; max-width: 60em; margin: 2em auto; color: #000; }
h1 { font-family: 'SimHei', 'Heiti SC', sans-serif; font-size: 22px; text-align: center; color: #c00000; border-bottom: 2px solid #c00000; padding-bottom: .4em; }
h2 { font-family: 'SimHei', 'Heiti SC', sans-serif; font-size: 17px; margin-top: 1.4em; }
p { text-indent: 2em; margin: .4em 0; }
p.issue { text-indent: 0; text-align: center; font-size: 16px; margin: 0 0 .2em; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: .6em 0; page-break-inside: auto; }
th, td { border: 1px solid #000; padding: 3px 6px; vertical-align: top; }
th { background: #eee; }
tr { page-break-inside: avoid; }
thead { display: table-header-group; }
@media print { body { margin: 0; max-width: none; } }
";

/// Text that Markdown would otherwise read as markup, escaped, on one line (a line break in a
/// name could otherwise start a list or a heading).
fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' | '\n' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_blocks_are_markdown_and_escaped_html() {
        let mut doc = Document::new("通报 <一>");
        doc.issue = Some("第3期".to_owned());
        doc.heading("一、总体情况");
        doc.paragraph("完成率 *50%* & 按期");
        doc.table(&["单位", "说明"], vec![vec!["县水利局".into(), "a|b\nc".into()]]);
        let md = doc.markdown();
        assert!(md.starts_with("# 通报 \\<一\\>\n\n第3期\n"));
        assert!(md.contains("\n## 一、总体情况\n"));
        assert!(md.contains("完成率 \\*50%\\* \\& 按期"));
        assert!(md.contains("| 单位 | 说明 |\n|---|---|\n| 县水利局 | a\\|b c |\n"));
        let html = doc.html();
        assert!(html.contains("<title>通报 &lt;一&gt;</title>"));
        assert!(html.contains("<body>\n<p class=\"issue\">第3期</p>\n<h1>"));
        assert!(html.contains("<p>完成率 *50%* &amp; 按期</p>"));
        assert!(html.contains("<td>a|b<br>c</td>"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
    }
}
