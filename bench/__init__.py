"""Benchmarks: a synthetic data generator and the measuring run.

``python -m bench.generate`` writes a data set in the data contract (DESIGN.md §1);
``python -m bench.run`` measures mapapp against Folium's TimeSliderChoropleth on it.
"""
