"""Vocabulary of the data center's open interfaces (datacenter-api.md, v1).

Values are the wire values; labels are terms of the bureau's own language, with
their English equivalents for an English UI. Unknown values may arrive at any time
(contract §1): code must keep them and show them raw, so every lookup here falls
back to the raw value instead of failing.
"""

from __future__ import annotations

from enum import StrEnum


class Term(str):
    """A Chinese term that also knows its English equivalent: reports and exports
    use it as the string it is; the UI picks `.en` when it speaks English."""

    en: str

    def __new__(cls, zh: str, en: str) -> Term:
        """A term with its Chinese text (the string itself) and its English."""
        term = super().__new__(cls, zh)
        term.en = en
        return term

    def __reduce__(self) -> tuple[type[Term], tuple[str, str]]:
        return (Term, (str(self), self.en))

    def in_language(self, language: str) -> str:
        """The term in the interface's language: Chinese unless English is asked for."""
        return self.en if language.startswith("en") else str(self)


class PointType(StrEnum):
    """The kinds of service point the data center lists."""

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
    PointType.LEGAL_SERVICE_CENTER: Term("公共法律服务中心", "Public legal service center"),
    PointType.JUDICIAL_OFFICE: Term("司法所", "Judicial office"),
    PointType.SERVICE_STATION: Term("村/社区司法行政服务站", "Village/community service station"),
    PointType.COMMUNITY_CORRECTION_CENTER: Term("社区矫正中心", "Community correction center"),
    PointType.MEDIATION_CENTER: Term("社会矛盾纠纷调处服务中心", "Dispute mediation center"),
    PointType.MEDIATION_STUDIO: Term("品牌调解工作室", "Mediation studio"),
    PointType.NOTARY_OFFICE: Term("公证处", "Notary office"),
    PointType.FORENSIC_INSTITUTION: Term("司法鉴定机构", "Forensic institution"),
    PointType.HOTLINE_12348: Term("12348公共法律服务热线", "12348 legal hotline"),
}


class Level(StrEnum):
    """The administrative level of an organisation or service point."""

    CITY = "city"
    COUNTY = "county"
    TOWN = "town"
    VILLAGE = "village"


LEVEL_LABELS = {
    Level.CITY: Term("市级", "City"),
    Level.COUNTY: Term("县级", "County"),
    Level.TOWN: Term("镇街级", "Town"),
    Level.VILLAGE: Term("村社区级", "Village"),
}


class PointStatus(StrEnum):
    """A service point's operating status."""

    ONLINE = "online"
    OFFLINE = "offline"
    ALARM = "alarm"
    MAINTENANCE = "maintenance"


POINT_STATUS_LABELS = {
    PointStatus.ONLINE: Term("在线", "Online"),
    PointStatus.OFFLINE: Term("离线", "Offline"),
    PointStatus.ALARM: Term("告警", "Alarm"),
    PointStatus.MAINTENANCE: Term("维护", "Maintenance"),
}


class CoordSys(StrEnum):
    """The coordinate system of a point's position."""

    GCJ02 = "GCJ02"
    WGS84 = "WGS84"


class CaseCategory(StrEnum):
    """The bureau's categories of cases."""

    HOTLINE_12348 = "hotline_12348"
    LEGAL_AID = "legal_aid"
    MEDIATION = "mediation"
    NOTARY = "notary"
    FORENSIC = "forensic"
    COMMUNITY_CORRECTION = "community_correction"
    LAW_POPULARIZATION = "law_popularization"
    LEGAL_CONSULTATION = "legal_consultation"


CASE_CATEGORY_LABELS = {
    CaseCategory.HOTLINE_12348: Term("12348热线", "12348 hotline"),
    CaseCategory.LEGAL_AID: Term("法律援助", "Legal aid"),
    CaseCategory.MEDIATION: Term("人民调解", "Mediation"),
    CaseCategory.NOTARY: Term("公证", "Notarisation"),
    CaseCategory.FORENSIC: Term("司法鉴定", "Forensic appraisal"),
    CaseCategory.COMMUNITY_CORRECTION: Term("社区矫正", "Community correction"),
    CaseCategory.LAW_POPULARIZATION: Term("普法宣传", "Law popularisation"),
    CaseCategory.LEGAL_CONSULTATION: Term("法律咨询", "Legal consultation"),
}


class Granularity(StrEnum):
    """The span a case statistic covers."""

    HOUR = "hour"
    DAY = "day"


class AlertType(StrEnum):
    """The kinds of alert the data center raises."""

    CORRECTION_GEOFENCE = "correction_geofence"
    CORRECTION_CHECKIN_MISSED = "correction_checkin_missed"
    DEVICE_OFFLINE = "device_offline"
    HOTLINE_SURGE = "hotline_surge"
    DISPUTE_ESCALATION = "dispute_escalation"
    EMERGENCY = "emergency"
    SOS = "sos"


ALERT_TYPE_LABELS: dict[str, Term] = {
    AlertType.CORRECTION_GEOFENCE: Term("社区矫正对象越界", "Correction subject left area"),
    AlertType.CORRECTION_CHECKIN_MISSED: Term(
        "社区矫正对象未按时报到", "Correction check-in missed"
    ),
    AlertType.DEVICE_OFFLINE: Term("设备离线", "Device offline"),
    AlertType.HOTLINE_SURGE: Term("12348来电激增", "Hotline surge"),
    AlertType.DISPUTE_ESCALATION: Term("矛盾纠纷升级", "Dispute escalating"),
    AlertType.EMERGENCY: Term("突发事件", "Emergency"),
    AlertType.SOS: Term("紧急求助", "SOS"),
}


class AlertStatus(StrEnum):
    """An alert's handling status."""

    NEW = "new"
    ACKED = "acked"
    CLOSED = "closed"


ALERT_STATUS_LABELS = {
    AlertStatus.NEW: Term("未确认", "New"),
    AlertStatus.ACKED: Term("已确认", "Acknowledged"),
    AlertStatus.CLOSED: Term("已关闭", "Closed"),
}

SEVERITY_LABELS = {
    1: Term("特急", "Critical"),
    2: Term("紧急", "Urgent"),
    3: Term("一般", "Normal"),
    4: Term("提示", "Notice"),
}


class TemplateItemKind(StrEnum):
    """The kinds of item on an inspection checklist."""

    PASS_FAIL = "pass_fail"
    SCORE = "score"
    TEXT = "text"


class MeetingStatus(StrEnum):
    """A video meeting's status."""

    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"


MEETING_STATUS_LABELS = {
    MeetingStatus.SCHEDULED: Term("已预约", "Scheduled"),
    MeetingStatus.LIVE: Term("进行中", "In progress"),
    MeetingStatus.ENDED: Term("已结束", "Ended"),
}


class ParticipantState(StrEnum):
    """A meeting participant's connection state."""

    INVITED = "invited"
    RINGING = "ringing"
    JOINED = "joined"
    DECLINED = "declined"
    LEFT = "left"


PARTICIPANT_STATE_LABELS = {
    ParticipantState.INVITED: Term("已邀请", "Invited"),
    ParticipantState.RINGING: Term("呼叫中", "Ringing"),
    ParticipantState.JOINED: Term("已入会", "Joined"),
    ParticipantState.DECLINED: Term("已拒绝", "Declined"),
    ParticipantState.LEFT: Term("已离会", "Left"),
}


class StreamType(StrEnum):
    """A camera's main or sub stream."""

    MAIN = "main"
    SUB = "sub"


class StreamProtocol(StrEnum):
    """The streaming protocols a preview URL may be asked in."""

    RTSP = "rtsp"
    HLS = "hls"
    MJPEG = "mjpeg"


class PtzAction(StrEnum):
    """The pan, tilt and zoom moves a camera may be sent."""

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


def label(mapping: dict, value: object, language: str = "zh_CN") -> str:
    """Label of a wire value in a language, or the raw value when it is unknown (contract §1)."""
    if value is None:
        return ""
    try:
        term = mapping[value]
    except (KeyError, TypeError):
        return str(value)
    return term.in_language(language) if isinstance(term, Term) else term


def is_known(enum_cls: type[StrEnum], value: object) -> bool:
    """Whether `value` is one of the enum's values."""
    return isinstance(value, str) and value in enum_cls._value2member_map_
