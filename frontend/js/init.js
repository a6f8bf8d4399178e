// Initialise all GOV.UK Frontend components on the page.
// Loaded as <script type="module">, so no inline script (CSP-friendly).
import { initAll } from './govuk-frontend.min.js'

initAll()

// The assessor autocomplete (and its library) loads only on pages that have one.
if (document.querySelector('[data-module="app-assessor-autocomplete"]')) {
  import('./assessor-autocomplete.js')
}
