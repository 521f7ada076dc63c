"""CSV imports of users, zones and posts: every bad row reported, nothing imported if any is bad.

Headers may be English field names or the Chinese column names an admin's spreadsheet uses;
files saved by Excel in China are often GB18030, so that is tried after UTF-8.
"""

import csv
import io

from marshmallow import ValidationError
from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.services.platform.errors import DomainError, Unprocessable

MAX_ROWS = 5000
HEADER_ALIASES = {
    "工号": "username",
    "用户名": "username",
    "姓名": "name",
    "角色": "role",
    "单位编码": "unit_code",
    "党员": "is_party_member",
    "党支部": "party_branch",
    "电话": "phone",
    "编码": "code",
    "名称": "name",
    "责任区长工号": "head_username",
    "责任内容": "responsibilities",
    "纬度": "lat",
    "经度": "lng",
    "半径": "radius_m",
    "巡查周期": "patrol_interval_days",
    "岗长工号": "holder_username",
    "责任区编码": "zone_code",
    "承诺": "commitment",
    "定位要求": "geofence_policy",
    "上级单位编码": "parent_code",
}
VALUE_ALIASES = {
    "role": {"一线员工": "worker", "责任区长": "zone_head", "安全监督": "supervisor", "管理员": "admin"},
    "geofence_policy": {"标记": "flag", "必须": "require"},
}
TRUE, FALSE = {"1", "true", "yes", "y", "是"}, {"0", "false", "no", "n", "否", ""}
INTEGERS = {"radius_m", "patrol_interval_days"}
FLOATS = {"lat", "lng"}


def read_csv(raw, max_rows=MAX_ROWS):
    """Rows as dicts keyed by field name, empty cells left out."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Unprocessable("errors.csv_encoding")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    for row in reader:
        if len(rows) >= max_rows:
            raise Unprocessable("errors.csv_too_many_rows", limit=max_rows)
        clean = {}
        for header, value in row.items():
            if header is None or value is None:
                raise Unprocessable("errors.csv_malformed", line=reader.line_num)
            key = HEADER_ALIASES.get(header.strip(), header.strip())
            value = value.strip()
            if value:
                clean[key] = VALUE_ALIASES.get(key, {}).get(value, value)
        rows.append(clean)
    if not rows:
        raise Unprocessable("errors.csv_empty")
    return rows


def _typed(row):
    """CSV text to the JSON types the schemas expect; a bad number is left for the schema to refuse."""
    typed = dict(row)
    for key, value in row.items():
        try:
            if key in INTEGERS:
                typed[key] = int(value)
            elif key in FLOATS:
                typed[key] = float(value)
        except ValueError:
            pass
        if key == "is_party_member" and value.lower() in TRUE | FALSE:
            typed[key] = value.lower() in TRUE
    return typed


# A human reference in a row (a unit code, a username) and the id field it stands for.
REFERENCES = (
    ("unit_code", Unit, Unit.code, "unit_id"),
    ("head_username", User, User.username, "head_id"),
    ("holder_username", User, User.username, "holder_id"),
    ("zone_code", Zone, Zone.code, "zone_id"),
    ("parent_code", Unit, Unit.code, "parent_id"),
)


def _row_errors(row, schema):
    """(data, errors) for one row: every failing check at once, the references and the schema's
    (a reference that names nothing is said once, not again as its id missing)."""
    data, errors = _typed(row), {}
    for field, model, column, target in REFERENCES:
        if field not in data:
            continue
        value = data.pop(field)
        found = db.session.scalar(select(model.id).where(column == value))
        if found is None:
            errors[field] = ["errors.unknown_reference"]
        else:
            data[target] = found
    try:
        data = schema.load(data)
    except ValidationError as error:
        unresolved = {target for field, *_, target in REFERENCES if field in errors}
        errors.update({key: messages for key, messages in error.messages.items() if key not in unresolved})
    return data, errors


def import_rows(rows, schema, create):
    """Validate and create every row; on any error, raise one 422 listing every failing check of
    every row (a rule of the domain, such as who may head a zone, once the row is well formed)."""
    created, errors = [], {}
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        data, row_errors = _row_errors(row, schema)
        if not row_errors:
            try:
                created.append(create(data))
            except DomainError as error:
                row_errors = error.errors or {"_": [error.message_key]}
        if row_errors:
            errors[f"row {line}"] = row_errors
    if errors:
        raise Unprocessable("errors.import_failed", errors=errors, count=len(errors))
    return created
