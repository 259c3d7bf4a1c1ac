"""Alerts in the world: raised at random (a Poisson rate by hour) or on purpose, and moved on
through their states by operators and time."""

from __future__ import annotations

import heapq
import random
import zlib
from datetime import datetime, timedelta

from commandcenter.simulator.errors import NotFound
from commandcenter.simulator.places import (
    person_name,
)
from commandcenter.simulator.storage import (
    CST,
    iso,
    stable_rng,
)
from commandcenter.simulator.world_state import WorldState

ALERT_TYPES = [  # type, weight, severities
    ("device_offline", 30, (3, 4)),
    ("correction_geofence", 22, (2, 2, 1)),
    ("correction_checkin_missed", 20, (3, 3, 2)),
    ("dispute_escalation", 13, (2, 3)),
    ("hotline_surge", 6, (2, 3)),
    ("emergency", 6, (1, 2)),
    ("sos", 3, (1,)),
]


OPERATORS = ["值班员 王敏", "值班员 陈杰", "值班员 周静", "值班员 徐涛"]


class AlertActivity(WorldState):
    """Alerts raised, acknowledged and closed (part of World)."""

    def _alert_rate_per_min(self) -> float:
        # about one alert every three minutes in the city, more in the province
        return (1 / 3) * len(self._point_ids) / 2200

    def _new_alert(
        self,
        rng: random.Random,
        at: datetime,
        *,
        type_: str | None = None,
        severity: int | None = None,
        point_id: str | None = None,
        title: str | None = None,
    ) -> dict:
        if type_ is None:
            type_, _, severities = rng.choices(ALERT_TYPES, [w for _, w, _ in ALERT_TYPES])[0]
        else:
            severities = next((s for t, _, s in ALERT_TYPES if t == type_), (2,))
        severity = severity or rng.choice(severities)
        point = (
            self._points.get(point_id)
            if point_id
            else self._points.get(rng.choice(self._point_ids))
        )
        if point is None:
            raise NotFound(f"unknown pointId {point_id}")
        self._alert_seq += 1
        alert_id = f"AL-{at.astimezone(CST):%Y%m%d}-{self._alert_seq:06d}"
        lng, lat = point["lng"], point["lat"]
        if type_ in ("correction_geofence", "sos"):
            lng, lat = (
                round(lng + rng.uniform(-0.01, 0.01), 6),
                round(lat + rng.uniform(-0.01, 0.01), 6),
            )
        subject = person_name(rng)[0] + "某"
        generated_title, detail = {
            "correction_geofence": (
                f"社区矫正对象越界 · {point['name']}",
                f"矫正对象{subject}（电子定位）离开活动区域约 {rng.uniform(0.5, 5):.1f} 公里",
            ),
            "correction_checkin_missed": (
                f"社区矫正对象未按时报到 · {point['name']}",
                f"矫正对象{subject}超过规定时间 {rng.randint(1, 48)} 小时未报到",
            ),
            "device_offline": (f"视频设备离线 · {point['name']}", "监控通道连续 5 分钟无心跳"),
            "hotline_surge": ("12348热线来电激增", f"排队来电 {rng.randint(15, 60)} 个，超出阈值"),
            "dispute_escalation": (
                f"矛盾纠纷升级 · {point['name']}",
                f"{rng.choice(['邻里', '劳资', '婚姻家庭', '物业', '土地'])}纠纷有激化风险，当事人 {rng.randint(2, 30)} 人",
            ),
            "emergency": (f"突发事件 · {point['name']}", "现场报告突发情况，请求指挥中心关注"),
            "sos": (f"紧急求助 · {point['name']}", "工作人员触发一键求助"),
        }.get(type_, (f"{type_} · {point['name']}", ""))
        title = title if title is not None else generated_title
        alert = {
            "alertId": alert_id,
            "type": type_,
            "severity": severity,
            "pointId": point["pointId"],
            "lng": lng,
            "lat": lat,
            "coordSys": point["coordSys"],
            "occurredAt": iso(at),
            "title": title,
            "detail": detail,
            "status": "new",
            "ackBy": None,
            "ackAt": None,
            "updatedAt": iso(at),
        }
        self._alerts[alert_id] = alert
        self._alerts_log.append(alert, at)
        # other operators handle it over the following minutes
        ack_after = timedelta(minutes=rng.uniform(2, 15) if severity > 1 else rng.uniform(3, 10))
        heapq.heappush(self._transitions, (at + ack_after, self._alert_seq, alert_id, "acked"))
        heapq.heappush(
            self._transitions,
            (
                at + ack_after + timedelta(minutes=rng.uniform(10, 120)),
                self._alert_seq,
                alert_id,
                "closed",
            ),
        )
        return alert

    def _set_alert_status(
        self, alert_id: str, status: str, at: datetime, operator: str | None = None
    ) -> dict:
        alert = self._alerts[alert_id]
        if alert["status"] == "closed" or alert["status"] == status:
            return alert
        changed = {**alert, "status": status, "updatedAt": iso(at)}
        if status == "acked" or (status == "closed" and alert["ackBy"] is None):
            changed["ackBy"] = operator or OPERATORS[zlib.crc32(alert_id.encode()) % len(OPERATORS)]
            changed["ackAt"] = iso(at)
        self._alerts[alert_id] = changed
        self._alerts_log.append(changed, at)
        return changed

    def _run_transitions(self, now: datetime) -> None:
        while self._transitions and self._transitions[0][0] <= now:
            due, _, alert_id, status = heapq.heappop(self._transitions)
            self._set_alert_status(alert_id, status, due)

    def alert(self, alert_id: str) -> dict | None:
        """The alert as the data center holds it now."""
        alert = self._alerts.get(alert_id)
        return dict(alert) if alert is not None else None

    def ack_alert(self, alert_id: str, operator: str, note: str) -> dict:
        if alert_id not in self._alerts:
            raise NotFound(f"unknown alertId {alert_id}")
        alert = self._alerts[alert_id]
        if alert["status"] != "new":
            return alert
        return self._set_alert_status(alert_id, "acked", self._now, operator=operator)

    def inject_alert(
        self,
        *,
        type: str = "sos",
        severity: int = 1,
        point_id: str | None = None,
        title: str | None = None,
    ) -> dict:
        """A new alert now; `title` replaces the one made up from its type and place."""
        rng = stable_rng(self.seed, "inject", self._alert_seq)
        return self._new_alert(
            rng, self._now, type_=type, severity=severity, point_id=point_id, title=title
        )
