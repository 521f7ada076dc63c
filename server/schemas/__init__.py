"""marshmallow schemas: one module per resource, In and Out apart."""
