import { describe, expect, it } from 'vitest'
import { cells, parseBulletin, unescape } from './bulletin'

const MD = `# 通报 \\<一\\>

第3期

## 一、总体情况
截至2026-11-15，措施 69 项，已销号 15 项。

| 单位 | 逾期 \\| 未完成 | 得分 |
|---|---|---|
| 县水利局 | 3 | 81.5 |
| 县教育局\\_二 | 0 | 90 |

## 六、审计校验点
seq 593
`

describe('parseBulletin', () => {
  it('reads the title, headings, paragraphs and tables back', () => {
    const doc = parseBulletin(MD)
    expect(doc.title).toBe('通报 <一>')
    expect(doc.blocks.map((b) => b.kind)).toEqual(['paragraph', 'heading', 'paragraph', 'table', 'heading', 'paragraph'])
    expect(doc.blocks[1]).toEqual({ kind: 'heading', text: '一、总体情况' })
    expect(doc.blocks[3]).toEqual({ kind: 'table', header: ['单位', '逾期 | 未完成', '得分'], rows: [['县水利局', '3', '81.5'], ['县教育局_二', '0', '90']] })
  })

  it('unescapes what the server escaped', () => {
    expect(unescape('a\\*b\\\\c')).toBe('a*b\\c')
    expect(cells('| a | b\\|c |')).toEqual(['a', 'b|c'])
  })
})
