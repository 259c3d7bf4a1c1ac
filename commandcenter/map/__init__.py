"""The GIS map page (folium/Leaflet, vendored assets) shown in QtWebEngine.

The page and its assets come from a URL scheme of our own (`ccmap://app/...`, scheme.py)
served from the package's map assets and from memory, not `setHtml` (which refuses pages
over 2 MB). A request interceptor on the view's profile blocks every request that is not
local and keeps them: a command center's network has no internet, and nothing leaves it.
page.py builds the page, tiles.py its base layer, engine.py readies QtWebEngine, and
bridge.py carries the page's clicks and messages back.
"""
