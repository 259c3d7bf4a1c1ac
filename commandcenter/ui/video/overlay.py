"""The words over a video tile's picture, painted once into a pixmap and reused while they
stay the same: number, names, state, alert, border and focus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QRegion

from commandcenter.domain import contract
from commandcenter.domain.camera_places import one_line
from commandcenter.domain.video import TileState
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.style import SEVERITY_COLOURS

if TYPE_CHECKING:
    from commandcenter.ui.video.tile import VideoTile

STATE_COLOURS = {
    TileState.IDLE: "#8b949e",
    TileState.CONNECTING: "#d29922",
    TileState.LIVE: "#3fb950",
    TileState.STALLED: "#d29922",
    TileState.OFFLINE: "#8b949e",
    TileState.UNAUTHORIZED: "#f85149",
    TileState.ERROR: "#f85149",
}


def band_height(tile_height: int) -> int:
    """The height of the bands at the top and bottom of a tile."""
    return max(22, min(34, tile_height // 8))


def overlay_region(tile: VideoTile) -> QRegion:
    """Where the overlay has anything to show: its bands, the border, a frozen picture."""
    rect = tile.rect()
    if tile.frozen_at is not None:
        return QRegion(rect)  # the dimmed picture and when it froze
    band = band_height(tile.height())
    region = QRegion(0, 0, rect.width(), band) + QRegion(
        0, rect.height() - band, rect.width(), band
    )
    if tile.framing_alert is not None or tile.hasFocus():
        region += QRegion(rect) - QRegion(rect.adjusted(5, 5, -5, -5))  # the border
    return region


def paint_overlay(painter: QPainter, tile: VideoTile) -> None:
    """The tile's words and frames into `painter`, a pixmap of the tile's size: the number
    (• when placed by hand), the title, the state and an urgent alert of the tile's station
    with its border, when a frozen picture froze, and the focus."""
    rect = tile.rect()
    band = band_height(tile.height())
    if tile.frozen_at is not None:
        painter.fillRect(rect, QColor(0, 0, 0, 110))  # a frozen picture must look frozen
        _paint_frozen_time(painter, tile, band)
    font = QFont(tile.font())
    font.setPixelSize(int(band * 0.55))
    painter.setFont(font)
    painter.fillRect(0, 0, rect.width(), band, QColor(0, 0, 0, 150))
    painter.fillRect(0, rect.height() - band, rect.width(), band, QColor(0, 0, 0, 150))
    bold = QFont(font)
    bold.setBold(True)
    painter.setFont(bold)
    painter.setPen(QColor("#e6edf3"))
    painter.drawText(
        QRectF(6, 0, band * 1.4, band),
        Qt.AlignmentFlag.AlignVCenter,
        f"{tile.number}{'•' if tile.pinned else ''}",
    )  # • : placed by the operator
    name = tile.title()
    painter.setFont(font)
    metrics = painter.fontMetrics()
    left = 6 + band * 1.4
    painter.drawText(
        QRectF(left, 0, rect.width() - left - 6, band),
        Qt.AlignmentFlag.AlignVCenter,
        metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(rect.width() - left - 6)),
    )
    painter.setPen(QColor(STATE_COLOURS[tile.state]))
    bottom = QRectF(6, rect.height() - band, rect.width() - 12, band)
    state = tile.state_text()
    alert = tile.framing_alert
    if alert is not None:
        colour = SEVERITY_COLOURS.get(alert.severity, "#f85149")
        label = f"{i18n.term(contract.SEVERITY_LABELS, alert.severity)} · {one_line(alert.title)}"
        # a notice (why a camera left the tile, a snapshot taken) and since when a camera
        # is offline are worth more room than the alert's title, which its list shows
        share = 0.7 if tile.notice or tile.dead_since is not None else 0.45
        painter.drawText(
            bottom,
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            metrics.elidedText(state, Qt.TextElideMode.ElideRight, int(bottom.width() * share)),
        )
        painter.setPen(QColor(colour))
        painter.setFont(bold)
        painter.drawText(
            bottom,
            Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(
                label, Qt.TextElideMode.ElideRight, int(bottom.width() * (0.98 - share))
            ),
        )
        pen = QPen(QColor(colour), 4)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(rect).adjusted(2, 2, -2, -2))
    else:
        painter.drawText(
            bottom,
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(state, Qt.TextElideMode.ElideRight, int(bottom.width())),
        )
    if tile.hasFocus():
        painter.setPen(QPen(QColor("#58a6ff"), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(rect).adjusted(1, 1, -1, -1))


def _paint_frozen_time(painter: QPainter, tile: VideoTile, band: int) -> None:
    """When the picture froze, in the middle of it, on a dark plate."""
    font = QFont(tile.font())
    font.setPixelSize(max(12, int(band * 0.6)))
    font.setBold(True)
    painter.setFont(font)
    text = tile.frozen_text()
    metrics = painter.fontMetrics()
    width = min(metrics.horizontalAdvance(text) + 24, tile.width() - 12)
    height = metrics.height() + 12
    plate = QRectF((tile.width() - width) / 2, (tile.height() - height) / 2, width, height)
    painter.fillRect(plate, QColor(0, 0, 0, 170))
    painter.setPen(QColor("#e6edf3"))
    painter.drawText(
        plate,
        Qt.AlignmentFlag.AlignCenter,
        metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width - 12)),
    )
