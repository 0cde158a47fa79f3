"""gunicorn settings for mapapp (``gunicorn -c deploy/gunicorn.conf.py wsgi:app``).

The master imports the libraries the app needs, but creates no app and loads no data: the
workers it forks inherit the imported modules, so a worker that starts after a HUP, a
crash or --max-requests is serving as soon as it has loaded the data (half a second on the
shipped data) instead of after seconds of importing pandas, GEOS and Flask, during which
requests queue. HUP still reloads the data (each worker loads it); new code needs a restart
(or USR2).
"""

import mapapp.store  # noqa: F401  (pandas, geopandas, shapely, the engine)
import mapapp.web.api  # noqa: F401
import mapapp.web.export  # noqa: F401
import mapapp.web.pages  # noqa: F401  (flask, folium)

worker_class = "gthread"
