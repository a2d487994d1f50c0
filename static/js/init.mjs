// Start GOV.UK Frontend's components (error summary focus, password reveal, details...).
// Texts the components write themselves come from data-* attributes set by the templates,
// which carry the translated strings.
import { initAll } from '../vendor/govuk-frontend/govuk-frontend.min.js'

initAll()
