"""The time slider and the viewer's panel: Folium elements of our own (DESIGN.md §3).

``TimeSlider`` renders the timeline (date, transport buttons, date input, speed and range
selectors, density strip and the range input) and hands the map, the places layer and the
incidents layer to ``mapapp.js``, which fetches the compact payload; the page's modules
(``main.js`` and what it imports) then apply or rewind only the events between two slider
positions. ``ViewerPanel`` renders the side panel (a drawer on phones) that ``panel/`` and
``chart.js`` fill: events, place history, compare, areas. Only fixed interface text is
rendered here; data strings are set by the scripts through ``textContent``.
"""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template

# Speeds offered by the play button: days per second, or one change date per second.
PLAY_SPEEDS: tuple[tuple[str, str], ...] = (
    ("1", "1 day/s"), ("2", "2 days/s"), ("4", "4 days/s"), ("change", "By change"),
)
DEFAULT_SPEED = "2"

_ICON = ('<svg class="mapapp-icon" viewBox="0 0 24 24" width="22" height="22" '
         'aria-hidden="true" focusable="false"><path d="{d}"/></svg>')
ICONS = {
    "prev": _ICON.format(d="M6 5h2.5v14H6zM20 5v14L9.5 12z"),
    "next": _ICON.format(d="M15.5 5H18v14h-2.5zM4 5v14l10.5-7z"),
    "play": _ICON.format(d="M7 4.5v15L19.5 12z").replace(
        'class="mapapp-icon"', 'class="mapapp-icon mapapp-icon-play"'),
    "pause": _ICON.format(d="M6.5 5h4v14h-4zM13.5 5h4v14h-4z").replace(
        'class="mapapp-icon"', 'class="mapapp-icon mapapp-icon-pause"'),
}


class TimeSlider(MacroElement):
    """Bottom panel: date, transport, date input, speed and range, strip and range input."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div id="mapapp-timeline" class="mapapp-timeline" role="group" aria-label="Timeline">
          <div class="mapapp-timeline-row">
            <div class="mapapp-transport">
              <button type="button" id="mapapp-prev" class="mapapp-btn"
                      aria-label="Previous change" title="Previous change (Shift+←)"
                      aria-keyshortcuts="Shift+ArrowLeft" disabled>{{ this.icons.prev }}</button>
              <button type="button" id="mapapp-play" class="mapapp-btn mapapp-play"
                      aria-label="Play" aria-pressed="false" title="Play (Space)"
                      aria-keyshortcuts="Space" disabled>{{ this.icons.play }}
                {{- this.icons.pause }}</button>
              <button type="button" id="mapapp-next" class="mapapp-btn"
                      aria-label="Next change" title="Next change (Shift+→)"
                      aria-keyshortcuts="Shift+ArrowRight" disabled>{{ this.icons.next }}</button>
            </div>
            <output id="mapapp-date" class="mapapp-date" aria-live="off">…</output>
            <span id="mapapp-status" class="mapapp-status">loading data…</span>
            <div class="mapapp-options">
              <span class="mapapp-field"><label for="mapapp-date-input"
                  class="mapapp-field-label">Go to</label>
                <input type="date" id="mapapp-date-input" class="mapapp-input" disabled></span>
              <span class="mapapp-field"><label for="mapapp-speed"
                  class="mapapp-field-label">Speed</label>
                <select id="mapapp-speed" class="mapapp-select" disabled>
                  {%- for value, label in this.speeds %}
                  <option value="{{ value }}"
                    {%- if value == this.default_speed %} selected{% endif %}>{{ label }}</option>
                  {%- endfor %}
                </select></span>
              <span class="mapapp-field"><label for="mapapp-range"
                  class="mapapp-field-label">Range</label>
                <select id="mapapp-range" class="mapapp-select" disabled></select></span>
            </div>
            <button type="button" id="mapapp-panel-toggle" class="mapapp-btn mapapp-panel-toggle"
                    aria-controls="mapapp-panel" aria-expanded="false">Events</button>
          </div>
          <div class="mapapp-slider-wrap">
            <canvas id="mapapp-strip" class="mapapp-strip" aria-hidden="true"></canvas>
            <input id="mapapp-slider" class="mapapp-slider" type="range" min="0" max="0"
                   step="1" value="0" aria-label="Date" disabled>
          </div>
          <div class="mapapp-range-labels" aria-hidden="true">
            <span id="mapapp-range-start"></span><span id="mapapp-range-end"></span>
          </div>
        </div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        mapapp.init({
            map: {{ this._parent.get_name() }},
            places: {{ this.places_layer.get_name() }},
            incidents: {{ this.incidents_layer.get_name() }}
        });
        {% endmacro %}
        """
    )

    def __init__(self, places_layer: MacroElement, incidents_layer: MacroElement):
        super().__init__()
        self._name = "TimeSlider"
        self.places_layer = places_layer
        self.incidents_layer = incidents_layer
        self.icons = ICONS
        self.speeds = PLAY_SPEEDS
        self.default_speed = DEFAULT_SPEED


class ViewerPanel(MacroElement):
    """Side panel (a drawer on phones): events, place history, compare, areas."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <aside id="mapapp-panel" class="mapapp-panel" aria-label="Events and details">
          <div class="mapapp-panel-head">
            <div id="mapapp-tabs" class="mapapp-tabs" role="tablist" aria-label="Panel">
              {%- for name, label in this.tabs %}
              <button type="button" role="tab" id="mapapp-tab-{{ name }}" class="mapapp-tab"
                      aria-controls="mapapp-pane-{{ name }}"
                      aria-selected="{{ 'true' if loop.first else 'false' }}"
                      tabindex="{{ 0 if loop.first else -1 }}">{{ label }}</button>
              {%- endfor %}
            </div>
            <button type="button" id="mapapp-panel-close" class="mapapp-btn mapapp-panel-close"
                    aria-label="Close panel" title="Close">×</button>
          </div>
          <section id="mapapp-pane-events" class="mapapp-pane" role="tabpanel"
                   aria-labelledby="mapapp-tab-events">
            <h2 class="mapapp-visually-hidden">Events</h2>
            <p class="mapapp-hint"><span id="mapapp-events-count"></span>: control changes
              and incidents in date order. Choose one to go to its date and place.</p>
            <ol id="mapapp-events" class="mapapp-events" aria-label="Events"></ol>
          </section>
          <section id="mapapp-pane-place" class="mapapp-pane" role="tabpanel"
                   aria-labelledby="mapapp-tab-place" hidden>
            <div id="mapapp-place">
              <p class="mapapp-hint">Choose a place on the map, then “History”.</p>
            </div>
          </section>
          <section id="mapapp-pane-compare" class="mapapp-pane" role="tabpanel"
                   aria-labelledby="mapapp-tab-compare" hidden>
            <h2 class="mapapp-visually-hidden">Compare two dates</h2>
            <p class="mapapp-hint">Compare the map’s date
              (<output id="mapapp-compare-now"></output>) with another date.</p>
            <div class="mapapp-compare-row">
              <span class="mapapp-field"><label for="mapapp-compare-date"
                  class="mapapp-field-label">Second date</label>
                <input type="date" id="mapapp-compare-date" class="mapapp-input"></span>
              <button type="button" id="mapapp-compare-week" class="mapapp-btn mapapp-btn-text"
                      >A week earlier</button>
              <button type="button" id="mapapp-compare-clear" class="mapapp-btn mapapp-btn-text"
                      disabled>Clear</button>
            </div>
            <label class="mapapp-check"><input type="checkbox" id="mapapp-compare-outline" checked>
              Outline on the map, in the new holder’s colour</label>
            <p id="mapapp-compare-summary" class="mapapp-compare-summary" aria-live="polite"></p>
            <ul id="mapapp-compare-gains" class="mapapp-compare-gains"
                aria-label="Gains and losses"></ul>
            <ul id="mapapp-compare-list" class="mapapp-compare-list"
                aria-label="Places that changed hands"></ul>
          </section>
          <section id="mapapp-pane-areas" class="mapapp-pane" role="tabpanel"
                   aria-labelledby="mapapp-tab-areas" hidden>
            <h2 class="mapapp-visually-hidden">Areas</h2>
            <p class="mapapp-hint">Area held by each faction over the slider’s range, from
              equal-area outlines. Click the chart to go to a date.</p>
            <div id="mapapp-chart" class="mapapp-chart"></div>
            <table id="mapapp-areas" class="mapapp-areas">
              <caption id="mapapp-areas-caption"></caption>
              <thead><tr><th scope="col">Faction</th><th scope="col">Area</th>
                <th scope="col">Share</th></tr></thead>
              <tbody></tbody>
            </table>
            <p id="mapapp-areas-note" class="mapapp-hint"></p>
          </section>
        </aside>
        {% endmacro %}
        """
    )

    tabs = (("events", "Events"), ("place", "Place"), ("compare", "Compare"), ("areas", "Areas"))

    def __init__(self) -> None:
        super().__init__()
        self._name = "ViewerPanel"
