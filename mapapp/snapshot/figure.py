"""One figure: header, legend, map frame and footer, composed once per render."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from mapapp import i18n
from mapapp import style as st
from mapapp.compare import STATUS_CHANGE
from mapapp.contract import NO_DATA
from mapapp.dataset import faction_names, place_names
from mapapp.timeline import Timeline

if TYPE_CHECKING:  # pragma: no cover - typing only: matplotlib is imported lazily
    import geopandas as gpd
    from matplotlib.figure import Figure

from mapapp.snapshot import layers
from mapapp.snapshot.fonts import (
    ARABIC_FONT,
    LATIN_FONT,
    canvas_class,
    ellipsize,
    format_long_date,
    is_arabic,
    load_matplotlib,
    sources_line,
    text_width,
    wrap,
)
from mapapp.snapshot.options import WEB_MERCATOR, SnapshotOptions
from mapapp.snapshot.paint import (
    CHANGE_EDGE,
    MUTED,
    TEXT,
    StateStyle,
    patch_style,
    style_label,
    style_of,
    style_order,
)
from mapapp.snapshot.scene import TO_MERCATOR, scene_of

# --- the figure ------------------------------------------------------------------------


@dataclass
class TextLine:
    text: str
    size: float
    color: str = TEXT
    weight: str = "normal"


class MapFigure:
    """One figure: header, legend, map with context and labels, footer.

    Built once; :meth:`draw_state` draws the places of one date, so the frames of an
    animation share everything else.
    """

    def __init__(self, timeline: Timeline, options: SnapshotOptions,
                 dates: Sequence[dt.date]):
        load_matplotlib()
        from matplotlib.figure import Figure

        self.timeline = timeline
        self.options = options
        # The figure's words and their direction: right to left, the text is set from the
        # right margin and the legend flows leftwards; the map itself is not mirrored.
        self.tr = i18n.translator(options.lang, options.translations)
        self.rtl = self.tr.direction == "rtl"
        self.marked = 0
        self.scene = scene_of(timeline)
        self.dataset = timeline.dataset
        # Faction names in the figure's language (Arabic columns, else English).
        self.factions = faction_names(self.dataset.factions, options.lang)
        self.colors = dict(zip(self.dataset.factions.index, self.dataset.factions["color"],
                               strict=True))
        self.width_in = options.width / options.dpi
        self.height_in = options.height / options.dpi
        # Type and line sizes follow the picture's physical size, within reason.
        self.s = float(np.clip(math.sqrt(self.width_in * self.height_in / 96.0), 0.6, 1.5))
        self.margin = 0.28 * self.s
        self.fig: Figure = Figure(figsize=(self.width_in, self.height_in), dpi=options.dpi,
                                  facecolor="white")
        self.canvas = canvas_class()(self.fig)
        self.dynamic: list[Any] = []
        self.labelled = False
        self.towns: gpd.GeoDataFrame | None = None
        self.visible = self._visible_places()
        self.states = {d: timeline.state_at(d) for d in dates}
        self.changed = self._changes() if options.compare else None
        self._compose()

    # --- what is visible ---------------------------------------------------------------

    def _extent_3857(self) -> tuple[float, float, float, float]:
        west, south, east, north = self.options.bbox
        (x0, x1), (y0, y1) = TO_MERCATOR.transform([west, east], [south, north])
        return x0, y0, x1, y1

    def _visible_places(self) -> np.ndarray:
        places = self.scene.places
        if places.empty:
            return np.zeros(0, dtype=bool)
        hits = places.sindex.query(shapely.box(*self._extent_3857()))
        mask = np.zeros(len(places), dtype=bool)
        mask[np.asarray(hits, dtype=int)] = True
        return mask

    def _styles_shown(self) -> list[StateStyle]:
        ids = self.scene.places.index[self.visible]
        seen: set[StateStyle] = set()
        for state in self.states.values():
            rows = state.loc[ids]
            for status, factions, conf in zip(rows["status"], rows["factions"],
                                              rows["confidence"], strict=True):
                seen.add(style_of(status, factions, conf))
        order = {f: i for i, f in enumerate(self.dataset.factions.index)}
        return sorted(seen, key=lambda s: style_order(s, order))

    def _source_titles(self) -> list[str]:
        ids = self.scene.places.index[self.visible]
        counts: Counter[str] = Counter()
        for state in self.states.values():
            rows = state.loc[ids]
            counts.update(t for t, s in zip(rows["source_title"], rows["status"], strict=True)
                          if s != NO_DATA and t)
        return [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def _changes(self) -> Any:
        assert self.options.compare is not None
        comparison = self.timeline.gains_and_losses(self.options.compare, self.options.date)
        shown = set(self.scene.places.index[self.visible])
        # A place without a drawable geometry is still a change worth listing.
        undrawn = set(self.timeline.place_ids) - set(self.scene.places.index)
        return comparison.only(shown | undrawn)

    # --- composition -------------------------------------------------------------------

    def _compose(self) -> None:
        o, s, m = self.options, self.s, self.margin
        inner = self.width_in - 2 * m
        top = self.height_in - m
        # Header: title, subtitle, date.
        header: list[TextLine] = []
        for line in wrap(o.title, 19 * s, inner, 2, "bold"):
            header.append(TextLine(line, 19 * s, TEXT, "bold"))
        for line in wrap(o.subtitle, 11.5 * s, inner, 3) if o.subtitle else []:
            header.append(TextLine(line, 11.5 * s, "#333333"))
        top = self._stack(header, top, m)
        self.date_text = self._text(m, top - 13 * s / 72, "", fontsize=12 * s,
                                    fontweight="bold", color="#333333")
        top -= 12 * s * 1.45 / 72
        top = self._legend(top - 0.04 * s, inner)
        # Footer, bottom up: sources, credit, then the list of gains and losses.
        footer: list[TextLine] = []
        if self.changed is not None:
            head, *rest = self._change_lines(inner)
            footer += [TextLine(head, 9 * s, TEXT, "bold")]
            footer += [TextLine(line, 9 * s, TEXT) for line in rest]
            footer.append(TextLine("", 4 * s))  # a little air before the credits
        footer.append(TextLine(self.tr.message("Data: {credit}", credit=self.dataset.credit),
                               7.8 * s, MUTED))
        footer += [TextLine(line, 7.8 * s, MUTED)
                   for line in sources_line(self._source_titles(), 7.8 * s, inner, self.tr)]
        footer_height = sum(t.size * 1.35 / 72 for t in footer)
        self._stack(footer, m + footer_height, m)
        bottom = m + footer_height + 0.1 * s
        self._map_axes(bottom, top - 0.08 * s)

    def _stack(self, lines: Sequence[TextLine], top: float, left: float) -> float:
        """Lines of text downwards from ``top`` (inches); returns the new top."""
        for t in lines:
            top -= t.size * 1.3 / 72
            self._text(left, top + t.size * 0.25 / 72, t.text, fontsize=t.size, color=t.color,
                       fontweight=t.weight)
        return top - 0.04 * self.s

    def _text(self, x: float, y: float, text: str, **kw: Any) -> Any:
        """Text at ``x`` inches from the start edge (the right one in a right-to-left
        language), ``y`` inches up."""
        if self.rtl:
            x, kw["ha"] = self.width_in - x, "right"
        artist = self.fig.text(x / self.width_in, y / self.height_in, text, va="baseline",
                               parse_math=False, **kw)
        self.mark_script(artist, text)
        return artist

    def mark_script(self, artist: Any, text: str) -> None:
        """Arabic text gets the Arabic font, is shaped right to left, and is marked
        ``xml:lang="ar" direction="rtl"`` in SVG (its gid; :func:`_svg_pixels`)."""
        if self.options.lang == "ar" or is_arabic(text):
            artist.set_family([ARABIC_FONT, LATIN_FONT])
            artist.set_language("ar")
            self.marked += 1
            artist.set_gid(f"mapapp-ar-text-{self.marked}")

    def _legend(self, top: float, width: float) -> float:
        """A flowing legend of the states shown, above the map, like Datawrapper's key."""
        from matplotlib.patches import Rectangle

        s, m = self.s, self.margin
        size = 9.5 * s
        sw_w, sw_h, gap = 0.26 * s, 0.16 * s, 0.08 * s
        entries: list[tuple[str, dict[str, Any]]] = []
        for style in self._styles_shown():
            kw = patch_style(style, self.colors)
            kw["linewidth"] = 0.6
            entries.append((style_label(style, self.factions, self.tr), kw))
        derived = self.scene.places["geometry_quality"].to_numpy()[self.visible] == "derived"
        if derived.any():
            entries.append((self.tr.gettext(st.LEGEND["derived_outline"]),
                            {"facecolor": "none", "edgecolor": "#333333", "linewidth": 1.0,
                             "linestyle": (0, (3, 2))}))
        if self.changed is not None and self.options.compare is not None:
            entries.append((st.fill_template(self.tr.gettext(st.LEGEND["changed_faded"]),
                                             date=format_long_date(self.options.compare,
                                                                   self.tr)),
                            {"facecolor": "none", "edgecolor": CHANGE_EDGE,
                             "linewidth": 2.0}))
        if not entries:
            return top
        row_h = size * 1.55 / 72
        x, y = m, top - row_h
        for label, kw in entries:
            label_w = text_width(label, size, arabic=self.options.lang == "ar")
            item_w = sw_w + gap + label_w + 0.22 * s
            if x > m and x + item_w > m + width:
                x, y = m, y - row_h
            # from the start edge: mirrored right to left, swatch first in reading order
            box_x = self.width_in - x - sw_w if self.rtl else x
            self.fig.add_artist(Rectangle((box_x, y + 0.02 * s), sw_w, sw_h,
                                          transform=self.fig.dpi_scale_trans, **kw))
            self._text(x + sw_w + gap, y + 0.035 * s, label, fontsize=size, color=TEXT)
            x += item_w
        return y - 0.06 * s

    def _change_lines(self, width: float) -> list[str]:
        """'Government gained 3 places (12.4 km²): Kanamat, …' per faction, then losses,
        then first reports (:meth:`Timeline.gains_and_losses`: not counted as gains)."""
        assert self.changed is not None and self.options.compare is not None
        names = place_names(self.dataset.places, self.options.lang)
        factions = self.factions
        area = self.timeline.areas_km2
        comparison = self.changed
        tr = self.tr
        since = format_long_date(self.options.compare, tr)
        if comparison.changes.empty:
            return [tr.message("No place changed hands between {from} and {to}.",
                               **{"from": since,
                                  "to": format_long_date(self.options.date, tr)})]
        size = 9 * self.s
        comma = tr.gettext(", ")
        heads = {"gained": i18n.Nn_("{who} gained {n} place", "{who} gained {n} places"),
                 "lost": i18n.Nn_("{who} lost {n} place", "{who} lost {n} places"),
                 "first_holders": i18n.Nn_("{who} first reported holding {n} place",
                                           "{who} first reported holding {n} places")}
        lines = []
        for column, forms in heads.items():
            for fid, places in comparison.places_by_faction(column).items():
                km2 = sum(float(area.get(p, 0.0)) for p in places)
                who = str(factions.loc[fid, "short_name"] or factions.loc[fid, "name"])
                head = tr.nmessage(*forms, len(places), who=who)
                head += f" ({km2_text(km2, tr)})" if km2 >= 0.05 else ""
                listed = comma.join(str(names.get(p, p)) for p in places)
                lines.append(ellipsize(tr.message("{head}: {list}", head=head, list=listed),
                                       size, width))
        rows = comparison.changes
        other = list(rows["place"][rows["kind"] == STATUS_CHANGE])
        if other:  # e.g. held -> contested by the same holder: a change, but no gain or loss
            listed = comma.join(str(names.get(p, p)) for p in other)
            lines.append(ellipsize(tr.message("Status changed without changing hands: {list}",
                                              list=listed), size, width))
        return [tr.message("Gains and losses since {date}:", date=since)] + lines[:7]

    def _map_axes(self, bottom: float, top: float) -> None:
        m = self.margin
        left, width = m, self.width_in - 2 * m
        height = max(top - bottom, 0.5)
        ax = self.fig.add_axes((left / self.width_in, bottom / self.height_in,
                                width / self.width_in, height / self.height_in))
        self.ax = ax
        ax.set_facecolor(st.SEA)
        ax.set_xticks([])
        ax.set_yticks([])
        # GeoDataFrame.plot names the axes after the CRS ("Easting [metre]"): not on a map.
        ax.xaxis.label.set_visible(False)
        ax.yaxis.label.set_visible(False)
        for spine in ax.spines.values():
            spine.set_edgecolor("#9a9a9a")
            spine.set_linewidth(0.6)
        # Fit the view like Leaflet's fitBounds: the whole box visible, the axes filled.
        x0, y0, x1, y1 = self._extent_3857()
        w_px, h_px = width * self.options.dpi, height * self.options.dpi
        scale = max((x1 - x0) / w_px, (y1 - y0) / h_px)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        self.extent = (cx - scale * w_px / 2, cy - scale * h_px / 2,
                       cx + scale * w_px / 2, cy + scale * h_px / 2)
        dpi = self.options.dpi
        # The map's frame in image pixels, top-down like the image rows.
        self.map_px = (left * dpi, (self.height_in - bottom - height) * dpi,
                       (left + width) * dpi, (self.height_in - bottom) * dpi)
        self.px_size = scale
        ax.set_xlim(self.extent[0], self.extent[2])
        ax.set_ylim(self.extent[1], self.extent[3])
        ax.set_autoscale_on(False)
        layers.draw_context(self)
        layers.scale_bar(self)


    def pt(self, points: float) -> float:
        """A length in typographic points, in map units (metres of Web Mercator)."""
        return points / 72 * self.options.dpi * self.px_size


    # --- per date ----------------------------------------------------------------------

    def draw_state(self, date: dt.date) -> None:
        """Draw the places as they were on ``date`` (replacing a previous date's)."""
        layers.draw_state(self, date)

    # --- output ------------------------------------------------------------------------

    def metadata(self) -> dict[str, str]:
        o = self.options
        when = (f"{o.compare.isoformat()} to {o.date.isoformat()}" if o.compare
                else o.date.isoformat())
        return {"Title": o.title, "Description": f"{o.subtitle} {when}".strip(),
                "Copyright": self.dataset.credit, "Software": "mapapp"}

    def save(self, fmt: str) -> bytes:
        buffer = io.BytesIO()
        meta = self.metadata()
        if fmt == "png":
            # The map frame and its extent travel with the image: a reader can georeference it.
            frame = {"crs": WEB_MERCATOR, "pixels": [round(v, 2) for v in self.map_px],
                     "extent": [round(v, 3) for v in self.extent]}
            meta = meta | {"Source": f"mapapp data version {self.dataset.version}",
                           "mapapp:map-frame": json.dumps(frame)}
            self.fig.savefig(buffer, format="png", dpi=self.options.dpi, metadata=meta)
        elif fmt == "svg":
            self.fig.savefig(buffer, format="svg", metadata={
                "Title": meta["Title"], "Description": meta["Description"],
                "Rights": meta["Copyright"], "Creator": "mapapp", "Date": None})
            return _svg_pixels(buffer.getvalue(), self.options)
        else:
            self.fig.savefig(buffer, format="pdf", metadata={
                "Title": meta["Title"], "Subject": meta["Description"],
                "Author": meta["Copyright"], "Creator": "mapapp", "CreationDate": None})
        return buffer.getvalue()

    def rgba(self) -> np.ndarray:
        self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())



def km2_text(value: float, tr: i18n.Translator = i18n.ENGLISH) -> str:
    return tr.message("{area} km²", area=f"{value:,.1f}" if value < 100 else f"{value:,.0f}")



_SVG_ROOT = re.compile(rb'<svg([^>]*?)width="[^"]*" height="[^"]*"')


def _svg_pixels(svg: bytes, options: SnapshotOptions) -> bytes:
    """Size the SVG in pixels (matplotlib writes points) and mark Arabic labels right-to-left."""
    svg = _SVG_ROOT.sub(
        lambda m: b'<svg' + m.group(1) +
        f'width="{options.width}" height="{options.height}"'.encode(), svg, count=1)
    return re.sub(rb'<g id="(mapapp-ar-[a-z0-9-]+)"',
                  rb'<g id="\1" xml:lang="ar" direction="rtl"', svg)
