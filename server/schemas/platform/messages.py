"""marshmallow's own field messages, as keys of our catalogs (server/i18n), so that a field error
reads in the user's language like every other ("Not a valid boolean." reached an admin's
Chinese screen). A message with values carries them after the key, `errors.too_long|max=100`;
problems.py translates both forms. Set once, when the schemas are first imported."""

from marshmallow import Schema, fields, validate

FIELD_MESSAGES = {
    fields.Field: {
        "required": "errors.required",
        "null": "errors.null",
        "validator_failed": "errors.invalid",
    },
    fields.String: {"invalid": "errors.not_text", "invalid_utf8": "errors.not_text"},
    fields.Number: {"invalid": "errors.not_number", "too_large": "errors.number_too_large"},
    fields.Integer: {"invalid": "errors.not_integer"},
    fields.Float: {"special": "errors.not_number"},
    fields.Boolean: {"invalid": "errors.not_boolean"},
    fields.Date: {"invalid": "errors.not_date", "format": "errors.not_date"},
    fields.List: {"invalid": "errors.not_list"},
    fields.Mapping: {"invalid": "errors.not_object"},
    fields.Nested: {"type": "errors.not_object"},
}
# DateTime (and AwareDateTime below it) inherit theirs: these, as DateTime's own, come after.
TEMPORAL = {
    "invalid": "errors.not_datetime",
    "invalid_awareness": "errors.no_time_zone",
    "format": "errors.not_datetime",
}


def use_catalog_messages():
    for field_class, messages in FIELD_MESSAGES.items():
        field_class.default_error_messages.update(messages)
    fields.DateTime.default_error_messages = dict(TEMPORAL)
    Schema._default_error_messages.update(type="errors.not_object", unknown="errors.unknown_field")
    validate.Length.message_min = "errors.too_short|min={min}"
    validate.Length.message_max = "errors.too_long|max={max}"
    validate.Length.message_all = "errors.length_between|min={min}|max={max}"
    validate.Length.message_equal = "errors.length_equal|equal={equal}"
    # Range formats twice: its comparison words first (ours need none: every range is inclusive).
    validate.Range.message_min = "errors.at_least|min={{min}}"
    validate.Range.message_max = "errors.at_most|max={{max}}"
    validate.Range.message_all = "errors.between|min={{min}}|max={{max}}"
    validate.OneOf.default_message = "errors.one_of|choices={choices}"
