#!/usr/bin/env python3
"""Checks a printed ledger: the workbook taizhang exported, and the PDF LibreOffice made of it.

    python3 scripts/check_ledger_print.py ledger.xlsx ledger.pdf [dir for page PNGs]

How it decides (standard library only, plus poppler's pdfinfo, pdftoppm and pdftotext):

1. The expected text of every row — the title, the header, each ledger line — is read from the
   workbook itself (its sheet XML: inline or shared strings, numbers, dates as yyyy-mm-dd).
2. Each page is rendered to a grey image (pdftoppm, 150 dpi). Every cell has a thin border, so
   the table's rows are the bands between horizontal lines: pixel rows darker than the paper
   across more than half the table's width. A row is never split across pages.
3. Each page's words and their boxes come from `pdftotext -bbox` (in points). A word belongs
   to the band its vertical centre lies in. The characters of a band (spaces dropped, NFKC)
   must be exactly the characters of the next expected row: the header first on every page,
   then the ledger lines in order. Text clipped by a row too short is either missing from its
   band (if not drawn) or drawn below the row's bottom line, in the next band (pdftotext does
   not honour clipping) — either way the characters differ, and the row is named. Text running
   over the rows below is found the same way. A word whose box crosses a line by more than
   1.5 pt is reported as overlapping too.
4. Page 1 must carry the title above the table; every page the footer 第 n 页，共 N 页 below it
   (the last page also the closing line 合计：整改措施 N 项);
   the page count must be what pdfinfo says and every ledger line must have been found once.
It prints the page count, the rows checked, the scale LibreOffice printed at (the table's
printed width over its width at 100 %) and the printed font size that gives, and how much of
each line's row its text fills (text boxes' extent over the row's height: the spare room).
"""

import collections
import datetime
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
DPI = 150
DATE_COLUMNS = {"整改时限", "原定时限", "销号日期"}


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for c in letters:
        n = n * 26 + ord(c) - 64
    return n - 1


def read_workbook(path):
    """Rows of cell texts (title, header, ledger lines) and the column widths."""
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    widths = []  # one <col> may stand for a range of columns of one width
    for c in sheet.find("m:cols", NS).findall("m:col", NS):
        widths += [float(c.get("width"))] * (int(c.get("max")) - int(c.get("min")) + 1)
    rows = []
    for row in sheet.find("m:sheetData", NS).findall("m:row", NS):
        cells = {}
        for c in row.findall("m:c", NS):
            kind, value = c.get("t"), c.find("m:v", NS)
            if kind == "s":
                text = shared[int(value.text)]
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in c.iter("{%s}t" % NS["m"]))
            elif value is not None:
                text = value.text
            else:
                text = ""
            cells[col_index(c.get("r"))] = text
        rows.append((int(row.get("r")), float(row.get("ht") or 15), [cells.get(i, "") for i in range(len(widths))]))
    header = rows[1][2]
    for _, _, cells in rows[2:]:
        for i, name in enumerate(header):
            if name in DATE_COLUMNS and cells[i]:
                cells[i] = str(datetime.date(1899, 12, 30) + datetime.timedelta(days=int(float(cells[i]))))
            elif cells[i] and re.fullmatch(r"-?\d+\.0+", cells[i]):
                cells[i] = cells[i].split(".")[0]
    return rows, widths


def chars(text):
    return collections.Counter(c for c in unicodedata.normalize("NFKC", text) if not c.isspace())


def render(pdf, page, out_dir):
    """The page as grey pixels (rows of bytes), its width and height."""
    stem = f"{out_dir}/page-{page}"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-f", str(page), "-l", str(page), "-singlefile", pdf, stem], check=True)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(page), "-l", str(page), "-singlefile", pdf, stem], check=True)
    data = open(stem + ".pgm", "rb").read()
    magic, w, h, maxval, rest = re.match(rb"(P5)\s+(\d+)\s+(\d+)\s+(\d+)\s(.*)", data, re.S).groups()
    w, h = int(w), int(h)
    return [rest[y * w:(y + 1) * w] for y in range(h)], w, h


def horizontal_lines(pixels, width):
    """Y positions (points) of the table's horizontal lines, and the table's width (points)."""
    lines, extent, previous = [], 0, -2
    for y, row in enumerate(pixels):
        dark = [x for x, v in enumerate(row) if v < 190]
        if len(dark) > width * 0.5:
            if y != previous + 1:
                lines.append(y * 72 / DPI)
            extent = max(extent, (dark[-1] - dark[0]) * 72 / DPI)
            previous = y
    return lines, extent


def words(pdf, page):
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-"],
                          check=True, capture_output=True, text=True).stdout
    out = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', html):
        x0, y0, x1, y1 = map(float, m.groups()[:4])
        text = m.group(5).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        out.append((y0, y1, x0, text, x1))
    return out


def check_page(page, pages, pdf, out_dir, expected, state, failures):
    pixels, w, _ = render(pdf, page, out_dir)
    lines, extent = horizontal_lines(pixels, w)
    state["extent"] = max(state["extent"], extent)
    bands = [collections.Counter() for _ in range(len(lines) - 1)]
    extents = [[] for _ in bands]  # the words' top and bottom in each band
    above, below = collections.Counter(), collections.Counter()
    for y0, y1, x0, text, x1 in words(pdf, page):
        if len(text) >= 4 and all("\u4e00" <= c <= "\u9fff" for c in text):
            state["cjk"].append((x1 - x0) / len(text))
        centre = (y0 + y1) / 2
        for line in lines:
            if y0 < line - 1.5 and y1 > line + 1.5:
                failures.append(f"page {page}: {text!r} crosses a row line at {line:.1f} pt")
        if not lines or centre < lines[0]:
            above += chars(text)
        elif centre > lines[-1]:
            below += chars(text)
        else:
            i = max(k for k, line in enumerate(lines[:-1]) if centre >= line)
            bands[i] += chars(text)
            extents[i] += [y0, y1]
    footer = chars(f"第 {page} 页，共 {pages} 页")
    if page == pages:
        footer += chars(expected["total"])  # the closing line 合计 follows the table
    if below != footer:
        failures.append(f"page {page}: below the table {dict(below)}, expected {dict(footer)}")
    if page == 1 and above != chars(expected["title"]):
        failures.append(f"page 1: above the table {dict(above)}, expected the title")
    if not bands or bands[0] != chars("".join(expected["header"])):
        failures.append(f"page {page}: the first row is not the header")
    for band in bands[1:]:
        if state["next"] >= len(expected["lines"]):
            failures.append(f"page {page}: a row more than the workbook holds: {dict(band)}")
            continue
        number, cells = expected["lines"][state["next"]]
        want = chars("".join(cells))
        if band != want:
            failures.append(f"page {page}: sheet row {number} differs; missing {dict(want - band)}, extra {dict(band - want)}")
        state["next"] += 1
        state["rows"] += 1
    for i, e in enumerate(extents[1:], start=1):
        if e:
            state["fill"].append((max(e) - min(e)) / (lines[i + 1] - lines[i]))
    return len(bands) - 1


def main():
    xlsx, pdf = sys.argv[1], sys.argv[2]
    out_dir = sys.argv[3] if len(sys.argv) > 3 else "."
    rows, widths = read_workbook(xlsx)
    expected = {
        "title": rows[0][2][0],
        "header": rows[1][2],
        "lines": [(r, cells) for r, _, cells in rows[2:-1]],
        "total": rows[-1][2][0],
    }
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    failures, state = [], {"next": 0, "rows": 0, "extent": 0.0, "fill": [], "cjk": []}
    per_page = [check_page(p, pages, pdf, out_dir, expected, state, failures) for p in range(1, pages + 1)]
    if state["next"] != len(expected["lines"]):
        failures.append(f"{len(expected['lines']) - state['next']} ledger lines not found on paper")
    full = sum(int(w * 7 + 5) for w in widths) * 0.75  # points at 100 %, Excel's pixel rule
    scale = state["extent"] / full
    print(f"page size {size[0]} x {size[1]} pt ({'landscape' if float(size[0]) > float(size[1]) else 'portrait'}), {pages} pages")
    print(f"ledger lines per page: {per_page}; {state['rows']} of {len(expected['lines'])} lines checked, header on every page")
    cjk = sorted(state["cjk"])
    print(f"printed at {scale:.0%} of full size; a Chinese character prints {cjk[len(cjk) // 2]:.1f} pt wide (median)")
    fill = sorted(state["fill"])
    if fill:
        print(f"text height / row height: min {fill[0]:.0%}, median {fill[len(fill) // 2]:.0%}, max {fill[-1]:.0%}")
    for f in failures:
        print("FAIL", f)
    print("OK: no row clipped or overlapping" if not failures else f"{len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
