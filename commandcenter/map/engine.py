"""QtWebEngine made ready for the map: its URL scheme registered, software rendering, and
Chromium's flags, before the application exists; and the map's web views deleted before
the application is torn down."""

from __future__ import annotations

import atexit
import os
import weakref

from PySide6.QtCore import QByteArray, Qt

from commandcenter.map.scheme import SCHEME


def prepare_web_engine() -> None:
    """Before the QApplication exists: our URL scheme, shared GL contexts, and
    Chromium's flags for a machine without a GPU (and without a sandbox as root)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWebEngineCore import QWebEngineUrlScheme

    if QWebEngineUrlScheme.schemeByName(QByteArray(SCHEME)).name().isEmpty():
        scheme = QWebEngineUrlScheme(QByteArray(SCHEME))
        scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
        # the page's Content-Security-Policy governs what it loads from this scheme too
        scheme.setFlags(
            QWebEngineUrlScheme.Flag.SecureScheme | QWebEngineUrlScheme.Flag.LocalAccessAllowed
        )
        QWebEngineUrlScheme.registerScheme(scheme)
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    if not os.environ.get("QT_QUICK_BACKEND"):
        # Chromium draws the map's pixels on the CPU (--disable-gpu below). With Qt Quick's
        # default renderer the map's view is a texture, and a window holding one is
        # composed through OpenGL at every repaint, the whole window, each video frame of
        # the wall: without a GPU, 16 pictures at 25 fps beside a web view took 1.6 cores
        # that way and 0.1 without, and the GUI thread waited at every buffer swap. Drawn
        # by the software renderer, the map is one more image in an ordinary window.
        from PySide6.QtQuick import QQuickWindow, QSGRendererInterface

        QQuickWindow.setGraphicsApi(QSGRendererInterface.GraphicsApi.Software)
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--disable-gpu" not in flags:
        # software rendering; and Chromium's own log (no D-Bus, no Vulkan on such a
        # machine) only for fatal errors: the page's errors come through LoggingPage
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --disable-gpu --log-level=3").strip()
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # noqa: TID251 - asked first
        os.environ.setdefault(
            "QTWEBENGINE_DISABLE_SANDBOX", "1"
        )  # Chromium refuses its sandbox as root
    import PySide6.QtWebEngineWidgets  # noqa: F401 - must be loaded before the QApplication


# Map panels whose web view still exists. Qt Quick's software renderer crashes when a
# web view is deleted while the application object is being torn down (in
# QQuickRenderControl, from the view's deferred deletion), which is where widgets
# still alive at exit, or deleted outside an event loop, end. Deleted at once before
# that, they go cleanly.
live_views: weakref.WeakSet = weakref.WeakSet()


@atexit.register
def _delete_web_views() -> None:
    for panel in list(live_views):
        panel.delete_web_view()
