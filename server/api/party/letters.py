"""Safety responsibility letters (安全责任书)."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.api.platform.capability import needs
from server.extensions import db
from server.schemas.party.letters import (
    LetterInSchema,
    LetterListSchema,
    LetterQuerySchema,
    LetterSchema,
    SignatureInSchema,
)
from server.services.party import letters

blp = Blueprint(
    "letters", __name__, url_prefix="/api/v1/letters", description="Responsibility letters (责任书)"
)


@blp.route("", methods=["GET"])
@blp.arguments(LetterQuerySchema, location="query")
@blp.response(200, LetterListSchema)
def list_letters(args):
    """Letters addressed to the caller; admins and supervisors also those they follow."""
    return {"items": letters.list_letters(current_user, **args)}


@blp.route("", methods=["POST"])
@needs("issue_letters")
@blp.arguments(LetterInSchema)
@blp.response(201, LetterSchema)
def issue_letter(data):
    """Issue a letter to users of a unit subtree (admin). The text is fixed once issued."""
    letter = letters.issue_letter(current_user, data)
    db.session.commit()
    return letters.describe_letter(current_user, letter, None)


@blp.route("/<int:letter_id>", methods=["GET"])
@blp.response(200, LetterSchema)
def get_letter(letter_id):
    """A letter: its text for a recipient; who signed for admins and supervisors over it."""
    return letters.describe_letter(current_user, *letters.get_letter(current_user, letter_id))


@blp.route("/<int:letter_id>/sign", methods=["POST"])
@blp.arguments(SignatureInSchema)
@blp.response(200, LetterSchema)
def sign_letter(data, letter_id):
    """Sign with one's full name over the text's hash; signing again the same way changes nothing."""
    letter, mine = letters.sign_letter(current_user, letter_id, data)
    db.session.commit()
    return letters.describe_letter(current_user, letter, mine)
