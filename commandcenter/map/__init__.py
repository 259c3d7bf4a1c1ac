"""The GIS map page (folium/Leaflet, vendored assets) shown in QtWebEngine."""
