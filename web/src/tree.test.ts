import { describe, expect, it } from 'vitest'
import { buildTree, flattenTree, subtreeIds } from './tree'

const u = (id: string, parent: string | null, sortOrder = 0, name = id) => ({ id, name, sortOrder, parent: parent ? { id: parent } : null })

describe('the unit tree', () => {
  const units = [u('water-office', 'water', 2), u('county', null), u('water', 'county', 1), u('edu', 'county', 0), u('water-farm', 'water', 1)]

  it('nests units under their parents in sort order', () => {
    const tree = buildTree(units)
    expect(tree.map((n) => n.id)).toEqual(['county'])
    expect(tree[0].children.map((n) => n.id)).toEqual(['edu', 'water'])
    expect(tree[0].children[1].children.map((n) => n.id)).toEqual(['water-farm', 'water-office'])
  })

  it('keeps a unit whose parent is missing as a root', () => {
    expect(buildTree([u('a', 'gone'), u('b', null)]).map((n) => n.id).sort()).toEqual(['a', 'b'])
  })

  it('lists a subtree, for the parents a move may not pick', () => {
    expect([...subtreeIds(units, 'water')].sort()).toEqual(['water', 'water-farm', 'water-office'])
    expect([...subtreeIds(units, 'edu')]).toEqual(['edu'])
  })

  it('flattens in tree order with depths', () => {
    expect(flattenTree(buildTree(units)).map((x) => `${x.depth}${x.unit.id}`)).toEqual(['0county', '1edu', '1water', '2water-farm', '2water-office'])
  })
})
