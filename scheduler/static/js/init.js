// Initialise all GOV.UK Frontend components on the page.
// Loaded as <script type="module">, so no inline script (CSP-friendly).
import { initAll } from './govuk-frontend.min.js'

initAll()
