"""The scene: places and context projected to Web Mercator once per data version."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod, Transformer

from mapapp.contract import WGS84
from mapapp.timeline import Timeline

if TYPE_CHECKING:  # pragma: no cover - typing only: matplotlib is imported lazily
    import geopandas as gpd

from mapapp.snapshot.options import MERCATOR_MAX_LAT, WEB_MERCATOR

# --- the scene: projected geometry, built once per data version -------------------------


@dataclass
class Scene:
    version: str
    places: gpd.GeoDataFrame  # drawable places in EPSG:3857, indexed by place id
    anchors: np.ndarray  # (n, 2) label points in EPSG:3857, aligned with ``places``
    context: dict[str, gpd.GeoDataFrame]  # EPSG:3857
    clipped: OrderedDict[tuple[Any, ...], Any] = field(default_factory=OrderedDict)


_SCENES: OrderedDict[str, Scene] = OrderedDict()
_SCENE_LOCK = threading.Lock()
TO_MERCATOR = Transformer.from_crs(WGS84, WEB_MERCATOR, always_xy=True)
FROM_MERCATOR = Transformer.from_crs(WEB_MERCATOR, WGS84, always_xy=True)
GEOD = Geod(ellps="WGS84")


def scene_of(timeline: Timeline) -> Scene:
    """Projection is the slow part of a render, so it is done once per data version."""
    version = timeline.dataset.version
    with _SCENE_LOCK:
        if version in _SCENES:
            _SCENES.move_to_end(version)
            return _SCENES[version]
    ds = timeline.dataset
    places = ds.places
    drawable = places[places.geometry.notna() & ~places.geometry.is_empty
                      & (places["geometry_quality"] != "unknown")]
    # Label points are taken on the sphere's own coordinates (as the page does), then projected.
    points = shapely.point_on_surface(drawable.geometry.to_numpy())
    xs, ys = TO_MERCATOR.transform(shapely.get_x(points), shapely.get_y(points))
    clamped = drawable.copy()
    clamped["geometry"] = drawable.geometry.clip_by_rect(-180, -MERCATOR_MAX_LAT, 180,
                                                         MERCATOR_MAX_LAT)
    scene = Scene(
        version=version,
        places=clamped.to_crs(WEB_MERCATOR),
        anchors=np.column_stack([xs, ys]) if len(drawable) else np.zeros((0, 2)),
        context={name: _project_context(frame) for name, frame in ds.context.items()},
    )
    with _SCENE_LOCK:
        _SCENES[version] = scene
        while len(_SCENES) > 2:
            _SCENES.popitem(last=False)
    return scene


def _project_context(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.empty:
        return frame
    keep = [c for c in ("name",) if c in frame.columns] + [frame.geometry.name]
    frame = frame[keep].copy()
    frame["geometry"] = frame.geometry.clip_by_rect(-180, -MERCATOR_MAX_LAT, 180,
                                                    MERCATOR_MAX_LAT)
    frame = frame[~frame.geometry.is_empty]
    return frame.to_crs(WEB_MERCATOR)


def context_in(scene: Scene, name: str, extent: tuple[float, float, float, float],
                tolerance: float) -> gpd.GeoDataFrame:
    """Context clipped and simplified to the view; cached, as animation frames share it."""
    key = (name, tuple(round(v, 1) for v in extent), round(tolerance, 3))
    cached = scene.clipped.get(key)
    if cached is not None:
        return cached
    frame = scene.context[name]
    x0, y0, x1, y1 = extent
    pad_x, pad_y = (x1 - x0) * 0.02, (y1 - y0) * 0.02
    box = (x0 - pad_x, y0 - pad_y, x1 + pad_x, y1 + pad_y)
    hits: npt.NDArray[Any] | list[int] = frame.sindex.query(shapely.box(*box)) if len(frame) else []
    frame = frame.iloc[np.sort(np.asarray(hits, dtype=int))].copy()
    if len(frame) and not (frame.geom_type == "Point").all():
        frame["geometry"] = frame.geometry.clip_by_rect(*box).simplify(tolerance)
        frame = frame[~frame.geometry.is_empty]
    with _SCENE_LOCK:
        scene.clipped[key] = frame
        while len(scene.clipped) > 64:
            scene.clipped.popitem(last=False)
    return frame
