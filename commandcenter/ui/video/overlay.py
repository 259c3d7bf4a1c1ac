"""The words over a video tile's picture, painted once into a pixmap and reused while they
stay the same: number, names, state, alert, border and focus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QRegion

from commandcenter.domain import contract
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
    """Where the overlay has anything to show: its bands, the border, a stalled picture."""
    rect = tile.rect()
    if tile.state is TileState.STALLED and tile.picture_shown is not None:
        return QRegion(rect)  # the dimmed picture
    band = band_height(tile.height())
    region = QRegion(0, 0, rect.width(), band) + QRegion(
        0, rect.height() - band, rect.width(), band
    )
    if tile.alert is not None or tile.hasFocus():
        region += QRegion(rect) - QRegion(rect.adjusted(5, 5, -5, -5))  # the border
    return region


def paint_overlay(painter: QPainter, tile: VideoTile) -> None:
    """The tile's words and frames into `painter`, a pixmap of the tile's size: the number
    (• when placed by hand), the point's and camera's names, the state and the alert, the
    alert's border and the focus."""
    rect = tile.rect()
    if tile.state is TileState.STALLED and tile.picture_shown is not None:
        painter.fillRect(rect, QColor(0, 0, 0, 110))  # a frozen picture must look frozen
    band = band_height(tile.height())
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
    name = ""
    if tile.camera is not None:
        name = tile.camera.name if tile.point is None else f"{tile.point.name} · {tile.camera.name}"
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
    if tile.alert is not None:
        colour = SEVERITY_COLOURS.get(tile.alert.severity, "#f85149")
        label = f"{i18n.term(contract.SEVERITY_LABELS, tile.alert.severity)} · {tile.alert.title}"
        painter.drawText(
            bottom,
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            metrics.elidedText(state, Qt.TextElideMode.ElideRight, int(bottom.width() * 0.45)),
        )
        painter.setPen(QColor(colour))
        painter.setFont(bold)
        painter.drawText(
            bottom,
            Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(
                label, Qt.TextElideMode.ElideRight, int(bottom.width() * 0.55)
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
