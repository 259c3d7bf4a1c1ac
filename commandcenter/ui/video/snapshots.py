"""Pictures taken from a tile: a snapshot file tagged with the camera, and inspection
evidence with the camera and the time written into the picture."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QFont, QImageWriter, QPainter

from commandcenter.domain import bureau_time
from commandcenter.domain.filenames import inside, name_part
from commandcenter.ui.video.decoder import picture_at_full_size


def save_snapshot(frame, camera, point, directory: Path) -> Path:
    """The frame as JPEG in `directory`, named (as a file name may be) and tagged (as it
    is) with the camera's id, the point's, and the time."""
    image = picture_at_full_size(frame)
    taken = bureau_time.now()
    directory.mkdir(parents=True, exist_ok=True)
    path = inside(directory, f"{name_part(camera.camera_id)}_{taken:%Y%m%d-%H%M%S-%f}.jpg")
    writer = QImageWriter(str(path), b"jpeg")
    writer.setQuality(90)
    writer.setText("CameraId", camera.camera_id)
    writer.setText("CapturedAt", taken.isoformat(timespec="milliseconds"))
    if point is not None:
        writer.setText("PointId", point.point_id)
    if not writer.write(image):
        raise OSError(f"cannot write the snapshot {path}: {writer.errorString()}")
    return path


def evidence_picture(frame, camera) -> tuple[bytes, datetime]:
    """The frame as JPEG with the camera's name and the time written into the picture, as
    inspection evidence (it travels without the file's tags)."""
    image = picture_at_full_size(frame)
    taken = bureau_time.now()
    caption = f"{camera.name}  {camera.camera_id}  {taken:%Y-%m-%d %H:%M:%S}"
    painter = QPainter(image)
    font = QFont()
    font.setPixelSize(max(14, image.height() // 28))
    painter.setFont(font)
    band = painter.fontMetrics().height() + 8
    painter.fillRect(0, image.height() - band, image.width(), band, QColor(0, 0, 0, 160))
    painter.setPen(QColor("#ffffff"))
    painter.drawText(8, image.height() - 8 - painter.fontMetrics().descent(), caption)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6's stub types the format as bytes, but the binding takes the format's name as
    # str and refuses bytes
    image.save(buffer, "JPEG", 85)  # type: ignore[call-overload]
    return bytes(data.data()), taken
