"""Inspections: the checklist templates, a month of past inspections, and the ones the
desks create, checked as the contract requires."""

from __future__ import annotations

import base64
import binascii
from datetime import date, timedelta
from typing import Any

from commandcenter.simulator.errors import InvalidRequest
from commandcenter.simulator.storage import (
    iso,
    parse_iso,
    stable_rng,
)
from commandcenter.simulator.world_state import WorldState


class InspectionWork(WorldState):
    """Inspection templates and inspections (part of World)."""

    def _build_templates(self) -> None:
        def item(n, text, kind, max_score=None, required=True):
            return {
                "itemId": f"I{n:02d}",
                "text": text,
                "kind": kind,
                "maxScore": max_score,
                "required": required,
            }

        self._templates: list[dict[str, Any]] = [
            {
                "templateId": "TPL-SFS-REMOTE",
                "name": "司法所规范化建设远程督查",
                "version": 3,
                "items": [
                    item(1, "窗口工作人员在岗在位、着装规范", "pass_fail"),
                    item(2, "公共法律服务标识、公示栏规范醒目", "pass_fail"),
                    item(3, "服务指南、办事流程上墙公开", "pass_fail"),
                    item(4, "接待登记台账完整", "score", 10),
                    item(5, "社区矫正报到室设施完好", "pass_fail"),
                    item(6, "环境整洁、秩序良好", "score", 10),
                    item(7, "其他发现", "text", None, False),
                ],
            },
            {
                "templateId": "TPL-STATION-PATROL",
                "name": "村（社区）公共法律服务工作室巡查",
                "version": 2,
                "items": [
                    item(1, "法律顾问按时值班", "pass_fail"),
                    item(2, "12348热线及二维码公示", "pass_fail"),
                    item(3, "法治宣传资料齐全", "score", 5),
                    item(4, "群众满意度", "score", 5),
                    item(5, "备注", "text", None, False),
                ],
            },
            {
                "templateId": "TPL-CORRECTION-ROLLCALL",
                "name": "社区矫正报到视频点验",
                "version": 1,
                "items": [
                    item(1, "矫正对象按时到场", "pass_fail"),
                    item(2, "身份核验一致", "pass_fail"),
                    item(3, "报到情况说明", "text"),
                ],
            },
            {
                "templateId": "TPL-MEDIATION-STUDIO",
                "name": "品牌调解工作室规范化督查",
                "version": 1,
                "items": [
                    item(1, "调解员在岗值守", "pass_fail"),
                    item(2, "工作室标识、调解员信息公示规范", "pass_fail"),
                    item(3, "调解案件登记台账完整", "score", 10),
                    item(4, "调解协议书规范归档", "pass_fail"),
                    item(5, "其他发现", "text", None, False),
                ],
            },
            {
                "templateId": "TPL-NOTARY-WINDOW",
                "name": "公证处窗口服务督查",
                "version": 1,
                "items": [
                    item(1, "窗口公证员在岗、着装规范", "pass_fail"),
                    item(2, "收费标准、办证指南公示", "pass_fail"),
                    item(3, "当事人身份核验规范", "pass_fail"),
                    item(4, "窗口服务评价", "score", 10),
                    item(5, "其他发现", "text", None, False),
                ],
            },
        ]

    def _build_past_inspections(self, days: int = 30) -> None:
        """Inspections supervisors made over the last month: judicial offices with the
        office template, stations with the patrol one; a few failed items with findings
        and a rectification date, some of which have passed."""
        rng = stable_rng(self.seed, "past-inspections")
        templates = {t["templateId"]: t for t in self._templates}
        offices = [p for p in self._points.items if p["type"] == "judicial_office"]
        stations = [p for p in self._points.items if p["type"] == "service_station"]
        inspectors = ("王建国", "李慧", "张敏", "陈志强", "周婷")
        findings_by_item = {
            "I01": "窗口人员离岗，未见值班人员",
            "I02": "公示栏信息未更新",
            "I03": "办事流程未上墙",
            "I05": "报到室设备故障",
        }
        per_day = max(2, round(3 * self._scale_factor()))
        for day in range(days, 0, -1):
            for _ in range(per_day):
                office = rng.random() < 0.6
                point = rng.choice(offices if office else stations)
                template = templates["TPL-SFS-REMOTE" if office else "TPL-STATION-PATROL"]
                started = (self._now - timedelta(days=day)).replace(
                    hour=rng.randint(9, 16), minute=rng.randint(0, 59), second=0, microsecond=0
                )
                finished = started + timedelta(minutes=rng.randint(6, 25))
                results, problems = [], []
                for item in template["items"]:
                    if item["kind"] == "pass_fail":
                        passed = rng.random() > 0.12
                        results.append(
                            {
                                "itemId": item["itemId"],
                                "passed": passed,
                                "score": None,
                                "text": None,
                            }
                        )
                        if not passed:
                            problems.append(
                                findings_by_item.get(item["itemId"], item["text"] + "不达标")
                            )
                    elif item["kind"] == "score":
                        score = item["maxScore"] - (rng.randint(1, 3) if rng.random() < 0.3 else 0)
                        results.append(
                            {"itemId": item["itemId"], "passed": None, "score": score, "text": None}
                        )
                    else:
                        results.append(
                            {"itemId": item["itemId"], "passed": None, "score": None, "text": ""}
                        )
                self._inspection_seq += 1
                self._inspections.replace(
                    {
                        "inspectionId": f"INS-{started:%Y%m%d}-{self._inspection_seq:05d}",
                        "pointId": point["pointId"],
                        "templateId": template["templateId"],
                        "templateVersion": template["version"],
                        "inspector": rng.choice(inspectors),
                        "startedAt": iso(started),
                        "finishedAt": iso(finished),
                        "results": results,
                        "findings": "；".join(problems),
                        "rectificationDue": (finished + timedelta(days=14)).date().isoformat()
                        if problems
                        else None,
                        "snapshots": [],
                        "updatedAt": iso(finished),
                        "deleted": False,
                    }
                )

    def create_inspection(self, body: dict) -> str:
        record = self._validate_inspection(body)
        self._inspection_seq += 1
        inspection_id = f"INS-{self._now:%Y%m%d}-{self._inspection_seq:05d}"
        record["inspectionId"] = inspection_id
        record["updatedAt"] = iso(self._now)
        record["deleted"] = False
        self._inspections.replace(record)
        return inspection_id

    def _validate_inspection(self, body: object) -> dict:
        if not isinstance(body, dict):
            raise InvalidRequest("body", "must be a JSON object")
        point_id = body.get("pointId")
        if not isinstance(point_id, str) or self._points.get(point_id) is None:
            raise InvalidRequest("pointId", f"unknown service point {point_id!r}")
        template = next(
            (tpl for tpl in self._templates if tpl["templateId"] == body.get("templateId")), None
        )
        if template is None:
            raise InvalidRequest("templateId", f"unknown template {body.get('templateId')!r}")
        if body.get("templateVersion") != template["version"]:
            raise InvalidRequest(
                "templateVersion",
                f"must be {template['version']}, got {body.get('templateVersion')!r}",
            )
        if not isinstance(body.get("inspector"), str) or not body["inspector"].strip():
            raise InvalidRequest("inspector", "must be a non-empty string")
        times = {}
        for field in ("startedAt", "finishedAt"):
            given = body.get(field)
            try:
                if not isinstance(given, str):
                    raise ValueError(given)
                times[field] = parse_iso(given)
            except ValueError:
                raise InvalidRequest(
                    field, f"must be an ISO 8601 time with offset, got {body.get(field)!r}"
                ) from None
        if times["finishedAt"] < times["startedAt"]:
            raise InvalidRequest("finishedAt", "is before startedAt")
        results = body.get("results")
        if not isinstance(results, list):
            raise InvalidRequest("results", "must be a list")
        items = {i["itemId"]: i for i in template["items"]}
        given = set()
        for n, result in enumerate(results):
            where = f"results[{n}]"
            if not isinstance(result, dict):
                raise InvalidRequest(where, "must be an object")
            item = items.get(result.get("itemId"))
            if item is None:
                raise InvalidRequest(f"{where}.itemId", f"unknown item {result.get('itemId')!r}")
            given.add(item["itemId"])
            passed, score, text = result.get("passed"), result.get("score"), result.get("text")
            if passed is not None and not isinstance(passed, bool):
                raise InvalidRequest(f"{where}.passed", "must be true, false or null")
            if score is not None and (isinstance(score, bool) or not isinstance(score, int)):
                raise InvalidRequest(f"{where}.score", "must be an integer or null")
            if text is not None and not isinstance(text, str):
                raise InvalidRequest(f"{where}.text", "must be a string or null")
            if item["kind"] == "pass_fail" and item["required"] and passed is None:
                raise InvalidRequest(
                    f"{where}.passed", f"item {item['itemId']} needs a pass or fail"
                )
            if item["kind"] == "score":
                if item["required"] and score is None:
                    raise InvalidRequest(f"{where}.score", f"item {item['itemId']} needs a score")
                if score is not None and not 0 <= score <= item["maxScore"]:
                    raise InvalidRequest(
                        f"{where}.score", f"must be between 0 and {item['maxScore']}, got {score}"
                    )
            if item["kind"] == "text" and item["required"] and not (text or "").strip():
                raise InvalidRequest(f"{where}.text", f"item {item['itemId']} needs a text")
        missing = [i for i in items.values() if i["required"] and i["itemId"] not in given]
        if missing:
            raise InvalidRequest("results", f"required item {missing[0]['itemId']} is missing")
        if not isinstance(body.get("findings", ""), str):
            raise InvalidRequest("findings", "must be a string")
        due = body.get("rectificationDue")
        if due is not None:
            try:
                date.fromisoformat(due)
            except (TypeError, ValueError):
                raise InvalidRequest(
                    "rectificationDue", f"must be a date like 2026-12-01, got {due!r}"
                ) from None
        snapshots = body.get("snapshots") or []
        if not isinstance(snapshots, list):
            raise InvalidRequest("snapshots", "must be a list")
        kept = []
        for n, snap in enumerate(snapshots):
            where = f"snapshots[{n}]"
            if not isinstance(snap, dict) or not isinstance(snap.get("jpegBase64"), str):
                raise InvalidRequest(f"{where}.jpegBase64", "must be a base64 string")
            try:
                data = base64.b64decode(snap["jpegBase64"], validate=True)
            except (binascii.Error, ValueError):
                raise InvalidRequest(f"{where}.jpegBase64", "is not valid base64") from None
            if not data.startswith(b"\xff\xd8"):
                raise InvalidRequest(f"{where}.jpegBase64", "is not a JPEG image")
            kept.append(
                {
                    "cameraId": snap.get("cameraId"),
                    "capturedAt": snap.get("capturedAt"),
                    "bytes": len(data),
                }
            )
        return {
            "pointId": point_id,
            "templateId": template["templateId"],
            "templateVersion": template["version"],
            "inspector": body["inspector"],
            "startedAt": body["startedAt"],
            "finishedAt": body["finishedAt"],
            "results": results,
            "findings": body.get("findings", ""),
            "rectificationDue": due,
            "snapshots": kept,
        }

    def add_template(self, template: dict) -> None:
        """Offer one more inspection template (as given: tests offer kinds of item the
        contract does not list, as a newer data center would)."""
        self._templates = [
            *(t for t in self._templates if t["templateId"] != template["templateId"]),
            template,
        ]
