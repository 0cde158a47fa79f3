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

from mapapp.i18n import ENGLISH, N_, Translator

# Speeds offered by the play button: days per second, or one change date per second.
PLAY_SPEEDS: tuple[tuple[str, str], ...] = (
    ("1", N_("1 day/s")), ("2", N_("2 days/s")), ("4", N_("4 days/s")),
    ("change", N_("By change")),
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
        <div id="mapapp-timeline" class="mapapp-timeline" role="group"
            aria-label="{{ this.t.timeline | e }}">
          <div class="mapapp-timeline-row">
            <div class="mapapp-transport">
              <button type="button" id="mapapp-prev" class="mapapp-btn"
                      aria-label="{{ this.t.prev | e }}" title="{{ this.t.prev_key | e }}"
                      aria-keyshortcuts="{{ this.t.prev_keys }}" disabled
                          >{{ this.icons.prev }}</button>
              <button type="button" id="mapapp-play" class="mapapp-btn mapapp-play"
                      aria-label="{{ this.t.play | e }}" aria-pressed="false"
                      title="{{ this.t.play_key | e }}"
                      aria-keyshortcuts="Space" disabled>{{ this.icons.play }}
                {{- this.icons.pause }}</button>
              <button type="button" id="mapapp-next" class="mapapp-btn"
                      aria-label="{{ this.t.next | e }}" title="{{ this.t.next_key | e }}"
                      aria-keyshortcuts="{{ this.t.next_keys }}" disabled
                          >{{ this.icons.next }}</button>
            </div>
            <output id="mapapp-date" class="mapapp-date" aria-live="off">…</output>
            <span id="mapapp-status" class="mapapp-status">{{ this.t.loading | e }}</span>
            <div class="mapapp-options">
              <span class="mapapp-field"><label for="mapapp-date-input"
                  class="mapapp-field-label">{{ this.t.go_to | e }}</label>
                <input type="date" id="mapapp-date-input" class="mapapp-input" disabled></span>
              <span class="mapapp-field"><label for="mapapp-speed"
                  class="mapapp-field-label">{{ this.t.speed | e }}</label>
                <select id="mapapp-speed" class="mapapp-select" disabled>
                  {%- for value, label in this.speeds %}
                  <option value="{{ value }}"
                    {%- if value == this.default_speed %} selected{% endif %}
                        >{{ label | e }}</option>
                  {%- endfor %}
                </select></span>
              <span class="mapapp-field"><label for="mapapp-range"
                  class="mapapp-field-label">{{ this.t.range | e }}</label>
                <select id="mapapp-range" class="mapapp-select" disabled></select></span>
            </div>
            <button type="button" id="mapapp-panel-toggle" class="mapapp-btn mapapp-panel-toggle"
                    aria-controls="mapapp-panel" aria-expanded="false"
                        >{{ this.t.events | e }}</button>
          </div>
          <div class="mapapp-slider-wrap">
            <canvas id="mapapp-strip" class="mapapp-strip" aria-hidden="true"></canvas>
            <input id="mapapp-slider" class="mapapp-slider" type="range" min="0" max="0"
                   step="1" value="0" aria-label="{{ this.t.date | e }}" disabled>
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

    def __init__(self, places_layer: MacroElement, incidents_layer: MacroElement,
                 tr: Translator = ENGLISH):
        super().__init__()
        self._name = "TimeSlider"
        self.places_layer = places_layer
        self.incidents_layer = incidents_layer
        self.icons = ICONS
        self.speeds = [(value, tr.gettext(label)) for value, label in PLAY_SPEEDS]
        self.default_speed = DEFAULT_SPEED
        self.t = {
            "timeline": tr.gettext("Timeline"),
            "prev": tr.gettext("Previous change"),
            "prev_key": tr.gettext("Previous change (Shift+←)"),
            "play": tr.gettext("Play"),
            "play_key": tr.gettext("Play (Space)"),
            "next": tr.gettext("Next change"),
            "next_key": tr.gettext("Next change (Shift+→)"),
            "loading": tr.gettext("loading data…"),
            "go_to": tr.gettext("Go to"),
            "speed": tr.gettext("Speed"),
            "range": tr.gettext("Range"),
            "events": tr.gettext("Events"),
            "date": tr.gettext("Date"),
            # time runs with the text: right to left in a right-to-left language
            "prev_keys": "Shift+ArrowRight" if tr.direction == "rtl" else "Shift+ArrowLeft",
            "next_keys": "Shift+ArrowLeft" if tr.direction == "rtl" else "Shift+ArrowRight",
        }


class ViewerPanel(MacroElement):
    """Side panel (a drawer on phones): events, place history, compare, areas."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <aside id="mapapp-panel" class="mapapp-panel" aria-label="{{ this.t.panel_label | e }}">
          <div class="mapapp-panel-head">
            <div id="mapapp-tabs" class="mapapp-tabs" role="tablist"
                aria-label="{{ this.t.panel | e }}">
              {%- for name, label in this.tabs %}
              <button type="button" role="tab" id="mapapp-tab-{{ name }}" class="mapapp-tab"
                      aria-controls="mapapp-pane-{{ name }}"
                      aria-selected="{{ 'true' if loop.first else 'false' }}"
                      tabindex="{{ 0 if loop.first else -1 }}">{{ label | e }}</button>
              {%- endfor %}
            </div>
            <button type="button" id="mapapp-panel-close" class="mapapp-btn mapapp-panel-close"
                    aria-label="{{ this.t.close_panel | e }}"
                        title="{{ this.t.close | e }}">×</button>
          </div>
          <section id="mapapp-pane-events" class="mapapp-pane" role="tabpanel"
                   aria-labelledby="mapapp-tab-events">
            <h2 class="mapapp-visually-hidden">{{ this.t.events | e }}</h2>
            <p class="mapapp-hint">{{ this.t.events_hint[0] | e -}}
                <span id="mapapp-events-count"></span>
              {{- this.t.events_hint[1] | e }}</p>
            <ol id="mapapp-events" class="mapapp-events" aria-label="{{ this.t.events | e }}"></ol>
          </section>
          <section id="mapapp-pane-place" class="mapapp-pane" role="tabpanel"
                   aria-labelledby="mapapp-tab-place" hidden>
            <div id="mapapp-place">
              <p class="mapapp-hint">{{ this.t.place_hint | e }}</p>
            </div>
          </section>
          <section id="mapapp-pane-compare" class="mapapp-pane" role="tabpanel"
                   aria-labelledby="mapapp-tab-compare" hidden>
            <h2 class="mapapp-visually-hidden">{{ this.t.compare_title | e }}</h2>
            <p class="mapapp-hint"
                >{{ this.t.compare_hint[0] | e }}<output id="mapapp-compare-now"></output>
              {{- this.t.compare_hint[1] | e }}</p>
            <div class="mapapp-compare-row">
              <span class="mapapp-field"><label for="mapapp-compare-date"
                  class="mapapp-field-label">{{ this.t.second_date | e }}</label>
                <input type="date" id="mapapp-compare-date" class="mapapp-input"></span>
              <button type="button" id="mapapp-compare-week" class="mapapp-btn mapapp-btn-text"
                      >{{ this.t.week_earlier | e }}</button>
              <button type="button" id="mapapp-compare-clear" class="mapapp-btn mapapp-btn-text"
                      disabled>{{ this.t.clear_button | e }}</button>
            </div>
            <label class="mapapp-check"><input type="checkbox" id="mapapp-compare-outline" checked>
              {{ this.t.outline | e }}</label>
            <p id="mapapp-compare-summary" class="mapapp-compare-summary" aria-live="polite"></p>
            <ul id="mapapp-compare-gains" class="mapapp-compare-gains"
                aria-label="{{ this.t.gains | e }}"></ul>
            <ul id="mapapp-compare-list" class="mapapp-compare-list"
                aria-label="{{ this.t.changed | e }}"></ul>
          </section>
          <section id="mapapp-pane-areas" class="mapapp-pane" role="tabpanel"
                   aria-labelledby="mapapp-tab-areas" hidden>
            <h2 class="mapapp-visually-hidden">{{ this.t.areas | e }}</h2>
            <p class="mapapp-hint">{{ this.t.areas_hint | e }}</p>
            <div id="mapapp-chart" class="mapapp-chart"></div>
            <table id="mapapp-areas" class="mapapp-areas">
              <caption id="mapapp-areas-caption"></caption>
              <thead><tr><th scope="col">{{ this.t.faction | e }}</th>
                  <th scope="col">{{ this.t.area | e }}</th>
                <th scope="col">{{ this.t.share | e }}</th></tr></thead>
              <tbody></tbody>
            </table>
            <p id="mapapp-areas-note" class="mapapp-hint"></p>
          </section>
        </aside>
        {% endmacro %}
        """
    )

    TABS = (("events", N_("Events")), ("place", N_("Place")), ("compare", N_("Compare")),
            ("areas", N_("Areas")))

    def __init__(self, tr: Translator = ENGLISH) -> None:
        super().__init__()
        self._name = "ViewerPanel"
        self.tabs = [(name, tr.gettext(label)) for name, label in self.TABS]
        self.t = {
            "panel_label": tr.gettext("Events and details"),
            "panel": tr.gettext("Panel"),
            "close_panel": tr.gettext("Close panel"),
            "close": tr.gettext("Close"),
            "events": tr.gettext("Events"),
            # a sentence around the count of events ("62 events"), split at its slot
            "events_hint": _around(tr.gettext("{count}: control changes and incidents in date "
                                              "order. Choose one to go to its date and place."),
                                   "count"),
            "place_hint": tr.gettext("Choose a place on the map, then “History”."),
            "compare_title": tr.gettext("Compare two dates"),
            "compare_hint": _around(tr.gettext("Compare the map’s date ({date}) with another "
                                               "date."), "date"),
            "second_date": tr.gettext("Second date"),
            "week_earlier": tr.gettext("A week earlier"),
            "clear_button": tr.gettext("Clear"),
            "outline": tr.gettext("Outline on the map, in the new holder’s colour"),
            "gains": tr.gettext("Gains and losses"),
            "changed": tr.gettext("Places that changed hands"),
            "areas": tr.gettext("Areas"),
            "areas_hint": tr.gettext("Area held by each faction over the slider’s range, from "
                                     "equal-area outlines. Click the chart to go to a date."),
            "faction": tr.gettext("Faction"),
            "area": tr.gettext("Area"),
            "share": tr.gettext("Share"),
        }


def _around(sentence: str, slot: str) -> tuple[str, str]:
    """The text before and after ``{slot}``: an element the page fills stands there, so a
    translation may move it anywhere in the sentence.

    >>> _around("Compare ({date}) now.", "date")
    ('Compare (', ') now.')
    """
    before, _, after = sentence.partition("{" + slot + "}")
    return before, after
