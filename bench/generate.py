"""Write a synthetic data set in the data contract (DESIGN.md §1), deterministically.

Places are the cells of a Voronoi tessellation of jittered grid points, bent by a smooth
displacement field so that their edges look like district boundaries (10–40 vertices each).
Control events are a random walk of who holds each place among a handful of factions, with
held, contested and joint states and a mix of confidences; a few incidents are added.

    python -m bench.generate OUT_DIR --places 5000 --events 30000 --days 1000 --seed 6
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely

# Grid spacing of the seed points in degrees of latitude: cells of about 5 km, like districts.
SPACING = 0.05
ORIGIN = (36.0, 30.0)  # lon, lat of the south-west corner: a made-up country "XX"
TARGET_VERTICES = 22  # per ring on average; the contract's realism, not a hard number
COORDINATE_DECIMALS = 6
START = dt.date(2015, 1, 1)
GENERATOR_VERSION = 3  # bump when the output for a given Spec changes: invalidates caches

# Colours that mapapp validate's colour check (docs/data.md §7) passes, all six together.
FACTIONS = [
    ("red-front", "Red Front", "Red", "#dc3d1f"),
    ("blue-coalition", "Blue Coalition", "Blue", "#3d63d8"),
    ("green-movement", "Green Movement", "Green", "#007885"),
    ("amber-alliance", "Amber Alliance", "Amber", "#f2c40f"),
    ("black-banner", "Black Banner", "Black", "#1a1a1a"),
    ("violet-union", "Violet Union", "Violet", "#5409fe"),
]
PREFIXES = [("Tal", "تل"), ("Kafr", "كفر"), ("Deir", "دير"), ("Ain", "عين"), ("Beit", "بيت"),
            ("Umm", "أم"), ("Abu", "أبو"), ("Ras", "رأس"), ("Jisr", "جسر"), ("Khirbet", "خربة")]
ROOTS = [("Hamra", "الحمرا"), ("Nasr", "النصر"), ("Zahra", "الزهراء"), ("Salam", "السلام"),
         ("Kabir", "الكبير"), ("Jadid", "الجديد"), ("Sharqi", "الشرقي"), ("Gharbi", "الغربي"),
         ("Qadim", "القديم"), ("Wadi", "الوادي"), ("Nahr", "النهر"), ("Jabal", "الجبل"),
         ("Sukkar", "السكر"), ("Tawil", "الطويل"), ("Bayda", "البيضاء"), ("Khadra", "الخضراء")]
EVENT_COLUMNS = ["id", "date", "type", "place", "status", "factions", "lon", "lat", "summary",
                 "source_title", "source_url", "source_date", "confidence", "notes"]
CONFIDENCE_WEIGHTS = {"confirmed": 0.8, "claimed": 0.15, "disputed": 0.05}


@dataclass(frozen=True)
class Spec:
    """What to generate. ``events`` counts control events; incidents come on top."""

    places: int
    events: int
    days: int
    factions: int = 5
    incidents: int = -1  # -1: one incident per 50 control events
    seed: int = 6

    def incident_count(self) -> int:
        return max(1, self.events // 50) if self.incidents < 0 else self.incidents


def generate(directory: Path, spec: Spec) -> Path:
    """Write the data set of ``spec`` to ``directory`` (created) and return it."""
    if not 4 <= spec.factions <= len(FACTIONS):
        raise ValueError(f"factions must be 4..{len(FACTIONS)}, got {spec.factions}")
    if spec.events < spec.places:
        raise ValueError("need at least one control event per place")
    if spec.events > spec.places * spec.days:
        raise ValueError("more control events than (place, day) pairs")
    rng = np.random.default_rng(spec.seed)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    cells = tessellate(spec.places, rng)
    places = _place_records(cells, rng)
    _write_places(directory / "places.geojson", places, cells)
    _write_factions(directory / "factions.csv", spec.factions)
    _write_views(directory / "views.csv", cells)
    control = control_walk(spec.places, spec.events, spec.days, spec.factions, rng)
    incidents = _incidents(spec, cells, rng)
    _write_events(directory / "events.csv", control, incidents, places)
    _write_sources(directory / "SOURCES.md", spec)
    return directory


# --- geometry ----------------------------------------------------------------------------


def tessellate(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` valid, non-overlapping lon/lat polygons that tile a box, CCW (RFC 7946)."""
    nx = math.ceil(math.sqrt(n))
    ny = math.ceil(n / nx)
    grid = np.stack(np.meshgrid(np.arange(nx), np.arange(ny)), axis=-1).reshape(-1, 2)
    # Dropping random grid points leaves a few larger cells, as real districts vary.
    keep = np.sort(rng.choice(len(grid), size=n, replace=False))
    points = grid[keep].astype(float) + rng.uniform(-0.4, 0.4, size=(n, 2))
    box = shapely.box(-0.5, -0.5, nx - 0.5, ny - 0.5)
    diagram = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=box, ordered=True)
    cells = shapely.orient_polygons(shapely.intersection(shapely.get_parts(diagram), box))
    # Same max segment length everywhere: a shared edge gets the same points from both sides.
    segment = float(np.mean(shapely.length(cells))) / TARGET_VERTICES
    cells = shapely.segmentize(cells, segment)
    coords = shapely.get_coordinates(cells)
    lonlat = _to_lonlat(_warp(coords, rng))
    return shapely.set_coordinates(cells, np.round(lonlat, COORDINATE_DECIMALS))


def _warp(xy: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Bend the plane with a few sine waves. Their summed slope (amplitude x wavenumber) stays
    below 1, so the map is one-to-one: cells stay valid, keep their shared edges and do not
    overlap, while the straight Voronoi edges turn into irregular boundaries."""
    out = xy.copy()
    for wavelength, amplitude in ((6.0, 0.1), (6.0, 0.1), (0.7, 0.012), (0.7, 0.012)):
        k = 2 * math.pi / wavelength
        angle, phase, push = rng.uniform(0, 2 * math.pi, size=3)
        wave = np.sin(k * (xy[:, 0] * math.cos(angle) + xy[:, 1] * math.sin(angle)) + phase)
        out += amplitude * wave[:, None] * np.array([math.cos(push), math.sin(push)])
    return out


def _to_lonlat(xy: np.ndarray) -> np.ndarray:
    # Wider in longitude so that cells are roughly square on the ground.
    lat_mid = ORIGIN[1] + xy[:, 1].max() * SPACING / 2
    lon_step = SPACING / math.cos(math.radians(lat_mid))
    return np.c_[ORIGIN[0] + xy[:, 0] * lon_step, ORIGIN[1] + xy[:, 1] * SPACING]


# --- places ------------------------------------------------------------------------------


def _place_records(cells: np.ndarray, rng: np.random.Generator) -> list[dict[str, Any]]:
    n = len(cells)
    prefix = rng.integers(0, len(PREFIXES), size=n)
    root = rng.integers(0, len(ROOTS), size=n)
    has_arabic = rng.random(n) < 0.6
    derived = rng.random(n) < 0.25
    records = []
    for i in range(n):
        latin = f"{PREFIXES[prefix[i]][0]} {ROOTS[root[i]][0]}"
        arabic = f"{PREFIXES[prefix[i]][1]} {ROOTS[root[i]][1]}"
        records.append({
            "id": f"{latin.lower().replace(' ', '-')}-{i + 1}",
            "name": latin,
            "name_ar": arabic if has_arabic[i] else None,
            "kind": "district",
            "parent": None,
            "country": "XX",
            "geometry_quality": "derived" if derived[i] else "official",
            "geometry_source": "synthetic (derived: warped Voronoi cell)" if derived[i]
            else "synthetic",
        })
    return records


def _write_places(path: Path, places: list[dict[str, Any]], cells: np.ndarray) -> None:
    features = []
    for record, geometry in zip(places, shapely.to_geojson(cells), strict=True):
        properties = {k: v for k, v in record.items() if k != "id"}
        features.append({"type": "Feature", "id": record["id"], "properties": properties,
                         "geometry": json.loads(geometry)})
    # One feature per line: small diffs and line numbers that mean something in errors.
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":"))
                      for f in features)
    path.write_text('{"type":"FeatureCollection","features":[\n' + body + "\n]}\n",
                    encoding="utf-8")


def _write_factions(path: Path, count: int) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "short_name", "color", "description"])
        for fid, name, short, color in FACTIONS[:count]:
            writer.writerow([fid, name, short, color, f"Synthetic faction ({name})."])


def _write_views(path: Path, cells: np.ndarray) -> None:
    west, south, east, north = shapely.total_bounds(cells)
    mx, my = (east - west) * 0.02, (north - south) * 0.02
    cx, cy = (west + east) / 2, (south + north) / 2
    qx, qy = (east - west) / 8, (north - south) / 8
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "west", "south", "east", "north"])
        writer.writerow(["overview", "The whole synthetic country",
                         *(round(v, 4) for v in (west - mx, south - my, east + mx, north + my))])
        writer.writerow(["centre", "The centre",
                         *(round(v, 4) for v in (cx - qx, cy - qy, cx + qx, cy + qy))])


# --- events ------------------------------------------------------------------------------


@dataclass
class Control:
    """Control events as columns, sorted by (day, place)."""

    place: np.ndarray
    day: np.ndarray
    status: list[str]
    factions: list[tuple[int, ...]]
    confidence: list[str]


def control_walk(n: int, m: int, days: int, k: int, rng: np.random.Generator) -> Control:
    """``m`` control events over ``days`` days, never two for one place on one day.

    Every place gets a first event, most on day 0 so that the map starts mostly filled; the
    rest fall on random distinct (place, day) pairs. Along each place's events the holder
    walks among ``k`` factions.
    """
    first_day = np.where(rng.random(n) < 0.7, 0, rng.integers(0, max(1, days // 2), size=n))
    codes = np.arange(n, dtype=np.int64) * days + first_day
    codes = np.union1d(codes, _random_pairs(n, days, m - n, codes, rng))
    place, day = codes // days, codes % days  # sorted by place, then day
    status, factions, confidence = _walk(place, k, rng)
    order = np.lexsort((place, day))
    return Control(place=place[order], day=day[order],
                   status=[status[i] for i in order], factions=[factions[i] for i in order],
                   confidence=[confidence[i] for i in order])


def _random_pairs(n: int, days: int, count: int, taken: np.ndarray,
                  rng: np.random.Generator) -> np.ndarray:
    """``count`` distinct (place, day) codes, none of them in ``taken``."""
    found = np.empty(0, dtype=np.int64)
    while len(found) < count:
        draw = rng.integers(0, n * days, size=int((count - len(found)) * 1.1) + 16)
        found = np.setdiff1d(np.union1d(found, draw), taken)
    return rng.choice(found, size=count, replace=False) if len(found) > count else found


def _walk(place: np.ndarray, k: int, rng: np.random.Generator
          ) -> tuple[list[str], list[tuple[int, ...]], list[str]]:
    m = len(place)
    roll = rng.random(m)
    other = rng.integers(1, k, size=m)  # an offset, so the other faction is never the holder
    start = rng.integers(0, k, size=m)
    confidence = rng.choice(list(CONFIDENCE_WEIGHTS), size=m,
                            p=list(CONFIDENCE_WEIGHTS.values())).tolist()
    status: list[str] = []
    factions: list[tuple[int, ...]] = []
    previous = -1
    for i in range(m):
        if place[i] != previous:  # a place's first event: someone holds it
            previous = place[i]
            state: tuple[str, tuple[int, ...]] = ("held", (int(start[i]),))
        else:
            state = _step(state, roll[i], int(other[i]), k)
        status.append(state[0])
        factions.append(state[1])
    return status, factions, confidence


def _step(state: tuple[str, tuple[int, ...]], roll: float, offset: int, k: int
          ) -> tuple[str, tuple[int, ...]]:
    kind, held = state
    holder = held[0]
    if kind == "contested":  # a fight ends: mostly the attacker wins
        attacker = held[1]
        if roll < 0.6:
            return "held", (attacker,)
        return ("held", (holder,)) if roll < 0.9 else ("joint", (holder, attacker))
    rival = (holder + offset) % k
    if roll < 0.55:
        return "held", (rival,)
    if roll < 0.85:
        return "contested", (holder, rival)
    if roll < 0.95:
        return "joint", (holder, rival)
    return "held", (holder,)  # re-reported, e.g. a claim confirmed


def _incidents(spec: Spec, cells: np.ndarray, rng: np.random.Generator) -> list[dict[str, Any]]:
    count = spec.incident_count()
    day = np.sort(rng.integers(0, spec.days, size=count))
    place = rng.integers(0, spec.places, size=count)
    at_place = rng.random(count) < 0.7
    actor = rng.integers(0, spec.factions, size=count)
    west, south, east, north = shapely.total_bounds(cells)
    lon = rng.uniform(west, east, size=count)
    lat = rng.uniform(south, north, size=count)
    return [{"day": int(day[j]), "place": int(place[j]) if at_place[j] else None,
             "lon": None if at_place[j] else round(float(lon[j]), 5),
             "lat": None if at_place[j] else round(float(lat[j]), 5),
             "actor": int(actor[j])} for j in range(count)]


def _write_events(path: Path, control: Control, incidents: list[dict[str, Any]],
                  places: list[dict[str, Any]]) -> None:
    dates = [(START + dt.timedelta(days=d)).isoformat() for d in range(int(
        max(control.day.max(initial=0), max((i["day"] for i in incidents), default=0))) + 3)]
    status_words = {"held": "took control of", "contested": "is fighting over",
                    "joint": "share control of"}
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(EVENT_COLUMNS)
        for j in range(len(control.day)):
            day, place = int(control.day[j]), places[int(control.place[j])]
            who = [FACTIONS[f] for f in control.factions[j]]
            eid = f"{dates[day]}-{place['id']}"
            summary = (f"{' and '.join(w[1] for w in who)} {status_words[control.status[j]]} "
                       f"{place['name']}.")
            writer.writerow([eid, dates[day], "control", place["id"], control.status[j],
                             ";".join(w[0] for w in who), "", "", summary,
                             f"Synthetic report on {place['name']}",
                             f"https://example.org/reports/{eid}", dates[day + (j % 3)],
                             control.confidence[j], ""])
        for j, inc in enumerate(incidents):
            place = places[inc["place"]] if inc["place"] is not None else None
            where = place["name"] if place else "open country"
            eid = f"{dates[inc['day']]}-incident-{j + 1}"
            writer.writerow([eid, dates[inc["day"]], "incident", place["id"] if place else "",
                             "", FACTIONS[inc["actor"]][0],
                             "" if inc["lon"] is None else inc["lon"],
                             "" if inc["lat"] is None else inc["lat"],
                             f"Shelling reported near {where}.", "Synthetic incident report",
                             f"https://example.org/incidents/{eid}", dates[inc["day"]],
                             "claimed", ""])


def _write_sources(path: Path, spec: Spec) -> None:
    path.write_text(
        "# Sources — synthetic benchmark data\n\n"
        f"Credit: Synthetic data from bench/generate.py (seed {spec.seed}); no real places\n\n"
        "Generated for mapapp's performance benchmark. Places are warped Voronoi "
        "cells of jittered grid points; events are a random walk of control among made-up "
        "factions. Nothing here describes a real place or event.\n\n"
        f"Parameters: `{json.dumps(asdict(spec))}`, generator version {GENERATOR_VERSION}.\n",
        encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--places", type=int, default=1000)
    parser.add_argument("--events", type=int, default=10000, help="control events")
    parser.add_argument("--days", type=int, default=1000)
    parser.add_argument("--factions", type=int, default=5)
    parser.add_argument("--incidents", type=int, default=-1)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    spec = Spec(places=args.places, events=args.events, days=args.days, factions=args.factions,
                incidents=args.incidents, seed=args.seed)
    started = time.perf_counter()
    generate(args.directory, spec)
    print(f"wrote {args.directory} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
