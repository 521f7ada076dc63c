"""hazard search: the full-text index of hazards' numbers, titles, descriptions and comments

SQLite: an FTS5 table (rowid = hazard id) whose tokenizer keeps '-' and '.' inside a term
(YH-2026-000123, 10.5); PostgreSQL: a tsvector per hazard under a GIN index. Both hold the terms
server/services/loop/search.py cuts, which also fills them here.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 15:00:00

"""
from alembic import op

from server.services.loop import search_index

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    connection = op.get_bind()
    if connection.dialect.name == 'postgresql':
        op.execute(
            'CREATE TABLE hazard_search (hazard_id INTEGER PRIMARY KEY'
            ' REFERENCES hazard (id) ON DELETE CASCADE, terms TSVECTOR NOT NULL)'
        )
        op.execute('CREATE INDEX ix_hazard_search_terms ON hazard_search USING GIN (terms)')
    else:
        op.execute(
            "CREATE VIRTUAL TABLE hazard_search USING fts5(terms, detail=none,"
            " tokenize=\"unicode61 remove_diacritics 0 tokenchars '-.'\")"
        )
    search_index.rebuild(connection)


def downgrade():
    op.execute('DROP TABLE hazard_search')
