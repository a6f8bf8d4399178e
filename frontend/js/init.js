// Initialise all GOV.UK Frontend components on the page.
// Loaded as <script type="module">, so no inline script (CSP-friendly).
import { initAll } from './govuk-frontend.min.js'

initAll()

// The assessor autocomplete (and its library) loads only on pages that have one.
if (document.querySelector('[data-module="app-assessor-autocomplete"]')) {
  import('./assessor-autocomplete.js')
}

// A table's scroll region (templates/_table.html) is in the Tab order only while it has something
// to scroll: a keyboard user needs it then, and it is a needless stop otherwise.
const scrollRegions = document.querySelectorAll('.app-table-scroll')
if (scrollRegions.length) {
  const update = (region) => {
    if (region.scrollWidth > region.clientWidth + 1) {
      region.setAttribute('tabindex', '0')
    } else if (region !== document.activeElement) {
      region.removeAttribute('tabindex')
    }
  }
  // Either the box or what is in it can change width (a narrower window, larger text).
  const observer = new ResizeObserver((entries) => entries.forEach((entry) => {
    update(entry.target.closest('.app-table-scroll'))
  }))
  scrollRegions.forEach((region) => {
    observer.observe(region)
    if (region.firstElementChild) observer.observe(region.firstElementChild)
  })
}
