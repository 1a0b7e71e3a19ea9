"""The flows as data: the declaration types (``flow``), the flows themselves (``registration``, ``reporting``),
their checks and choice sources, and the registry that builds and validates them (``registry``).

Imports nothing: the engine loads ``flows.flow`` (and this file with it) and must stay pure.
"""
