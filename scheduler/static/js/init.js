// Initialise all GOV.UK Frontend components on the page.
// Loaded as <script type="module">, so no inline script (CSP-friendly).
import { initAll } from './govuk-frontend.min.js'

initAll()

// The warning before a signed-in session ends for want of activity (WCAG 2.2.1).
if (document.querySelector('[data-module="app-session-timeout"]')) {
  import('./session-timeout.js')
}

// The assessor autocomplete (and its library) loads only on pages that have one.
if (document.querySelector('[data-module="app-assessor-autocomplete"]')) {
  import('./assessor-autocomplete.js')
}
