// A bulletin's Markdown (`Bulletin.markdown`, written by src/domain/reporting/bulletins/
// document.rs) read back into its blocks — the title, headings, paragraphs, tables — so that the
// console prints it with its own styles and never renders the server's text as HTML.

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; header: string[]; rows: string[][] }

export interface BulletinDoc {
  title: string
  blocks: Block[]
}

/** A line's text without its Markdown escapes (`\*` is `*`). */
export function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1')
}

/** The cells of a table line `| a | b \| c |`, escapes kept inside cells until unescaped. */
export function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '')
  const out: string[] = []
  let cell = ''
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]
    if (c === '\\' && i + 1 < inner.length) {
      cell += c + inner[i + 1]
      i++
    } else if (c === '|') {
      out.push(cell)
      cell = ''
    } else {
      cell += c
    }
  }
  out.push(cell)
  return out.map((x) => unescape(x.trim()))
}

const SEPARATOR = /^\|(\s*:?-+:?\s*\|)+\s*$/

export function parseBulletin(markdown: string): BulletinDoc {
  const lines = markdown.split(/\r?\n/)
  let title = ''
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line.trim() === '') continue
    if (line.startsWith('# ') && !title) {
      title = unescape(line.slice(2).trim())
    } else if (/^#{2,6} /.test(line)) {
      blocks.push({ kind: 'heading', text: unescape(line.replace(/^#+ /, '').trim()) })
    } else if (line.trim().startsWith('|')) {
      const header = cells(line)
      const rows: string[][] = []
      let j = i + 1
      if (j < lines.length && SEPARATOR.test(lines[j].trim())) j++
      while (j < lines.length && lines[j].trim().startsWith('|')) {
        rows.push(cells(lines[j]))
        j++
      }
      blocks.push({ kind: 'table', header, rows })
      i = j - 1
    } else {
      blocks.push({ kind: 'paragraph', text: unescape(line.trim()) })
    }
  }
  return { title, blocks }
}
