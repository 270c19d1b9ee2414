// Every user-visible string lives in src/lib/strings/*.ts (English first),
// one file per area; this file gathers them.
export { common } from './strings/common'
export { wizard } from './strings/wizard'
export { contacts } from './strings/contacts'
export { privacy } from './strings/privacy'
