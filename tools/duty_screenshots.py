"""Saves screenshots of the duty log and the shift handover, for people to look at.

    .venv/bin/python tools/duty_screenshots.py [OUT_DIR] [--size 1366x768] [--lang zh_CN]

Starts an X server (Xvfb) of that size of its own, syncs a throw-away store from the
simulated city, writes a few entries and a handover, and grabs the whole screen with the
duty log panel, the outgoing officer's handover dialog and the incoming officer's
review; then renders the first page of the day's 值班日志 PDF and of the 交接班记录 PDF
(QtPdf). Named OUT_DIR/duty-*.png.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def pump(app, seconds: float, until=None) -> None:
    """Let the widgets work for up to `seconds`, or until `until()` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (until is not None and until()):
        app.processEvents()
        time.sleep(0.05)


def in_own_display(size: str) -> int:
    """Run this script again inside an X server of that size."""
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        display = server.stdout.readline().strip()
        env = {**os.environ, "DISPLAY": f":{display}"}
        env.pop("QT_QPA_PLATFORM", None)
        return subprocess.run([sys.executable, *sys.argv, "--inside"], env=env).returncode
    finally:
        server.terminate()
        server.wait(10)
        if server.stdout is not None:
            server.stdout.close()


def render_pdf_page(pdf: Path, png: Path, width_px: int = 1240) -> None:
    """The PDF's first page as a PNG (QtPdf)."""
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    doc.load(str(pdf))
    points = doc.pagePointSize(0)
    height = round(width_px * points.height() / points.width())
    doc.render(0, QSize(width_px, height)).save(str(png))
    doc.close()


def shoot(out: Path, language: str) -> None:
    """Fill a store, show the widgets, grab them."""
    from datetime import UTC, datetime, timedelta

    from PySide6.QtWidgets import QApplication

    from commandcenter.domain.geography import county_code
    from commandcenter.domain.people import Person, Scope
    from commandcenter.domain.secret import Secret
    from commandcenter.feeds.catalog import build_feeds
    from commandcenter.feeds.client import DataCenterClient
    from commandcenter.feeds.coordinator import FeedCoordinator
    from commandcenter.feeds.outbox import OutboxSender
    from commandcenter.feeds.runner import FeedRunner
    from commandcenter.services import Operator
    from commandcenter.services.duty import DutyCommands
    from commandcenter.services.meetings import MeetingCommands
    from commandcenter.simulator.server import DataCenterServer
    from commandcenter.simulator.world import World
    from commandcenter.store import Store
    from commandcenter.ui.people.duty_log import DutyLogPanel
    from commandcenter.ui.people.duty_report import write_duty_log_pdf, write_handover_pdf
    from commandcenter.ui.people.handover import HandoverDialog, HandoverReview, pending_handover
    from commandcenter.ui.shell.theme import apply_theme
    from commandcenter.ui.widgets import i18n
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

    app = QApplication(sys.argv[:1])
    i18n.install(app, language)
    apply_theme(app, "dark")
    screen = app.primaryScreen()
    county = "320506"
    wang = Person("wangmin", "王敏", ("duty_officer",), county=county)
    zhao = Person("zhaoqiang", "赵强", ("duty_officer", "supervisor"), county=county)
    by_wang = Operator(wang.audit_name, "duty_officer")
    with tempfile.TemporaryDirectory() as tmp:
        server = DataCenterServer(
            World(seed=7, scale="city"), host="127.0.0.1", port=0, credentials={"shots": "s" * 24}
        )
        server.start()
        store = Store(f"sqlite:///{tmp}/duty.db")
        client = DataCenterClient(server.url, "shots", Secret("s" * 24), retries=0)
        try:
            FeedRunner(FeedCoordinator(f, store) for f in build_feeds(client, store, {})).run_once()
            points = [p for p in store.service_points() if county_code(p.org_code) == county]
            MeetingCommands(store).launch(
                "吴中区夜间调度会",
                points[0].point_id,
                [p.point_id for p in points[1:3]],
                None,
                by_wang,
            )
            OutboxSender(client, store).send_due(datetime.now(UTC) + timedelta(seconds=1))
            duty = DutyCommands(store)
            duty.record_sign_in(by_wang, wang, Scope(county), "值班员")
            first = duty.write_entry(
                by_wang, wang, "接市局通知：今晚加强对社区矫正对象的巡查。", Scope(county)
            )
            duty.write_entry(
                by_wang,
                wang,
                "木渎镇公共法律服务工作站来电：门口摄像机被树枝遮挡，已联系物业处理，"
                "预计明早恢复正常画面。",
                Scope(county),
            )
            duty.correct_entry(
                by_wang, wang, first, "接市局通知：今晚 22 时前加强对社区矫正对象的巡查。"
            )
            duty.open_handover(
                by_wang, wang, Scope(county), "吴中区两起告警待回访；调度会 21:00 开始。"
            )

            console = Console(
                store, StoreBridge(store), BackgroundReader(), person=zhao, role="duty_officer"
            )
            panel = DutyLogPanel(console)
            panel.setWindowTitle("值班日志")
            # no window manager under Xvfb: the whole screen by hand
            panel.setGeometry(screen.availableGeometry())
            panel.show()
            pump(app, 20, lambda: panel.table.rowCount() > 3)
            pump(app, 1)
            screen.grabWindow(0).save(str(out / "duty-log-panel.png"))

            outgoing = Console(
                store, console.bridge, console.reader, person=wang, role="duty_officer"
            )
            dialog = HandoverDialog(outgoing)
            dialog.show()
            pump(app, 20, lambda: dialog.items.rowCount() > 4)
            pump(app, 1)
            screen.grabWindow(0).save(str(out / "duty-handover-dialog.png"))
            dialog.close()

            pending = pending_handover(store, Scope(county))
            assert pending is not None
            review = HandoverReview(console, pending)
            review.show()
            pump(app, 2)
            screen.grabWindow(0).save(str(out / "duty-handover-review.png"))
            review.close()
            panel.close()

            day = datetime.fromisoformat(pending.shift_date).date()
            log_pdf = write_duty_log_pdf(out / "duty-log.pdf", store, day, Scope(county))
            render_pdf_page(log_pdf, out / "duty-log-pdf-page1.png")
            handover_pdf = write_handover_pdf(out / "duty-handover.pdf", store, pending.id or 0)
            render_pdf_page(handover_pdf, out / "duty-handover-pdf-page1.png")
            console.reader.close(5_000)
            console.lane.wait(5_000)
        finally:
            client.close()
            server.stop()
            store.close()


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="screenshots")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"])
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if not args.inside:
        sys.exit(in_own_display(args.size))
    shoot(out, args.lang)


if __name__ == "__main__":
    main()
