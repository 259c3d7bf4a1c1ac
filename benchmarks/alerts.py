"""Alert to screen: from an alert created in the data center to its row in the alert
list and (severity 1–2) the banner, through the path `commandcenter` runs: the
collector process polls, writes the store and tells the window, which reads.

A simulated data center runs in its own process; alerts are injected over its
control interface at random moments of the poll cycle. Figures per target: median,
95th percentile and maximum, and how they compare with the poll interval.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python benchmarks/alerts.py [--alerts 30] [--interval 1]

Target: on screen within one poll interval plus 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import tempfile
import time

from support import percentile, start_datacenter, wait_for  # beside this script

TARGET_EXTRA_S = 0.2


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--alerts", type=int, default=30)
    parser.add_argument(
        "--interval", type=float, default=1.0, help="the alerts feed's poll interval, seconds"
    )
    args = parser.parse_args()

    from commandcenter.app import make_application
    from commandcenter.config import Config

    app = make_application(Config(), language="zh_CN", theme="dark")
    from PySide6.QtCore import QSettings

    from commandcenter.collector.parent import CollectorProcess
    from commandcenter.runtime import Runtime
    from commandcenter.simulator.control import SimulatorControl
    from commandcenter.store import Store
    from commandcenter.ui.shell.window import MainWindow

    sk = secrets.token_urlsafe(24)
    datacenter, url = start_datacenter("city", sk)
    os.environ["COMMANDCENTER_SK"] = sk
    tmp = tempfile.TemporaryDirectory()
    db = f"sqlite:///{tmp.name}/alerts.db"
    store = Store(db)
    config = Config(datacenter_url=url, ak="bench", db_url=db, intervals={"alerts": args.interval})
    collector = CollectorProcess(config, store)
    runtime = Runtime(config=config, store=store, runner=collector, cameras=collector)
    window = MainWindow(
        runtime, settings=QSettings(f"{tmp.name}/ui.ini", QSettings.Format.IniFormat)
    )
    window.resize(1920, 1050)
    window.show()
    runtime.start()
    panel = window.panels["alerts"]
    control = SimulatorControl(url, "bench", sk)
    try:
        if not wait_for(
            app,
            lambda: panel.model.rowCount() > 0 and window.panels["directory"].model.rowCount() > 0,
            180,
        ):
            raise SystemExit("the window did not fill from the data center")
        wait_for(app, lambda: False, 5.0)  # the first full sync settles
        points = [p.point_id for p in window.console.snapshots.points.active()][:200]
        announced_at: dict[str, float] = {}  # alert id -> when the banner announced it
        # when the announcer decides to announce each alert (sound and banner); its
        # `announced` signal names only the newest critical alert of a round
        decide = window.announcer.announcer.decide

        def deciding(alerts, now):
            decision = decide(alerts, now)
            for alert in decision.announce:
                announced_at.setdefault(alert.alert_id, time.monotonic())
            return decision

        window.announcer.announcer.decide = deciding
        rng = random.Random(7)
        to_list, to_banner = [], []
        for _n in range(args.alerts):
            wait_for(app, lambda: False, rng.uniform(0.2, args.interval + 0.2))
            raised = control.inject_alert(
                type="sos", severity=rng.choice((1, 2)), point_id=rng.choice(points)
            )
            alert_id = raised["alertId"]
            created = time.monotonic()
            if not wait_for(
                app,
                lambda alert_id=alert_id: any(a.alert_id == alert_id for a in panel.model.records),
                30,
            ):
                raise SystemExit(f"alert {alert_id} never reached the list")
            to_list.append(time.monotonic() - created)
            if wait_for(app, lambda alert_id=alert_id: alert_id in announced_at, 5):
                to_banner.append(announced_at[alert_id] - created)
        bound = args.interval + TARGET_EXTRA_S
        figures = {
            "alerts": args.alerts,
            "poll_interval_s": args.interval,
            "list_p50_s": round(statistics.median(to_list), 3),
            "list_p95_s": round(percentile(to_list, 95), 3),
            "list_max_s": round(max(to_list), 3),
            "banner_p50_s": round(statistics.median(to_banner), 3) if to_banner else None,
            "banner_p95_s": round(percentile(to_banner, 95), 3) if to_banner else None,
            "banner_max_s": round(max(to_banner), 3) if to_banner else None,
            "banner_measured": len(to_banner),
            "target_s": bound,
            "within_target": sum(1 for s in to_list if s <= bound),
            "banner_within_target": sum(1 for s in to_banner if s <= bound),
        }
        print(
            f"{args.alerts} alerts, alerts polled every {args.interval:g} s (up to 10 % early, never late), through the collector "
            f"process"
        )
        print(
            f"to the alert list: median {figures['list_p50_s']:.3f} s, p95 {figures['list_p95_s']:.3f} s, "
            f"max {figures['list_max_s']:.3f} s; within {bound:g} s: {figures['within_target']} of {args.alerts}"
        )
        if to_banner:
            print(
                f"announced (banner and sound), {len(to_banner)} alerts: median {figures['banner_p50_s']:.3f} s, "
                f"p95 {figures['banner_p95_s']:.3f} s, max {figures['banner_max_s']:.3f} s; "
                f"within {bound:g} s: {figures['banner_within_target']}"
            )
        print(json.dumps(figures))
    finally:
        control.close()
        window.close()
        runtime.close()
        datacenter.terminate()
        datacenter.wait(10)


if __name__ == "__main__":
    main()
