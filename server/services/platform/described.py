"""A row plus values computed for it, for a schema to dump as one object."""


class Described:
    """A row plus values computed for it, dumped by a schema as one object."""

    def __init__(self, row, **values):
        self._row = row
        self.__dict__.update(values)

    def __getattr__(self, name):
        return getattr(self._row, name)
