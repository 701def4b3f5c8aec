// 提醒: the account's reminders inbox, and the unread count the header shows.
import { reactive } from 'vue'
import { gql } from './api'
import { graphql, type Enum } from './graphql'

export type InboxKind = Enum<'InboxItemKind'>

/** Chinese names of the kinds of reminder, and the tag colour each is shown with. */
export const INBOX_KIND: Record<InboxKind, { label: string; tag: 'danger' | 'warning' | 'info' | 'success' | 'primary' }> = {
  OVERDUE: { label: '已逾期', tag: 'danger' },
  DUE_SOON: { label: '即将到期', tag: 'warning' },
  SUPERVISION: { label: '督办', tag: 'danger' },
  URGING: { label: '催办', tag: 'warning' },
  REPORT_MISSING: { label: '进展未报送', tag: 'warning' },
  VERIFICATION: { label: '验收结果', tag: 'success' },
  EXTENSION: { label: '延期审批', tag: 'primary' },
}

export function kindLabel(kind: InboxKind): string {
  return INBOX_KIND[kind]?.label ?? kind
}

export function kindTag(kind: InboxKind): string {
  return INBOX_KIND[kind]?.tag ?? 'info'
}

const UNREAD = graphql(`{ inbox(first: 1) { unreadCount } }`)

/** The header's badge: the unread count, refreshed at most every 30 s unless forced. */
export const unread = reactive<{ count: number; at: number }>({ count: 0, at: 0 })

export async function refreshUnread(force = false): Promise<void> {
  if (!force && Date.now() - unread.at < 30_000) return
  unread.at = Date.now()
  try {
    unread.count = (await gql(UNREAD)).inbox.unreadCount
  } catch {
    // Not logged in (yet), or the server is away: the badge keeps its last figure.
  }
}

/** The page's view of the items: all, or the unread ones. */
export function shown<T extends { read: boolean }>(items: T[], unreadOnly: boolean): T[] {
  return unreadOnly ? items.filter((i) => !i.read) : items
}
