"""The CSV template an admin fills in for each import: the Chinese column names that
csv_import.read_csv understands, and one example row.

The four examples fit together (a unit, a Party member who heads a zone in it, the zone, a post
in the zone), so the templates imported in the order units, users, zones, posts all succeed.
"""

from server.services.platform.errors import NotFound
from server.services.platform.spreadsheets import csv_chunks

TEMPLATES = {
    "units": (("编码", "BD-1"), ("名称", "变电运维一班"), ("上级单位编码", "")),
    "users": (
        ("工号", "lisi"),
        ("姓名", "李四"),
        ("角色", "责任区长"),
        ("单位编码", "BD-1"),
        ("党员", "是"),
        ("党支部", "变电运维党支部"),
        ("电话", "13800000000"),
    ),
    "zones": (
        ("编码", "Z-101"),
        ("名称", "1号主变区域"),
        ("单位编码", "BD-1"),
        ("责任区长工号", "lisi"),
        ("责任内容", "设备巡视、隐患排查"),
        ("纬度", "30.2741"),
        ("经度", "120.1551"),
        ("半径", "100"),
        ("巡查周期", "7"),
    ),
    "posts": (
        ("编码", "P-101"),
        ("名称", "主控室示范岗"),
        ("单位编码", "BD-1"),
        ("岗长工号", "lisi"),
        ("责任区编码", "Z-101"),
        ("承诺", "安全第一，预防为主"),
        ("纬度", "30.2741"),
        ("经度", "120.1551"),
        ("半径", "100"),
        ("定位要求", "标记"),
    ),
}


def template_chunks(kind):
    """The template of an import kind as CSV text chunks (UTF-8 with BOM, for Excel)."""
    if kind not in TEMPLATES:
        raise NotFound("errors.not_found")
    columns = TEMPLATES[kind]
    return csv_chunks([[header for header, _ in columns], [example for _, example in columns]])
