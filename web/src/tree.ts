// The unit tree from the flat `units` list (each with its parent's id): roots first, children
// by sort order then name, as `Unit.children` orders them. A unit whose parent is not in the
// list (archived, or out of the list) is shown as a root rather than lost.

export interface FlatUnit {
  id: string
  name: string
  sortOrder: number
  parent: { id: string } | null
}

export type TreeNode<U extends FlatUnit> = U & { children: TreeNode<U>[] }

function byOrder(a: FlatUnit, b: FlatUnit): number {
  return a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh-CN')
}

export function buildTree<U extends FlatUnit>(units: U[]): TreeNode<U>[] {
  const nodes = new Map<string, TreeNode<U>>()
  for (const u of units) nodes.set(u.id, { ...u, children: [] })
  const roots: TreeNode<U>[] = []
  for (const node of nodes.values()) {
    const parent = node.parent ? nodes.get(node.parent.id) : undefined
    if (parent && parent !== node) parent.children.push(node)
    else roots.push(node)
  }
  const sort = (list: TreeNode<U>[]) => {
    list.sort(byOrder)
    list.forEach((n) => sort(n.children))
  }
  sort(roots)
  return roots
}

/** The ids of a unit and every unit below it: the parents a move may not choose (no cycles). */
export function subtreeIds(units: FlatUnit[], rootId: string): Set<string> {
  const children = new Map<string, string[]>()
  for (const u of units) {
    if (!u.parent) continue
    const list = children.get(u.parent.id) ?? []
    list.push(u.id)
    children.set(u.parent.id, list)
  }
  const seen = new Set<string>()
  const stack = [rootId]
  while (stack.length) {
    const id = stack.pop() as string
    if (seen.has(id)) continue
    seen.add(id)
    stack.push(...(children.get(id) ?? []))
  }
  return seen
}

/** The units in tree order, each with its depth: for selects that show the tree indented. */
export function flattenTree<U extends FlatUnit>(roots: TreeNode<U>[], depth = 0): { unit: TreeNode<U>; depth: number }[] {
  return roots.flatMap((n) => [{ unit: n, depth }, ...flattenTree(n.children, depth + 1)])
}
