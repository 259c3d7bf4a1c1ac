"""Vocabulary of the data center's open interfaces (datacenter-api.md, v1).

Values are the wire values; labels are what the UI shows by default. Unknown
values may arrive at any time (contract §1): code must keep them and show them raw,
so every lookup here falls back to the raw value instead of failing.
"""

from __future__ import annotations

from enum import StrEnum


class PointType(StrEnum):
    LEGAL_SERVICE_CENTER = "legal_service_center"
    JUDICIAL_OFFICE = "judicial_office"
    SERVICE_STATION = "service_station"
    COMMUNITY_CORRECTION_CENTER = "community_correction_center"
    MEDIATION_CENTER = "mediation_center"
    MEDIATION_STUDIO = "mediation_studio"
    NOTARY_OFFICE = "notary_office"
    FORENSIC_INSTITUTION = "forensic_institution"
    HOTLINE_12348 = "hotline_12348"


POINT_TYPE_LABELS = {
    PointType.LEGAL_SERVICE_CENTER: "公共法律服务中心",
    PointType.JUDICIAL_OFFICE: "司法所",
    PointType.SERVICE_STATION: "村/社区司法行政服务站",
    PointType.COMMUNITY_CORRECTION_CENTER: "社区矫正中心",
    PointType.MEDIATION_CENTER: "社会矛盾纠纷调处服务中心",
    PointType.MEDIATION_STUDIO: "品牌调解工作室",
    PointType.NOTARY_OFFICE: "公证处",
    PointType.FORENSIC_INSTITUTION: "司法鉴定机构",
    PointType.HOTLINE_12348: "12348公共法律服务热线",
}


class Level(StrEnum):
    CITY = "city"
    COUNTY = "county"
    TOWN = "town"
    VILLAGE = "village"


LEVEL_LABELS = {Level.CITY: "市级", Level.COUNTY: "县级", Level.TOWN: "镇街级", Level.VILLAGE: "村社区级"}


class PointStatus(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    ALARM = "alarm"
    MAINTENANCE = "maintenance"


POINT_STATUS_LABELS = {
    PointStatus.ONLINE: "在线",
    PointStatus.OFFLINE: "离线",
    PointStatus.ALARM: "告警",
    PointStatus.MAINTENANCE: "维护",
}


class CoordSys(StrEnum):
    GCJ02 = "GCJ02"
    WGS84 = "WGS84"


class CaseCategory(StrEnum):
    HOTLINE_12348 = "hotline_12348"
    LEGAL_AID = "legal_aid"
    MEDIATION = "mediation"
    NOTARY = "notary"
    FORENSIC = "forensic"
    COMMUNITY_CORRECTION = "community_correction"
    LAW_POPULARIZATION = "law_popularization"
    LEGAL_CONSULTATION = "legal_consultation"


CASE_CATEGORY_LABELS = {
    CaseCategory.HOTLINE_12348: "12348热线",
    CaseCategory.LEGAL_AID: "法律援助",
    CaseCategory.MEDIATION: "人民调解",
    CaseCategory.NOTARY: "公证",
    CaseCategory.FORENSIC: "司法鉴定",
    CaseCategory.COMMUNITY_CORRECTION: "社区矫正",
    CaseCategory.LAW_POPULARIZATION: "普法宣传",
    CaseCategory.LEGAL_CONSULTATION: "法律咨询",
}


class Granularity(StrEnum):
    HOUR = "hour"
    DAY = "day"


class AlertType(StrEnum):
    CORRECTION_GEOFENCE = "correction_geofence"
    CORRECTION_CHECKIN_MISSED = "correction_checkin_missed"
    DEVICE_OFFLINE = "device_offline"
    HOTLINE_SURGE = "hotline_surge"
    DISPUTE_ESCALATION = "dispute_escalation"
    EMERGENCY = "emergency"
    SOS = "sos"


ALERT_TYPE_LABELS = {
    AlertType.CORRECTION_GEOFENCE: "社区矫正对象越界",
    AlertType.CORRECTION_CHECKIN_MISSED: "社区矫正对象未按时报到",
    AlertType.DEVICE_OFFLINE: "设备离线",
    AlertType.HOTLINE_SURGE: "12348来电激增",
    AlertType.DISPUTE_ESCALATION: "矛盾纠纷升级",
    AlertType.EMERGENCY: "突发事件",
    AlertType.SOS: "紧急求助",
}


class AlertStatus(StrEnum):
    NEW = "new"
    ACKED = "acked"
    CLOSED = "closed"


ALERT_STATUS_LABELS = {AlertStatus.NEW: "未确认", AlertStatus.ACKED: "已确认", AlertStatus.CLOSED: "已关闭"}

SEVERITY_LABELS = {1: "特急", 2: "紧急", 3: "一般", 4: "提示"}


class TemplateItemKind(StrEnum):
    PASS_FAIL = "pass_fail"
    SCORE = "score"
    TEXT = "text"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"


class ParticipantState(StrEnum):
    INVITED = "invited"
    RINGING = "ringing"
    JOINED = "joined"
    DECLINED = "declined"
    LEFT = "left"


class StreamType(StrEnum):
    MAIN = "main"
    SUB = "sub"


class StreamProtocol(StrEnum):
    RTSP = "rtsp"
    HLS = "hls"
    MJPEG = "mjpeg"


class PtzAction(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    UP = "up"
    DOWN = "down"
    ZOOM_IN = "zoom_in"
    ZOOM_OUT = "zoom_out"
    STOP = "stop"


MAX_MEETING_PARTICIPANTS = 64
PAGE_SIZE_MAX = 1000
PAGE_SIZE_DEFAULT = 100
CURSOR_RETENTION_DAYS = 7
IDEMPOTENCY_KEY_MAX = 64

# Error codes named by the contract (§2, §3.5, §3.11).
ERR_SIGNATURE = "0x02401003"
ERR_TIMESTAMP = "0x02401004"
ERR_NONCE = "0x02401005"
ERR_FORBIDDEN = "0x02403001"
ERR_CAMERA_OFFLINE = "0x02409001"
ERR_VALIDATION = "0x02422001"


def label(mapping: dict, value: object) -> str:
    """Chinese label of a wire value, or the raw value when it is unknown (contract §1)."""
    if value is None:
        return ""
    try:
        return mapping[value]
    except (KeyError, TypeError):
        return str(value)


def is_known(enum_cls: type[StrEnum], value: object) -> bool:
    return isinstance(value, str) and value in enum_cls._value2member_map_
