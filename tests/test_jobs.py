"""Long work off the GUI thread: a job runs its steps in a worker and its drawing on the
GUI thread, reports each step, and stops at the next one when cancelled, removing what
it half wrote; the exports and reports of the panels run that way behind a progress
dialog that does not block the console."""

from __future__ import annotations

import threading

import pytest

from commandcenter.ui.workers.jobs import Job, OnGui, Progress, run_inline


def _on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def test_a_job_works_in_a_worker_draws_on_the_gui_thread_and_reports_each_step(qtbot):
    seen: list[tuple[str, bool]] = []

    def steps():
        yield Progress("reading", 0, 3)
        seen.append(("read", _on_gui_thread()))
        drawn = yield OnGui(lambda: seen.append(("draw", _on_gui_thread())) or "picture")
        yield Progress("writing", 2, 3)
        seen.append(("write", _on_gui_thread()))
        return f"wrote {drawn}"

    job = Job(steps())
    progress: list[Progress] = []
    job.progressed.connect(progress.append)
    with qtbot.waitSignal(job.succeeded, timeout=5_000) as done:
        job.start()
    assert done.args == ["wrote picture"]
    assert seen == [("read", False), ("draw", True), ("write", False)]
    assert [p.text for p in progress] == ["reading", "writing"]
    assert job.outcome == "succeeded" and not job.running
    # the same steps at once, on this thread
    seen.clear()
    assert run_inline(steps()) == "wrote picture"
    assert [s for s, _ in seen] == ["read", "draw", "write"]


def test_a_cancelled_job_stops_at_its_next_step_and_cleans_up(qtbot):
    in_step = threading.Event()
    release = threading.Event()
    ran: list[str] = []

    def steps():
        try:
            yield Progress("one", 0, 3)
            in_step.set()
            release.wait(5)  # a long step: cancelled while it runs
            ran.append("one")
            yield Progress("two", 1, 3)
            ran.append("two")  # never: the job stops before it
        finally:
            ran.append("cleaned up")

    job = Job(steps())
    job.start()
    assert in_step.wait(5)
    job.cancel()
    assert job.cancelling
    release.set()
    qtbot.waitUntil(lambda: job.outcome == "cancelled", timeout=5_000)
    assert ran == ["one", "cleaned up"]


def test_failures_reach_the_gui_thread_and_a_drawing_failure_reaches_the_job(qtbot):
    def failing():
        yield Progress("one", 0, 1)
        raise OSError("disk full")

    job = Job(failing())
    with qtbot.waitSignal(job.failed, timeout=5_000) as failed:
        job.start()
    assert isinstance(failed.args[0], OSError) and str(failed.args[0]) == "disk full"

    def handled():
        try:
            yield OnGui(lambda: 1 / 0)
        except ZeroDivisionError:
            return "handled"

    job = Job(handled())
    with qtbot.waitSignal(job.succeeded, timeout=5_000) as done:
        job.start()
    assert done.args == ["handled"]


def test_a_job_waiting_for_the_gui_thread_stops_when_the_application_closes(qtbot):
    asked = threading.Event()

    def steps():
        asked.set()
        yield OnGui(lambda: "never needed")

    job = Job(steps())
    outcome: list[str] = []
    job.cancelled.connect(lambda: outcome.append("cancelled"))
    job.start()
    assert asked.wait(5)
    job.abandon()  # as QCoreApplication.aboutToQuit does; the GUI thread answers nothing
    qtbot.waitUntil(lambda: outcome == ["cancelled"], timeout=15_000)

    # deleted with its panel while it waits: the worker goes, nothing is left waiting
    import shiboken6
    from PySide6.QtCore import QObject, QThreadPool

    panel = QObject()
    asked.clear()
    finished = threading.Event()

    def waiting():
        try:
            asked.set()
            yield OnGui(lambda: "never asked")
        finally:
            finished.set()

    job = Job(waiting(), parent=panel, pool=QThreadPool.globalInstance())
    job.start()
    assert asked.wait(5)
    shiboken6.delete(panel)  # before the GUI thread saw the job's call
    qtbot.waitUntil(finished.is_set, timeout=15_000)


def test_the_progress_dialog_shows_the_step_and_its_cancel_stops_the_job(qtbot):
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
    from shiboken6 import isValid

    from commandcenter.ui.widgets.progress import JobProgressDialog, run_job

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    gate = threading.Event()

    def steps():
        yield Progress("导出第一张图", 0, 4)
        gate.wait(10)
        yield Progress("导出第二张图", 1, 4)

    outcome = []
    job = run_job(
        parent,
        "导出",
        steps(),
        on_done=lambda r: outcome.append("done"),
        failure="导出失败",
        on_cancelled=lambda: outcome.append("cancelled"),
    )
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, JobProgressDialog) and w.isVisible()
            for w in QApplication.topLevelWidgets()
        ),
        timeout=5_000,
    )
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, JobProgressDialog))
    assert "导出第一张图" in dialog.labelText() and "1" in dialog.labelText()
    assert not dialog.isModal()  # the console stays usable meanwhile
    assert job.running
    dialog.canceled.emit()
    assert dialog.isVisible()  # until the job has stopped
    gate.set()
    qtbot.waitUntil(lambda: outcome == ["cancelled"], timeout=5_000)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=5_000)

    # a failure is said in a warning titled as asked
    warned = []
    import unittest.mock

    with unittest.mock.patch.object(
        QMessageBox, "warning", lambda *a: warned.append(a[1:3]) or QMessageBox.StandardButton.Ok
    ):

        def failing():
            yield Progress("x", 0, 1)
            raise OSError("cannot write /ro/x.pdf: Read-only file system")

        job = run_job(parent, "报告", failing(), on_done=print, failure="报告未写入")
        qtbot.waitUntil(lambda: bool(warned), timeout=5_000)
    assert warned == [("报告未写入", "cannot write /ro/x.pdf: Read-only file system")]


# -- the panels' exports and reports ---------------------------------------------------------


@pytest.fixture
def statistics_panel(qtbot, seeded):
    from commandcenter.ui.statistics.panel import StatisticsPanel
    from tests.test_statistics import _close, _console

    store, _rows = seeded
    console = _console(store)
    panel = StatisticsPanel(console)
    qtbot.addWidget(panel)
    panel.resize(1400, 520)
    panel.show()
    qtbot.waitUntil(lambda: panel._trend is not None, timeout=10_000)
    yield panel
    _close(console)


@pytest.fixture
def seeded(store):
    from tests.test_statistics import seeded as make

    return make.__wrapped__(store)


def test_the_statistics_export_runs_behind_a_progress_dialog_and_cancels_cleanly(
    qtbot, statistics_panel, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    panel = statistics_panel
    out = tmp_path / "exports"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    panel.export_dialog()
    job = panel.job
    assert not panel.export_button.isEnabled()  # one export at a time
    steps = []
    job.progressed.connect(steps.append)
    qtbot.waitUntil(lambda: job.outcome is not None, timeout=30_000)
    assert job.outcome == "succeeded", job.error
    assert sorted(p.suffix for p in out.iterdir()) == [
        ".csv",
        ".csv",
        ".png",
        ".png",
        ".svg",
        ".svg",
        ".xlsx",
    ]
    assert panel.export_button.isEnabled()
    assert panel.summary.text().startswith(panel.tr("Exported %1 files to %2").split("%1")[0])

    # cancelled: it stops at its next step and leaves nothing behind
    again = tmp_path / "again"
    again.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(again))
    panel.export_dialog()
    panel.job.cancel()
    qtbot.waitUntil(lambda: panel.job.outcome is not None, timeout=30_000)
    assert panel.job.outcome == "cancelled"
    assert list(again.iterdir()) == []
    assert panel.summary.text() == panel.tr("Cancelled: no file was written")


def test_the_daily_report_is_laid_out_and_written_off_the_gui_thread(
    qtbot, statistics_panel, tmp_path, monkeypatch
):
    import pypdf
    from PySide6.QtWidgets import QFileDialog

    from commandcenter.ui.statistics import daily_report
    from commandcenter.ui.widgets import pdf

    where: dict[str, bool] = {}

    def spy(name, function):
        def call(*args, **kwargs):
            where[name] = _on_gui_thread()
            return function(*args, **kwargs)

        monkeypatch.setattr(daily_report, name, call)

    for name in ("read_figures", "draw_chart", "compose_report", "write_pdf"):
        spy(name, getattr(daily_report, name))
    panel = statistics_panel
    (tmp_path / "reports").mkdir()
    target = tmp_path / "reports" / "日报.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    panel.report_dialog()
    qtbot.waitUntil(lambda: panel.job.outcome is not None, timeout=60_000)
    assert panel.job.outcome == "succeeded", panel.job.error
    # only the chart widgets are drawn on the GUI thread
    assert where == {
        "read_figures": False,
        "draw_chart": True,
        "compose_report": False,
        "write_pdf": False,
    }
    assert len(pypdf.PdfReader(target).pages) == 2
    assert [p.name for p in target.parent.iterdir()] == ["日报.pdf"]  # no partial file left

    # cancelled before its PDF: no file, and the one already there untouched
    before = target.read_bytes()
    monkeypatch.setattr(daily_report, "write_pdf", pdf.write_pdf)
    panel.report_dialog()
    panel.job.cancel()
    qtbot.waitUntil(lambda: panel.job.outcome is not None, timeout=60_000)
    assert panel.job.outcome == "cancelled"
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["日报.pdf"]


def test_the_inspection_summary_is_written_in_steps(qtbot, store, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog, QFileDialog

    from commandcenter.ui.statistics import panel as statistics
    from commandcenter.ui.supervision.panel import SupervisionPanel
    from tests.test_statistics import _close, _console

    console = _console(store, role="supervisor")
    panel = SupervisionPanel(console)
    qtbot.addWidget(panel)
    panel.show()
    try:
        monkeypatch.setattr(
            statistics.CustomRangeDialog, "exec", lambda self: QDialog.DialogCode.Accepted
        )
        out = tmp_path / "summary"
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
        panel.summary_dialog()
        steps = []
        panel.job.progressed.connect(steps.append)
        qtbot.waitUntil(lambda: panel.job.outcome is not None, timeout=30_000)
        assert panel.job.outcome == "succeeded", panel.job.error
        assert [p.text for p in steps][-1].startswith(panel.tr("Workbook %1").split("%1")[0])
        names = sorted(p.suffix for p in out.iterdir())
        assert names == [".csv", ".csv", ".csv", ".csv", ".xlsx"]  # with the findings
        assert panel.summary_button.isEnabled()
        # the files are named for the period: this month so far
        from commandcenter.domain import bureau_time

        first = bureau_time.now().replace(day=1).date()
        assert all(p.name.startswith(f"inspections-{first:%Y%m%d}-") for p in out.iterdir())
    finally:
        panel.close_drafts()
        _close(console)
