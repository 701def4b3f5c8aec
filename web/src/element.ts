// The Element Plus components the console uses, registered one by one so that the build keeps
// only these (the whole kit is several times larger), with the zh-CN locale.
import type { App } from 'vue'
import {
  ElAlert, ElAside, ElButton, ElCard, ElCol, ElConfigProvider, ElContainer, ElDatePicker, ElDescriptions,
  ElDescriptionsItem, ElDivider, ElDropdown, ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm, ElFormItem,
  ElHeader, ElIcon, ElInput, ElInputNumber, ElLink, ElMain, ElMenu, ElMenuItem, ElOption, ElPagination,
  ElProgress, ElRow, ElSelect, ElStatistic, ElSwitch, ElTable, ElTableColumn, ElTag, ElTimeline,
  ElTimelineItem, ElTooltip, ElLoading,
} from 'element-plus'
import 'element-plus/dist/index.css'

const components = [
  ElAlert, ElAside, ElButton, ElCard, ElCol, ElConfigProvider, ElContainer, ElDatePicker, ElDescriptions,
  ElDescriptionsItem, ElDivider, ElDropdown, ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm, ElFormItem,
  ElHeader, ElIcon, ElInput, ElInputNumber, ElLink, ElMain, ElMenu, ElMenuItem, ElOption, ElPagination,
  ElProgress, ElRow, ElSelect, ElStatistic, ElSwitch, ElTable, ElTableColumn, ElTag, ElTimeline,
  ElTimelineItem, ElTooltip,
]

export function useElement(app: App): void {
  for (const component of components) {
    app.use(component)
  }
  app.use(ElLoading)
}
