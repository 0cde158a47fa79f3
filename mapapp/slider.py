"""The time slider: a Folium element of our own (DESIGN.md §3).

It renders the timeline panel and hands the map, the places layer and the incidents layer
to ``mapapp.js``, which fetches the compact payload and applies or rewinds only the events
between two slider positions.
"""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template


class TimeSlider(MacroElement):
    """Bottom panel with the date, a range input over days and change ticks."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div id="mapapp-timeline" class="mapapp-timeline" role="group" aria-label="Timeline">
          <div class="mapapp-timeline-row">
            <output id="mapapp-date" class="mapapp-date" aria-live="polite">…</output>
            <span id="mapapp-status" class="mapapp-status">loading data…</span>
          </div>
          <div class="mapapp-slider-wrap">
            <div id="mapapp-ticks" class="mapapp-ticks" aria-hidden="true"></div>
            <input id="mapapp-slider" class="mapapp-slider" type="range" min="0" max="0"
                   step="1" value="0" aria-label="Date" disabled>
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
