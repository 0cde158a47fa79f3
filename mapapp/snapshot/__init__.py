"""Publication-ready static maps (PNG, SVG, PDF) and GIF animations, drawn with matplotlib.

Pure: no Flask. Options are parsed and validated in one place (:func:`parse_snapshot_options`,
:func:`parse_animation_options`) so that the web layer and the CLI reject the same bad input
with the same message, before anything is drawn. matplotlib is imported lazily, with the Agg
backend, the first time something is drawn.

Places are drawn in the page's style (:mod:`mapapp.style`): the holder's colour, paler and
crossed by horizontal lines when claimed or disputed, a thin diagonal hatch of the
challenger's colour when contested, equal stripes of both colours when joint, a dashed
outline when the geometry is derived, grey when there is no data. The map is in
Web Mercator, like the page.

Modules: ``options`` (parameters, validated before anything is drawn), ``fonts`` (matplotlib
and text), ``scene`` (projected geometry), ``paint`` (states in matplotlib terms),
``figure`` (composition) and ``layers`` (what is drawn on the map).
"""

from __future__ import annotations

import io
import time

from mapapp.errors import BusyError
from mapapp.snapshot.figure import MapFigure
from mapapp.snapshot.fonts import format_long_date
from mapapp.snapshot.options import (
    ANIMATION_FORMATS,
    ANIMATION_PARAMS,
    FORMATS,
    LANGUAGES,
    MAX_FRAMES,
    MAX_SIDE,
    MAX_SUBTITLE,
    MAX_TITLE,
    MIME_TYPES,
    MIN_SIDE,
    PRESETS,
    SNAPSHOT_PARAMS,
    STEPS,
    AnimationOptions,
    SnapshotOptions,
    parse_animation_options,
    parse_snapshot_options,
)
from mapapp.timeline import Timeline

__all__ = ["ANIMATION_FORMATS", "ANIMATION_PARAMS", "FORMATS", "LANGUAGES", "MAX_FRAMES",
           "MAX_SIDE", "MAX_SUBTITLE", "MAX_TITLE", "MIME_TYPES", "MIN_SIDE", "PRESETS",
           "SNAPSHOT_PARAMS", "STEPS",
           "AnimationOptions", "SnapshotOptions", "format_long_date", "parse_animation_options",
           "parse_snapshot_options", "render_animation", "render_snapshot"]


# --- public entry points -----------------------------------------------------------------


def render_snapshot(timeline: Timeline, options: SnapshotOptions) -> bytes:
    """Draw the map of ``options.date`` (or the change map since ``options.compare``).

    Parameters
    ----------
    timeline : Timeline
        The engine over the data set to draw.
    options : SnapshotOptions
        From :func:`parse_snapshot_options`; its ``fmt`` picks PNG, SVG or PDF.

    Returns
    -------
    bytes
        The file's bytes, ready to serve or write.

    Examples
    --------
    >>> opts = parse_snapshot_options({"date": "2001-05-02", "width": "400", "height": "300"},
    ...                               tl)
    >>> render_snapshot(tl, opts)[:4]
    b'\\x89PNG'
    """
    figure = MapFigure(timeline, options, [options.date])
    figure.draw_state(options.date)
    return figure.save(options.fmt)


def render_animation(timeline: Timeline, options: AnimationOptions,
                     time_limit: float | None = None) -> bytes:
    """Draw one frame per date of ``options.frames`` and assemble them into a looping GIF.

    The figure is composed once (legend and sources cover every frame, so the layout does
    not jump); only the places and the date change from frame to frame.

    Examples
    --------
    >>> params = {"from": "2001-05-01", "to": "2001-05-03", "width": "400", "height": "300"}
    >>> anim = parse_animation_options(params, tl)
    >>> render_animation(tl, anim)[:6]
    b'GIF89a'
    """
    from PIL import Image

    figure = MapFigure(timeline, options.base, list(options.frames))
    images = []
    # A request has a time budget: gunicorn's threaded workers never kill a slow request.
    deadline = None if time_limit is None else time.monotonic() + time_limit
    for date in options.frames:
        if deadline is not None and time.monotonic() > deadline:
            raise BusyError(f"the animation took longer than {time_limit:.0f} s to draw; ask for "
                            "fewer frames, a smaller size, or step=change", retry_after=30)
        figure.draw_state(date)
        images.append(Image.fromarray(figure.rgba()[..., :3]))
    # One palette for all frames, so colours do not flicker between them; it is taken from
    # a strip of a few frames spread over the animation so every state's colours are in it.
    sample = images[:: max(1, len(images) // 5)][:6] + [images[-1]]
    strip = Image.new("RGB", (sample[0].width, sample[0].height * len(sample)))
    for k, image in enumerate(sample):
        strip.paste(image, (0, k * image.height))
    palette = strip.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    frames = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    durations = [options.delay_ms] * len(frames)
    durations[-1] = max(options.delay_ms, 2000)  # hold the last state before looping
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:],
                   duration=durations, loop=0, optimize=False, disposal=1,
                   comment=f"{options.base.title}. Data: {timeline.dataset.credit}".encode())
    return buffer.getvalue()

