// The Element Plus components the console uses, registered one by one so that the build keeps
// only these (the whole kit is several times larger), with the zh-CN locale.
import type { App } from 'vue'
import {
  ElAlert, ElAside, ElBadge, ElButton, ElCard, ElCheckbox, ElCol, ElConfigProvider, ElContainer, ElDatePicker, ElDescriptions,
  ElDescriptionsItem, ElDialog, ElDivider, ElDropdown, ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm, ElFormItem,
  ElHeader, ElIcon, ElInput, ElInputNumber, ElLink, ElMain, ElMenu, ElMenuItem, ElOption, ElPagination,
  ElPopconfirm, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElResult, ElRow, ElSelect, ElStatistic, ElSwitch, ElTabPane,
  ElTable, ElTableColumn, ElTabs, ElTag, ElTimeline, ElTimelineItem, ElTooltip, ElTree, ElUpload, ElLoading,
} from 'element-plus'
import 'element-plus/dist/index.css'

const components = [
  ElAlert, ElAside, ElBadge, ElButton, ElCard, ElCheckbox, ElCol, ElConfigProvider, ElContainer, ElDatePicker, ElDescriptions,
  ElDescriptionsItem, ElDialog, ElDivider, ElDropdown, ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm, ElFormItem,
  ElHeader, ElIcon, ElInput, ElInputNumber, ElLink, ElMain, ElMenu, ElMenuItem, ElOption, ElPagination,
  ElPopconfirm, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElResult, ElRow, ElSelect, ElStatistic, ElSwitch, ElTabPane,
  ElTable, ElTableColumn, ElTabs, ElTag, ElTimeline, ElTimelineItem, ElTooltip, ElTree, ElUpload,
]

export function useElement(app: App): void {
  for (const component of components) {
    app.use(component)
  }
  app.use(ElLoading)
}
